import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, parseUnits } from "viem";
import { buildCampaignModule, campaignModuleId } from "../../ignition/modules/Campaign.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";

export interface DeployRoles {
  /** Administers every contract (a multisig in production). Default: the deployer. */
  admin?: Address;
  /** The backend signer: pays, publishes epochs, mints badges, relays permits. */
  backend: Address;
  /** Receives clawed-back rewards and spent perk tokens. Default: the admin. */
  treasury?: Address;
}

/** What `deployments/<chainId>/<slug>.json` holds; the server and worker read it. */
export interface DeploymentFile {
  slug: string;
  campaignId: number;
  chainId: number;
  /** Block before the first contract: where the indexer starts. */
  startBlock: number;
  deployedAt: string;
  referralPayouts: Address;
  badges: Address;
  perkShop: Address;
  tokens: Record<string, { token: Address; distributor: Address }>;
  roles: { admin: Address; backend: Address; treasury: Address };
}

const UNLIMITED_STOCK = 2 ** 32 - 1;

/**
 * Deploys one campaign with Ignition and writes its deployment file. Idempotent per chain and
 * campaign: Ignition resumes (or no-ops) an existing deployment with the same id.
 */
export async function deployCampaign(
  connection: NetworkConnection,
  campaign: CampaignDefinition,
  roles: DeployRoles,
  options: { deploymentsDir: string; metadataBaseUrl: string },
): Promise<DeploymentFile> {
  const publicClient = await connection.viem.getPublicClient();
  const [deployer] = await connection.viem.getWalletClients();
  const chainId = await publicClient.getChainId();
  const admin = getAddress(roles.admin ?? deployer.account.address);
  const backend = getAddress(roles.backend);
  const treasury = getAddress(roles.treasury ?? admin);
  const startBlock = Number(await publicClient.getBlockNumber());

  const module = buildCampaignModule({
    slug: campaign.slug,
    tokens: campaign.tokens.map((t) => t.symbol),
    badges: campaign.badges.map((b) => b.id),
    perks: campaign.perks.map((p) => p.token),
    handOver: admin !== getAddress(deployer.account.address),
  });
  const params: Record<string, string | number | bigint | boolean> = {
    campaignId: BigInt(campaign.onchainId),
    admin,
    backend,
    treasury,
  };
  for (const t of campaign.tokens) {
    const budget = parseUnits(t.budget, t.decimals);
    params[`${t.symbol}_name`] = t.name;
    params[`${t.symbol}_cap`] = parseUnits(t.cap, t.decimals);
    params[`${t.symbol}_budget`] = budget;
    params[`${t.symbol}_maxBatch`] = budget; // per-batch amount guard: no tighter than the budget
  }
  const base = options.metadataBaseUrl.replace(/\/$/, "");
  for (const b of campaign.badges) {
    params[`badge${b.id}_uri`] = `${base}/badges/${campaign.slug}/${b.id}.json`;
    params[`badge${b.id}_transferable`] = b.transferable;
  }
  campaign.perks.forEach((p, i) => {
    params[`perk${i + 1}_price`] = parseUnits(p.price, 18);
    params[`perk${i + 1}_stock`] = p.stock ?? UNLIMITED_STOCK;
  });

  const deployed = await connection.ignition.deploy(module, {
    parameters: { [campaignModuleId(campaign.slug)]: params },
    deploymentId: `${campaign.slug}-${chainId}`,
    displayUi: false,
  });
  const contracts = deployed as Record<string, { address: Address }>;
  const file: DeploymentFile = {
    slug: campaign.slug,
    campaignId: campaign.onchainId,
    chainId,
    startBlock,
    deployedAt: new Date().toISOString(),
    referralPayouts: getAddress(contracts.payouts.address),
    badges: getAddress(contracts.badges.address),
    perkShop: getAddress(contracts.shop.address),
    tokens: Object.fromEntries(
      campaign.tokens.map((t) => [
        t.symbol,
        {
          token: getAddress(contracts[`token_${t.symbol}`].address),
          distributor: getAddress(contracts[`distributor_${t.symbol}`].address),
        },
      ]),
    ),
    roles: { admin, backend, treasury },
  };
  const dir = path.join(options.deploymentsDir, String(chainId));
  const target = path.join(dir, `${campaign.slug}.json`);
  // A re-run resumes the same Ignition deployment; keep the original start block then.
  const previous = await readFile(target, "utf8").then(
    (text) => JSON.parse(text) as Partial<DeploymentFile>,
    () => undefined,
  );
  if (
    previous?.referralPayouts === file.referralPayouts &&
    typeof previous.startBlock === "number"
  ) {
    file.startBlock = previous.startBlock;
    file.deployedAt = previous.deployedAt ?? file.deployedAt;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(target, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}
