/**
 * Deploys a campaign's contracts from its campaign file, writes
 * deployments/<chainId>/<slug>.json and registers the campaign in the database.
 *
 *   npm run deploy -- --dry-run [campaigns/demo.json]        # plan, simulation and cost only
 *   npm run deploy -- campaigns/demo.json --network target \
 *     --admin 0x… --guardian 0x… --treasury 0x… \
 *     --payout-signer 0x… --root-publisher 0x… --badge-minter 0x… --relayer 0x… \
 *     --metadata-url https://refmint.example [--verify] [--no-register]
 *
 * The file is validated first (every problem, each at its field). `--network target` reads
 * RPC_URL and DEPLOYER_PRIVATE_KEY from the environment or the Hardhat keystore (`npx hardhat
 * keystore set DEPLOYER_PRIVATE_KEY`); `--rpc-url` overrides the network's URL. Each backend
 * role needs a key of its own: a flag, else the service's key variable for it
 * (`PAYOUT_SIGNER_PRIVATE_KEY`…, see scripts/lib/deployInputs.ts); on a development chain
 * `--backend` gives one key all four, and on `localhost` it defaults to Hardhat's second test
 * account, which the dev stack signs with.
 *
 * Progress is printed step by step (Ignition future by future); an interrupted deploy resumes
 * from its Ignition journal (`ignition/deployments/<slug>-<chainId>`) when run again. The
 * campaign is registered in `DATABASE_URL` or the PGlite directory `DATA_DIR` (`--no-register`
 * skips it: the service registers campaign files when it starts). `--verify` submits every
 * contract's source to the block explorer (`ETHERSCAN_API_KEY`, `EXPLORER_API_URL`).
 *
 * Dry run: `--rpc-url` or RPC_URL names the target chain whose fee prices the simulation
 * (absent: the local chain's); `--deployer 0x…` (or DEPLOYER_PRIVATE_KEY) names its deployer;
 * NATIVE_USD_PRICE (dollars per native coin) adds dollars, NATIVE_SYMBOL names the coin.
 *
 * `--json` also prints each progress event, the dry run's report and the deployment as lines
 * `REFMINT_EVENT {json}` (bigints as decimal strings): what the admin console's deploy jobs
 * read (server/chain/consoleJobs.ts).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import hre, { network } from "hardhat";
import { type Address, getAddress, isAddress, isHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { runCommand } from "../server/chain/cli.ts";
import { validateCampaignDefinition } from "../server/domain/campaign.ts";
import {
  campaignDeploymentId,
  DEVELOPMENT_CHAINS,
  type DeployProgress,
  deployCampaign,
  resolveRoles,
} from "./lib/deployCampaign.ts";
import { deployRoles, type RoleFlags } from "./lib/deployInputs.ts";
import { dryRunCampaign, formatDryRun } from "./lib/dryRun.ts";
import { deployLifecycle, openRegistryDatabase, registerCampaign } from "./lib/registerCampaign.ts";
import { formatRolePlan, rolePlan } from "./lib/rolePlan.ts";
import { verifyDeployment } from "./lib/verifyDeployment.ts";

/** Hardhat's account #1: the local dev chain's backend signer (`npm run dev` signs with it). */
const LOCAL_BACKEND: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** Hardhat's account #0: what `--network localhost` deploys with. */
const LOCAL_DEPLOYER: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    campaign: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    network: { type: "string", default: "localhost" },
    "rpc-url": { type: "string" },
    deployer: { type: "string" },
    admin: { type: "string" },
    guardian: { type: "string" },
    backend: { type: "string", default: process.env.BACKEND_SIGNER_ADDRESS },
    "payout-signer": { type: "string" },
    "root-publisher": { type: "string" },
    "badge-minter": { type: "string" },
    relayer: { type: "string" },
    treasury: { type: "string" },
    "metadata-url": { type: "string", default: process.env.PUBLIC_URL ?? "http://localhost:3000" },
    "deployments-dir": { type: "string", default: "deployments" },
    "no-register": { type: "boolean", default: false },
    verify: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

