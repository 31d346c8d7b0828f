/**
 * A fresh install: the service (`startService`, with its chain component) starts on PostgreSQL
 * against a real Hardhat chain on which no campaign is deployed yet, running every chain job
 * itself, or (second layout) indexing and publishing epochs while a standalone payout worker
 * (`node server/chain/run.ts worker`, as `npm run chain:worker` runs it) started as early pays.
 * Everything comes up, and `GET /api/chain/health` shows every job leading and idle, not
 * failing. Then a campaign is deployed with the real Ignition module and registered as
 * `npm run deploy` does (its row while deploying, the deployment file, then active). Without a
 * restart, one referral qualified through the API is paid on-chain and settled by the indexer,
 * which read the new contracts from their deployment block (server/chain/jobs.ts: the jobs idle
 * until then).
 */
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getAddress, parseUnits } from "viem";
import { type Service, startService } from "../../app/service.ts";
import { deployLifecycle, registerCampaign } from "../../scripts/lib/registerCampaign.ts";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { IDLE_REASON } from "../../server/chain/jobs.ts";
import { loadConfig } from "../../server/config.ts";
import { openDatabase, queryRows } from "../../server/db/index.ts";
import { createLogger } from "../../server/logger.ts";
import {
  CHAIN_ID,
  deployTestCampaign,
  SIGNER,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  until,
} from "../chain/support.ts";
import { testCampaign } from "../support/campaign.ts";
import { createMigratedPostgresDatabase, postgresTest } from "../support/db.ts";
import { callApi as call, type Json, referAndQualifyOverApi } from "../support/http.ts";
import { ROOT } from "../support/process.ts";
import { hasEnded, spawnNode } from "../support/processes.ts";
import { TEST_BOT_TOKEN, tmaFor } from "../support/telegram.ts";

