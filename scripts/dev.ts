/**
 * `npm run dev`: the whole local stack on embedded defaults, in one process.
 *
 * 0. The contracts compiled if they are not (a fresh clone: once, see README for how long).
 * 1. A Hardhat JSON-RPC node (127.0.0.1:DEV_RPC_PORT, chain id 31337), fresh on every start.
 * 2. The demo campaign (DEV_CAMPAIGN) deployed to it with Ignition (deployments/31337/<slug>.json).
 * 3. The service on http://127.0.0.1:PORT with a fresh embedded database (.data/dev): the API
 *    and every component (website, payout pipeline, bot).
 * 4. `.data/dev/runtime.json` (mode 0600): the chain's and the API's URLs and the operator
 *    token, so `npm run epoch:publish`, `reconcile` and `payouts:retry` run through this
 *    service with no setup (its PGlite database admits no second process).
 *
 * The backend signer is Hardhat's second test account, whose key is public: dev only.
 * Environment variables you set (BOT_TOKEN, PORT, …) are passed through. Stop with Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import hre, { network } from "hardhat";
import { z } from "zod";
import { startService } from "../app/service.ts";
import { DEV_DIR, DEV_RUNTIME_FILE, type DevRuntime } from "../server/chain/operatorTarget.ts";
import { loadConfig } from "../server/config.ts";
import { processIdentity, readLockOwner } from "../server/db/lock.ts";
import { parseCampaignDefinition } from "../server/domain/campaign.ts";
import { parseEnv, port } from "../server/env.ts";
import { fatalMessage } from "../server/fatal.ts";
import { createLogger } from "../server/logger.ts";
import { deployCampaign } from "./lib/deployCampaign.ts";

/** Hardhat's test account #1: a well-known key, only ever used on the local dev chain. */
export const DEV_SIGNER_PRIVATE_KEY =
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** The knobs of `npm run dev` itself (everything else is the service's own configuration). */
const devEnv = z.object({
  DEV_RPC_PORT: port.default(8545),
  DEV_CAMPAIGN: z.string().trim().min(1).default("campaigns/demo.json"),
});
const { DEV_RPC_PORT: RPC_PORT, DEV_CAMPAIGN: CAMPAIGN_FILE } = (() => {
  try {
    return parseEnv(devEnv, process.env);
  } catch (error) {
    console.error(fatalMessage(error));
    process.exit(1);
  }
})();
const DATA_DIR = path.join(DEV_DIR, "pglite");
/** How often the dev stack builds Merkle epochs: a claim can be tried within a minute. */
const DEV_EPOCH_INTERVAL_SECONDS = "20";

/** What has started so far, closed in reverse order on Ctrl-C (also in the middle of start-up). */
const closers: Array<() => Promise<unknown>> = [];
let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  let clean = true;
  for (const close of closers.reverse()) {
    clean = (await close().catch(() => false)) !== false && clean;
  }
  process.exit(clean ? 0 : 1);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  // Another `npm run dev` owns .data/dev: wiping it under that process would break it.
  const running = readLockOwner(DATA_DIR);
  if (running?.alive) {
    console.error(
      `npm run dev is already running (pid ${running.owner.pid}, ${running.owner.apiUrl ?? "starting"}): stop it first.`,
    );
    process.exit(1);
  }

  // PORT=0 (any free port): choose it now, so the links printed below carry the real one.
  if (process.env.PORT === "0") {
    process.env.PORT = String(await freePort());
    process.env.PUBLIC_URL ??= `http://localhost:${process.env.PORT}`;
  }

  // A fresh clone has no artifacts: compile first (cached afterwards, so later starts skip it).
  const buildStarted = Date.now();
  await hre.tasks.getTask("build").run({ noTests: true, quiet: true });
  console.log(`contracts compiled (${((Date.now() - buildStarted) / 1000).toFixed(1)} s)`);

  const chain = await network.createServer("default", "127.0.0.1", RPC_PORT);
  closers.push(() => chain.close());
  const { address, port } = await chain.listen();
  const rpcUrl = `http://${address}:${port}`;
  // Mine a block every second as well as on each transaction, so confirmations keep coming.
  await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "evm_setIntervalMining",
      params: [1000],
    }),
  });
  console.log(`chain    ${rpcUrl} (Hardhat, chain id 31337)`);

  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  closers.push(() => connection.close());
  const wallets = await connection.viem.getWalletClients();
  const campaign = parseCampaignDefinition(
    JSON.parse(await readFile(CAMPAIGN_FILE, "utf8")),
    CAMPAIGN_FILE,
  );
  // The dev chain starts empty every time, so an Ignition journal from an earlier run is stale.
  await rm(`ignition/deployments/${campaign.slug}-31337`, { recursive: true, force: true });
  const deployment = await deployCampaign(
    connection,
    campaign,
    { backend: wallets[1].account.address },
    {
      deploymentsDir: "deployments",
      metadataBaseUrl: process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    },
  );
  const publicClient = await connection.viem.getPublicClient();
  if ((await publicClient.getCode({ address: deployment.referralPayouts })) === undefined) {
    throw new Error("Deployment reported addresses with no code on the dev chain.");
  }
  console.log(`campaign ${campaign.slug} (id ${campaign.onchainId}) deployed:`);
  console.log(`  ReferralPayouts  ${deployment.referralPayouts}`);
  for (const [symbol, t] of Object.entries(deployment.tokens)) {
    console.log(`  ${symbol.padEnd(6)} token    ${t.token}`);
    console.log(`  ${symbol.padEnd(6)} escrow   ${t.distributor}`);
  }
  console.log(`  Badges           ${deployment.badges}`);
  console.log(`  PerkShop         ${deployment.perkShop}`);
  console.log(`  file             deployments/31337/${campaign.slug}.json`);

  // The chain is new, so yesterday's database would describe payouts that no longer exist.
  await rm(DEV_DIR, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    PAYOUT_SIGNER_PRIVATE_KEY: DEV_SIGNER_PRIVATE_KEY,
    ...(process.env.EPOCH_INTERVAL_MINUTES
      ? {}
      : { EPOCH_INTERVAL_SECONDS: DEV_EPOCH_INTERVAL_SECONDS }),
    // The operator commands authenticate with it (handed over in runtime.json, never printed).
    ADMIN_API_TOKEN: randomBytes(32).toString("base64url"),
    // A developer's webhook receiver runs on this machine (production refuses loopback).
    WEBHOOK_ALLOW_LOOPBACK: "true",
    ...process.env,
    RPC_URL: rpcUrl,
    CHAIN_ID: "31337",
    DATA_DIR,
  };
  Object.assign(process.env, env);
  const config = loadConfig(env);
  const logger = createLogger(config.log.level);
  const service = await startService(config, logger, env);
  closers.push(() => service.stop());
  if (stopping) return;
  console.log(
    `mode     development: listening on ${config.http.host} only${
      process.env.HOST ? " (HOST)" : " (set HOST to open it to the network)"
    }; dev helpers on`,
  );
  console.log(`api      ${service.baseUrl} (OpenAPI: ${service.baseUrl}/openapi.json)`);
  for (const c of service.components) {
    console.log(`running  ${c.name}`);
    for (const line of c.banner?.() ?? []) console.log(`         ${line}`);
  }

  const runtime: DevRuntime = {
    ...processIdentity(),
    startedAt: new Date().toISOString(),
    apiUrl: service.baseUrl,
    rpcUrl,
    chainId: 31337,
    dataDir: DATA_DIR,
    deployments: [`deployments/31337/${campaign.slug}.json`],
    operatorToken: config.admin.apiToken!,
  };
  await writeFile(DEV_RUNTIME_FILE, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
  closers.push(() => rm(DEV_RUNTIME_FILE, { force: true }));
  console.log(
    `operator npm run epoch:publish | reconcile | payouts:retry (they run through this service); epochs every ${process.env.EPOCH_INTERVAL_SECONDS ?? Number(process.env.EPOCH_INTERVAL_MINUTES) * 60} s`,
  );
}

main().catch((error: unknown) => {
  console.error(fatalMessage(error));
  process.exit(1);
});
