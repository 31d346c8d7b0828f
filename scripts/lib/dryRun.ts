/**
 * `npm run deploy -- --dry-run`: what deploying a campaign would do and cost, changing nothing.
 *
 * The campaign's Ignition module runs, future by future, on a fresh in-process Hardhat chain
 * (in memory: no journal, no deployment file, no database), with the role holders the real
 * deploy would use; the gas each step used there is priced at the target chain's current fee,
 * read from its RPC (or the local chain's when no target is configured). The checks the real
 * deploy makes against the target (one key per backend role, a publish delay, an external
 * token's decimals, the deployer's balance) are reported as problems instead of refusals.
 */
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  createPublicClient,
  erc20Abi,
  formatUnits,
  getAddress,
  http,
  parseUnits,
} from "viem";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import {
  campaignIgnition,
  DEVELOPMENT_CHAINS,
  DeployConfigError,
  type DeployedRoles,
  type DeployRoles,
  publishDelayOf,
  resolveRoles,
  runIgnition,
} from "./deployCampaign.ts";
import { formatRolePlan, type PlannedRole, type RolePlanEntry, rolePlan } from "./rolePlan.ts";

/** A JSON-RPC call: the target's over HTTP, the simulated chain's in process. */
export type Rpc = (method: string, params?: unknown[]) => Promise<unknown>;

/** JSON-RPC over HTTP (the target chain); errors name the URL's host, never a key in its path. */
export function httpRpc(url: string): Rpc {
  let id = 0;
  return async (method, params = []) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    }).catch((error: unknown) => {
      throw new Error(`${method} on ${new URL(url).host}: ${String(error)}`);
    });
    const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
    if (body.error)
      throw new Error(`${method} on ${new URL(url).host}: ${body.error.message ?? "error"}`);
    return body.result;
  };
}

/** What one unit of gas costs on a chain now. */
export interface FeeQuote {
  /** `eth_feeHistory`: next block's base fee plus the node's suggested tip; else `eth_gasPrice`. */
  method: "eth_feeHistory" | "eth_gasPrice";
  baseFeePerGas?: bigint;
  priorityFeePerGas?: bigint;
  /** Wei per gas the estimate uses. */
  perGas: bigint;
}

/**
 * The fee a transaction sent now pays per gas: on an EIP-1559 chain the next block's base fee
 * (the last entry of `eth_feeHistory`) plus the tip the node suggests
 * (`eth_maxPriorityFeePerGas`, else `eth_gasPrice` minus the base fee); on a chain without a
 * base fee, `eth_gasPrice`.
 */
export async function quoteFee(rpc: Rpc): Promise<FeeQuote> {
  const history = (await rpc("eth_feeHistory", ["0x1", "latest", []]).catch(() => undefined)) as
    | { baseFeePerGas?: string[] }
    | undefined;
  const next = history?.baseFeePerGas?.at(-1);
  const base = next === undefined ? 0n : BigInt(next);
  if (base > 0n) {
    const tip = await rpc("eth_maxPriorityFeePerGas").then(
      (v) => BigInt(v as string),
      async () => {
        const price = BigInt((await rpc("eth_gasPrice")) as string);
        return price > base ? price - base : 0n;
      },
    );
    return {
      method: "eth_feeHistory",
      baseFeePerGas: base,
      priorityFeePerGas: tip,
      perGas: base + tip,
    };
  }
  return { method: "eth_gasPrice", perGas: BigInt((await rpc("eth_gasPrice")) as string) };
}

/**
 * `wei` of the native coin at `price` dollars a coin, in dollars rounded to the cent (half up).
 * `price` is a decimal string (NATIVE_USD_PRICE), at most 6 decimals.
 */
