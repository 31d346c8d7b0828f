/**
 * Harness for the payout pipeline's tests: a real Hardhat chain in this process with a real
 * campaign deployed by Ignition, the chain jobs wired to a test database, helpers to grant
 * rewards through the core ledger, and assertions that hold the pipeline's invariants (every
 * payout id paid exactly once on-chain; the ledger reconciles with the chain).
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, type TestContext } from "node:test";
import { sql } from "drizzle-orm";
import { Registry } from "prom-client";
import { type Address, getAddress, type Hex, parseUnits } from "viem";
import type { DeployRoles } from "../../scripts/lib/deployCampaign.ts";
import { referralPayoutsAbi } from "../../server/chain/abi.ts";
import { BACKEND_ROLES, type ChainSettings, loadChainSettings } from "../../server/chain/config.ts";
import type { ChainContext } from "../../server/chain/context.ts";
import { ContractIndex } from "../../server/chain/contracts.ts";
import { buildEpochs, type EpochOutcome } from "../../server/chain/epochs.ts";
import { evmPublicClient } from "../../server/chain/evm/client.ts";
import { EvmDriver } from "../../server/chain/evm/driver.ts";
import { TOPICS } from "../../server/chain/evm/logs.ts";
import { chainMetrics } from "../../server/chain/health.ts";
import { type ChainJob, epochJob, indexerJob, workerJob } from "../../server/chain/jobs.ts";
import { instanceId } from "../../server/chain/lease.ts";
import type { RoleAccounts } from "../../server/chain/signer.ts";
import {
  type DatabaseHandle,
  invalidateReads,
  queryRows,
  transaction,
} from "../../server/db/index.ts";
import { memberWallets } from "../../server/db/schema.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import type { DomainContext } from "../../server/domain/context.ts";
import { lockBudgets, writeGrant } from "../../server/domain/ledger.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { memberTag } from "../../server/domain/readTags.ts";
import { reconciliationStatus } from "../../server/domain/reconciliations.ts";
import { syncDefinitions } from "../../server/domain/registry.ts";
import { tmaResolver } from "../../server/http/auth.ts";
import { chainRoutes } from "../../server/http/routes/chain.ts";
import { createLogger } from "../../server/logger.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import {
  CHAIN_ID,
  deployTestCampaign,
  SIGNER,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "../support/chain.ts";
import { signInitDataOnClock, TEST_BOT_TOKEN } from "../support/telegram.ts";

export {
  ADMIN,
  ADMIN_KEY,
  CHAIN_ID,
  deployTestCampaign,
  PUBLISHER,
  RELAYER,
  SIGNER,
  SIGNER_KEY,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
  TREASURY,
  TREASURY_KEY,
} from "../support/chain.ts";

/** The chain a test file's scenarios share: {@link deployedChain}. */
export interface DeployedChain {
  chain: TestChain;
  campaign: TestCampaignDeployment;
  /** Puts the chain back to the moment after the deployment, with automining on. */
  reset(): Promise<void>;
  /**
   * {@link reset}, then a {@link harness} for `db` on the chain (with the file's role
   * accounts): how every scenario starts.
   */
  fresh(db: DatabaseHandle, opts?: Partial<HarnessOptions>): Promise<Harness>;
}

/**
 * A fresh chain with a campaign deployed (`campaign`: overrides of the test campaign), shared
 * by the scenarios of one test file and closed after them. `accounts` gives backend roles keys
 * of their own, both on-chain (the deployment's roles) and in every harness; without it the
 * signer holds every role. `wallClock`: each reset also mines a block at the wall clock's time
 * (never behind the last block): a revert turns the chain's clock back to the snapshot's, and
 * init data signed at the wall clock would look signed in the future on a busy machine.
 *
 * Called at a test file's top level (`const { chain, campaign, fresh } = await deployedChain()`).
 */
export async function deployedChain(
  options: {
    campaign?: CampaignDefinition | Partial<CampaignDefinition>;
    accounts?: RoleAccounts;
    wallClock?: boolean;
  } = {},
): Promise<DeployedChain> {
  const { accounts, wallClock = false } = options;
  const roles: DeployRoles = {};
  for (const role of BACKEND_ROLES) {
    const account = accounts?.[role];
    if (account) roles[role] = account.address;
  }
  const chain = await startTestChain();
  let campaign: TestCampaignDeployment;
  try {
    campaign = await deployTestCampaign(chain, options.campaign, roles);
  } catch (error) {
    await chain.close();
    throw error;
  }
  after(async () => {
    await campaign.cleanup();
    await chain.close();
  });
  let clean = await chain.snapshot();
  const reset = async () => {
    if (!wallClock) {
      clean = await chain.reset(clean);
      return;
    }
    await chain.revert(clean);
    const latest = await chain.client.getBlock();
    await chain.rpc("evm_mine", [
      Math.max(Math.floor(Date.now() / 1000), Number(latest.timestamp) + 1),
    ]);
    clean = await chain.snapshot();
    await chain.automine(true);
  };
  return {
    chain,
    campaign,
    reset,
    fresh: async (db, opts = {}) => {
      await reset();
      return harness(db, campaign, { rpcUrl: chain.url, accounts, ...opts });
    },
  };
}

