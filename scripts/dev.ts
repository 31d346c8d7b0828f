/**
 * `npm run dev`: the whole local stack on embedded defaults, in one process.
 *
 * 1. A Hardhat JSON-RPC node (127.0.0.1:8545, chain id 31337), fresh on every start.
 * 2. The demo campaign deployed to it with Ignition (deployments/31337/demo.json).
 * 3. The service on http://127.0.0.1:3000 with a fresh embedded database (.data/dev):
 *    the API and every component (website, payout pipeline, bot).
 *
 * The backend signer is Hardhat's second test account, whose key is public: dev only.
 * Environment variables you set (BOT_TOKEN, PORT, …) are passed through. Stop with Ctrl-C.
 */
import { readFile, rm } from "node:fs/promises";
import { network } from "hardhat";
import { loadConfig } from "../server/config.ts";
import { parseCampaignDefinition } from "../server/domain/campaign.ts";
import { createLogger } from "../server/logger.ts";
import { startService } from "../server/service.ts";
import { deployCampaign } from "./lib/deployCampaign.ts";

/** Hardhat's test account #1: a well-known key, only ever used on the local dev chain. */
export const DEV_SIGNER_PRIVATE_KEY =
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

const RPC_PORT = Number(process.env.DEV_RPC_PORT ?? 8545);
const CAMPAIGN_FILE = process.env.DEV_CAMPAIGN ?? "campaigns/demo.json";
const DATA_DIR = ".data/dev";

const chain = await network.createServer("default", "127.0.0.1", RPC_PORT);
const { address, port } = await chain.listen();
const rpcUrl = `http://${address}:${port}`;
// Mine a block every second as well as on each transaction, so confirmations keep coming.
await fetch(rpcUrl, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_setIntervalMining", params: [1000] }),
});
console.log(`chain    ${rpcUrl} (Hardhat, chain id 31337)`);

const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
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
    metadataBaseUrl: process.env.PUBLIC_URL ?? "http://localhost:3000",
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
await rm(DATA_DIR, { recursive: true, force: true });
const env: NodeJS.ProcessEnv = {
  NODE_ENV: "development",
  LOG_LEVEL: "warn",
  PAYOUT_SIGNER_PRIVATE_KEY: DEV_SIGNER_PRIVATE_KEY,
  ...process.env,
  RPC_URL: rpcUrl,
  CHAIN_ID: "31337",
  DATA_DIR: `${DATA_DIR}/pglite`,
};
Object.assign(process.env, env);
const config = loadConfig(env);
const logger = createLogger(config.log.level);
const service = await startService(config, logger, env);
console.log(`api      ${service.baseUrl} (OpenAPI: ${service.baseUrl}/openapi.json)`);
for (const c of service.components) {
  console.log(`running  ${c.name}`);
  for (const line of c.banner?.() ?? []) console.log(`         ${line}`);
}

async function shutdown() {
  await service.stop();
  await connection.close();
  await chain.close();
  process.exit(0);
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
