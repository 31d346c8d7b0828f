/**
 * The on-chain side of a campaign rules version (`npm run campaign:version`, see
 * server/domain/versions.ts for the versions themselves):
 *
 * - {@link planVersion} compares the new campaign file with the version in effect *and with
 *   the chain*, and lists the admin's transactions it needs: `ReferralPayouts.setBudget` for a
 *   token whose budget or limits changed, `RewardDistributor.setReleaseLimits` for its escrow
 *   releases, `PerkShop.createPerk` / `updatePerk` for new and changed perks, `Badges.defineBadge`
 *   for new badges, and last `ReferralPayouts.updateRules(version, hash, uri)`, whose log makes
 *   the version take effect. Budgets, limits, badges and perk creation are compared with what
 *   the chain holds, so a plan made after a partial run lists only what is left. What only a
 *   redeploy could change (tokens, a token's cap or name, the publish delay, a perk's token,
 *   the perks' order, removed perks or badges, the campaign's id) is refused.
 * - {@link executeActions} sends them from the campaign admin's key, one after another: each
 *   transaction is signed, recorded as `sent` with its hash (before it is broadcast), then
 *   `done` once mined. Run again after an interruption, it confirms what was sent and goes on.
 *
 * A perk's `stock` in the file is the perk's total units, sold ones included: raising it from
 * 500 to 800 puts 300 more on sale (the chain's stock counts down as members redeem).
 */
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  parseUnits,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { CampaignDefinition } from "../domain/campaign.ts";
import type { CampaignDeployment } from "../domain/deployment.ts";
import { diffRules, type RulesChange } from "../domain/rulesDiff.ts";
import type { VersionAction } from "../domain/versions.ts";
import { badgesAbi, perkShopAbi, referralPayoutsAbi, rewardDistributorAbi } from "./abi.ts";
import type { ChainSettings } from "./config.ts";
import { decodeRevert, revertData } from "./rpc.ts";
import { loadAccount } from "./signer.ts";

/** Hardhat's public test account #0: `npm run dev`'s deployer and campaign admin. Dev chains only. */
const HARDHAT_ACCOUNT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEV_CHAINS = new Set([31337, 1337]);

/**
 * The key that sends a version's calls (the command's and the admin API's): the campaign
 * admin's (CAMPAIGN_ADMIN_PRIVATE_KEY, or CAMPAIGN_ADMIN_KEYSTORE + _PASSWORD), or on a
 * development chain Hardhat's account #0 when the deployment names it as admin. Undefined
 * when neither: the plan's calls are then for the admin (a multisig) to send.
 */
export async function campaignAdminAccount(
  settings: Pick<ChainSettings, "admin">,
  chainId: number,
  deployment: Pick<CampaignDeployment, "roles">,
): Promise<LocalAccount | undefined> {
  const configured = await loadAccount(settings.admin);
  if (configured) return configured;
  const dev = privateKeyToAccount(HARDHAT_ACCOUNT_0);
  const admin = deployment.roles?.admin;
  if (DEV_CHAINS.has(chainId) && admin && getAddress(admin) === dev.address) return dev;
  return undefined;
}

/** The deploy's stock for a perk without a limit (`null` in the file). */
export const UNLIMITED_STOCK = 2 ** 32 - 1;

export interface VersionPlan {
  /** Every difference (members' and the operator's lines). */
  changes: RulesChange[];
  /** What the file changes that only a redeploy could: nothing is sent while there are any. */
  refusals: string[];
  /** The admin's transactions, in order; the last publishes the version. */
  actions: VersionAction[];
  /** The rules version the contract has now. */
  onchain: { version: number; hash: Hex };
}

export interface PlanInput {
  slug: string;
  deployment: CampaignDeployment;
  /** The version in effect and the new rules. */
  from: CampaignDefinition;
  to: CampaignDefinition;
  /** The new version's number, document hash and public URL. */
  version: number;
  hash: Hex;
  rulesUrl: string;
  /** Base URL of badge metadata (as the deploy's `--metadata-url`). */
  metadataUrl: string;
}

type AbiOf = typeof referralPayoutsAbi | typeof perkShopAbi | typeof badgesAbi;

function action(
  key: string,
  description: string,
  contract: string,
  address: Address,
  abi: AbiOf | typeof rewardDistributorAbi,
  functionName: string,
  args: readonly unknown[],
): VersionAction {
  const data = encodeFunctionData({
    abi: abi as typeof referralPayoutsAbi,
    functionName: functionName as "updateRules",
    args: args as never,
  });
  return {
    key,
    description,
    contract,
    address,
    functionName,
    args: args.map((a) => (typeof a === "bigint" ? a.toString() : a)),
    data,
    status: "planned",
    txHash: null,
  };
}