/** Chain settings for tests: fast polling, one confirmation, a short finality window. */
export function testSettings(env: Record<string, string> = {}): ChainSettings {
  return loadChainSettings({
    PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
    CHAIN_CONFIRMATIONS: "1",
    CHAIN_FINALITY_DEPTH: "6",
    CHAIN_POLL_MS: "25",
    CHAIN_LEASE_SECONDS: "3",
    PAYOUT_BATCH_WINDOW_MS: "0",
    PAYOUT_REPLACE_AFTER_SECONDS: "3600",
    PAYOUT_HOLD_RECHECK_SECONDS: "1",
    EPOCH_INTERVAL_MINUTES: "1",
    ...env,
  });
}

export interface Harness {
  db: DatabaseHandle;
  domain: DomainContext;
  ctx: ChainContext<EvmDriver>;
  contracts: ContractIndex;
  campaignId: number;
  worker: ChainJob;
  indexer: ChainJob;
  epochs: ChainJob;
  registry: Registry;
  /** A member for Telegram user `telegramId`. */
  member(telegramId: number): Promise<number>;
  /** Links `address` to the member (what a verified SIWE link writes). */
  link(memberId: number, address: Address): Promise<void>;
  /** Writes a grant through the core ledger (budget lock, entry, postings, outbox row). */
  grant(memberId: number, tokens: string, opts?: GrantOptions): Promise<number>;
  /** Builds epochs now (what the scheduled epoch job does every EPOCH_INTERVAL_MINUTES). */
  buildEpochs(): Promise<EpochOutcome[]>;
  /** Runs worker and indexer passes until `done` holds. */
  settle(done?: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export interface GrantOptions {
  token?: string;
  level?: number;
  refereeId?: number;
  expiryDays?: number;
  now?: Date;
}

let grants = 0;

export interface HarnessOptions {
  rpcUrl: string;
  settings?: ChainSettings;
  now?: () => Date;
  logLevel?: string;
  /** One account per backend role (default: SIGNER for every role). */
  accounts?: RoleAccounts;
}

export async function harness(
  db: DatabaseHandle,
  campaign: TestCampaignDeployment,
  opts: HarnessOptions,
): Promise<Harness> {
  const now = opts.now ?? (() => new Date());
  const registry = await syncDefinitions(db.db, [campaign.definition], {
    deploymentsDir: campaign.deploymentsDir,
    chainId: CHAIN_ID,
  });
  const domain: DomainContext = { db: db.db, campaigns: registry, now, attributionWindowHours: 24 };
  const contracts = ContractIndex.fromRegistry(registry);
  assert.equal(contracts.size, 1, "the test campaign's deployment is loaded");
  const promRegistry = new Registry();
  const settings = opts.settings ?? testSettings();
  const ctx: ChainContext<EvmDriver> = {
    db: db.db,
    driver: new EvmDriver({
      client: evmPublicClient(opts.rpcUrl, CHAIN_ID),
      chainId: CHAIN_ID,
      account: opts.accounts?.payoutSigner ?? SIGNER,
      accounts: opts.accounts,
      production: settings.production,
    }),
    contracts,
    settings,
    chainId: CHAIN_ID,
    logger: createLogger(opts.logLevel ?? process.env.TEST_LOG_LEVEL ?? "silent"),
    metrics: chainMetrics(promRegistry),
    instance: instanceId(),
    now,
  };
  const campaignId = contracts.campaigns[0]!.id;
  const h: Harness = {
    db,
    domain,
    ctx,
    contracts,
    campaignId,
    worker: workerJob(ctx),
    indexer: indexerJob(ctx),
    epochs: epochJob(ctx),
    registry: promRegistry,
    buildEpochs: () =>
      buildEpochs({
        db: db.db,
        contracts,
        settings: ctx.settings,
        chainId: CHAIN_ID,
        logger: ctx.logger,
        metrics: ctx.metrics,
        now,
        signer: (opts.accounts?.rootPublisher ?? SIGNER).address,
      }),
    member: async (telegramId) =>
      (await ensureMember(domain, { id: telegramId, firstName: `M${telegramId}` })).member.id,
    link: async (memberId, address) => {
      await db.db
        .insert(memberWallets)
        .values({ memberId, address: getAddress(address), chainId: CHAIN_ID })
        .onConflictDoUpdate({
          target: memberWallets.memberId,
          set: { address: getAddress(address) },
        });
      invalidateReads(db.db, [memberTag(memberId)]); // as the domain's wallet link does
    },
    grant: async (memberId, tokens, o = {}) => {
      const token = o.token ?? "REF";
      const at = o.now ?? now();
      return transaction(db.db, async (tx) => {
        await lockBudgets(tx, campaignId, [token]);
        const { entryId } = await writeGrant(tx, {
          campaignId,
          token,
          memberId,
          amount: parseUnits(
            tokens,
            campaign.definition.tokens.find((t) => t.symbol === token)?.decimals ?? 18,
          ),
          kind: o.level === undefined ? "adjustment" : "referral",
          level: o.level ?? null,
          refereeId: o.refereeId ?? null,
          idempotencyKey: `test:${process.pid}:${++grants}`,
          expiryDays: o.expiryDays,
          now: at,
        });
        return entryId;
      });
    },
    settle: async (done, timeoutMs = 30_000) => {
      await until(
        "everything settled",
        async () => {
          await h.worker.runOnce();
          await h.indexer.runOnce();
          return done ? done() : allSettled(db);
        },
        timeoutMs,
      );
    },
  };
  return h;
}

/**
 * The real HTTP app over the harness's database with the pipeline's routes (proofs, perk
 * orders, health, …), members authenticated by Telegram init data against the harness's
 * clock, which also dates init data signed without an `authDate` while the test runs.
 */
export async function chainApp(
  t: TestContext,
  h: Harness,
  campaign: Pick<TestCampaignDeployment, "definition">,
): Promise<TestApp> {
  const { router } = chainRoutes({
    domain: h.domain,
    db: h.db.db,
    contracts: h.contracts,
    chainId: CHAIN_ID,
    driver: h.ctx.driver,
    resolvers: [
      tmaResolver(h.domain, {
        botToken: TEST_BOT_TOKEN,
        maxAgeSeconds: 3600,
        adminTelegramIds: new Set(),
      }),
    ],
    perMember: (_req, _res, next) => next(),
    bodyLimitBytes: 16_384,
    validateResponses: true,
    localHealth: () => [],
  });
  const app = await startTestApp(t, h.db, {
    campaigns: [campaign.definition],
    routers: [{ path: "/", router }],
  });
  // Members are authenticated against the harness's clock: undated init data is signed by it.
  signInitDataOnClock(t, h.domain.now);
  return app;
}

/** Whether nothing waits for the chain: no entry queued or in flight, no send unconfirmed. */
export async function allSettled(db: DatabaseHandle): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    db.db,
    sql`select (select count(*) from ledger_entries where state in ('pending', 'queued', 'sent'))::int
             + (select count(*) from chain_sends where status in ('pending', 'signed', 'sent', 'mined'))::int as n`,
  );
  return Number(row?.n) === 0;
}

