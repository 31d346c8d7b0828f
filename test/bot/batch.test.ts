/**
 * The batching behind the webhook's throughput (bot/batch.ts, bot/members.ts): calls made
 * together share one batch, each caller gets its own result or error, and the batched
 * member creation and attribution decide exactly what the one-at-a-time paths decide.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { Coalescer, GATHER_TURNS } from "../../bot/batch.ts";
import { attributionBatcher, loginTokenIssuer, memberLoader } from "../../bot/members.ts";
import { webLoginTokens } from "../../server/db/schema/web.ts";
import { members, referralCodes, referrals } from "../../server/db/schema.ts";
import { isDomainError } from "../../server/domain/errors.ts";
import { setLanguage } from "../../server/domain/index.ts";
import { getMember } from "../../server/domain/members.ts";
import { withDatabases } from "../support/db.ts";
import { testDomain } from "../support/domain.ts";

test("calls made together run as one batch; a failed batch is retried item by item", async () => {
  const batches: number[][] = [];
  const c = new Coalescer<number, number>(async (xs) => {
    batches.push(xs);
    if (xs.includes(13)) throw new Error("unlucky");
    return xs.map((x) => x * 2);
  });
  const results = await Promise.allSettled([1, 2, 13, 4].map((x) => c.call(x)));
  assert.deepEqual(batches, [[1, 2, 13, 4], [1], [2], [13], [4]]);
  assert.deepEqual(
    results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
    [2, 4, "unlucky", 8],
  );
  // Later calls start a new batch.
  assert.equal(await c.call(5), 10);
  assert.deepEqual(batches.at(-1), [5]);
});

test("calls that keep arriving a turn apart join one batch, for a few turns at most", async () => {
  const batches: number[][] = [];
  const c = new Coalescer<number, number>(async (xs) => {
    batches.push(xs);
    return xs;
  });
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  // As requests answered in their own webhook responses reach the same statement: one per turn.
  const calls = [c.call(1)];
  await turn();
  calls.push(c.call(2));
  await turn();
  calls.push(c.call(3));
  await Promise.all(calls);
  assert.deepEqual(batches, [[1, 2, 3]]);
  // Up to GATHER_TURNS more turns: a steady trickle is cut into batches, never held forever.
  const trickle: Promise<number>[] = [];
  for (let i = 10; i < 10 + 2 * (GATHER_TURNS + 2); i++) {
    trickle.push(c.call(i));
    await turn();
  }
  await Promise.all(trickle);
  assert.ok(batches.length > 2, `several batches: ${JSON.stringify(batches)}`);
  assert.ok(batches.every((b) => b.length <= GATHER_TURNS + 2));
});

test("members loaded together: new ones created once each with their own code, known ones read with their language", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const known = await d.member(7001, "Known");
    await setLanguage(db.db, known.id, "ru");
    const loader = memberLoader(d.ctx);
    const users = [
      { id: 7002, firstName: "Ann", languageCode: "en" },
      { id: 7001, firstName: "Known" },
      { id: 7003, username: "bob", isPremium: true },
      { id: 7002, firstName: "Ann", languageCode: "en" },
    ];
    const loaded = await Promise.all(users.map((u) => loader.call(u)));

    assert.deepEqual(
      loaded.map((l) => [l.member.telegramId, l.created, l.language]),
      [
        [7002, true, undefined],
        [7001, false, "ru"],
        [7003, true, undefined],
        [7002, false, undefined],
      ],
    );
    assert.equal(loaded[0]!.member.id, loaded[3]!.member.id, "one member for one user");
    assert.equal(loaded[1]!.member.id, known.id);
    assert.equal(loaded[2]!.member.username, "bob");
    assert.equal(loaded[2]!.member.isPremium, true);
    assert.equal(loaded[2]!.member.wallet, null);
    // The views built from the batched inserts are exactly what a later read returns.
    for (const l of [loaded[0]!, loaded[2]!])
      assert.deepEqual(l.member, await getMember(db.db, l.member.id));
    const rows = await db.db.select().from(members);
    assert.equal(rows.length, 3);
    for (const l of [loaded[0]!, loaded[2]!]) {
      const codes = await db.db
        .select()
        .from(referralCodes)
        .where(eq(referralCodes.memberId, l.member.id));
      assert.deepEqual(
        codes.map((c) => c.code),
        [l.member.code],
      );
      assert.match(l.member.code, /^[2-9a-z]{10}$/);
    }

    // Login tokens for several replies at once: one row each, distinct tokens.
    const issuer = loginTokenIssuer(d.ctx);
    const tokens = await Promise.all(loaded.map((l) => issuer.call(l.member.id)));
    assert.equal(new Set(tokens.map((x) => x.token)).size, 4);
    const stored = await db.db.select().from(webLoginTokens);
    assert.equal(stored.length, 4);
    assert.deepEqual(
      stored.map((r) => [r.memberId, r.expiresAt.getTime()]).sort((a, b) => a[0]! - b[0]!),
      loaded
        .map((l, i) => [l.member.id, tokens[i]!.expiresAt.getTime()])
        .sort((a, b) => a[0]! - b[0]!),
    );
  });
});

test("attributions decided together give each update the answer it would get alone", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const alice = await d.member(7101, "Alice");
    const bob = await d.member(7102, "Bob");
    const carol = await d.member(7103, "Carol");
    const dave = await d.member(7104, "Dave");
    await d.refer(alice, bob); // alice → bob
    const batcher = attributionBatcher(d.ctx);
    const outcomes = await Promise.all(
      [
        { refereeId: carol.id, code: alice.code }, // fine
        { refereeId: carol.id, code: bob.code }, // carol is taken by then
        { refereeId: dave.id, code: "nosuchcode1" },
        { refereeId: dave.id, code: dave.code }, // self
        { refereeId: alice.id, code: bob.code }, // bob → alice closes a loop
        { refereeId: dave.id, code: bob.code }, // fine
      ].map((input) => batcher.call({ ...input, source: "start" })),
    );
    const codes = outcomes.map((o) =>
      "ok" in o ? `ok:${o.ok.referral.referrerId}` : isDomainError(o.error) ? o.error.code : "?",
    );
    assert.deepEqual(codes, [
      `ok:${alice.id}`,
      "already_attributed",
      "unknown_code",
      "self_referral",
      "referral_loop",
      `ok:${bob.id}`,
    ]);
    const rows = await db.db.select().from(referrals);
    assert.deepEqual(
      rows.map((r) => [r.referrerId, r.refereeId]).sort((a, b) => a[1]! - b[1]!),
      [
        [alice.id, bob.id],
        [alice.id, carol.id],
        [bob.id, dave.id],
      ],
    );
  });
});