for (const standalone of [false, true])
  postgresTest(
    standalone
      ? "a service and a standalone worker started before the first campaign is deployed pay and settle its first referral without a restart"
      : "a service started before the first campaign is deployed pays and settles its first referral without a restart",
    async (t) => {
      // Undone last-first once the test ends: processes before the database they use.
      const cleanup: Array<() => unknown> = [];
      t.after(async () => {
        for (const undo of cleanup.reverse()) await undo();
      });
      const chain = await startTestChain();
      cleanup.push(() => chain.close());
      await chain.rpc("evm_setIntervalMining", [200]); // blocks keep coming, as on a real chain
      const { url: databaseUrl, drop } = await createMigratedPostgresDatabase();
      cleanup.push(() => drop());
      const dir = await mkdtemp(path.join(tmpdir(), "refmint-first-deploy-"));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const campaignsDir = path.join(dir, "campaigns");
      const deploymentsDir = path.join(dir, "deployments");
      await mkdir(campaignsDir, { recursive: true });
      await mkdir(path.join(deploymentsDir, String(CHAIN_ID)), { recursive: true });

      // What both processes share: the database, the chain, the (empty) campaign folders.
      const shared = {
        NODE_ENV: "test",
        DATABASE_URL: databaseUrl,
        CAMPAIGNS_DIR: campaignsDir,
        DEPLOYMENTS_DIR: deploymentsDir,
        RPC_URL: chain.url,
        CHAIN_ID: String(CHAIN_ID),
        PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
        CHAIN_CONFIRMATIONS: "1",
        CHAIN_POLL_MS: "100",
        PAYOUT_BATCH_WINDOW_MS: "0",
        CAMPAIGN_REFRESH_SECONDS: "1",
      };
      const env: NodeJS.ProcessEnv = {
        ...shared,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        HOST: "127.0.0.1",
        PORT: "0",
        DATABASE_POOL_SIZE: "4",
        BOT_TOKEN: TEST_BOT_TOKEN,
        BOT_MODE: "off",
        PUBLIC_URL: "https://api.refmint.test",
        MINIAPP_ORIGINS: "https://app.refmint.test",
        SIWE_DOMAIN: "app.refmint.test",
        SIWE_URI: "https://app.refmint.test",
        HASH_SECRET: "hash-secret-for-tests-0123456789",
        JOBS_INTERVAL_SECONDS: "0",
        // The payouts are the standalone worker's: the service indexes and publishes epochs.
        ...(standalone ? { CHAIN_JOBS: "indexer,epochs" } : {}),
      };
      const config = loadConfig(env);
      let service: Service | undefined = await startService(
        config,
        createLogger(config.log.level),
        env,
      );
      cleanup.push(() => service?.stop());
      const base = service.baseUrl;
      assert.ok(
        service.components.some((c) => c.name === "chain"),
        "the chain component runs with no campaign deployed",
      );
      const worker = standalone
        ? spawnNode(
            ["server/chain/run.ts", "worker"],
            {
              PATH: process.env.PATH,
              ...shared,
              LOG_LEVEL: "info", // its start and its first working pass are asserted from its log
              DATABASE_POOL_SIZE: "3",
              MIGRATE_ON_START: "false",
            },
            { cwd: ROOT },
          )
        : undefined;
      const workerLog = () => (worker ? `\n--- worker\n${worker.output()}` : "");
      cleanup.push(() => {
        if (worker && !hasEnded(worker)) worker.process.kill("SIGKILL");
      });

      // Before any deployment: every job leads, healthy and idle.
      const idle = await until(
        "the idle pipeline healthy",
        async () => {
          if (worker && hasEnded(worker)) throw new Error("the worker exited");
          const h = await call("GET", `${base}/api/chain/health`);
          const leaders = (h.body?.jobs ?? []).filter((j: Json) => j.leader);
          return h.body?.status === "ok" && leaders.length === 3 ? h.body : undefined;
        },
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}${workerLog()}`);
      });
      assert.deepEqual(idle.jobs.map((j: Json) => [j.job, j.status, j.details.idle]).sort(), [
        ["epochs", "ok", IDLE_REASON],
        ["indexer", "ok", IDLE_REASON],
        ["worker", "ok", IDLE_REASON],
      ]);
      if (worker)
        assert.match(
          worker.output(),
          /no campaign deployed on this chain yet: the worker starts when one is/,
        );

      // The deploy, as `npm run deploy` does it next to running processes: the campaign's row
      // while its contracts are deployed, then its deployment file, registered and made active.
      const definition = testCampaign({
        slug: `first-${process.pid}-${standalone ? "worker" : "service"}`,
        onchainId: 41,
      });
      const file = path.join(campaignsDir, `${definition.slug}.json`);
      await writeFile(file, JSON.stringify(definition));
      const db = await openDatabase({ url: databaseUrl, poolSize: 1 });
      let deployed: TestCampaignDeployment;
      try {
        const registered = await registerCampaign(db.db, definition, file);
        await deployLifecycle.deploying(db.db, registered);
        deployed = await deployTestCampaign(chain, definition);
        cleanup.push(() => deployed.cleanup());
        await copyFile(
          path.join(deployed.deploymentsDir, String(CHAIN_ID), `${definition.slug}.json`),
          path.join(deploymentsDir, String(CHAIN_ID), `${definition.slug}.json`),
        );
        const live = await registerCampaign(db.db, definition, file, {
          deploymentsDir,
          chainId: CHAIN_ID,
        });
        await deployLifecycle.deployed(db.db, live);
      } finally {
        await db.close();
      }
      const { deployment } = deployed;

      // One referral, through the API of the service that started with nothing to serve.
      await until(
        "the campaign served",
        async () => (await call("GET", `${base}/api/campaigns/${definition.slug}`)).status === 200,
      );
      const { referrerWallet } = await referAndQualifyOverApi(base, {
        referrer: 501,
        referee: 502,
        label: "first-deploy",
      });

      // Paid by the service's worker, or the standalone one (the service then runs none), and
      // settled by the service's indexer.
      const reward = await until(
        "the referral reward settled",
        async () => {
          if (worker && hasEnded(worker)) throw new Error("the worker exited");
          const r = await call("GET", `${base}/api/me/rewards`, tmaFor(501));
          const item = r.body?.items?.[0];
          return item?.state === "settled" ? item : undefined;
        },
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}${workerLog()}`);
      });
      const receipt = await chain.client.getTransactionReceipt({ hash: reward.txHash });
      assert.equal(receipt.status, "success");
      assert.equal(getAddress(receipt.from), SIGNER.address, "sent with the worker's key");
      assert.equal(getAddress(receipt.to!), getAddress(deployment.referralPayouts));
      const balance = await chain.client.readContract({
        address: getAddress(deployment.tokens.REF!.token),
        abi: rewardTokenAbi,
        functionName: "balanceOf",
        args: [referrerWallet.address],
      });
      assert.equal(balance, parseUnits("10", 18));
      if (worker) assert.match(worker.output(), /a campaign is deployed on this chain: working/);

      // The service's indexer, idle until now, took the campaign from its deployment block.
      const check = await openDatabase({ url: databaseUrl, poolSize: 1 });
      try {
        const [covered] = await queryRows<{ caught_up_through: string | number }>(
          check.db,
          sql`select caught_up_through from chain_indexed_campaigns
            where payouts = ${deployment.referralPayouts.toLowerCase()}`,
        );
        assert.equal(Number(covered?.caught_up_through), deployment.startBlock);
      } finally {
        await check.close();
      }
      await until("the indexed balance", async () => {
        const b = await call("GET", `${base}/api/rewards/balances`, tmaFor(501));
        return b.body?.items?.[0]?.balance.tokens === "10";
      });
      await until("every job working and healthy", async () => {
        const h = await call("GET", `${base}/api/chain/health`);
        const leaders = (h.body?.jobs ?? []).filter((j: Json) => j.leader);
        return h.body?.status === "ok" &&
          leaders.length === 3 &&
          leaders.every((j: Json) => j.details.idle === undefined)
          ? h.body
          : undefined;
      });

      await service.stop();
      service = undefined;
      if (worker) {
        worker.process.kill("SIGTERM");
        assert.equal((await worker.exited).code, 0, `graceful stop${workerLog()}`);
      }
    },
  );
