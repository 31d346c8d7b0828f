/**
 * Settings of the payout pipeline (worker, indexer, epoch publisher), read once from the
 * environment and validated like server/config.ts: a bad value throws a {@link ConfigError}
 * naming the variable. `RPC_URL` and `CHAIN_ID` come from the core config.
 *
 * The signer key is never part of these settings' printable form: {@link ChainSettings}
 * carries only where the key comes from, and {@link loadSigner} (signer.ts) reads it.
 */
import { z } from "zod";
import {
  ConfigError,
  type ConfigIssue,
  commaList,
  type Environment,
  int,
  oneOf,
  optional,
  optionalString,
  parseEnv,
  port,
  privateKey,
  variablesOf,
} from "../env.ts";

export const CHAIN_JOBS = ["worker", "indexer", "epochs"] as const;
export type ChainJob = (typeof CHAIN_JOBS)[number];

const jobs = commaList(oneOf(CHAIN_JOBS)).transform((list): ReadonlySet<ChainJob> => new Set(list));

const envSchema = z.object({
  PAYOUT_SIGNER_PRIVATE_KEY: optional(privateKey),
  PAYOUT_SIGNER_KEYSTORE: optionalString,
  PAYOUT_SIGNER_KEYSTORE_PASSWORD: z.string().optional(),
  CAMPAIGN_ADMIN_PRIVATE_KEY: optional(privateKey),
  CAMPAIGN_ADMIN_KEYSTORE: optionalString,
  CAMPAIGN_ADMIN_KEYSTORE_PASSWORD: z.string().optional(),

  CHAIN_JOBS: jobs.prefault("worker,indexer,epochs"),
  CHAIN_CONFIRMATIONS: int(1, 1000).default(2),
  CHAIN_FINALITY_DEPTH: int(1, 10_000).default(64),
  CHAIN_POLL_MS: int(20, 600_000).default(1000),
  CHAIN_LEASE_SECONDS: int(2, 600).default(5),
  CHAIN_HEALTH_PORT: optional(port),

  PAYOUT_BATCH_SIZE: int(1, 500).default(200),
  PAYOUT_BATCH_WINDOW_MS: int(0, 3_600_000).default(2000),
  PAYOUT_MAX_IN_FLIGHT: int(1, 256).default(8),
  PAYOUT_REPLACE_AFTER_SECONDS: int(1, 86_400).default(90),
  PAYOUT_FEE_BUMP_PERCENT: int(10, 1000).default(20),
  PAYOUT_MAX_FEE_GWEI: optional(int(1, 1_000_000)),
  PAYOUT_HOLD_RECHECK_SECONDS: int(1, 86_400).default(30),

  INDEXER_BLOCK_RANGE: int(1, 1_000_000).default(2000),
  INDEXER_START_BLOCK: optional(int(0, 2 ** 48)),

  EPOCH_INTERVAL_MINUTES: int(0, 7 * 24 * 60).default(60),
  EPOCH_INTERVAL_SECONDS: optional(int(0, 7 * 24 * 3600)),
  EPOCH_CLAIM_WINDOW_HOURS: int(1, 24 * 3650).default(720),

  REFMINT_FAILPOINT: optionalString,
});

/** Where a signing key comes from (the key itself is read by signer.ts, never printed). */
export type KeySource =
  | { kind: "private-key"; variable: string; key: `0x${string}` }
  | { kind: "keystore"; variable: string; path: string; password: string }
  | { kind: "none" };

export interface ChainSettings {
  /** The backend signer (pays batches, publishes roots). */
  signer: KeySource;
  /** The campaign admin (only the clawback command uses it). */
  admin: KeySource;
  /** Jobs the service's chain component runs (standalone processes run one each). */
  jobs: ReadonlySet<ChainJob>;
  /** Blocks a payout needs (its own included) before the indexer settles it. */
  confirmations: number;
  /** Sends are re-checked, and block hashes kept, until this deep. */
  finalityDepth: number;
  pollMs: number;
  leaseSeconds: number;
  healthPort?: number;
  payout: {
    batchSize: number;
    batchWindowMs: number;
    maxInFlight: number;
    replaceAfterSeconds: number;
    feeBumpPercent: number;
    maxFeePerGas?: bigint;
    holdRecheckSeconds: number;
  };
  indexer: { blockRange: number; startBlock?: number };
  /** `intervalSeconds`: EPOCH_INTERVAL_SECONDS, else EPOCH_INTERVAL_MINUTES × 60 (0: off). */
  epochs: { intervalSeconds: number; claimWindowHours: number };
  /** Test-only crash point (see failpoint.ts). */
  failpoint?: string;
}