/** `--json`: one machine-readable line per event (see the header). */
function emit(event: string, data: unknown): void {
  if (!values.json) return;
  console.log(
    `REFMINT_EVENT ${JSON.stringify({ event, data }, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
  );
}

class UsageError extends Error {
  override name = "UsageError";
}

function addressOption(name: string, value: string | undefined): Address | undefined {
  if (value === undefined) return undefined;
  if (!isAddress(value, { strict: false }))
    throw new UsageError(`--${name} is not an address: ${value}`);
  return getAddress(value);
}

const flags: RoleFlags = {
  admin: addressOption("admin", values.admin),
  guardian: addressOption("guardian", values.guardian),
  treasury: addressOption("treasury", values.treasury),
  backend: addressOption("backend", values.backend),
  payoutSigner: addressOption("payout-signer", values["payout-signer"]),
  rootPublisher: addressOption("root-publisher", values["root-publisher"]),
  badgeMinter: addressOption("badge-minter", values["badge-minter"]),
  relayer: addressOption("relayer", values.relayer),
};

/** Reads and validates the campaign file, printing the verdict; `undefined` when invalid. */
async function validatedCampaign(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    console.log(`Validation: ${file} cannot be read as JSON (${(error as Error).message})`);
    return undefined;
  }
  const result = validateCampaignDefinition(json);
  if (!result.ok) {
    emit("invalid", { issues: result.issues });
    console.log(`Validation: ${file} has ${result.issues.length} problem(s):`);
    for (const i of result.issues) console.log(`  ${i.path}: ${i.message}`);
    return undefined;
  }
  const c = result.definition;
  console.log(
    `Validation: ${file} is valid (campaign ${c.slug}, on-chain id ${c.onchainId}, tokens ${c.tokens.map((t) => t.symbol).join(", ")})`,
  );
  return c;
}

function printProgress(event: DeployProgress): void {
  emit("progress", event);
  const gas = (n: bigint) => `${n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")} gas`;
  switch (event.kind) {
    case "start":
      console.log(
        `Ignition deployment ${event.deploymentId} on chain ${event.chainId}: ${event.total} steps`,
      );
      if (event.done.length > 0)
        console.log(
          `  resuming: ${event.done.length} of ${event.total} steps were finished by an earlier run and are not sent again`,
        );
      break;
    case "sent":
      console.log(`  ${event.futureId}: sent ${event.hash}`);
      break;
    case "step": {
      const s = event.step;
      const what = s.address ? `deployed at ${s.address}` : "done";
      console.log(
        `  [${String(event.index).padStart(2)}/${event.total}] ${s.futureId}: ${what}${
          s.hashes.length > 0 ? `, ${gas(s.gasUsed)}` : ""
        }`,
      );
      break;
    }
    case "handOver":
      console.log(`  admin accepted the hand-over of ${event.contract} (${gas(event.gasUsed)})`);
      break;
  }
}

/**
 * The target deployer's address for a dry run: `--deployer`, else DEPLOYER_PRIVATE_KEY's, else
 * on a development chain Hardhat's first account (what `--network localhost` deploys with).
 */
function dryRunDeployer(development: boolean): { address: Address; source: string } | undefined {
  const given = addressOption("deployer", values.deployer);
  if (given) return { address: given, source: "--deployer" };
  const key = process.env.DEPLOYER_PRIVATE_KEY?.trim();
  if (key && isHex(key) && key.length === 66)
    return { address: privateKeyToAccount(key).address, source: "DEPLOYER_PRIVATE_KEY" };
  if (development)
    return { address: LOCAL_DEPLOYER, source: "Hardhat's account #0 (the local deployer)" };
  return undefined;
}

/** NATIVE_USD_PRICE: dollars per native coin, a decimal with at most 6 decimals. */
function usdPrice(): string | undefined {
  const v = process.env.NATIVE_USD_PRICE?.trim();
  if (!v) return undefined;
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(v))
    throw new UsageError(`NATIVE_USD_PRICE is not a price in dollars (e.g. 3120.55): ${v}`);
  return v;
}

async function dryRun(file: string): Promise<number> {
  const campaign = await validatedCampaign(file);
  if (!campaign) return 1;
  const price = usdPrice();
  await hre.tasks.getTask("build").run({ noTests: true, quiet: true });
  const targetUrl = values["rpc-url"] ?? (process.env.RPC_URL?.trim() || undefined);
  const simulation = await network.create({ network: "default" });
  try {
    const targetChainId = targetUrl
      ? Number(
          (
            (await (
              await fetch(targetUrl, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
              })
            ).json()) as { result: string }
          ).result,
        )
      : 31337;
    const { roles, sources } = await deployRoles(flags, process.env, {
      localBackend: DEVELOPMENT_CHAINS.has(targetChainId) ? LOCAL_BACKEND : undefined,
    });
    const report = await dryRunCampaign({
      campaign,
      roles,
      sources,
      deployer: dryRunDeployer(DEVELOPMENT_CHAINS.has(targetChainId)),
      targetUrl,
      metadataBaseUrl: values["metadata-url"],
      usdPrice: price,
      simulation,
    });
    for (const line of formatDryRun(report, process.env.NATIVE_SYMBOL?.trim() || "ETH"))
      console.log(line);
    emit("dryRun", { ...report, symbol: process.env.NATIVE_SYMBOL?.trim() || "ETH" });
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    await simulation.close();
  }
}

