import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, erc20Abi, getAddress, parseUnits } from "viem";
import { buildCampaignModule, campaignModuleId } from "../../ignition/modules/Campaign.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";

export interface DeployRoles {
  /** Administers every contract (a multisig in production). Default: the deployer. */
  admin?: Address;
  /** Pauses the tokens and payouts and vetoes Merkle roots. Default: the admin. */
  guardian?: Address;
  /**
   * One key for all four backend roles below: allowed only on a development chain. Each of the
   * four, when given, overrides it.
   */
  backend?: Address;
  /** Pays batches (PAYOUT_ROLE) and releases escrow (RELEASER_ROLE). */
  payoutSigner?: Address;
  /** Publishes Merkle roots (PUBLISHER_ROLE). */
  rootPublisher?: Address;
  /** Mints and revokes badges (MINTER_ROLE on Badges). */
  badgeMinter?: Address;
  /** Relays members' signed perk orders (RELAYER_ROLE). */
  relayer?: Address;
  /** Receives clawed-back rewards and spent perk tokens. Default: the admin. */
  treasury?: Address;
}

/** Every role holder of a deployed campaign. */
export interface DeployedRoles {
  admin: Address;
  guardian: Address;
  payoutSigner: Address;
  rootPublisher: Address;
  badgeMinter: Address;
  relayer: Address;
  treasury: Address;
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
  /** `vault`: an external token paid from the ReferralPayouts contract's balance. */
  tokens: Record<string, { token: Address; distributor: Address; vault?: boolean }>;
  /** Seconds a published Merkle root waits before it takes effect. */
  publishDelaySeconds: number;
  roles: DeployedRoles;
  /**
   * `accepted`: the admin holds the admin role of every contract and the deployer none;
   * `pending`: the admin still has to call `acceptDefaultAdminTransfer` on each contract.
   */
  adminHandOver: "none" | "accepted" | "pending";
}

/** Chains where one key may hold every backend role and roots may take effect at once. */
export const DEVELOPMENT_CHAINS: ReadonlySet<number> = new Set([31337, 1337]);

/** A deployment that must not go ahead, and why (names the option to fix). */
export class DeployConfigError extends Error {
  override name = "DeployConfigError";
}

/** The campaign's publish delay in seconds; zero is refused outside development. */
export function publishDelayOf(campaign: CampaignDefinition, chainId: number): number {
  const seconds = campaign.escrow.publishDelayHours * 3600;
  if (seconds === 0 && !DEVELOPMENT_CHAINS.has(chainId))
    throw new DeployConfigError(
      `escrow.publishDelayHours is 0: on chain ${chainId} roots must wait for the guardian's veto.`,
    );
  return seconds;
}