export async function planVersion(client: PublicClient, input: PlanInput): Promise<VersionPlan> {
  const { from, to, deployment: d } = input;
  const refusals: string[] = [];
  const actions: VersionAction[] = [];
  const changes = diffRules(from, to);
  const payouts = d.referralPayouts;
  if (!payouts) throw new Error(`${input.slug} has no ReferralPayouts in its deployment file`);

  if (from.slug !== to.slug || from.onchainId !== to.onchainId)
    refusals.push("slug and onchainId name the deployed campaign: they cannot change");
  if (from.escrow.publishDelayHours !== to.escrow.publishDelayHours)
    refusals.push(
      "escrow.publishDelayHours is fixed in the distributors at deployment: it needs a redeploy",
    );
  const tokensBefore = new Map(from.tokens.map((t) => [t.symbol, t]));
  const tokensAfter = new Map(to.tokens.map((t) => [t.symbol, t]));
  for (const s of tokensBefore.keys())
    if (!tokensAfter.has(s)) refusals.push(`tokens: ${s} was removed; tokens need a redeploy`);
  for (const s of tokensAfter.keys())
    if (!tokensBefore.has(s)) refusals.push(`tokens: ${s} was added; tokens need a redeploy`);

  for (const t of [...to.tokens].sort((a, b) => (a.symbol < b.symbol ? -1 : 1))) {
    const before = tokensBefore.get(t.symbol);
    if (!before) continue;
    for (const field of ["name", "decimals", "cap", "external"] as const)
      if (JSON.stringify(before[field]) !== JSON.stringify(t[field]))
        refusals.push(`tokens.${t.symbol}.${field} is fixed on-chain: it needs a redeploy`);
    const deployed = d.tokens[t.symbol];
    if (!deployed?.token) {
      refusals.push(`tokens.${t.symbol} is not in the deployment file`);
      continue;
    }
    const units = (v: string) => parseUnits(v, t.decimals);
    const [limit, spent, maxBatchAmount, dailyLimit, , fromVault] = await client.readContract({
      address: payouts,
      abi: referralPayoutsAbi,
      functionName: "budgetOf",
      args: [deployed.token],
    });
    const target = {
      limit: units(t.budget),
      maxBatchAmount: units(t.maxBatchAmount),
      dailyLimit: units(t.dailyLimit),
    };
    if (target.limit < spent)
      refusals.push(
        `tokens.${t.symbol}.budget ${t.budget} is below what the campaign already paid (${spent} smallest units)`,
      );
    else if (
      limit !== target.limit ||
      maxBatchAmount !== target.maxBatchAmount ||
      dailyLimit !== target.dailyLimit
    )
      actions.push(
        action(
          `budget:${t.symbol}`,
          `${t.symbol}: budget ${t.budget}, per batch ${t.maxBatchAmount}, rolling daily limit ${t.dailyLimit}`,
          "ReferralPayouts",
          payouts,
          referralPayoutsAbi,
          "setBudget",
          [deployed.token, target.limit, target.maxBatchAmount, target.dailyLimit, fromVault],
        ),
      );
    if (deployed.distributor) {
      const [releaseBatch, releaseDaily] = await client.readContract({
        address: deployed.distributor,
        abi: rewardDistributorAbi,
        functionName: "releaseLimits",
      });
      if (releaseBatch !== target.maxBatchAmount || releaseDaily !== target.dailyLimit)
        actions.push(
          action(
            `releaseLimits:${t.symbol}`,
            `${t.symbol} escrow releases: per batch ${t.maxBatchAmount}, rolling daily limit ${t.dailyLimit}`,
            "RewardDistributor",
            deployed.distributor,
            rewardDistributorAbi,
            "setReleaseLimits",
            [target.maxBatchAmount, target.dailyLimit],
          ),
        );
    }
  }

  await planPerks(client, input, refusals, actions);
  await planBadges(client, input, refusals, actions);

  const [onchainVersion, onchainHash] = await client.readContract({
    address: payouts,
    abi: referralPayoutsAbi,
    functionName: "currentRules",
  });
  const onchain = { version: Number(onchainVersion), hash: onchainHash };
  if (onchain.version >= input.version) {
    if (onchain.version !== input.version || onchain.hash.toLowerCase() !== input.hash)
      refusals.push(
        `the contract already has rules version ${onchain.version} (${onchain.hash}): this database is behind the chain`,
      );
  } else
    actions.push(
      action(
        "rules",
        `publish rules version ${input.version} (${input.hash}) at ${input.rulesUrl}: it takes effect in that block`,
        "ReferralPayouts",
        payouts,
        referralPayoutsAbi,
        "updateRules",
        [input.version, input.hash, input.rulesUrl],
      ),
    );
  return { changes, refusals, actions, onchain };
}

