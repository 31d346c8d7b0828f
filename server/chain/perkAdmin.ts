/**
 * Perks through the admin API (issue 14): list a campaign's perks with their state on-chain,
 * and create, change or retire one, first as a dry run, then for real. A change is a rules
 * version like any other, made by the same code as `npm run campaign:version`:
 *
 * 1. the version in effect with the perk edited (server/domain/perkAdmin.ts checks it);
 * 2. {@link planVersion} plans the admin's transactions from the chain (`PerkShop.createPerk`
 *    or `updatePerk`, then `ReferralPayouts.updateRules`), each with its calldata; the dry run
 *    adds the gas each needs (`eth_estimateGas` from the campaign admin's address) and what it
 *    costs at the chain's current fee, and writes nothing;
 * 3. applied: {@link prepareVersion} records the version (pending) with the audit row of the
 *    perk's before and after in its transaction, and {@link executeActions} sends the calls
 *    with the campaign admin's key, recording each before it is broadcast. The version takes
 *    effect when the indexer sees its `RulesPublished` log (members then see the new perk
 *    and are told what changed). Sent again after an interruption, the same request resumes.
 *
 * One version at a time: while another is being applied (or published and not yet indexed)
 * the change is refused (`rules_version_pending`), as the command refuses it.
 */
import { formatEther, getAddress, type Hex, type LocalAccount, type PublicClient } from "viem";
import type { Db } from "../db/index.ts";
import { rulesDocument } from "../domain/campaign.ts";
import type { Actor } from "../domain/context.ts";
import type { CampaignDeployment } from "../domain/deployment.ts";
import { DomainError } from "../domain/errors.ts";
import { editPerks, type PerkDefinition, type PerkEdit, unitsSold } from "../domain/perkAdmin.ts";
import type { Campaign } from "../domain/registry.ts";
import type { RulesChange } from "../domain/rulesDiff.ts";
import {
  definitionOf,
  documentHash,
  prepareVersion,
  recordVersionAction,
  rulesDocumentPath,
  type VersionAction,
  versionFor,
  versionState,
} from "../domain/versions.ts";
import { perkShopAbi } from "./abi.ts";
import { type ExecuteResult, executeActions, planVersion, UNLIMITED_STOCK } from "./versions.ts";

/** What the admin API hands the driver (the driver adds its chain client). */
export interface PerkAdminEnv {
  db: Db;
  now: () => Date;
  /** Base of the rules documents' URLs (PUBLIC_URL). */
  publicUrl: string;
  /** The campaign admin's key (CAMPAIGN_ADMIN_*; the dev deployer on a dev chain), if here. */
  admin: (deployment: CampaignDeployment) => Promise<LocalAccount | undefined>;
}

/** The perk tools bound to a chain (ChainDriver.perkAdmin). */
export interface PerkAdmin {
  list(campaign: Campaign): Promise<PerkList>;
  plan(campaign: Campaign, edit: PerkEdit): Promise<PerkPlan>;
  apply(campaign: Campaign, edit: PerkEdit, actor: Actor): Promise<PerkApplied>;
}

export function perkAdmin(env: PerkAdminEnv, client: PublicClient): PerkAdmin {
  const deps = { ...env, client };
  return {
    list: (campaign) => listPerks(deps, campaign),
    plan: (campaign, edit) => planPerkEdit(deps, campaign, edit),
    apply: (campaign, edit, actor) => applyPerkEdit(deps, campaign, edit, actor),
  };
}

export interface PerkAdminDeps {
  db: Db;
  client: PublicClient;
  now: () => Date;
  /** Base of the rules documents' URLs (PUBLIC_URL). */
  publicUrl: string;
  /** The campaign admin's key (CAMPAIGN_ADMIN_*; the dev deployer on a dev chain), if here. */
  admin: (deployment: CampaignDeployment) => Promise<LocalAccount | undefined>;
}

/** A perk as the campaign's rules in effect define it and as the chain holds it now. */
export interface PerkState {
  perkId: number;
  definition: PerkDefinition;
  /** `null`: not created on-chain yet (a version that adds it is pending). */
  onchain: {
    price: bigint;
    /** Units left (the unlimited marker 2**32 − 1 for an unlimited perk). */
    stock: number;
    expiresAt: number;
    active: boolean;
  } | null;
  /** Units redeemed so far. */
  sold: number;
  /** On sale: active, not ended, stock left. */
  onSale: boolean;
}

export interface PerkList {
  version: number;
  /** A version being applied (its perks are not in this list until it takes effect). */
  pendingVersion: number | null;
  shop: string | null;
  perks: PerkState[];
}

function deploymentOf(campaign: Campaign): CampaignDeployment {
  if (!campaign.deployment?.perkShop)
    throw new DomainError("perk_unknown", `${campaign.slug} has no PerkShop on this chain`);
  return campaign.deployment;
}

