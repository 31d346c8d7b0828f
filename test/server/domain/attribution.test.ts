import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, type SQL, sql } from "drizzle-orm";
import fc from "fast-check";
import { bigintArray } from "../../../server/db/index.ts";
import { memberWallets, referralCounters, referrals, starts } from "../../../server/db/schema.ts";
import {
  type AttributeResult,
  attribute,
  attributeMany,
} from "../../../server/domain/attribution.ts";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import {
  banMember,
  ensureMembers,
  type MemberView,
  setVanityCode,
} from "../../../server/domain/members.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { ancestorsOf, MAX_LEVELS } from "../../../server/domain/tree.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY, HOUR } from "../../support/clock.ts";
import { DATABASE_KINDS, openTestDatabase, rowCounts, withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

const refused = (code: string) => (e: unknown) => isDomainError(e) && e.code === code;

test("the first valid attribution wins and is never changed", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [alice, carol, bob] = [await d.member(1), await d.member(2), await d.member(3)];
    const id = await d.refer(alice, bob);
    const before = await rowCounts(db);
    await assert.rejects(d.refer(carol, bob), refused("already_attributed"));
    await assert.rejects(d.refer(alice, bob), refused("already_attributed"));
    const [row] = await db.db.select().from(referrals).where(eq(referrals.refereeId, bob.id));
    assert.equal(row?.id, id);
    assert.equal(row?.referrerId, alice.id);
    assert.equal(row?.status, "pending");
    const after = await rowCounts(db);
    // Only the analytics "start" of carol's link by bob is new; no referral, no counters.
    assert.equal(after.referrals, before.referrals);
    assert.equal(after.referral_counters, before.referral_counters);
    assert.equal(after.starts, (before.starts ?? 0) + 1);
  });
});

test("self-referral, unknown, malformed and banned codes are refused and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const alice = await d.member(1);
    const bob = await d.member(2);
    const mallory = await d.member(3);
    await banMember(d.ctx, mallory.id, "spam", systemAdmin());
    const before = await rowCounts(db);
    await assert.rejects(d.refer(alice, alice), refused("self_referral"));
    await assert.rejects(
      attribute(d.ctx, { refereeId: bob.id, code: "nosuchcode", source: "start" }),
      refused("unknown_code"),
    );
    await assert.rejects(
      attribute(d.ctx, { refereeId: bob.id, code: "../etc/passwd", source: "start" }),
      refused("invalid_code"),
    );
    await assert.rejects(d.refer(mallory, bob), refused("referrer_banned"));
    await assert.rejects(d.refer(alice, mallory), refused("member_banned"));
    assert.deepEqual(await rowCounts(db), before);
  });
});

test("codes are case-insensitive and vanity codes attribute too (old codes keep working)", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const alice = await d.member(1);
    const oldCode = alice.code;
    await setVanityCode(d.ctx, alice.id, "Alice-Club", systemAdmin());
    const bob = await d.member(2);
    const carol = await d.member(3);
    await attribute(d.ctx, { refereeId: bob.id, code: "ALICE-club", source: "start" });
    await attribute(d.ctx, {
      refereeId: carol.id,
      code: oldCode.toUpperCase(),
      source: "startapp",
    });
    const rows = await db.db.select().from(referrals).where(eq(referrals.referrerId, alice.id));
    assert.equal(rows.length, 2);
  });
});

test("loops are refused at any depth", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { attributionWindowHours: 24 * 365 });
    const chain: MemberView[] = [];
    for (let i = 1; i <= 6; i++) chain.push(await d.member(i));
    // 1 → 2 → 3 → 4 → 5 → 6 (each refers the next)
    for (let i = 0; i < 5; i++) await d.refer(chain[i]!, chain[i + 1]!);
    const root = chain[0]!;
    // The root was never attributed; any descendant's code would close a loop.
    for (const descendant of chain.slice(1)) {
      await assert.rejects(d.refer(descendant, root), refused("referral_loop"));
    }
    const anc = await ancestorsOf(db.db, d.ctx.campaigns.all()[0]!.id, chain[5]!.id);
    assert.deepEqual(
      anc.map((a) => [a.memberId, a.level]),
      [4, 3, 2, 1, 0].map((i, level) => [chain[i]!.id, level + 1]),
    );
    // A direct A→B→A attempt is a loop too.
    const x = await d.member(10);
    const y = await d.member(11);
    await d.refer(x, y);
    await assert.rejects(d.refer(y, x), refused("referral_loop"));
  });
});

test("only new members can be attributed", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { attributionWindowHours: 24 });
    const old = await d.member(1);
    d.clock.advance(DAY + HOUR);
    const alice = await d.member(2);
    await assert.rejects(d.refer(alice, old), refused("not_new_member"));
    const fresh = await d.member(3);
    await d.refer(alice, fresh);
  });
});