async function planPerks(
  client: PublicClient,
  input: PlanInput,
  refusals: string[],
  actions: VersionAction[],
): Promise<void> {
  const { from, to } = input;
  const shop = input.deployment.perkShop;
  if (from.perks.length === 0 && to.perks.length === 0) return;
  if (!shop) {
    refusals.push("perks: the deployment has no PerkShop");
    return;
  }
  // Perk ids on-chain are positions in the file (1..n): perks keep their place, new ones go last.
  for (const [i, p] of from.perks.entries()) {
    const now = to.perks[i];
    if (!now)
      refusals.push(
        `perks.${i}: "${p.id}" was removed; a perk stays on-chain (set its stock to what was sold to stop selling it)`,
      );
    else if (now.id !== p.id)
      refusals.push(
        `perks.${i}: "${now.id}" where "${p.id}" was; perks keep their order (perk ids on-chain are positions), add new ones at the end`,
      );
    else if (now.token !== p.token)
      refusals.push(`perks.${i}.token: a perk's token is fixed on-chain; add a new perk instead`);
  }
  const count = Number(
    await client.readContract({ address: shop, abi: perkShopAbi, functionName: "perkCount" }),
  );
  const decimals = new Map(to.tokens.map((t) => [t.symbol, t.decimals]));
  for (const [i, p] of to.perks.entries()) {
    const perkId = i + 1;
    const price = parseUnits(p.price, decimals.get(p.token) ?? 18);
    const before = from.perks[i]?.id === p.id ? from.perks[i] : undefined;
    if (perkId > count) {
      const token = input.deployment.tokens[p.token]?.token;
      if (!token) {
        refusals.push(`perks.${i}.token: ${p.token} is not deployed`);
        continue;
      }
      actions.push(
        action(
          `perk:${perkId}:create`,
          `new perk ${perkId} "${p.id}": ${p.price} ${p.token}, ${p.stock ?? "unlimited"} units`,
          "PerkShop",
          shop,
          perkShopAbi,
          "createPerk",
          [token, price, p.stock ?? UNLIMITED_STOCK, expirySeconds(p.expiresAt), true],
        ),
      );
      continue;
    }
    if (!before) continue;
    const perk = await client.readContract({
      address: shop,
      abi: perkShopAbi,
      functionName: "perkOf",
      args: [BigInt(perkId)],
    });
    // The file's stock counts every unit (sold ones too); the chain's what is left.
    let stock = perk.stock;
    if (before.stock !== p.stock) {
      if (p.stock === null) stock = UNLIMITED_STOCK;
      else {
        const sold = (before.stock ?? UNLIMITED_STOCK) - perk.stock;
        stock = Math.max(0, p.stock - Math.max(0, sold));
      }
    }
    const expiresAt = expirySeconds(p.expiresAt);
    if (perk.price === price && perk.stock === stock && perk.expiresAt === expiresAt) continue;
    actions.push(
      action(
        `perk:${perkId}`,
        `perk ${perkId} "${p.id}": price ${p.price} ${p.token}, ${stock === UNLIMITED_STOCK ? "unlimited" : stock} units left on sale (was ${perk.stock === UNLIMITED_STOCK ? "unlimited" : perk.stock}), ${p.expiresAt ? `on sale until ${p.expiresAt}` : "no end date"}`,
        "PerkShop",
        shop,
        perkShopAbi,
        "updatePerk",
        [BigInt(perkId), price, perk.stock, stock, expiresAt, perk.active],
      ),
    );
  }
}

/** A perk's end of sale as `PerkShop` keeps it (unix seconds; 0: never). */
function expirySeconds(iso: string | undefined): number {
  return iso ? Math.floor(Date.parse(iso) / 1000) : 0;
}