async function readPerks(
  client: PublicClient,
  shop: string,
  perks: readonly PerkDefinition[],
  now: Date,
): Promise<PerkState[]> {
  const address = getAddress(shop);
  const count = Number(
    await client.readContract({ address, abi: perkShopAbi, functionName: "perkCount" }),
  );
  return Promise.all(
    perks.map(async (definition, i) => {
      const perkId = i + 1;
      if (perkId > count)
        return { perkId, definition, onchain: null, sold: 0, onSale: false } satisfies PerkState;
      const p = await client.readContract({
        address,
        abi: perkShopAbi,
        functionName: "perkOf",
        args: [BigInt(perkId)],
      });
      const onchain = {
        price: p.price,
        stock: Number(p.stock),
        expiresAt: Number(p.expiresAt),
        active: p.active,
      };
      return {
        perkId,
        definition,
        onchain,
        sold: unitsSold(definition.stock, onchain.stock, UNLIMITED_STOCK),
        onSale:
          onchain.active &&
          onchain.stock > 0 &&
          (onchain.expiresAt === 0 || onchain.expiresAt * 1000 > now.getTime()),
      };
    }),
  );
}

export async function listPerks(deps: PerkAdminDeps, campaign: Campaign): Promise<PerkList> {
  const d = deploymentOf(campaign);
  const state = await versionState(deps.db, campaign.id);
  const definition = definitionOf(state.effective.document, `${campaign.slug} version in effect`);
  return {
    version: state.effective.version,
    pendingVersion: state.pending?.version ?? null,
    shop: d.perkShop ? getAddress(d.perkShop) : null,
    perks: await readPerks(deps.client, d.perkShop!, definition.perks, deps.now()),
  };
}

export interface ActionEstimate {
  key: string;
  /** `null`: the call would revert now (`error` says why); it is not sent. */
  gas: string | null;
  error: string | null;
}

export interface PerkPlan {
  /** `unchanged`: the edit changes nothing (nothing to apply). */
  outcome: "planned" | "unchanged";
  perkId: number;
  version: number;
  hash: string;
  rulesUrl: string;
  document: string;
  changes: RulesChange[];
  actions: VersionAction[];
  before: { definition: PerkDefinition | null; onchain: PerkState["onchain"]; sold: number };
  after: PerkDefinition;
  /** Who sends the calls, and what they need: gas per call and the cost at the fee now. */
  estimate: {
    from: string;
    adminKeyHere: boolean;
    actions: ActionEstimate[];
    gas: string;
    feePerGas: string;
    costWei: string;
    /** In the chain's native coin (ETH on most EVM chains). */
    cost: string;
  };
}

/**
 * The dry run: the edited rules, their difference from the version in effect, the calls and
 * their cost. Writes nothing, sends nothing; refusals are {@link DomainError}s.
 */
export async function planPerkEdit(
  deps: PerkAdminDeps,
  campaign: Campaign,
  edit: PerkEdit,
): Promise<PerkPlan> {
  const d = deploymentOf(campaign);
  const state = await versionState(deps.db, campaign.id);
  const from = definitionOf(state.effective.document, `${campaign.slug} version in effect`);
  const now = deps.now();
  const current = (await readPerks(deps.client, d.perkShop!, from.perks, now)).find(
    (p) => p.definition.id === edit.id,
  );
  // One version at a time; the same change sent again resumes its own version.
  const pending = state.pending;
  const busy =
    pending?.actions.some((a) => a.status !== "planned") === true
      ? new DomainError(
          "rules_version_pending",
          pending!.actions.some((a) => a.key === "rules" && a.status === "done")
            ? `version ${pending!.version} is published and takes effect once the indexer sees its block: change the perks again then`
            : `version ${pending!.version} is being applied: finish it first (npm run campaign:version with its file)`,
          { version: pending!.version },
        )
      : undefined;
  let edited: ReturnType<typeof editPerks>;
  try {
    edited = editPerks(from, edit, { now, sold: current?.sold ?? 0 });
  } catch (error) {
    // Checked against rules that are about to change: the pending version is the answer.
    throw busy ?? error;
  }
  const document = rulesDocument(edited.definition);
  const hash = documentHash(document);
  if (busy && pending?.hash !== hash) throw busy;
  const version = versionFor(state, hash);
  const rulesUrl = `${deps.publicUrl}${rulesDocumentPath(campaign.slug, hash)}`;
  const admin = await deps.admin(d);
  const from_ = admin?.address ?? d.roles?.admin;
  const base = {
    perkId: edited.perkId,
    hash,
    rulesUrl,
    document,
    before: {
      definition: edited.before,
      onchain: current?.onchain ?? null,
      sold: current?.sold ?? 0,
    },
    after: edited.after,
  };
  const none = {
    from: from_ ? getAddress(from_) : "",
    adminKeyHere: admin !== undefined,
    actions: [],
    gas: "0",
    feePerGas: "0",
    costWei: "0",
    cost: "0",
  };
  if (version === undefined || hash === state.effective.hash)
    return {
      ...base,
      outcome: "unchanged",
      version: state.effective.version,
      changes: [],
      actions: [],
      estimate: none,
    };
  const plan = await planVersion(deps.client, {
    slug: campaign.slug,
    deployment: d,
    from,
    to: edited.definition,
    version,
    hash,
    rulesUrl,
    metadataUrl: deps.publicUrl,
  });
  if (plan.refusals.length > 0)
    throw new DomainError("rules_invalid", plan.refusals.join("; "), {
      refusals: plan.refusals,
    });
  return {
    ...base,
    outcome: "planned",
    version,
    changes: plan.changes,
    actions: plan.actions,
    estimate: from_ ? await estimate(deps.client, getAddress(from_), plan.actions, admin) : none,
  };
}

