/**
 * The whole service as `npm start` / `npm run dev` run it (startService with every component)
 * against a real chain: a referral qualified through the API is paid on-chain by the chain
 * component's worker and shows as settled; the pipeline's health and routes are served.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { getAddress, parseUnits } from "viem";
import { type Service, startService } from "../../app/service.ts";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { loadConfig } from "../../server/config.ts";
import { createLogger } from "../../server/logger.ts";
import { callApi as call, referAndQualifyOverApi } from "../support/http.ts";
import { TEST_BOT_TOKEN, tmaFor } from "../support/telegram.ts";
import {
  deployTestCampaign,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
  until,
} from "./support.ts";

let chain: TestChain;
let campaign: TestCampaignDeployment;
let campaignsDir: string;
let service: Service | undefined;

before(async () => {
  chain = await startTestChain();
  await chain.rpc("evm_setIntervalMining", [200]); // blocks keep coming, as in `npm run dev`
  campaign = await deployTestCampaign(chain);
  campaignsDir = await mkdtemp(path.join(tmpdir(), "refmint-service-"));
  await writeFile(
    path.join(campaignsDir, `${campaign.definition.slug}.json`),
    JSON.stringify(campaign.definition),
  );
});

after(async () => {
  await service?.stop();
  await campaign?.cleanup();
  await rm(campaignsDir, { recursive: true, force: true });
  await chain?.close();
});

test("a referral qualified through the API is paid by the service's chain component and shows as settled", async () => {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATA_DIR: "memory://",
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_MODE: "off",
    PUBLIC_URL: "https://api.refmint.test",
    MINIAPP_ORIGINS: "https://app.refmint.test",
    SIWE_DOMAIN: "app.refmint.test",
    SIWE_URI: "https://app.refmint.test",
    HASH_SECRET: "hash-secret-for-tests-0123456789",
    CAMPAIGNS_DIR: campaignsDir,
    DEPLOYMENTS_DIR: campaign.deploymentsDir,
    JOBS_INTERVAL_SECONDS: "0",
    RPC_URL: chain.url,
    CHAIN_ID: "31337",
    PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
    CHAIN_CONFIRMATIONS: "1",
    CHAIN_POLL_MS: "100",
    PAYOUT_BATCH_WINDOW_MS: "0",
  };
  const config = loadConfig(env);
  service = await startService(config, createLogger(config.log.level), env);
  const base = service.baseUrl;
  assert.ok(service.components.some((c) => c.name === "chain"));

  // The referrer links a wallet; the referee opens the link, then qualifies by linking theirs.
  const { referrerWallet } = await referAndQualifyOverApi(base, {
    referrer: 501,
    referee: 502,
    label: "service",
  });

  const reward = await until(
    "the referral reward settled",
    async () => {
      const r = await call("GET", `${base}/api/me/rewards`, tmaFor(501));
      const item = r.body?.items?.[0];
      return item?.state === "settled" ? item : undefined;
    },
    30_000,
  );
  assert.match(reward.txHash, /^0x[0-9a-f]{64}$/);
  const receipt = await chain.client.getTransactionReceipt({ hash: reward.txHash });
  assert.equal(receipt.status, "success");
  const balance = await chain.client.readContract({
    address: getAddress(campaign.deployment.tokens.REF!.token),
    abi: rewardTokenAbi,
    functionName: "balanceOf",
    args: [referrerWallet.address],
  });
  assert.equal(balance, parseUnits("10", 18));

  const balances = await call("GET", `${base}/api/rewards/balances`, tmaFor(501));
  assert.equal(balances.status, 200, balances.text);
  await until("the indexed balance", async () => {
    const b = await call("GET", `${base}/api/rewards/balances`, tmaFor(501));
    return b.body.items[0]?.balance.tokens === "10";
  });

  const health = await until("every job healthy", async () => {
    const h = await call("GET", `${base}/api/chain/health`);
    return h.body?.status === "ok" ? h.body : undefined;
  });
  assert.deepEqual(
    health.jobs
      .filter((j: { leader: boolean }) => j.leader)
      .map((j: { job: string }) => j.job)
      .sort(),
    ["epochs", "indexer", "worker"],
  );
  const openapi = await call("GET", `${base}/openapi.json`);
  for (const p of [
    "/api/rewards/proof",
    "/api/rewards/coupons",
    "/rewards/epochs/index.json",
    "/api/chain/health",
  ])
    assert.ok(openapi.body.paths[p], `${p} is in the OpenAPI document`);
  assert.ok(openapi.body.paths["/rewards/epochs/{campaign}/{token}/{file}"]);
  assert.deepEqual((await call("GET", `${base}/api/rewards/proof`, tmaFor(501))).body, {
    items: [],
  });

  await service.stop();
  service = undefined;
});