async function planBadges(
  client: PublicClient,
  input: PlanInput,
  refusals: string[],
  actions: VersionAction[],
): Promise<void> {
  const { from, to } = input;
  const before = new Map(from.badges.map((b) => [b.id, b]));
  const after = new Set(to.badges.map((b) => b.id));
  for (const id of before.keys())
    if (!after.has(id)) refusals.push(`badges: ${id} was removed; a badge stays defined on-chain`);
  const changed = to.badges.filter(
    (b) => !before.has(b.id) || before.get(b.id)!.transferable !== b.transferable,
  );
  if (changed.length === 0) return;
  const badges = input.deployment.badges;
  if (!badges) {
    refusals.push("badges: the deployment has no Badges contract");
    return;
  }
  for (const b of changed) {
    // The same metadata URL the deploy gives a badge (the service serves it from the rules).
    const uri = before.has(b.id)
      ? await client.readContract({
          address: badges,
          abi: badgesAbi,
          functionName: "uri",
          args: [BigInt(b.id)],
        })
      : `${input.metadataUrl.replace(/\/$/, "")}/badges/${input.slug}/${b.id}.json`;
    actions.push(
      action(
        `badge:${b.id}`,
        `${before.has(b.id) ? "badge" : "new badge"} ${b.id} "${b.name.en}": ${b.transferable ? "transferable" : "soulbound"}`,
        "Badges",
        badges,
        badgesAbi,
        "defineBadge",
        [BigInt(b.id), uri, b.transferable],
      ),
    );
  }
}

/** Where an action's progress is recorded (the database, or the service holding it). */
export type RecordAction = (
  key: string,
  status: VersionAction["status"],
  txHash: string | null,
) => Promise<void>;

export interface ExecuteResult {
  ok: boolean;
  /** The action that stopped the run, and why. */
  failed?: { key: string; reason: string };
  /** Hash of the `updateRules` transaction, once mined. */
  rulesTx?: Hex;
  rulesBlock?: number;
}

/**
 * Sends the actions not done yet, in order, from `admin`. Each is simulated first (a refusal
 * stops the run with the contract's decoded error, nothing sent), signed, recorded `sent` with
 * its hash, broadcast and awaited; `done` when it succeeded. A `sent` action from an earlier
 * run is confirmed from its receipt; one that failed or vanished is put back to `planned` and
 * the run stops: the next run plans it again from the chain.
 */
export async function executeActions(
  client: PublicClient,
  admin: LocalAccount,
  actions: readonly VersionAction[],
  record: RecordAction,
  log: (line: string) => void = () => {},
): Promise<ExecuteResult> {
  const result: ExecuteResult = { ok: true };
  for (const a of actions) {
    if (a.status === "done") continue;
    if (a.status === "sent" && a.txHash) {
      const hash = a.txHash as Hex;
      let receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined);
      if (!receipt && (await client.getTransaction({ hash }).catch(() => undefined)))
        receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
      if (receipt?.status === "success") {
        await record(a.key, "done", hash);
        log(`  ✓ ${a.description} (sent before: ${hash})`);
        if (a.key === "rules") Object.assign(result, rulesOf(receipt));
        continue;
      }
      await record(a.key, "planned", null);
      return {
        ok: false,
        failed: {
          key: a.key,
          reason: `its transaction ${hash} ${receipt ? "reverted" : "is gone"}; run the command again to plan it anew`,
        },
      };
    }
    const to = a.address as Address;
    const data = a.data as Hex;
    try {
      await client.call({ account: admin, to, data });
    } catch (error) {
      const raw = revertData(error);
      return {
        ok: false,
        failed: {
          key: a.key,
          reason: raw ? decodeRevert(raw).text : (error as Error).message.split("\n")[0]!,
        },
      };
    }
    const request = await client.prepareTransactionRequest({
      account: admin,
      to,
      data,
      chain: client.chain,
    });
    const signed = await admin.signTransaction(
      request as Parameters<LocalAccount["signTransaction"]>[0],
    );
    const hash = keccak256(signed);
    await record(a.key, "sent", hash);
    await client.sendRawTransaction({ serializedTransaction: signed });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
    if (receipt.status !== "success") {
      await record(a.key, "planned", null);
      return { ok: false, failed: { key: a.key, reason: `transaction ${hash} reverted` } };
    }
    await record(a.key, "done", hash);
    log(`  ✓ ${a.description}: ${hash}`);
    if (a.key === "rules") Object.assign(result, rulesOf(receipt));
  }
  return result;
}

const rulesOf = (r: { transactionHash: Hex; blockNumber: bigint }) => ({
  rulesTx: r.transactionHash,
  rulesBlock: Number(r.blockNumber),
});
