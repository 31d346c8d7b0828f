/**
 * A new rules version of a deployed campaign, from plan to publication: the one code path of
 * `npm run campaign:version` (scripts/campaign-version.ts) and of the admin console's "new
 * rules version" (server/chain/consoleJobs.ts).
 *
 * 1. {@link planRulesVersion}: the new rules against the version in effect and the chain
 *    (server/chain/versions.ts `planVersion`): every difference, what only a redeploy could
 *    change (refusals), and the admin's transactions, the last `updateRules(version, hash, uri)`.
 * 2. {@link estimateActions}: each transaction's gas (simulated from the campaign admin) and
 *    the cost at the chain's current fee, in the native coin and, with a price, in dollars.
 * 3. {@link applyRulesVersion}: the version recorded (pending, audited by the domain), its
 *    transactions sent from the campaign admin's key, each recorded before it is broadcast;
 *    run again after an interruption, it resumes.
 * 4. {@link waitEffective}: until the indexer has seen the `RulesPublished` log.
 */
import { type Address, type Hex, type LocalAccount, type PublicClient, parseUnits } from "viem";
import { type CampaignDefinition, rulesDocument } from "../domain/campaign.ts";
import type { CampaignDeployment } from "../domain/deployment.ts";
import {
  definitionOf,
  documentHash,
  type PreparedVersion,
  rulesDocumentPath,
  type VersionAction,
  type VersionState,
  versionFor,
} from "../domain/versions.ts";
import { executeActions, planVersion, type VersionPlan } from "./versions.ts";

/** Where the versions live: the database here, or the service that holds it. */
export interface VersionStore {
  via: string;
  state(): Promise<VersionState>;
  prepare(input: {
    version: number;
    document: string;
    rulesUrl: string;
    actions: VersionAction[];
  }): Promise<PreparedVersion>;
  record(
    version: number,
    key: string,
    status: VersionAction["status"],
    txHash: string | null,
  ): Promise<void>;
  /** Brings the indexer up to date when this process must do it (no service runs one). */
  index(): Promise<void>;
  close(): Promise<void>;
}

export interface VersionSetup {
  store: VersionStore;
  client: PublicClient;
  chainId: number;
  deployment: CampaignDeployment;
  publicUrl: string;
}

export interface PlannedVersion {
  to: CampaignDefinition;
  /** The canonical rules document and its hash. */
  document: string;
  hash: Hex;
  state: VersionState;
  /** Undefined: these rules are in effect and on-chain already (nothing to do). */
  version?: number;
  /** Another pending version is half applied: nothing can be done until it is finished. */
  blockedBy?: { version: number; hash: string };
  /** The version `to` resumes (a pending version with the same rules). */
  resuming: boolean;
  rulesUrl: string;
  plan?: VersionPlan;
}

/** Plans `to` as the campaign's next rules version (reads only; writes and sends nothing). */
export async function planRulesVersion(
  setup: VersionSetup,
  to: CampaignDefinition,
  options: { rulesUrl?: string; metadataUrl?: string } = {},
): Promise<PlannedVersion> {
  const document = rulesDocument(to);
  const hash = documentHash(document);
  const state = await setup.store.state();
  const rulesUrl = options.rulesUrl ?? `${setup.publicUrl}${rulesDocumentPath(to.slug, hash)}`;
  const version = versionFor(state, hash);
  const base = { to, document, hash, state, rulesUrl, resuming: state.pending?.hash === hash };
  if (version === undefined) return base;
  const pending = state.pending;
  if (pending && pending.hash !== hash && pending.actions.some((a) => a.status !== "planned"))
    return { ...base, version, blockedBy: { version: pending.version, hash: pending.hash } };
  const from = definitionOf(state.effective.document, `version ${state.effective.version}`);
  const plan = await planVersion(setup.client, {
    slug: to.slug,
    deployment: setup.deployment,
    from,
    to,
    version,
    hash,
    rulesUrl,
    metadataUrl: options.metadataUrl ?? setup.publicUrl,
  });
  return { ...base, version, plan };
}

export interface ActionEstimate {
  key: string;
  /** Simulated gas, or null when the node refused to estimate it (e.g. it needs an earlier one). */
  gas: string | null;
  error: string | null;
}

