/**
 * The content-addressed reward files and `refmint-verify` (issue 16), on PGlite and PostgreSQL
 * against a real Hardhat chain: the demo campaign after direct payouts, escrow, an epoch, a
 * claim and a release; the files are written by the indexer's pass and served over HTTP; the
 * verifier (in process and as the `refmint-verify` command, from the URL and from a saved
 * copy) passes, and fails naming the file, the field and both values on a changed amount, a
 * removed payout and a wrong root; an index with a tampered or foreign signature is refused;
 * a copy saved before the epoch, the claim and the release still verifies after them.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { type Address, type Hex, type PublicClient, parseUnits } from "viem";
import { rewardDistributorAbi } from "../../server/chain/abi.ts";
import { writeRewardFiles } from "../../server/chain/rewardFiles.ts";
import { queryRows } from "../../server/db/index.ts";
import { rewardFiles } from "../../server/db/schema/rewardFiles.ts";
import {
  contentAddress,
  fileName,
  indexTypedData,
  type PayoutsFile,
  type RewardFile,
  RewardTree,
  type SignedIndex,
  textHash,
} from "../../verify/rewardFiles.ts";
import { mapSource, type Report, urlSource, verify } from "../../verify/verify.ts";
import { withDatabases } from "../support/db.ts";
import {
  ADMIN,
  chainApp,
  deployedChain,
  type Harness,
  PUBLISHER,
  RELAYER,
  SIGNER,
} from "./support.ts";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "../../verify/cli.ts");

// The root publisher has a key of its own: only it may sign the index.
const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { chain, campaign, fresh } = await deployedChain({ accounts });

const wallet = (n: number) =>
  `0x${(0xfeed0000000000n + BigInt(n)).toString(16).padStart(40, "0")}` as Address;
const REF = (v: string) => parseUnits(v, 18);

async function publishEpoch(h: Harness) {
  await h.buildEpochs();
  await h.settle(async () => {
    const [pending] = await queryRows<{ n: number }>(
      h.db.db,
      sql`select count(*)::int as n from chain_epochs where status = 'pending'`,
    );
    return Number(pending?.n) === 0;
  });
}

/** Reads every file the served index lists into a map (a saved copy, as anyone could make). */
async function saveCopy(base: string): Promise<Map<string, string>> {
  const copy = new Map<string, string>();
  const indexText = await (await fetch(`${base}/rewards/files/index.json`)).text();
  copy.set("index.json", indexText);
  for (const f of (JSON.parse(indexText) as SignedIndex).files) {
    const res = await fetch(`${base}/rewards/files/${fileName(f.hash)}`);
    assert.equal(res.status, 200);
    copy.set(fileName(f.hash), await res.text());
  }
  return copy;
}

async function writeDir(files: Map<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "refmint-files-"));
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return dir;
}

/** Runs the command; resolves with its exit code and output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The copy with one file replaced by `value` (new name) and the index re-signed by `signer`. */
async function republish(
  copy: Map<string, string>,
  oldName: string,
  value: unknown,
  signer = PUBLISHER,
): Promise<{ copy: Map<string, string>; name: string }> {
  const out = new Map(copy);
  const { text, hash } = contentAddress(value);
  out.delete(oldName);
  out.set(fileName(hash), text);
  const index = JSON.parse(copy.get("index.json")!) as SignedIndex;
  const files = index.files.map((f) => (fileName(f.hash) === oldName ? { ...f, hash } : f));
  const body = {
    ...index,
    files,
    sequence: index.sequence + 1,
    previous: textHash(copy.get("index.json")!),
  };
  const signature = await signer.signTypedData(indexTypedData(body));
  out.set("index.json", JSON.stringify({ ...body, signer: signer.address, signature }));
  return { copy: out, name: fileName(hash) };
}

const fileOf = (copy: Map<string, string>, kind: string) => {
  const index = JSON.parse(copy.get("index.json")!) as SignedIndex;
  const entry = index.files.find((f) => f.kind === kind)!;
  return { name: fileName(entry.hash), value: JSON.parse(copy.get(fileName(entry.hash))!) };
};