/** Polls `check` (every `intervalMs`) until it returns something truthy; fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Every `ReferralRewarded` on the campaign's contract: payout id → times paid. */
export async function paidOnChain(
  chain: Pick<TestChain, "client">,
  payouts: Address,
): Promise<Map<bigint, number>> {
  const logs = await chain.client.request({
    method: "eth_getLogs",
    params: [
      {
        address: payouts,
        fromBlock: "0x0",
        toBlock: "latest",
        topics: [TOPICS.referralRewarded as Hex],
      },
    ],
  });
  const out = new Map<bigint, number>();
  for (const l of logs as Array<{ data: string }>) {
    const id = BigInt(`0x${l.data.slice(2, 66)}`);
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** Asserts each of `entryIds` was paid exactly once on-chain (and nothing else was paid). */
export async function assertPaidExactlyOnce(
  chain: TestChain,
  payouts: Address,
  entryIds: readonly number[],
): Promise<void> {
  const paid = await paidOnChain(chain, payouts);
  for (const id of entryIds)
    assert.equal(paid.get(BigInt(id)), 1, `payout ${id} paid exactly once`);
  assert.equal(paid.size, entryIds.length, "no other payout ids were paid");
  const flags = await chain.client.readContract({
    address: payouts,
    abi: referralPayoutsAbi,
    functionName: "arePaid",
    args: [entryIds.map(BigInt)],
  });
  assert.ok(flags.every(Boolean), "the contract records every payout id as paid");
}

/** Asserts the ledger, the indexed data and the chain agree (npm run reconcile's check). */
export async function assertReconciled(h: Harness): Promise<void> {
  await h.indexer.runOnce();
  const report = await h.ctx.driver.reconcile(h.db.db, h.contracts);
  assert.deepEqual(report.differences, [], "reconcile finds no difference");
  // Recorded per campaign for the console's Overview.
  for (const c of h.contracts.campaigns) {
    const { last } = await reconciliationStatus(h.db.db, c.id);
    assert.equal(last?.blockNumber, report.block, `${c.slug}: the run is recorded`);
    assert.deepEqual(last?.differences, []);
    assert.deepEqual(
      last?.lines.map((l) => l.token),
      report.lines.filter((l) => l.campaign === c.slug).map((l) => l.token),
    );
  }
}

/** Ledger states of entries, in id order. */
export async function entryStates(
  db: DatabaseHandle,
): Promise<Array<{ id: number; state: string }>> {
  const rows = await queryRows<{ id: string; state: string }>(
    db.db,
    sql`select id, state from ledger_entries order by id`,
  );
  return rows.map((r) => ({ id: Number(r.id), state: r.state }));
}

// ---- a JSON-RPC proxy that injects faults ------------------------------------------------------

export type FaultMode =
  | "http-500"
  | "http-429"
  | "rpc-rate-limit"
  | "rpc-internal"
  /** Forwards the request, then answers 502: the node acted, the caller does not know. */
  | "lose-response"
  | "reset";

export interface FaultyRpc {
  url: string;
  /** Injects `mode` into the next `count` requests whose method matches. */
  inject(mode: FaultMode, count: number, methods?: string[]): void;
  injected(): number;
  forwarded(): number;
  /** Refuses (as too many results) every `eth_getLogs` over more than `blocks` blocks. */
  limitLogRange(blocks: number | undefined): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** An HTTP JSON-RPC proxy in front of `target` that fails requests on demand. */
export async function startFaultyRpc(target: string): Promise<FaultyRpc> {
  let plan: { mode: FaultMode; left: number; methods?: Set<string> } | undefined;
  let injected = 0;
  let forwarded = 0;
  let maxLogBlocks: number | undefined;
  const forward = async (text: string) => {
    forwarded++;
    const r = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    });
    return { status: r.status, text: await r.text() };
  };
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    let methods: string[] = [];
    let id: unknown = null;
    try {
      const parsed = JSON.parse(text) as
        | { method?: string; id?: unknown }
        | Array<{ method?: string }>;
      // The transport batches concurrent calls: a batch matches if any of its calls does.
      if (Array.isArray(parsed)) methods = parsed.map((p) => p.method ?? "");
      else {
        methods = [parsed.method ?? ""];
        id = parsed.id ?? null;
      }
    } catch {}
    if (maxLogBlocks !== undefined) {
      const calls = (() => {
        try {
          const parsed = JSON.parse(text) as unknown;
          return (Array.isArray(parsed) ? parsed : [parsed]) as Array<{
            id?: unknown;
            method?: string;
            params?: Array<{ fromBlock?: string; toBlock?: string }>;
          }>;
        } catch {
          return [];
        }
      })();
      const wide = calls.some(
        (c) =>
          c.method === "eth_getLogs" &&
          Number(c.params?.[0]?.toBlock) - Number(c.params?.[0]?.fromBlock) + 1 > maxLogBlocks!,
      );
      if (wide) {
        injected++;
        const error = (c: { id?: unknown }) => ({
          jsonrpc: "2.0",
          id: c.id ?? null,
          error: { code: -32602, message: "query returned more than 10000 results" },
        });
        const reply = text.trimStart().startsWith("[") ? calls.map(error) : error(calls[0] ?? {});
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
        return;
      }
    }
    const p = plan;
    if (p && p.left > 0 && (!p.methods || methods.some((m) => p.methods?.has(m)))) {
      p.left--;
      injected++;
      switch (p.mode) {
        case "http-500":
          res.writeHead(500).end("upstream exploded");
          return;
        case "http-429":
          res.writeHead(429, { "retry-after": "1" }).end("Too Many Requests");
          return;
        case "rpc-rate-limit":
          res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              jsonrpc: "2.0",
              id,
              error: { code: -32005, message: "request limit exceeded" },
            }),
          );
          return;
        case "rpc-internal":
          res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              jsonrpc: "2.0",
              id,
              error: { code: -32603, message: "internal error" },
            }),
          );
          return;
        case "lose-response":
          await forward(text);
          res.writeHead(502).end("bad gateway");
          return;
        case "reset":
          req.socket.destroy();
          return;
      }
    }
    const r = await forward(text);
    res.writeHead(r.status, { "content-type": "application/json" }).end(r.text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject: (mode, count, methods) => {
      plan = { mode, left: count, methods: methods ? new Set(methods) : undefined };
    },
    injected: () => injected,
    forwarded: () => forwarded,
    limitLogRange: (blocks) => {
      maxLogBlocks = blocks;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
