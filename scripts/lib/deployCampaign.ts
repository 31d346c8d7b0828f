import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  errorDeploymentResultToExceptionMessage,
  HardhatArtifactResolver,
} from "@nomicfoundation/hardhat-ignition/helpers";
import {
  batches,
  type DeployConfig,
  type DeploymentParameters,
  DeploymentResultType,
  type ExecutionEventListener,
  type ExecutionEventResult,
  ExecutionEventResultType,
  deploy as ignitionDeploy,
  listTransactions,
} from "@nomicfoundation/ignition-core";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, erc20Abi, getAddress, type Hash, parseUnits } from "viem";
import { buildCampaignModule, campaignModuleId } from "../../ignition/modules/Campaign.ts";
import { failpoints } from "../../server/chain/failpoint.ts";
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

/** The Ignition module of a campaign and its parameters: what a deploy and a dry run run. */
export interface CampaignIgnition {
  module: ReturnType<typeof buildCampaignModule>;
  parameters: DeploymentParameters;
  /** The deployer starts the two-step admin transfer to `roles.admin` at the end. */
  handOver: boolean;
}

/**
 * The module and parameters deploying `campaign` with these role holders. External tokens are
 * named by their address here; that a token is there is the caller's to check (see
 * {@link deployCampaign}).
 */
export function campaignIgnition(
  campaign: CampaignDefinition,
  r: DeployedRoles,
  deployer: Address,
  options: { publishDelaySeconds: number; metadataBaseUrl: string },
): CampaignIgnition {
  const handOver = r.admin !== getAddress(deployer);
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
    publishDelay: BigInt(options.publishDelaySeconds),
  };
  for (const t of campaign.tokens) {
    if (t.external) {
      params[`${t.symbol}_address`] = getAddress(t.external.address);
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
    if (p.expiresAt) params[`perk${i + 1}_expiresAt`] = Math.floor(Date.parse(p.expiresAt) / 1000);
  });
  return { module, parameters: { [campaignModuleId(campaign.slug)]: params }, handOver };
}

/** The Ignition deployment id of a campaign on a chain: its journal is `ignition/deployments/<id>`. */
export function campaignDeploymentId(slug: string, chainId: number): string {
  return `${slug}-${chainId}`;
}

/** One Ignition future (a contract deployment or a call) as it ran. */
export interface DeployStep {
  /** Ignition's id, e.g. `Campaign_demo#REF_token` or `Campaign_demo#REF_setBudget`. */
  futureId: string;
  /** The deployed contract, for a deployment. */
  address?: Address;
  /** Transactions sent for it in this run (more than one when fees were bumped). */
  hashes: Hash[];
  /** Gas its confirmed transaction used (0 when it sent none in this run). */
  gasUsed: bigint;
  /** What that transaction paid (gas used × effective gas price), in wei. */
  feePaid: bigint;
}

/** What a deploy reports as it goes (see {@link runIgnition}). */
export type DeployProgress =
  | {
      kind: "start";
      deploymentId: string | undefined;
      chainId: number;
      /** Every step of the module. */
      total: number;
      /** Steps a previous run finished (a resumed deployment), not run again. */
      done: readonly string[];
    }
  | { kind: "sent"; futureId: string; hash: Hash }
  | { kind: "step"; index: number; total: number; step: DeployStep }
  | { kind: "handOver"; contract: Address; hash: Hash; gasUsed: bigint };

export interface RunIgnitionOptions {
  /**
   * `ignition/deployments/<id>`: the journal a re-run resumes from. Absent: an in-memory
   * deployment that leaves no file (what a dry run simulates with).
   */
  deploymentDir?: string;
  deploymentId?: string;
  onProgress?: (event: DeployProgress) => void;
  /** Test-only crash points: `deploy-after-send-<n>`, `deploy-after-step-<n>` (this run's n-th). */
  failpoint?: string;
  config?: Partial<DeployConfig>;
  artifacts?: ArtifactManager;
}

/**
 * Runs an Ignition module future by future on `connection`, reporting each transaction and
 * each finished step with the gas it used. With a deployment directory Ignition journals
 * every step before and after it sends, so a run that was interrupted (even between sending a
 * transaction and its confirmation) resumes where it stopped and never sends a finished step
 * again. Returns the deployed address of every contract future, by future id.
 */