export interface CostEstimate {
  actions: ActionEstimate[];
  /** Wei per gas a transaction sent now pays (next base fee + tip, or the gas price). */
  feePerGas: string;
  /** Total wei of the estimated actions. */
  cost: string;
  /** In dollars (NATIVE_USD_PRICE), to the cent; null without a price. */
  usd: string | null;
}

/**
 * Each action not done yet, simulated from `from` (the campaign admin) against the chain as it
 * is now, and the total at the current fee.
 */
export async function estimateActions(
  client: PublicClient,
  from: Address,
  actions: readonly VersionAction[],
  usdPrice?: string,
): Promise<CostEstimate> {
  const out: ActionEstimate[] = [];
  let total = 0n;
  for (const a of actions) {
    if (a.status === "done") continue;
    try {
      const gas = await client.estimateGas({
        account: from,
        to: a.address as Address,
        data: a.data as Hex,
      });
      total += gas;
      out.push({ key: a.key, gas: gas.toString(), error: null });
    } catch (error) {
      out.push({ key: a.key, gas: null, error: (error as Error).message.split("\n")[0] ?? "" });
    }
  }
  const feePerGas = await quoteFee(client);
  const cost = total * feePerGas;
  return {
    actions: out,
    feePerGas: feePerGas.toString(),
    cost: cost.toString(),
    usd: usdPrice ? usdOf(cost, usdPrice) : null,
  };
}

/** The next block's base fee plus the node's tip on an EIP-1559 chain, else the gas price. */
async function quoteFee(client: PublicClient): Promise<bigint> {
  try {
    const fees = await client.estimateFeesPerGas();
    if (fees.maxFeePerGas !== undefined) {
      const block = await client.getBlock();
      const base = block.baseFeePerGas ?? 0n;
      return base + (fees.maxPriorityFeePerGas ?? 0n);
    }
  } catch {
    // Not an EIP-1559 chain.
  }
  return client.getGasPrice();
}

/** `wei` at `price` dollars a coin, to the cent (half up). */
export function usdOf(wei: bigint, price: string): string {
  const micro = parseUnits(price, 6);
  const scale = 10n ** 24n;
  const cents = (wei * micro * 100n + scale / 2n) / scale;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

export interface AppliedVersion {
  ok: boolean;
  version: number;
  outcome: PreparedVersion["outcome"];
  failed?: { key: string; reason: string };
  /** The `updateRules` transaction, once mined. */
  rulesTx?: Hex;
  rulesBlock?: number;
}

/**
 * Records the planned version (pending; the domain audits it in the store's actor's name) and
 * sends its transactions from `admin`, each recorded `sent` before it is broadcast.
 */
export async function applyRulesVersion(
  setup: VersionSetup,
  planned: PlannedVersion,
  admin: LocalAccount,
  log: (line: string) => void,
): Promise<AppliedVersion> {
  if (planned.version === undefined || !planned.plan)
    throw new Error("nothing to apply: these rules are in effect and on-chain");
  const prepared = await setup.store.prepare({
    version: planned.version,
    document: planned.document,
    rulesUrl: planned.rulesUrl,
    actions: planned.plan.actions,
  });
  log(`version ${prepared.version} ${prepared.outcome}; sending as ${admin.address}`);
  const result = await executeActions(
    setup.client,
    admin,
    prepared.actions,
    (key, status, txHash) => setup.store.record(prepared.version, key, status, txHash),
    log,
  );
  return {
    ok: result.ok,
    version: prepared.version,
    outcome: prepared.outcome,
    failed: result.failed,
    rulesTx: result.rulesTx,
    rulesBlock: result.rulesBlock,
  };
}

/**
 * Waits until `version` is in effect and published (the indexer saw its `RulesPublished`), at
 * most `timeoutMs`; returns the state then, or undefined on the timeout.
 */
export async function waitEffective(
  setup: VersionSetup,
  version: number,
  timeoutMs: number,
): Promise<VersionState | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await setup.store.index();
    const s = await setup.store.state();
    // Version 1 is in effect from the start: published, it is done once its block is indexed.
    if (
      s.effective.version > version ||
      (s.effective.version === version && s.effective.blockNumber !== null)
    )
      return s;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}