async function estimate(
  client: PublicClient,
  from: Hex,
  actions: readonly VersionAction[],
  admin: LocalAccount | undefined,
): Promise<PerkPlan["estimate"]> {
  const feePerGas = await client.getGasPrice();
  const each: ActionEstimate[] = [];
  let total = 0n;
  for (const a of actions) {
    try {
      const gas = await client.estimateGas({
        account: from,
        to: a.address as Hex,
        data: a.data as Hex,
      });
      total += gas;
      each.push({ key: a.key, gas: gas.toString(), error: null });
    } catch (error) {
      each.push({ key: a.key, gas: null, error: (error as Error).message.split("\n")[0]! });
    }
  }
  const costWei = total * feePerGas;
  return {
    from,
    adminKeyHere: admin !== undefined,
    actions: each,
    gas: total.toString(),
    feePerGas: feePerGas.toString(),
    costWei: costWei.toString(),
    cost: formatEther(costWei),
  };
}

export interface PerkApplied {
  plan: PerkPlan;
  /** `created`, `resumed` …: what became of the version (server/domain/versions.ts). */
  prepared: string | null;
  /** The calls as recorded after sending (each `done` with its transaction). */
  actions: VersionAction[];
  /** `published`: sent; it takes effect when the indexer sees its block. */
  status: "published" | "stopped" | "unchanged";
  failed: ExecuteResult["failed"] | null;
}

/**
 * Applies the edit: the plan as in the dry run (refused the same way), the version recorded
 * with the audit row (who, the perk before and after), the calls sent with the campaign
 * admin's key. Throws `not_ready`-worthy errors as {@link NoAdminKey} (nothing written).
 */
export async function applyPerkEdit(
  deps: PerkAdminDeps,
  campaign: Campaign,
  edit: PerkEdit,
  actor: Actor,
): Promise<PerkApplied> {
  const plan = await planPerkEdit(deps, campaign, edit);
  if (plan.outcome === "unchanged")
    return { plan, prepared: null, actions: [], status: "unchanged", failed: null };
  const d = deploymentOf(campaign);
  const admin = await deps.admin(d);
  if (!admin) throw new NoAdminKey(d.roles?.admin);
  const prepared = await prepareVersion(deps.db, {
    campaignId: campaign.id,
    version: plan.version,
    document: plan.document,
    rulesUrl: plan.rulesUrl,
    actions: plan.actions,
    createdBy: actor,
    audit: {
      action: `perk.${edit.op === "create" ? "created" : edit.op === "retire" ? "retired" : "changed"}`,
      subjectType: "perk",
      subjectId: `${campaign.slug}:${plan.after.id}`,
      before: plan.before.definition
        ? {
            ...plan.before.definition,
            onchain: plan.before.onchain && {
              ...plan.before.onchain,
              price: plan.before.onchain.price.toString(),
            },
            sold: plan.before.sold,
          }
        : null,
      after: { ...plan.after },
      details: {
        perkId: plan.perkId,
        version: plan.version,
        hash: plan.hash,
        actions: plan.actions.map((a) => a.key),
      },
    },
  });
  const result = await executeActions(
    deps.client,
    admin,
    prepared.actions,
    async (key, status, txHash) => {
      await recordVersionAction(deps.db, {
        campaignId: campaign.id,
        version: prepared.version,
        key,
        status,
        txHash,
      });
    },
  );
  const state = await versionState(deps.db, campaign.id);
  const recorded =
    [state.pending, state.effective].find((v) => v?.version === prepared.version)?.actions ??
    prepared.actions;
  return {
    plan: { ...plan, version: prepared.version },
    prepared: prepared.outcome,
    actions: recorded,
    status: result.ok ? "published" : "stopped",
    failed: result.failed ?? null,
  };
}

/** No campaign admin key in this service: the dry run's calls are for a multisig to send. */
export class NoAdminKey extends Error {
  constructor(admin: string | undefined) {
    super(
      `this service has no campaign admin key (CAMPAIGN_ADMIN_PRIVATE_KEY or CAMPAIGN_ADMIN_KEYSTORE${admin ? `; the admin is ${admin}` : ""}): send the dry run's calls from the admin instead`,
    );
    this.name = "NoAdminKey";
  }
}