async function deploy(file: string): Promise<number> {
  const campaign = await validatedCampaign(file);
  if (!campaign) return 1;
  // A fresh clone has no artifacts yet: compile first (a no-op when they are up to date).
  await hre.tasks.getTask("build").run({ noTests: true, quiet: true });
  const rpcUrl = values["rpc-url"];
  const connection = await network.create({
    network: values.network,
    ...(rpcUrl ? { override: { url: rpcUrl } } : {}),
  });
  const registry = values["no-register"] ? undefined : await openRegistryDatabase(process.env);
  try {
    const wallets = await connection.viem.getWalletClients();
    const deployer = getAddress(wallets[0]!.account.address);
    const chainId = await (await connection.viem.getPublicClient()).getChainId();
    const localNetwork = values.network === "localhost" || values.network === "hardhat";
    const { roles, sources } = await deployRoles(flags, process.env, {
      localBackend: localNetwork ? wallets[1]?.account.address : undefined,
    });
    const resolved = resolveRoles(roles, deployer, chainId);
    console.log(`\nRole plan (who gets which role on which contract):`);
    for (const line of formatRolePlan(
      rolePlan(
        campaign,
        resolved,
        sources,
        { address: deployer, source: `account #0 of --network ${values.network}` },
        resolved.admin !== deployer,
      ),
    ))
      console.log(line);
    console.log("");

    let registered: Awaited<ReturnType<typeof registerCampaign>> | undefined;
    if (registry) {
      registered = await registerCampaign(registry.handle.db, campaign, file);
      console.log(`Registered ${campaign.slug} in ${registry.where} (campaign ${registered.id})`);
      await deployLifecycle.deploying(registry.handle.db, registered);
    }
    let paid = 0n;
    let gasUsed = 0n;
    const deployment = await deployCampaign(connection, campaign, roles, {
      deploymentsDir: values["deployments-dir"],
      metadataBaseUrl: values["metadata-url"],
      failpoint: process.env.REFMINT_FAILPOINT,
      onProgress: (event) => {
        if (event.kind === "step") {
          paid += event.step.feePaid;
          gasUsed += event.step.gasUsed;
        }
        if (event.kind === "handOver") gasUsed += event.gasUsed;
        printProgress(event);
      },
    });
    const written = path.join(values["deployments-dir"], String(chainId), `${campaign.slug}.json`);
    console.log(`\nDeployed ${campaign.slug} on chain ${chainId}: ${written}`);
    console.log(JSON.stringify(deployment, null, 2));
    console.log(`This run used ${gasUsed} gas; the deployer paid ${paid} wei.`);
    emit("deployed", { chainId, file: written, gasUsed, paid, deployment });
    if (deployment.adminHandOver === "pending")
      console.log(
        `The admin ${deployment.roles.admin} must now call acceptDefaultAdminTransfer() on each contract above (the deployer keeps the admin role until then).`,
      );
    if (registry && registered) {
      const live = await registerCampaign(registry.handle.db, campaign, file, {
        deploymentsDir: values["deployments-dir"],
        chainId,
      });
      await deployLifecycle.deployed(registry.handle.db, live);
      console.log(`Registered the deployment of ${campaign.slug} in ${registry.where}`);
    }

    if (values.verify) {
      if (DEVELOPMENT_CHAINS.has(chainId)) {
        console.log(
          `Verification skipped: chain ${chainId} is a development chain with no explorer.`,
        );
      } else {
        const url =
          connection.networkConfig.type === "http" ? await connection.networkConfig.url.get() : "";
        const outcomes = await verifyDeployment({
          deploymentDir: path.join(
            hre.config.paths.ignition,
            "deployments",
            campaignDeploymentId(campaign.slug, chainId),
          ),
          rpcUrl: url,
          chainId,
          explorer: {
            apiUrl: process.env.EXPLORER_API_URL?.trim() || undefined,
            url: process.env.EXPLORER_URL?.trim() || undefined,
          },
        });
        const failed = outcomes.filter((o) => !o.verified);
        console.log(
          `\nVerification: ${outcomes.length - failed.length} of ${outcomes.length} contracts verified`,
        );
        for (const o of failed) console.log(`  ${o.contract} at ${o.address}: ${o.error}`);
        if (failed.length > 0) return 1;
      }
    }
    return 0;
  } finally {
    await registry?.handle.close();
    await connection.close();
  }
}

runCommand(async () => {
  if (positionals.length > 1)
    throw new UsageError(`one campaign file at a time: ${positionals.join(" ")}`);
  const file = positionals[0] ?? values.campaign ?? "campaigns/demo.json";
  return values["dry-run"] ? dryRun(file) : deploy(file);
});
