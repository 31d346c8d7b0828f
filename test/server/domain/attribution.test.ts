import assert from "node:assert/strict";
import { test } from "node:test";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import { memberWallets, referralCounters, referrals, starts } from "../../../server/db/schema.ts";
import {
  type AttributeResult,
  attribute,
  attributeMany,
} from "../../../server/domain/attribution.ts";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import { isDomainError } from "../../../server/domain/errors.ts";
import { banMember, type MemberView, setVanityCode } from "../../../server/domain/members.ts";
import { ancestorsOf } from "../../../server/domain/tree.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY, HOUR } from "../../support/clock.ts";
import {
  DATABASE_KINDS,
  openTestDatabase,
  resetDatabase,
  rowCounts,
  withDatabases,
} from "../../support/db.ts";
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
    await banMember(d.ctx, mallory.id, "spam", "system");
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
    await setVanityCode(d.ctx, alice.id, "Alice-Club", "system");
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
    const anc = await ancestorsOf(db.db, chain[5]!.id);
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
    const [a, b, c, e] = [
      await d.member(1),
      await d.member(2),
      await d.member(3),
      await d.member(4),
    ];
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
        const [a, b, c, e] = [
          await d.member(1),
          await d.member(2),
          await d.member(3),
          await d.member(4),
        ];
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

test("a batch of attributions decides and writes exactly what the same inputs one by one would", async (t) => {
  // Random small communities: members old and new, some banned, some already referred; then
  // random starts (own, others', unknown codes, repeats, loops within the batch). The batched
  // path (attributeMany with several inputs) and the one-by-one path must agree on every
  // answer and leave the same referrals, counters, starts and notifications. Nobody has a
  // wallet here: a referee who already qualified is qualified after the whole batch (see
  // attributeMany), which the next test covers.
  const sometimes = (oneIn: number) => fc.nat(oneIn - 1).map((n) => n === 0);
  const scenario = fc.record({
    members: fc.integer({ min: 3, max: 7 }),
    // Mostly new, unbanned members: the refusals are cheap to hit, chains and loops are not.
    old: fc.array(sometimes(5), { minLength: 7, maxLength: 7 }),
    banned: fc.array(sometimes(8), { minLength: 7, maxLength: 7 }),
    before: fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 4 }),
    starts: fc.array(fc.tuple(fc.nat(6), fc.option(fc.nat(6), { freq: 8 })), {
      minLength: 2,
      maxLength: 16,
    }),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

  const play = async (db: DatabaseHandle, s: Scenario, batched: boolean) => {
    await resetDatabase(db);
    const d = await testDomain(db);
    const people: MemberView[] = [];
    // Old members first, then two days later the rest (attributable for 24 hours).
    for (const old of [true, false]) {
      for (let i = 0; i < s.members; i++)
        if (s.old[i] === old) people[i] = await d.member(100 + i, `M${i}`);
      if (old) d.clock.advance(2 * DAY);
    }
    for (const [a, b] of s.before) {
      const [referrer, referee] = [people[a % s.members]!, people[b % s.members]!];
      await d.refer(referrer, referee).catch(() => {});
    }
    for (let i = 0; i < s.members; i++)
      if (s.banned[i]) await banMember(d.ctx, people[i]!.id, "test", "system");
    const inputs = s.starts.map(([referee, owner]) => ({
      refereeId: people[referee % s.members]!.id,
      code: owner === null ? "zzzzzzzzzz" : people[owner % s.members]!.code,
      source: "start" as const,
    }));
    const answers: Array<{ ok: AttributeResult } | { error: unknown }> = [];
    if (batched) answers.push(...(await attributeMany(d.ctx, inputs)));
    else
      for (const input of inputs)
        answers.push(
          await attribute(d.ctx, input).then(
            (ok) => ({ ok }),
            (error: unknown) => ({ error }),
          ),
        );
    const rows = async (query: string) =>
      ((await db.db.execute(sql.raw(query))) as unknown as { rows: unknown[] }).rows;
    return {
      answers: answers.map((a) =>
        "ok" in a
          ? `ok ${a.ok.referral.id} ${a.ok.referral.referrerId}→${a.ok.referral.refereeId} ${a.ok.referral.status} ${a.ok.qualification?.status ?? "-"}`
          : isDomainError(a.error)
            ? a.error.code
            : String(a.error),
      ),
      referrals: await rows(
        `select id::int, referrer_id::int, referee_id::int, source, variant, status
         from referrals order by id`,
      ),
      counters: await rows(
        `select member_id::int, level, status, count from referral_counters
         where count > 0 order by 1, 2, 3`,
      ),
      starts: await rows(
        `select referrer_id::int, starter_id::int, outcome from starts order by 1, 2`,
      ),
      // Codes are random per run; each referral's code is its referrer's, asserted elsewhere.
      startCounts: await rows(`select id::int, starts from members order by id`),
      notifications: await rows(
        `select member_id::int, kind, data, dedupe_key from notifications order by dedupe_key`,
      ),
    };
  };

  await withDatabases(t, async (db) => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // The sequential path, run first, keeps the serial ids the batched one must match.
        const oneByOne = await play(db, s, false);
        const together = await play(db, s, true);
        assert.deepEqual(together, oneByOne);
      }),
      { numRuns: 40 },
    );
  });
});

test("in a batch, referees who had already qualified are qualified once the batch is attributed", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const [alice, bob, carol, dave] = [
      await d.member(1),
      await d.member(2),
      await d.member(3),
      await d.member(4),
    ];
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
