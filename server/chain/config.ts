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
  bool,
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

/**
 * The backend's keys, one per on-chain role (issue 12): a leaked key can do only its own role's
 * part. `payoutSigner` pays batches and releases escrow (PAYOUT_ROLE, RELEASER_ROLE),
 * `rootPublisher` publishes Merkle roots (PUBLISHER_ROLE), `badgeMinter` mints badges
 * (MINTER_ROLE on Badges), `relayer` relays members' signed perk orders (RELAYER_ROLE).
 */
export const BACKEND_ROLES = ["payoutSigner", "rootPublisher", "badgeMinter", "relayer"] as const;
export type BackendRole = (typeof BACKEND_ROLES)[number];

/** The environment prefix of each role's key: `<PREFIX>_PRIVATE_KEY` or `<PREFIX>_KEYSTORE`. */
export const ROLE_PREFIX = {
  payoutSigner: "PAYOUT_SIGNER",
  rootPublisher: "ROOT_PUBLISHER",
  badgeMinter: "BADGE_MINTER",
  relayer: "RELAYER",
} as const satisfies Record<BackendRole, string>;
type KeyPrefix = (typeof ROLE_PREFIX)[BackendRole] | "CAMPAIGN_ADMIN";

const envSchema = z.object({
  PAYOUT_SIGNER_PRIVATE_KEY: optional(privateKey),
  PAYOUT_SIGNER_KEYSTORE: optionalString,
  PAYOUT_SIGNER_KEYSTORE_PASSWORD: z.string().optional(),
  ROOT_PUBLISHER_PRIVATE_KEY: optional(privateKey),
  ROOT_PUBLISHER_KEYSTORE: optionalString,
  ROOT_PUBLISHER_KEYSTORE_PASSWORD: z.string().optional(),
  BADGE_MINTER_PRIVATE_KEY: optional(privateKey),
  BADGE_MINTER_KEYSTORE: optionalString,
  BADGE_MINTER_KEYSTORE_PASSWORD: z.string().optional(),
  RELAYER_PRIVATE_KEY: optional(privateKey),
  RELAYER_KEYSTORE: optionalString,
  RELAYER_KEYSTORE_PASSWORD: z.string().optional(),
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
  ESCROW_RELEASE: bool.default(true),

  INDEXER_BLOCK_RANGE: int(1, 1_000_000).default(2000),
  INDEXER_START_BLOCK: optional(int(0, 2 ** 48)),

  EPOCH_INTERVAL_MINUTES: int(0, 7 * 24 * 60).default(60),
  EPOCH_INTERVAL_SECONDS: optional(int(0, 7 * 24 * 3600)),
  EPOCH_CLAIM_WINDOW_HOURS: int(1, 24 * 3650).default(720),

  REFMINT_FAILPOINT: optionalString,
});

/**
 * Where a signing key comes from (the key itself is read by signer.ts, never printed).
 * `sharedWith`: outside production, a role without a key of its own uses the payout signer's
 * (one key for all roles on a development chain); names the variable it came from.
 */
export type KeySource =
  | { kind: "private-key"; variable: string; key: `0x${string}`; sharedWith?: string }
  | { kind: "keystore"; variable: string; path: string; password: string; sharedWith?: string }
  | { kind: "none" };

export interface ChainSettings {
  /** `NODE_ENV=production`: each role needs its own key (see {@link BACKEND_ROLES}). */
  production: boolean;
  /** The payout signer (`keys.payoutSigner`): pays batches and releases escrow. */
  signer: KeySource;
  /** One key per backend role (outside production a missing one falls back to the signer's). */
  keys: Record<BackendRole, KeySource>;
  /** The campaign admin: the clawback and rules-version commands, the admin API's perk changes. */
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
  /**
   * ESCROW_RELEASE: the worker releases a member's escrow to the wallet they link (default).
   * Off, escrow waits for the member's Merkle claim (the trustless way out, which then costs
   * the member gas).
   */
  escrowRelease: boolean;
  indexer: { blockRange: number; startBlock?: number };
  /** `intervalSeconds`: EPOCH_INTERVAL_SECONDS, else EPOCH_INTERVAL_MINUTES × 60 (0: off). */
  epochs: { intervalSeconds: number; claimWindowHours: number };
  /** Test-only crash point (see failpoint.ts). */
  failpoint?: string;
}

function keySource(
  prefix: KeyPrefix,
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

const variableOf = (source: KeySource, fallback: string) =>
  source.kind === "none" ? fallback : source.variable;

/** Reads and validates the chain settings; throws {@link ConfigError} naming each bad variable. */
export function loadChainSettings(env: Environment = process.env): ChainSettings {
  const e = parseEnv(envSchema, env);
  const production = env.NODE_ENV === "production";
  const issues: ConfigIssue[] = [];
  const own = {} as Record<BackendRole, KeySource>;
  for (const role of BACKEND_ROLES) {
    const prefix = ROLE_PREFIX[role];
    own[role] = keySource(
      prefix,
      e[`${prefix}_PRIVATE_KEY`],
      e[`${prefix}_KEYSTORE`],
      e[`${prefix}_KEYSTORE_PASSWORD`],
      issues,
    );
  }
  const signer = own.payoutSigner;
  const keys = { ...own };
  if (production) {
    // Same key text or keystore file under two roles: refused here; keystores holding the same
    // key are caught once decrypted (loadRoleAccounts compares the addresses).
    const seen = new Map<string, BackendRole>();
    for (const role of BACKEND_ROLES) {
      const source = own[role];
      if (source.kind === "none") continue;
      const id =
        source.kind === "private-key" ? `key:${source.key.toLowerCase()}` : `file:${source.path}`;
      const other = seen.get(id);
      if (other)
        issues.push({
          variable: source.variable,
          message: `is the same key as ${variableOf(own[other], other)}: in production each role needs its own key`,
        });
      else seen.set(id, role);
    }
  } else if (signer.kind !== "none") {
    for (const role of BACKEND_ROLES)
      if (keys[role].kind === "none") keys[role] = { ...signer, sharedWith: signer.variable };
  }
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
    production,
    signer,
    keys,
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
    escrowRelease: e.ESCROW_RELEASE,
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