function keySource(
  prefix: "PAYOUT_SIGNER" | "CAMPAIGN_ADMIN",
  key: `0x${string}` | undefined,
  keystore: string | undefined,
  password: string | undefined,
  issues: ConfigIssue[],
): KeySource {
  if (key !== undefined && keystore !== undefined) {
    issues.push({
      variable: `${prefix}_KEYSTORE`,
      message: `set either ${prefix}_PRIVATE_KEY or ${prefix}_KEYSTORE, not both`,
    });
    return { kind: "none" };
  }
  if (key !== undefined) return { kind: "private-key", variable: `${prefix}_PRIVATE_KEY`, key };
  if (keystore !== undefined) {
    if (password === undefined) {
      issues.push({
        variable: `${prefix}_KEYSTORE_PASSWORD`,
        message: `is required with ${prefix}_KEYSTORE`,
      });
      return { kind: "none" };
    }
    return { kind: "keystore", variable: `${prefix}_KEYSTORE`, path: keystore, password };
  }
  return { kind: "none" };
}

/** Reads and validates the chain settings; throws {@link ConfigError} naming each bad variable. */
export function loadChainSettings(env: Environment = process.env): ChainSettings {
  const e = parseEnv(envSchema, env);
  const issues: ConfigIssue[] = [];
  const signer = keySource(
    "PAYOUT_SIGNER",
    e.PAYOUT_SIGNER_PRIVATE_KEY,
    e.PAYOUT_SIGNER_KEYSTORE,
    e.PAYOUT_SIGNER_KEYSTORE_PASSWORD,
    issues,
  );
  const admin = keySource(
    "CAMPAIGN_ADMIN",
    e.CAMPAIGN_ADMIN_PRIVATE_KEY,
    e.CAMPAIGN_ADMIN_KEYSTORE,
    e.CAMPAIGN_ADMIN_KEYSTORE_PASSWORD,
    issues,
  );
  if (e.CHAIN_FINALITY_DEPTH < e.CHAIN_CONFIRMATIONS) {
    issues.push({
      variable: "CHAIN_FINALITY_DEPTH",
      message: `must be at least CHAIN_CONFIRMATIONS (${e.CHAIN_CONFIRMATIONS})`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    signer,
    admin,
    jobs: e.CHAIN_JOBS,
    confirmations: e.CHAIN_CONFIRMATIONS,
    finalityDepth: e.CHAIN_FINALITY_DEPTH,
    pollMs: e.CHAIN_POLL_MS,
    leaseSeconds: e.CHAIN_LEASE_SECONDS,
    healthPort: e.CHAIN_HEALTH_PORT,
    payout: {
      batchSize: e.PAYOUT_BATCH_SIZE,
      batchWindowMs: e.PAYOUT_BATCH_WINDOW_MS,
      maxInFlight: e.PAYOUT_MAX_IN_FLIGHT,
      replaceAfterSeconds: e.PAYOUT_REPLACE_AFTER_SECONDS,
      feeBumpPercent: e.PAYOUT_FEE_BUMP_PERCENT,
      maxFeePerGas:
        e.PAYOUT_MAX_FEE_GWEI === undefined
          ? undefined
          : BigInt(e.PAYOUT_MAX_FEE_GWEI) * 1_000_000_000n,
      holdRecheckSeconds: e.PAYOUT_HOLD_RECHECK_SECONDS,
    },
    indexer: { blockRange: e.INDEXER_BLOCK_RANGE, startBlock: e.INDEXER_START_BLOCK },
    epochs: {
      intervalSeconds: e.EPOCH_INTERVAL_SECONDS ?? e.EPOCH_INTERVAL_MINUTES * 60,
      claimWindowHours: e.EPOCH_CLAIM_WINDOW_HOURS,
    },
    failpoint: e.REFMINT_FAILPOINT,
  };
}

/** The documented variables (README configuration table). */
export const CHAIN_VARIABLES = variablesOf(envSchema);