/** Resolves who holds which role, refusing shared backend keys outside development. */
export function resolveRoles(
  roles: DeployRoles,
  deployer: Address,
  chainId: number,
): DeployedRoles {
  const admin = getAddress(roles.admin ?? deployer);
  const pick = (name: string, value: Address | undefined) => {
    const chosen = value ?? roles.backend;
    if (chosen === undefined)
      throw new DeployConfigError(`Set --${name} (or --backend on a development chain).`);
    return getAddress(chosen);
  };
  const resolved: DeployedRoles = {
    admin,
    guardian: getAddress(roles.guardian ?? admin),
    payoutSigner: pick("payout-signer", roles.payoutSigner),
    rootPublisher: pick("root-publisher", roles.rootPublisher),
    badgeMinter: pick("badge-minter", roles.badgeMinter),
    relayer: pick("relayer", roles.relayer),
    treasury: getAddress(roles.treasury ?? admin),
  };
  if (!DEVELOPMENT_CHAINS.has(chainId)) {
    const keys = [
      ["payout-signer", resolved.payoutSigner],
      ["root-publisher", resolved.rootPublisher],
      ["badge-minter", resolved.badgeMinter],
      ["relayer", resolved.relayer],
    ] as const;
    const others = new Map<string, string>();
    for (const [key, name] of [
      [admin, "admin"],
      [resolved.guardian, "guardian"],
      [getAddress(deployer), "deployer"],
    ] as const)
      if (!others.has(key)) others.set(key, name);
    const seen = new Map<string, string>();
    for (const [name, key] of keys) {
      const clash = seen.get(key) ?? others.get(key);
      if (clash)
        throw new DeployConfigError(
          `--${name} is the same key as the ${clash}: on chain ${chainId} each backend role needs a key of its own.`,
        );
      seen.set(key, name);
    }
  }
  return resolved;
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
  const wallets = await connection.viem.getWalletClients();
  const deployer = getAddress(wallets[0]!.account.address);
  const chainId = await publicClient.getChainId();
  const r = resolveRoles(roles, deployer, chainId);
  const publishDelaySeconds = publishDelayOf(campaign, chainId);
  const startBlock = Number(await publicClient.getBlockNumber());

  const handOver = r.admin !== deployer;
  const module = buildCampaignModule({
    slug: campaign.slug,
    tokens: campaign.tokens.filter((t) => !t.external).map((t) => t.symbol),
    external: campaign.tokens.filter((t) => t.external).map((t) => t.symbol),
    badges: campaign.badges.map((b) => b.id),
    perks: campaign.perks.map((p) => p.token),
    handOver,
  });
  const params: Record<string, string | number | bigint | boolean> = {
    campaignId: BigInt(campaign.onchainId),
    admin: r.admin,
    guardian: r.guardian,
    payoutSigner: r.payoutSigner,
    rootPublisher: r.rootPublisher,
    badgeMinter: r.badgeMinter,
    relayer: r.relayer,
    treasury: r.treasury,
    publishDelay: BigInt(publishDelaySeconds),
  };
  for (const t of campaign.tokens) {
    if (t.external) {
      const address = getAddress(t.external.address);
      const onChain = await publicClient
        .readContract({ address, abi: erc20Abi, functionName: "decimals" })
        .catch(() => undefined);
      if (onChain !== t.decimals)
        throw new DeployConfigError(
          `tokens.${t.symbol}.external.address ${address}: ${
            onChain === undefined ? "no ERC-20 decimals() there" : `decimals() is ${onChain}`
          }, the campaign file says ${t.decimals}.`,
        );
      params[`${t.symbol}_address`] = address;
    } else {
      params[`${t.symbol}_name`] = t.name;
      params[`${t.symbol}_cap`] = parseUnits(t.cap!, t.decimals);
    }
    params[`${t.symbol}_budget`] = parseUnits(t.budget, t.decimals);
    params[`${t.symbol}_maxBatch`] = parseUnits(t.maxBatchAmount, t.decimals);
    params[`${t.symbol}_daily`] = parseUnits(t.dailyLimit, t.decimals);
  }
  const base = options.metadataBaseUrl.replace(/\/$/, "");
  for (const b of campaign.badges) {
    params[`badge${b.id}_uri`] = `${base}/badges/${campaign.slug}/${b.id}.json`;
    params[`badge${b.id}_transferable`] = b.transferable;
  }
  campaign.perks.forEach((p, i) => {
    const decimals = campaign.tokens.find((t) => t.symbol === p.token)?.decimals ?? 18;
    params[`perk${i + 1}_price`] = parseUnits(p.price, decimals);
    params[`perk${i + 1}_stock`] = p.stock ?? UNLIMITED_STOCK;
  });

  const deployed = await connection.ignition.deploy(module, {
    parameters: { [campaignModuleId(campaign.slug)]: params },
    deploymentId: `${campaign.slug}-${chainId}`,
    displayUi: false,
  });
  const contracts = deployed as Record<string, { address: Address }>;
  const adminContracts = [
    contracts.payouts.address,
    contracts.badges.address,
    contracts.shop.address,
    ...campaign.tokens.flatMap((t) => [
      ...(t.external ? [] : [contracts[`token_${t.symbol}`].address]),
      contracts[`distributor_${t.symbol}`].address,
    ]),
  ];
  const adminHandOver = handOver
    ? await acceptHandOver(connection, r.admin, adminContracts)
    : ("none" as const);
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
          token: getAddress(
            t.external ? t.external.address : contracts[`token_${t.symbol}`].address,
          ),
          distributor: getAddress(contracts[`distributor_${t.symbol}`].address),
          ...(t.external ? { vault: true } : {}),
        },
      ]),
    ),
    publishDelaySeconds,
    roles: r,
    adminHandOver,
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

/**
 * The second step of the admin hand-over: when the admin's key is one of this connection's
 * accounts (a development chain), accepts the transfer on every contract, which also takes the
 * role from the deployer. Otherwise (a multisig) it stays pending for the admin to accept.
 */
async function acceptHandOver(
  connection: NetworkConnection,
  admin: Address,
  addresses: readonly Address[],
): Promise<"accepted" | "pending"> {
  const wallet = (await connection.viem.getWalletClients()).find(
    (w) => getAddress(w.account.address) === admin,
  );
  const publicClient = await connection.viem.getPublicClient();
  let pending = false;
  for (const address of addresses) {
    const contract = await connection.viem.getContractAt("ReferralPayouts", address);
    if ((await contract.read.defaultAdmin()) === admin) continue;
    if (!wallet) {
      pending = true;
      continue;
    }
    const asAdmin = await connection.viem.getContractAt("ReferralPayouts", address, {
      client: { wallet },
    });
    const hash = await asAdmin.write.acceptDefaultAdminTransfer();
    await publicClient.waitForTransactionReceipt({ hash });
  }
  return pending ? "pending" : "accepted";
}