test("campaigns outside their dates do not attribute", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [
        testCampaign({ startsAt: "2030-01-01T00:00:00Z", endsAt: "2031-01-01T00:00:00Z" }),
      ],
    });
    const [a, b] = [await d.member(1), await d.member(2)];
    const before = await rowCounts(db);
    await assert.rejects(d.refer(a, b), refused("campaign_inactive"));
    assert.deepEqual(await rowCounts(db), before);
  });
});

test("per-level counters follow the tree", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [a, b, c, e] = await d.members(1, 2, 3, 4);
    await d.refer(a, b);
    await d.refer(b, c);
    await d.refer(b, e);
    const rows = await db.db
      .select()
      .from(referralCounters)
      .where(eq(referralCounters.memberId, a.id));
    const byLevel = Object.fromEntries(rows.map((r) => [`${r.level}:${r.status}`, r.count]));
    assert.deepEqual(byLevel, { "1:pending": 1, "2:pending": 2 });
    const startRows = await db.db.select().from(starts).where(eq(starts.referrerId, b.id));
    assert.equal(startRows.length, 2);
  });
});

test("100 concurrent attributions of the same referee record exactly one", async (t) => {
  // A dedicated pool so the attempts really run in parallel on PostgreSQL.
  for (const kind of DATABASE_KINDS) {
    await t.test(kind, async () => {
      const db = await openTestDatabase(kind, 20);
      try {
        const d = await testDomain(db);
        const referrers: MemberView[] = [];
        for (let i = 0; i < 10; i++) referrers.push(await d.member(100 + i));
        const bob = await d.member(1);
        const results = await Promise.allSettled(
          Array.from({ length: 100 }, (_, i) => d.refer(referrers[i % 10]!, bob)),
        );
        const ok = results.filter((r) => r.status === "fulfilled");
        assert.equal(ok.length, 1);
        for (const r of results) {
          if (r.status === "rejected")
            assert.ok(refused("already_attributed")(r.reason), String(r.reason));
        }
        const rows = await db.db.select().from(referrals).where(eq(referrals.refereeId, bob.id));
        assert.equal(rows.length, 1);
        const counters = await db.db.select().from(referralCounters);
        assert.equal(
          counters.reduce((s, c) => s + c.count, 0),
          1,
        );
      } finally {
        await db.close();
      }
    });
  }
});

test("concurrent attributions cannot close a loop through disjoint members", async (t) => {
  for (const kind of DATABASE_KINDS) {
    await t.test(kind, async () => {
      const db = await openTestDatabase(kind, 10);
      try {
        const d = await testDomain(db, { attributionWindowHours: 24 * 365 });
        const [a, b, c, e] = await d.members(1, 2, 3, 4);
        await d.refer(a, b); // A → B
        await d.refer(c, e); // C → D
        // B → C and D → A together would make A→B→C→D→A.
        const results = await Promise.allSettled([d.refer(b, c), d.refer(e, a)]);
        assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
        const failed = results.find((r) => r.status === "rejected");
        assert.ok(failed && refused("referral_loop")(failed.reason));
      } finally {
        await db.close();
      }
    });
  }
});

/**
 * The attribution rules as a plain sequential specification: each input decided alone, in
 * order, against an in-memory state. The database path (attributeMany, a batch read once and
 * decided in memory) is checked against it.
 */
interface ModelMember {
  id: number;
  code: string;
  isNew: boolean;
  banned: boolean;
}
interface ModelState {
  referrals: Array<{ id: number; referrerId: number; refereeId: number }>;
  /** `member:level` → pending referrals counted at that level. */
  counters: Map<string, number>;
  /** `referrer:starter` → outcome of the first start of that link by that member. */
  starts: Map<string, string>;
}