export async function runIgnition(
  connection: NetworkConnection,
  ignition: Pick<CampaignIgnition, "module" | "parameters">,
  options: RunIgnitionOptions = {},
): Promise<{ contracts: Record<string, Address>; steps: DeployStep[] }> {
  const provider = connection.provider;
  const accounts = (await provider.request({ method: "eth_accounts" })) as string[];
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  const artifacts = options.artifacts ?? (await import("hardhat")).artifacts;
  const all = batches(ignition.module).flat();
  const total = all.length;
  const steps = new Map<string, DeployStep>();
  const stepOf = (futureId: string) => {
    let step = steps.get(futureId);
    if (!step) {
      step = { futureId, hashes: [], gasUsed: 0n, feePaid: 0n };
      steps.set(futureId, step);
    }
    return step;
  };
  const report = options.onProgress ?? (() => {});
  const crash = failpoints(options.failpoint);
  let sent = 0;
  let finished = 0;
  let doneBefore = 0;
  const complete = async (event: { futureId: string; result: ExecutionEventResult }) => {
    if (event.result.type !== ExecutionEventResultType.SUCCESS) return;
    const step = stepOf(event.futureId);
    const result = event.result.result;
    if (result !== undefined && /^0x[0-9a-fA-F]{40}$/.test(result))
      step.address = getAddress(result);
    finished += 1;
    report({ kind: "step", index: doneBefore + finished, total, step });
    crash(`deploy-after-step-${finished}`);
  };
  const handlers: Partial<ExecutionEventListener> = {
    batchInitialize: async (event) => {
      const pending = new Set(event.batches.flat());
      const done = all.filter((id) => !pending.has(id));
      doneBefore = done.length;
      report({ kind: "start", deploymentId: options.deploymentId, chainId, total, done });
    },
    transactionSend: async (event) => {
      stepOf(event.futureId).hashes.push(event.hash as Hash);
      report({ kind: "sent", futureId: event.futureId, hash: event.hash as Hash });
      sent += 1;
      crash(`deploy-after-send-${sent}`);
    },
    transactionConfirm: async (event) => {
      const receipt = (await provider.request({
        method: "eth_getTransactionReceipt",
        params: [event.hash],
      })) as { gasUsed: string; effectiveGasPrice?: string } | null;
      if (!receipt) return;
      const step = stepOf(event.futureId);
      step.gasUsed = BigInt(receipt.gasUsed);
      step.feePaid = step.gasUsed * BigInt(receipt.effectiveGasPrice ?? 0);
    },
    deploymentExecutionStateComplete: complete,
    callExecutionStateComplete: complete,
    sendDataExecutionStateComplete: complete,
    staticCallExecutionStateComplete: complete,
  };
  // Ignition calls one method per event type; the ones not handled here do nothing.
  const listener = new Proxy(handlers, {
    get: (target, name) => target[name as keyof ExecutionEventListener] ?? (async () => {}),
  }) as ExecutionEventListener;
  const networkIgnition = connection.networkConfig.ignition;
  // Ignition waits a second between looks at the chain; a chain that mines each transaction as
  // it arrives (Hardhat's, in tests and development) has its receipt at once.
  const automine = await provider
    .request({ method: "hardhat_getAutomine" })
    .then(Boolean, () => false);
  const result = await ignitionDeploy({
    config: {
      ...(automine ? { blockPollingInterval: 20 } : {}),
      ...(networkIgnition.maxRetries === undefined
        ? {}
        : { maxRetries: networkIgnition.maxRetries }),
      ...(networkIgnition.retryInterval === undefined
        ? {}
        : { retryInterval: networkIgnition.retryInterval }),
      ...options.config,
    },
    provider,
    deploymentDir: options.deploymentDir,
    executionEventListener: listener,
    artifactResolver: new HardhatArtifactResolver(artifacts),
    ignitionModule: ignition.module,
    deploymentParameters: ignition.parameters,
    accounts,
    maxFeePerGasLimit: networkIgnition.maxFeePerGasLimit,
    maxFeePerGas: networkIgnition.maxFeePerGas,
    maxPriorityFeePerGas: networkIgnition.maxPriorityFeePerGas,
    gasPrice: networkIgnition.gasPrice,
    disableFeeBumping: networkIgnition.disableFeeBumping,
  });
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT)
    throw new Error(
      `Deployment ${options.deploymentId ?? "(in memory)"} on chain ${chainId} did not finish: ${errorDeploymentResultToExceptionMessage(result)}`,
    );
  return {
    contracts: Object.fromEntries(
      Object.entries(result.contracts).map(([id, c]) => [id, getAddress(c.address)]),
    ),
    steps: all.filter((id) => steps.has(id)).map((id) => steps.get(id)!),
  };
}