export function usdOf(wei: bigint, price: string): string {
  const micro = parseUnits(price, 6);
  const scale = 10n ** 24n; // 1e18 wei a coin × 1e6 micro-dollars a dollar, over 100 cents
  const cents = (wei * micro * 100n + scale / 2n) / scale;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

export interface DryRunInput {
  campaign: CampaignDefinition;
  /** The role holders the deploy would be given (flags and key variables). */
  roles: DeployRoles;
  /** Where each holder comes from, for the plan. */
  sources: Record<PlannedRole, string>;
  /** The target's deployer, when known (`--deployer`, `DEPLOYER_PRIVATE_KEY`). */
  deployer?: { address: Address; source: string };
  /** The target chain's RPC; absent: the local chain's fee and development rules. */
  targetUrl?: string;
  metadataBaseUrl: string;
  /** NATIVE_USD_PRICE: dollars per native coin. */
  usdPrice?: string;
  /** A fresh in-process chain to simulate on (closed by the caller). */
  simulation: NetworkConnection;
}

export interface DryRunReport {
  target: { chainId: number; url?: string; development: boolean };
  plan: RolePlanEntry[];
  roles: DeployedRoles;
  /** Why the real deploy would refuse, or fail, on the target. */
  problems: string[];
  /** Every Ignition future in order, with the gas it used on the simulated chain. */
  steps: Array<{ futureId: string; gasUsed: bigint }>;
  /** The admin's acceptance of the hand-over, one per contract (paid by the admin). */
  handOver: Array<{ contract: string; gasUsed: bigint }>;
  gas: { deployer: bigint; admin: bigint; total: bigint };
  fee: FeeQuote & { of: "target" | "local" };
  cost: { deployer: bigint; admin: bigint; total: bigint };
  usd?: { price: string; deployer: string; admin: string; total: string };
  /** The deployer's balance on the target, when both are known. */
  deployerBalance?: bigint;
}

/** Simulates the deployment and prices it; writes nothing anywhere. */
export async function dryRunCampaign(input: DryRunInput): Promise<DryRunReport> {
  const { campaign, simulation } = input;
  const problems: string[] = [];
  const simRpc: Rpc = (method, params = []) => simulation.provider.request({ method, params });
  const targetRpc = input.targetUrl ? httpRpc(input.targetUrl) : undefined;
  const targetChainId = Number((await (targetRpc ?? simRpc)("eth_chainId")) as string);
  const development = DEVELOPMENT_CHAINS.has(targetChainId);
  const [simWallet] = await simulation.viem.getWalletClients();
  const simDeployer = getAddress(simWallet!.account.address);
  // Unknown deployer: the simulated one stands in (and the plan says it is not known).
  const deployer = input.deployer?.address ?? simDeployer;

  let roles: DeployedRoles;
  try {
    roles = resolveRoles(input.roles, deployer, targetChainId);
  } catch (error) {
    if (!(error instanceof DeployConfigError)) throw error;
    problems.push(error.message);
    // Simulate all the same: a missing holder is the deployer, a shared key stays shared.
    roles = resolveRoles(
      { ...input.roles, backend: input.roles.backend ?? deployer },
      deployer,
      31337,
    );
  }
  let publishDelaySeconds = campaign.escrow.publishDelayHours * 3600;
  try {
    publishDelaySeconds = publishDelayOf(campaign, targetChainId);
  } catch (error) {
    if (!(error instanceof DeployConfigError)) throw error;
    problems.push(error.message);
  }
  const target = targetRpc ? createPublicClient({ transport: http(input.targetUrl) }) : undefined;
  for (const t of campaign.tokens) {
    if (!t.external || !target) continue;
    const address = getAddress(t.external.address);
    const decimals = await target
      .readContract({ address, abi: erc20Abi, functionName: "decimals" })
      .catch(() => undefined);
    if (decimals !== t.decimals)
      problems.push(
        `tokens[${campaign.tokens.indexOf(t)}].external.address (${t.symbol}) ${address}: ${
          decimals === undefined ? "no ERC-20 decimals() there" : `decimals() is ${decimals}`
        } on chain ${targetChainId}, the campaign file says ${t.decimals}.`,
      );
  }

  // On the simulated chain the deployer is its first account: the target's deployer address,
  // wherever it holds a role, becomes that account.
  const asSim = (a: Address) => (a === getAddress(deployer) ? simDeployer : a);
  const simRoles: DeployedRoles = {
    admin: asSim(roles.admin),
    guardian: asSim(roles.guardian),
    payoutSigner: asSim(roles.payoutSigner),
    rootPublisher: asSim(roles.rootPublisher),
    badgeMinter: asSim(roles.badgeMinter),
    relayer: asSim(roles.relayer),
    treasury: asSim(roles.treasury),
  };
  const ignition = campaignIgnition(campaign, simRoles, simDeployer, {
    publishDelaySeconds,
    metadataBaseUrl: input.metadataBaseUrl,
  });
  // An external token is someone else's contract: a plain ERC-20 stands in for it here.
  const externals = campaign.tokens.filter((t) => t.external);
  if (externals.length > 0) {
    const { artifacts } = await import("hardhat");
    const code = (await artifacts.readArtifact("PlainERC20")).deployedBytecode;
    for (const t of externals) await simRpc("hardhat_setCode", [t.external!.address, code]);
  }
  // Without a target, the fee is the fresh local chain's, before the simulation moved it.
  const fee = targetRpc
    ? ({ ...(await quoteFee(targetRpc)), of: "target" } as const)
    : ({ ...(await quoteFee(simRpc)), of: "local" } as const);
  const steps: DryRunReport["steps"] = [];
  let run: Awaited<ReturnType<typeof runIgnition>> | undefined;
  try {
    run = await runIgnition(simulation, ignition, {
      onProgress: (e) => {
        if (e.kind === "step") steps.push({ futureId: e.step.futureId, gasUsed: e.step.gasUsed });
      },
    });
  } catch (error) {
    // What would stop the real deploy too (a revert, a limit): reported with the steps before it.
    problems.push(`the simulated deployment stopped: ${(error as Error).message}`);
  }

  const handOver: DryRunReport["handOver"] = [];
  if (run && ignition.handOver) {
    const deployed = run.contracts;
    const byName = Object.fromEntries(
      Object.entries(ignition.module.results).map(([name, f]) => [name, deployed[f.id]!]),
    );
    await simRpc("hardhat_impersonateAccount", [simRoles.admin]);
    await simRpc("hardhat_setBalance", [simRoles.admin, "0xde0b6b3a7640000"]);
    const admin = await simulation.viem.getWalletClient(simRoles.admin);
    const client = await simulation.viem.getPublicClient();
    for (const [name, address] of Object.entries(byName)) {
      const contract = await simulation.viem.getContractAt("ReferralPayouts", address, {
        client: { wallet: admin },
      });
      const hash = await contract.write.acceptDefaultAdminTransfer();
      const receipt = await client.waitForTransactionReceipt({ hash });
      handOver.push({ contract: name, gasUsed: receipt.gasUsed });
    }
  }

  const deployerGas = steps.reduce((sum, s) => sum + s.gasUsed, 0n);
  const adminGas = handOver.reduce((sum, s) => sum + s.gasUsed, 0n);
  const gas = { deployer: deployerGas, admin: adminGas, total: deployerGas + adminGas };
  const cost = {
    deployer: gas.deployer * fee.perGas,
    admin: gas.admin * fee.perGas,
    total: gas.total * fee.perGas,
  };
  let deployerBalance: bigint | undefined;
  if (targetRpc && input.deployer) {
    deployerBalance = BigInt(
      (await targetRpc("eth_getBalance", [input.deployer.address, "latest"])) as string,
    );
    if (deployerBalance < cost.deployer)
      problems.push(
        `the deployer ${input.deployer.address} holds ${formatUnits(deployerBalance, 18)} on chain ${targetChainId}; the deployment needs about ${formatUnits(cost.deployer, 18)} at the current fee.`,
      );
  }
  return {
    target: { chainId: targetChainId, url: input.targetUrl, development },
    plan: rolePlan(
      campaign,
      roles,
      input.sources,
      {
        address: input.deployer?.address,
        source:
          input.deployer?.source ??
          "the deploying account (set --deployer or DEPLOYER_PRIVATE_KEY to see its address)",
      },
      ignition.handOver,
    ).map((e) =>
      // The simulated deployer stood in for an unknown one: its address is not the target's.
      input.deployer === undefined && e.address === deployer ? { ...e, address: undefined } : e,
    ),
    roles,
    problems,
    steps,
    handOver,
    gas,
    fee,
    cost,
    usd:
      input.usdPrice === undefined
        ? undefined
        : {
            price: input.usdPrice,
            deployer: usdOf(cost.deployer, input.usdPrice),
            admin: usdOf(cost.admin, input.usdPrice),
            total: usdOf(cost.total, input.usdPrice),
          },
    deployerBalance,
  };
}

const gwei = (wei: bigint) => `${formatUnits(wei, 9)} gwei`;
const grouped = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** The report as the command prints it. `symbol`: the native coin's (NATIVE_SYMBOL). */
export function formatDryRun(report: DryRunReport, symbol: string): string[] {
  const lines: string[] = [];
  const coin = (wei: bigint) => `${formatUnits(wei, 18)} ${symbol}`;
  lines.push(
    report.target.url === undefined
      ? `Target: no target RPC configured (RPC_URL or --rpc-url): the local chain (${report.target.chainId}) and its fee`
      : `Target: chain ${report.target.chainId} at ${new URL(report.target.url).host}${report.target.development ? " (a development chain)" : ""}`,
    "",
    "Role plan (who gets which role on which contract):",
  );
  lines.push(...formatRolePlan(report.plan), "");
  lines.push(
    `Simulated deployment (a fresh in-process Hardhat chain, ${report.steps.length} steps):`,
  );
  report.steps.forEach((s, i) => {
    lines.push(
      `  [${String(i + 1).padStart(2)}/${report.steps.length}] ${s.futureId.padEnd(48)} ${grouped(s.gasUsed).padStart(11)} gas`,
    );
  });
  for (const h of report.handOver)
    lines.push(
      `  admin accepts the hand-over on ${h.contract.padEnd(28)} ${grouped(h.gasUsed).padStart(11)} gas (paid by the admin)`,
    );
  lines.push(
    `  gas: deployer ${grouped(report.gas.deployer)}, admin ${grouped(report.gas.admin)}, total ${grouped(report.gas.total)}`,
    "",
  );
  const f = report.fee;
  lines.push(
    `Fee: ${f.perGas} wei per gas (${gwei(f.perGas)}${
      f.baseFeePerGas === undefined
        ? ""
        : ` = base fee ${gwei(f.baseFeePerGas)} + tip ${gwei(f.priorityFeePerGas ?? 0n)}`
    }; ${f.method} of the ${f.of === "target" ? "target" : "local"} chain)`,
  );
  lines.push(
    `Cost: ${report.cost.total} wei = ${coin(report.cost.total)} (${grouped(report.gas.total)} gas × ${f.perGas} wei)${
      report.usd ? ` ≈ $${report.usd.total} at $${report.usd.price} per ${symbol}` : ""
    }`,
  );
  if (report.gas.admin > 0n)
    lines.push(
      `  the deployer pays ${coin(report.cost.deployer)}${report.usd ? ` ≈ $${report.usd.deployer}` : ""}, the admin ${coin(report.cost.admin)}${report.usd ? ` ≈ $${report.usd.admin}` : ""}`,
    );
  if (report.deployerBalance !== undefined)
    lines.push(`  the deployer holds ${coin(report.deployerBalance)}`);
  if (!report.usd) lines.push("  (set NATIVE_USD_PRICE to see it in dollars)");
  lines.push("");
  if (report.problems.length === 0) lines.push("Problems: none; the deploy would go ahead.");
  else {
    lines.push(`Problems (${report.problems.length}), the deploy would refuse or fail:`);
    for (const p of report.problems) lines.push(`  - ${p}`);
  }
  lines.push("Dry run: nothing was deployed or written.");
  return lines;
}