function modelAttribute(
  state: ModelState,
  people: readonly ModelMember[],
  refereeId: number,
  code: string,
): string {
  const referee = people.find((m) => m.id === refereeId);
  const owner = people.find((m) => m.code === code);
  // Refusals decided from the code alone record nothing.
  if (!owner) return "unknown_code";
  if (owner.banned) return "referrer_banned";
  if (owner.id === refereeId) return "self_referral";
  if (!referee) return "member_not_found";
  if (referee.banned) return "member_banned";
  const referrerOf = (id: number) => state.referrals.find((r) => r.refereeId === id)?.referrerId;
  const above: number[] = []; // the owner, their referrer, … to the root
  for (let m: number | undefined = owner.id; m !== undefined; m = referrerOf(m)) above.push(m);
  // The first start of a member's link by another member is counted, whatever its outcome.
  const start = (outcome: string) => {
    const key = `${owner.id}:${refereeId}`;
    if (!state.starts.has(key)) state.starts.set(key, outcome);
    return outcome;
  };
  if (referrerOf(refereeId) !== undefined) return start("already_attributed");
  if (!referee.isNew) return start("not_new_member");
  if (above.includes(refereeId)) return start("referral_loop");
  const id = state.referrals.length + 1;
  state.referrals.push({ id, referrerId: owner.id, refereeId });
  for (const [i, member] of above.slice(0, MAX_LEVELS).entries()) {
    const key = `${member}:${i + 1}`;
    state.counters.set(key, (state.counters.get(key) ?? 0) + 1);
  }
  start("attributed");
  return `ok ${id} ${owner.id}→${refereeId}`;
}

test("a batch of attributions decides and writes what the sequential model of the rules does", async (t) => {
  // Random small communities: members old and new, some banned, some already referred (one
  // by one: batches of one); then random starts (own, others', unknown codes, repeats, loops
  // within the batch), decided as one batch. Answers, referrals, counters, starts and
  // notifications must be the model's. Nobody has a wallet here: qualification on
  // attribution is covered by the tests below. Each run has its own members in one
  // database (no reset between runs: that was most of the time).
  const sometimes = (oneIn: number) => fc.nat(oneIn - 1).map((n) => n === 0);
  const scenario = fc.record({
    members: fc.integer({ min: 3, max: 7 }),
    // Mostly new, unbanned members: the refusals are cheap to hit, chains and loops are not.
    old: fc.array(sometimes(5), { minLength: 7, maxLength: 7 }),
    banned: fc.array(sometimes(8), { minLength: 7, maxLength: 7 }),
    before: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 4 }),
    starts: fc.array(fc.tuple(fc.nat(6), fc.option(fc.nat(6), { freq: 8 })), {
      minLength: 1,
      maxLength: 16,
    }),
  });
  const describe = (a: { ok: AttributeResult } | { error: unknown }) =>
    "ok" in a
      ? `ok ${a.ok.referral.id} ${a.ok.referral.referrerId}→${a.ok.referral.refereeId}`
      : isDomainError(a.error)
        ? a.error.code
        : String(a.error);

  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const rows = async <T>(query: SQL) =>
      ((await db.db.execute(query)) as unknown as { rows: T[] }).rows;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        const people: ModelMember[] = [];
        // Old members first, then two days later the rest (attributable for 24 hours).
        for (const old of [true, false]) {
          const users = [...Array(s.members).keys()]
            .filter((i) => s.old[i] === old)
            .map((i) => ({ index: i, id: run * 100 + i, firstName: `M${i}` }));
          const made = await ensureMembers(d.ctx, users);
          for (const [k, { member }] of made.entries())
            people[users[k]!.index] = {
              id: member.id,
              code: member.code,
              isNew: !old,
              banned: false,
            };
          if (old) d.clock.advance(2 * DAY);
        }
        const ids = bigintArray(people.map((m) => m.id));
        // Referral ids are the database's; the model numbers its referrals 1, 2, … in order.
        const rank = async () =>
          new Map(
            (
              await rows<{ id: number }>(
                sql`select id::int from referrals where referee_id = any(${ids}) order by id`,
              )
            ).map((r, i) => [r.id, i + 1]),
          );
        const ranked = (answer: string, ranks: Map<number, number>) =>
          answer.replace(/^ok (\d+)/, (_, id) => `ok ${ranks.get(Number(id))}`);

        const state: ModelState = { referrals: [], counters: new Map(), starts: new Map() };
        const person = (n: number) => people[n % s.members]!;
        for (const [a, b] of s.before) {
          const input = { refereeId: person(b).id, code: person(a).code, source: "start" as const };
          const answer = describe(
            await attribute(d.ctx, input).then(
              (ok) => ({ ok }),
              (error: unknown) => ({ error }),
            ),
          );
          const expected = modelAttribute(state, people, input.refereeId, input.code);
          assert.equal(ranked(answer, await rank()), expected);
        }
        for (let i = 0; i < s.members; i++)
          if (s.banned[i]) {
            await banMember(d.ctx, people[i]!.id, "test", systemAdmin());
            people[i]!.banned = true;
          }
        const inputs = s.starts.map(([referee, owner]) => ({
          refereeId: person(referee).id,
          code: owner === null ? "zzzzzzzzzz" : person(owner).code,
          source: "startapp" as const,
        }));
        const expected = inputs.map((i) => modelAttribute(state, people, i.refereeId, i.code));
        const answers = (await attributeMany(d.ctx, inputs)).map(describe);
        const ranks = await rank();
        assert.deepEqual(
          answers.map((a) => ranked(a, ranks)),
          expected,
        );

        const byRank = (
          await rows<{ id: number; referrerId: number; refereeId: number; status: string }>(
            sql`select id::int, referrer_id::int as "referrerId", referee_id::int as "refereeId", status
              from referrals where referee_id = any(${ids}) order by id`,
          )
        ).map((r) => ({
          id: ranks.get(r.id)!,
          referrerId: r.referrerId,
          refereeId: r.refereeId,
          status: r.status,
        }));
        assert.deepEqual(
          byRank,
          state.referrals.map((r) => ({ ...r, status: "pending" })),
        );
        const counters = await rows<{ member: number; level: number; status: string; n: number }>(
          sql`select member_id::int as member, level, status, count as n from referral_counters
              where count > 0 and member_id = any(${ids})`,
        );
        assert.deepEqual(
          new Map(counters.map((c) => [`${c.member}:${c.level}:${c.status}`, c.n])),
          new Map([...state.counters].map(([k, n]) => [`${k}:pending`, n])),
        );
        const startRows = await rows<{ referrer: number; starter: number; outcome: string }>(
          sql`select referrer_id::int as referrer, starter_id::int as starter, outcome from starts
              where referrer_id = any(${ids})`,
        );
        assert.deepEqual(
          new Map(startRows.map((r) => [`${r.referrer}:${r.starter}`, r.outcome])),
          state.starts,
        );
        // Each member's start counter counts the first starts of their links.
        for (const m of await rows<{ id: number; starts: number }>(
          sql`select id::int, starts from members where id = any(${ids})`,
        ))
          assert.equal(
            m.starts,
            [...state.starts.keys()].filter((k) => k.startsWith(`${m.id}:`)).length,
          );
        // One "referee joined" notice per referral, to its referrer.
        const notices = await rows<{ member: number; kind: string; data: Record<string, number> }>(
          sql`select member_id::int as member, kind, data from notifications
              where member_id = any(${ids})`,
        );
        assert.deepEqual(
          notices
            .map((n) => [n.member, n.kind, ranks.get(n.data.referralId!), n.data.refereeId])
            .sort((x, y) => Number(x[2]) - Number(y[2])),
          state.referrals.map((r) => [r.referrerId, "referee_joined", r.id, r.refereeId]),
        );
      }),
      { numRuns: 25 },
    );
  });
});

