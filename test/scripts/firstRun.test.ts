/**
 * The first run, as a new user does it: a clean copy of the checkout (no compiled contracts,
 * no database, no deployments; the installed node_modules linked in), then `npm run dev`, then
 * the operator commands beside it with no environment at all.
 *
 * - `npm run dev` compiles the contracts itself, deploys, serves; it says it is development on
 *   127.0.0.1, and "bot off" once, as text.
 * - A real referral through the dev API: the referrer has no wallet, so the reward is paid into
 *   escrow; the referrer then links a wallet and `npm run epoch:publish` publishes the epoch
 *   through the dev service. The reward file it names is served, the referrer's Claim (the
 *   proof) is there, and health has no alert. `reconcile` and `payouts:retry` work too.
 * - Once dev has stopped, a command refuses instead of creating an empty database.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { fastStartEnv, spawnService } from "../support/process.ts";
import { buildSiweMessage, signSiwe, testAccount } from "../support/siwe.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let copy: string;

/** The checkout's files as git sees them (tracked, plus new files not ignored): no build output. */
async function cleanCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "refmint-first-run-"));
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((f) => f !== "");
  for (const f of files) {
    const from = path.join(ROOT, f);
    const stat = await lstat(from).catch(() => undefined);
    if (!stat?.isFile()) continue; // deleted in the work tree, or a link such as .tools
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await copyFile(from, path.join(dir, f));
  }
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * Only what a user's shell has: no DATABASE_URL, RPC_URL, keys or test settings. (The test
 * run's preload in NODE_OPTIONS, when set, only makes each process start with less CPU.)
 */
const userEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? tmpdir(),
  ...fastStartEnv(),
  ...extra,
});

function npm(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn("npm", ["run", "--silent", ...args], {
    cwd: copy,
    env: userEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  for (const s of [child.stdout, child.stderr])
    s.on("data", (b: Buffer) => {
      output += b.toString();
    });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

before(async () => {
  copy = await cleanCopy();
});

after(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

test("npm install then npm run dev works on a fresh clone; the operator commands work beside it", async (t) => {
  for (const built of ["artifacts", "cache", ".data", "deployments/31337"])
    assert.equal(existsSync(path.join(copy, built)), false, `${built} is not in a clean checkout`);

  const started = Date.now();
  const dev = spawnService(
    "npm",
    ["run", "dev"],
    userEnv({
      // Free ports (other tests run beside this one); epochs only on demand, so this test
      // decides when one is built.
      DEV_RPC_PORT: "0",
      PORT: "0",
      EPOCH_INTERVAL_MINUTES: "0",
    }),
    { cwd: copy, bare: true },
  );
  // On a failure, nothing of the stack outlives the test (npm, node, the Hardhat node).
  t.after(() => dev.killAll());
  await dev.waitFor(/^operator /);
  t.diagnostic(`first start on a clean checkout: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const output = dev.lines.join("\n");
  assert.match(output, /^contracts compiled/m);
  assert.match(output, /^mode {5}development: listening on 127\.0\.0\.1 only/m);
  assert.equal(output.match(/bot off/g)?.length, 1, output);
  assert.ok(
    dev.lines.every((l) => !l.startsWith("{")),
    `only text, no JSON log lines:\n${output}`,
  );
  const api = output.match(/^api {6}(http:\/\/127\.0\.0\.1:\d+)/m)?.[1];
  assert.ok(api, output);

  // A referral: A invites B; B links a wallet (the demo campaign's qualifying action); A has
  // no wallet yet, so A's reward is paid on-chain into escrow.
  const initData = async (id: number, startParam?: string) => {
    const q = new URLSearchParams({
      id: String(id),
      ...(startParam ? { start_param: startParam } : {}),
    });
    const res = await fetch(`${api}/__dev/telegram-init-data?${q}`);
    return ((await res.json()) as { initData: string }).initData;
  };
  const call = async <T>(init: string, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${api}${route}`, {
      method,
      headers: {
        authorization: `tma ${init}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${route}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const link = async (init: string, label: string) => {
    const account = testAccount(label);
    const n = await call<{
      nonce: string;
      issuedAt: string;
      domain: string;
      uri: string;
      chainId: number;
    }>(init, "GET", "/api/me/wallet/nonce");
    const message = buildSiweMessage({ address: account.address, ...n });
    await call(init, "POST", "/api/me/wallet", {
      message,
      signature: await signSiwe(account, message),
    });
    return account.address;
  };
  const a = await initData(5001);
  const { code } = await call<{ code: string }>(a, "GET", "/api/me");
  const b = await initData(5002, code);
  await call(b, "POST", "/api/me/attribution", {});
  await link(b, "first-run-b");
  const settled = async () => {
    const r = await call<{ items: Array<{ state: string; token: string }> }>(
      a,
      "GET",
      "/api/me/rewards",
    );
    return r.items.some((i) => i.state === "settled" && i.token === "REF");
  };
  for (let i = 0; !(await settled()); i++) {
    assert.ok(i < 600, "A's reward was paid and settled");
    await new Promise((r) => setTimeout(r, 200));
  }
  const wallet = await link(a, "first-run-a");

  // The operator publishes an epoch with no setup at all.
  const published = await npm(["epoch:publish"]);
  assert.equal(published.code, 0, published.output);
  assert.match(published.output, /through npm run dev \(pid \d+\)/);
  assert.match(published.output, /demo REF: built \(1 members\)/);
  const file = published.output.match(
    /demo REF: epoch 1 published in 0x[0-9a-f]{64}, root (0x[0-9a-f]{64}), (http:\/\/\S+\/rewards\/epochs\/demo\/REF\/1\.json)/,
  );
  assert.ok(file, published.output);
  // What it reports is what the service serves, and A can now claim it in the dashboard.
  const served = await fetch(file[2]!);
  assert.equal(served.status, 200);
  assert.equal(((await served.json()) as { root: string }).root, file[1]);
  const proofs = await call<{ items: Array<{ account: string; claimable: string; root: string }> }>(
    a,
    "GET",
    "/api/rewards/proof",
  );
  assert.equal(proofs.items.length, 1);
  assert.equal(proofs.items[0]!.account, wallet);
  assert.equal(proofs.items[0]!.root, file[1]);
  assert.equal(proofs.items[0]!.claimable, (10n * 10n ** 18n).toString());
  const health = (await (await fetch(`${api}/api/chain/health`)).json()) as { alerts: string[] };
  assert.deepEqual(health.alerts, []);

  const reconciled = await npm(["reconcile"]);
  assert.equal(reconciled.code, 0, reconciled.output);
  assert.match(reconciled.output, /no differences/);
  const retried = await npm(["payouts:retry"]);
  assert.equal(retried.code, 0, retried.output);
  assert.match(retried.output, /no failed payouts to requeue/);

  // Ctrl-C: the stack stops, and its runtime file goes with it.
  dev.child.kill("SIGINT");
  assert.equal(await dev.exit, 0, dev.lines.join("\n"));
  assert.equal(existsSync(path.join(copy, ".data/dev/runtime.json")), false);

  // Without a running service, a command refuses rather than create an empty database.
  const refused = await npm(["epoch:publish"]);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /No database at \.data\/pglite \(DATA_DIR\)\. Nothing was created/);
  assert.equal(existsSync(path.join(copy, ".data/pglite")), false);
});