/**
 * Deploys one campaign with Ignition and writes its deployment file. Idempotent per chain and
 * campaign: Ignition resumes (or no-ops) an existing deployment with the same id, and reports
 * each step as it goes through `onProgress`.
 */
export async function deployCampaign(
  connection: NetworkConnection,
  campaign: CampaignDefinition,
  roles: DeployRoles,
  options: {
    deploymentsDir: string;
    metadataBaseUrl: string;
    onProgress?: (event: DeployProgress) => void;
    failpoint?: string;
    /** Ignition's journals (default: Hardhat's `paths.ignition`). */
    ignitionDir?: string;
  },
): Promise<DeploymentFile> {
  const publicClient = await connection.viem.getPublicClient();
  const wallets = await connection.viem.getWalletClients();
  const deployer = getAddress(wallets[0]!.account.address);
  const chainId = await publicClient.getChainId();
  const r = resolveRoles(roles, deployer, chainId);
  const publishDelaySeconds = publishDelayOf(campaign, chainId);
  const blockBefore = Number(await publicClient.getBlockNumber());

  for (const t of campaign.tokens) {
    if (!t.external) continue;
    const address = getAddress(t.external.address);
    const onChain = await publicClient
      .readContract({ address, abi: erc20Abi, functionName: "decimals" })
      .catch(() => undefined);
    if (onChain !== t.decimals)
      throw new DeployConfigError(
        `tokens[${campaign.tokens.indexOf(t)}].external.address (${t.symbol}) ${address}: ${
          onChain === undefined ? "no ERC-20 decimals() there" : `decimals() is ${onChain}`
        }, the campaign file says ${t.decimals}.`,
      );
  }
  const ignition = campaignIgnition(campaign, r, deployer, {
    publishDelaySeconds,
    metadataBaseUrl: options.metadataBaseUrl,
  });
  const handOver = ignition.handOver;
  const deploymentId = campaignDeploymentId(campaign.slug, chainId);
  // Like `hardhat ignition deploy`: the in-process chain keeps no journal (it ends with the
  // process), any other chain one per deployment id.
  const ignitionDir = options.ignitionDir ?? (await import("hardhat")).config.paths.ignition;
  const deploymentDir =
    connection.networkConfig.type === "edr-simulated"
      ? undefined
      : path.join(ignitionDir, "deployments", deploymentId);
  let resumed = false;
  const { contracts: byFuture } = await runIgnition(connection, ignition, {
    deploymentId,
    deploymentDir,
    onProgress: (event) => {
      if (event.kind === "start" && event.done.length > 0) resumed = true;
      options.onProgress?.(event);
    },
    failpoint: options.failpoint,
  });
  // A resumed deployment started in an earlier run: the indexer starts before its first block.
  const firstBlock =
    resumed && deploymentDir ? await firstBlockOf(connection, deploymentDir) : undefined;
  const startBlock = firstBlock === undefined ? blockBefore : Math.min(blockBefore, firstBlock - 1);
  const contracts: Record<string, { address: Address }> = {};
  for (const [name, future] of Object.entries(ignition.module.results))
    contracts[name] = { address: byFuture[future.id]! };
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
    ? await acceptHandOver(connection, r.admin, adminContracts, options.onProgress)
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

/** The block of the first transaction an Ignition deployment journaled, if any is mined. */
async function firstBlockOf(
  connection: NetworkConnection,
  deploymentDir: string,
): Promise<number | undefined> {
  let hashes: string[];
  try {
    const artifacts = (await import("hardhat")).artifacts;
    hashes = (await listTransactions(deploymentDir, new HardhatArtifactResolver(artifacts))).map(
      (t) => t.txHash,
    );
  } catch {
    return undefined;
  }
  let first: number | undefined;
  for (const hash of hashes) {
    const receipt = (await connection.provider.request({
      method: "eth_getTransactionReceipt",
      params: [hash],
    })) as { blockNumber: string } | null;
    if (receipt) first = Math.min(first ?? Number.MAX_SAFE_INTEGER, Number(receipt.blockNumber));
  }
  return first;
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
  onProgress?: (event: DeployProgress) => void,
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
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    onProgress?.({ kind: "handOver", contract: address, hash, gasUsed: receipt.gasUsed });
  }
  return pending ? "pending" : "accepted";
}