test("in a batch, referees who had already qualified are qualified once the batch is attributed", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [alice, bob, carol, dave] = await d.members(1, 2, 3, 4);
    // Carol linked a wallet before anyone referred her; Dave did not.
    await db.db
      .insert(memberWallets)
      .values({ memberId: carol.id, address: `0x${"c".repeat(40)}`, chainId: 31337 });
    const answers = await attributeMany(d.ctx, [
      { refereeId: carol.id, code: bob.code, source: "start" },
      { refereeId: bob.id, code: alice.code, source: "start" },
      { refereeId: dave.id, code: bob.code, source: "start" },
    ]);
    const ok = answers.map((a) => {
      if (!("ok" in a)) throw a.error;
      return [a.ok.referral.refereeId, a.ok.referral.status, a.ok.qualification?.status ?? null];
    });
    assert.deepEqual(ok, [
      [carol.id, "qualified", "qualified"],
      [bob.id, "pending", null],
      [dave.id, "pending", null],
    ]);
    // Bob, attributed in the same batch, is Carol's level 2 by the time she qualifies.
    const counters = await db.db
      .select()
      .from(referralCounters)
      .where(eq(referralCounters.status, "qualified"));
    assert.deepEqual(
      counters.map((c) => [c.memberId, c.level, c.count]).sort((a, b) => a[0]! - b[0]!),
      [
        [alice.id, 2, 1],
        [bob.id, 1, 1],
      ],
    );
  });
});

test("in a batch, a referee who completed the qualifying challenge first is qualified at once", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, {
      campaigns: [testCampaign({ qualification: { type: "challenge", challengeId: "join" } })],
    });
    const [alice, bob, carol] = [await d.member(1), await d.member(2), await d.member(3)];
    await completeChallenge(d.ctx, { memberId: bob.id, challengeId: "join", source: "bot" });
    const answers = await attributeMany(d.ctx, [
      { refereeId: bob.id, code: alice.code, source: "start" },
      { refereeId: carol.id, code: alice.code, source: "start" },
    ]);
    assert.deepEqual(
      answers.map((a) => ("ok" in a ? (a.ok.qualification?.status ?? a.ok.referral.status) : a)),
      ["qualified", "pending"],
    );
  });
});