const hasMismatch = (r: Report, file: string, field: string, expected?: string, actual?: string) =>
  r.mismatches.some(
    (m) =>
      m.file === file &&
      m.field === field &&
      (expected === undefined || m.expected === expected) &&
      (actual === undefined || m.actual === actual),
  );

test("reward files: the verifier passes after payouts, escrow, an epoch, a claim and a release, and names every tampering", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const client = h.ctx.driver.client as PublicClient;
    const ref = h.contracts.campaigns[0]!.tokens.get("REF")!;
    const distributor = ref.distributor!;

    // Nothing published yet: no index.
    assert.equal((await app.call("GET", "/rewards/files/index.json")).status, 404);

    // A has a wallet: paid directly (a level-1 referral reward for R, and an adjustment).
    const [a, r, b, d] = [
      await h.member(21),
      await h.member(22),
      await h.member(23),
      await h.member(24),
    ];
    await h.link(a, wallet(1));
    const referral = await h.grant(a, "10", { level: 1, refereeId: r });
    await h.grant(a, "2");
    // B and D have no wallet: paid into the distributor (escrow).
    await h.grant(b, "4");
    await h.grant(d, "5");
    await h.grant(d, "3");
    await h.settle();
    await h.indexer.runOnce();
    // Someone saves today's files; they must still verify after everything below.
    const yesterday = await saveCopy(app.url);

    // D links a wallet and epoch 1 promises D's 8; B links one and the worker releases B's 4.
    await h.link(d, wallet(4));
    await publishEpoch(h);
    await h.link(b, wallet(3));
    await h.settle(async () => {
      const [row] = await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from chain_releases where status = 'released'`,
      );
      return Number(row?.n) === 1;
    });
    await h.indexer.runOnce();

    // Before D claims: the verifier finds D's 8 claimable with a proof against the on-chain root.
    const before = await verify({ client, source: urlSource(app.url), address: wallet(4) });
    assert.deepEqual(before.mismatches, []);
    assert.equal(before.ok, true);
    const claimable = before.wallet!.claimable;
    assert.equal(claimable.length, 1);
    assert.equal(claimable[0]!.claimable, REF("8").toString());
    assert.equal(claimable[0]!.member, String(d));
    assert.equal(claimable[0]!.proofVerified, true);
    // …and the claim it shows works on-chain.
    const item = claimable[0]!;
    const hash = await chain.admin.writeContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "claim",
      args: [wallet(4), BigInt(item.cumulativeAmount), BigInt(item.terms), item.proof],
      chain: null,
      account: ADMIN,
    });
    assert.equal(
      (await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 })).status,
      "success",
    );
    await h.indexer.runOnce();

    // The files: every listed one served byte for byte under its hash; indexes chained.
    const indexRes = await app.call("GET", "/rewards/files/index.json");
    assert.equal(indexRes.status, 200);
    assert.equal(indexRes.headers.get("access-control-allow-origin"), "*");
    const index = JSON.parse(indexRes.text) as SignedIndex;
    assert.equal(index.signer, PUBLISHER.address);
    assert.deepEqual([...new Set(index.files.map((f) => f.kind))].sort(), [
      "campaign",
      "epoch",
      "payouts",
    ]);
    for (const f of index.files) {
      const res = await app.call("GET", `/rewards/files/${fileName(f.hash)}`);
      assert.equal(res.status, 200);
      assert.equal(textHash(res.text), f.hash);
    }
    assert.ok(index.sequence >= 2, "a new index followed the epoch");
    const previous = await app.call("GET", `/rewards/files/${fileName(index.previous)}`);
    assert.equal(previous.status, 200);
    assert.equal(JSON.parse(previous.text).sequence, index.sequence - 1);
    assert.equal((await app.call("GET", `/rewards/files/${"ab".repeat(32)}.json`)).status, 404);
    assert.equal((await app.call("GET", "/rewards/files/nothex.json")).status, 400);
    // Nothing changed: another pass writes no new index; stored files cannot be rewritten.
    const count = (await db.db.select().from(rewardFiles)).length;
    await h.indexer.runOnce();
    assert.equal((await db.db.select().from(rewardFiles)).length, count);
    const refused = (e: Error) => /append-only/.test(String(e.cause ?? e));
    await assert.rejects(
      db.db.execute(sql`update reward_files set body = '{}' where kind = 'payouts'`),
      refused,
    );
    await assert.rejects(db.db.execute(sql`delete from reward_files`), refused);
    // The old route still serves the epoch file.
    assert.equal(
      (await app.call("GET", `/rewards/epochs/${campaign.definition.slug}/REF/1.json`)).status,
      200,
    );

    // Campaign mode: the files, the events, the roots and the supply agree.
    const all = await verify({ client, source: urlSource(`${app.url}/rewards/files`) });
    assert.deepEqual(all.mismatches, []);
    assert.equal(all.ok, true);
    const summary = all.campaigns[0]!;
    assert.equal(summary.payouts, 5);
    assert.equal(summary.epochs, 1);
    assert.deepEqual(
      summary.tokens.find((x) => x.symbol === "REF"),
      {
        symbol: "REF",
        paid: REF("24").toString(),
        supply: REF("24").toString(),
        escrow: "0", // 12 escrowed − 4 released − 8 claimed
      },
    );
    assert.ok(all.passed.some((p) => p.includes("rebuilds the on-chain root")));
    assert.ok(all.passed.some((p) => p.includes("payouts match their ReferralRewarded logs")));

    // Wallet mode: A's payouts with their logs; B's escrow and release; D's escrow and claim.
    const wa = (await verify({ client, source: urlSource(app.url), address: wallet(1) })).wallet!;
    assert.deepEqual(
      wa.payouts.map((p) => [p.id, p.amount, p.level, p.referee, p.event !== null]),
      [
        [String(referral), REF("10").toString(), 1, String(r), true],
        [String(referral + 1), REF("2").toString(), 0, "0", true],
      ],
    );
    const receipt = await client.getTransactionReceipt({ hash: wa.payouts[0]!.event!.txHash });
    assert.equal(receipt.status, "success");
    const wb = (await verify({ client, source: urlSource(app.url), address: wallet(3) })).wallet!;
    assert.deepEqual(
      wb.releases.map((x) => [x.member, x.amount]),
      [[String(b), REF("4").toString()]],
    );
    assert.deepEqual(
      wb.escrowed.map((x) => x.amount),
      [REF("4").toString()],
    );
    const wd = (await verify({ client, source: urlSource(app.url), address: wallet(4) })).wallet!;
    assert.deepEqual(
      wd.claims.map((x) => [x.member, x.amount, x.txHash]),
      [[String(d), REF("8").toString(), hash]],
    );
    assert.equal(wd.escrowed.length, 2);
    assert.deepEqual(
      wd.claimable.map((x) => [x.claimed, x.claimable, x.proofVerified]),
      [[REF("8").toString(), "0", true]],
    );

    // Yesterday's copy (an older index, an older payouts file, no epoch yet) still verifies.
    const old = await verify({ client, source: mapSource("yesterday", yesterday) });
    assert.deepEqual(old.mismatches, []);
    assert.equal(old.campaigns[0]?.payouts, 5);

    // The command, from the URL and from a saved copy.
    const byUrl = await cli([wallet(4), "--rpc", chain.url, "--files", app.url]);
    assert.equal(byUrl.code, 0, byUrl.stdout + byUrl.stderr);
    assert.match(byUrl.stdout, /OK: the files and the chain agree/);
    assert.match(byUrl.stdout, new RegExp(`member ${d} 8 REF: tx ${hash}`));
    const copy = await saveCopy(app.url);
    const dir = await writeDir(copy);
    t.after(() => rm(dir, { recursive: true, force: true }));
    const byDir = await cli(["--campaign", "--rpc", chain.url, "--files", dir, "--json"]);
    assert.equal(byDir.code, 0, byDir.stdout + byDir.stderr);
    assert.equal(JSON.parse(byDir.stdout).ok, true);
    assert.equal((await cli(["--rpc", chain.url])).code, 2, "bad arguments");

    // Tampered: an amount changed in place (the name kept).
    const payouts = fileOf(copy, "payouts");
    const changed = structuredClone(payouts.value) as PayoutsFile;
    const victim = changed.items.find((x) => x.id === String(referral))!;
    victim.amount = REF("100").toString();
    const inPlace = new Map(copy).set(payouts.name, JSON.stringify(changed));
    const tamperedDir = await writeDir(inPlace);
    t.after(() => rm(tamperedDir, { recursive: true, force: true }));
    const amountRun = await cli([
      "--campaign",
      "--rpc",
      chain.url,
      "--files",
      tamperedDir,
      "--json",
    ]);
    assert.equal(amountRun.code, 1);
    const amountReport = JSON.parse(amountRun.stdout) as Report;
    assert.ok(hasMismatch(amountReport, payouts.name, "sha256", `0x${payouts.name.slice(0, 64)}`));
    assert.ok(
      hasMismatch(
        amountReport,
        payouts.name,
        `payout ${referral} amount`,
        REF("100").toString(),
        REF("10").toString(),
      ),
      JSON.stringify(amountReport.mismatches),
    );
    const text = await cli(["--campaign", "--rpc", chain.url, "--files", tamperedDir]);
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      new RegExp(
        `✗ ${payouts.name}: payout ${referral} amount: expected ${REF("100")}, actual ${REF("10")}`,
      ),
    );

    // Tampered and re-signed by the publisher key itself: a payout removed.
    const removed = structuredClone(payouts.value) as PayoutsFile;
    removed.items = removed.items.filter((x) => x.id !== String(referral));
    const lost = await republish(copy, payouts.name, removed);
    const lostReport = await verify({ client, source: mapSource("copy", lost.copy) });
    assert.equal(lostReport.ok, false);
    assert.equal(lostReport.refused, false);
    assert.ok(
      lostReport.mismatches.some(
        (m) =>
          m.file === lost.name &&
          m.field === `payout ${referral}` &&
          m.expected === "missing from the file" &&
          m.actual.includes(`amount ${REF("10")}`),
      ),
      JSON.stringify(lostReport.mismatches),
    );

    // A wrong root: an epoch file whose tree promises D more, consistently rebuilt.
    const epoch = fileOf(copy, "epoch");
    const e = epoch.value as RewardFile;
    const original = RewardTree.fromFile(e).claimFor(d)!;
    const inflated = RewardTree.build([
      { ...original, cumulativeAmount: original.cumulativeAmount + REF("1") },
    ]);
    const wrongRoot = await republish(
      copy,
      epoch.name,
      inflated.toFile({
        chainId: e.chainId,
        distributor: e.distributor,
        token: e.token,
        epoch: e.epoch,
        deadline: e.deadline,
        total: e.total,
      }),
    );
    const rootReport = await verify({ client, source: mapSource("copy", wrongRoot.copy) });
    assert.ok(
      hasMismatch(rootReport, wrongRoot.name, "epoch 1 root", inflated.root, e.root),
      JSON.stringify(rootReport.mismatches),
    );
    assert.ok(
      hasMismatch(rootReport, wrongRoot.name, `epoch 1 member ${d} cumulativeAmount`),
      "more than the member's escrowed payouts",
    );

    // The index: a listed hash changed without re-signing, or signed by another key: refused.
    const forged = JSON.parse(copy.get("index.json")!) as SignedIndex;
    forged.files = forged.files.map((f) =>
      f.kind === "payouts" ? { ...f, hash: lost.name.slice(0, 64).replace(/^/, "0x") as Hex } : f,
    );
    const forgedCopy = new Map(lost.copy).set("index.json", JSON.stringify(forged));
    const forgedReport = await verify({ client, source: mapSource("copy", forgedCopy) });
    assert.equal(forgedReport.refused, true);
    assert.equal(forgedReport.ok, false);
    assert.equal(forgedReport.mismatches[0]?.field, "signature");
    assert.equal(forgedReport.campaigns.length, 0, "nothing else is believed");
    const foreign = await republish(copy, payouts.name, removed, SIGNER);
    const foreignDir = await writeDir(foreign.copy);
    t.after(() => rm(foreignDir, { recursive: true, force: true }));
    const foreignRun = await cli(["--campaign", "--rpc", chain.url, "--files", foreignDir]);
    assert.equal(foreignRun.code, 1);
    assert.match(foreignRun.stdout, /REFUSED/);
    assert.match(foreignRun.stdout, new RegExp(`index.json: signer: .*actual ${SIGNER.address}`));
  });
});

test("reward files: payouts in parts; closed parts never change, a new payout rewrites only the last, and a gap or a changed payout names its part", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const client = h.ctx.driver.client as PublicClient;
    const a = await h.member(31);
    await h.link(a, wallet(31));
    // Five payouts in five blocks (one settled transaction each).
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(await h.grant(a, String(i)));
      await h.settle();
    }
    await h.indexer.runOnce();
    // Two payouts a part: closed parts of two, the fifth in the open part.
    assert.equal((await writeRewardFiles(h.ctx, { partItems: 2 })).outcome, "written");
    const parts = (copy: Map<string, string>) => {
      const index = JSON.parse(copy.get("index.json")!) as SignedIndex;
      return index.files
        .filter((f) => f.kind === "payouts")
        .map((f) => ({ name: fileName(f.hash), value: JSON.parse(copy.get(fileName(f.hash))!) }))
        .sort((x, y) => (x.value as PayoutsFile).fromBlock! - (y.value as PayoutsFile).fromBlock!);
    };
    const first = await saveCopy(app.url);
    const cut = parts(first);
    assert.deepEqual(
      cut.map((p) => (p.value as PayoutsFile).items.map((x) => Number(x.id))),
      [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)],
    );
    for (let i = 1; i < cut.length; i++)
      assert.equal(
        (cut[i]!.value as PayoutsFile).fromBlock,
        (cut[i - 1]!.value as PayoutsFile).throughBlock + 1,
        "parts follow each other without a gap",
      );
    const ok = await verify({ client, source: mapSource("parts", first) });
    assert.deepEqual(ok.mismatches, []);
    assert.equal(ok.campaigns[0]?.payouts, 5);

    // A sixth payout: the indexer's own pass rewrites only the open part.
    ids.push(await h.grant(a, "6"));
    await h.settle();
    await h.indexer.runOnce();
    const second = await saveCopy(app.url);
    const next = parts(second);
    assert.deepEqual(
      next.slice(0, 2).map((p) => p.name),
      cut.slice(0, 2).map((p) => p.name),
      "the closed parts are the same files",
    );
    assert.deepEqual(
      (next[2]!.value as PayoutsFile).items.map((x) => Number(x.id)),
      ids.slice(4),
    );
    assert.deepEqual((await verify({ client, source: mapSource("next", second) })).mismatches, []);

    // A closed part's amount changed, re-signed by the publisher: named in that part.
    const changed = structuredClone(next[0]!.value) as PayoutsFile;
    changed.items[1]!.amount = REF("100").toString();
    const bad = await republish(second, next[0]!.name, changed);
    const badReport = await verify({ client, source: mapSource("bad", bad.copy) });
    assert.ok(
      hasMismatch(
        badReport,
        bad.name,
        `payout ${ids[1]} amount`,
        REF("100").toString(),
        REF("2").toString(),
      ),
      JSON.stringify(badReport.mismatches),
    );

    // The middle part left out of a re-signed index: the gap and its payouts are named.
    const index = JSON.parse(second.get("index.json")!) as SignedIndex;
    const body = {
      ...index,
      files: index.files.filter((f) => fileName(f.hash) !== next[1]!.name),
      sequence: index.sequence + 1,
      previous: textHash(second.get("index.json")!),
    };
    const signature = await PUBLISHER.signTypedData(indexTypedData(body));
    const gap = new Map(second).set(
      "index.json",
      JSON.stringify({ ...body, signer: PUBLISHER.address, signature }),
    );
    const gapReport = await verify({ client, source: mapSource("gap", gap) });
    const third = next[2]!.value as PayoutsFile;
    assert.ok(
      hasMismatch(
        gapReport,
        next[2]!.name,
        "fromBlock",
        String((next[0]!.value as PayoutsFile).throughBlock + 1),
        String(third.fromBlock),
      ),
      JSON.stringify(gapReport.mismatches),
    );
    for (const id of ids.slice(2, 4))
      assert.ok(
        gapReport.mismatches.some(
          (m) => m.field === `payout ${id}` && m.expected === "missing from the file",
        ),
        JSON.stringify(gapReport.mismatches),
      );
  });
});
