/**
 * Leaderboards against a model: random sequences of what changes a board (referrals qualifying,
 * referrals flagged for review then approved or rejected, challenges completed, bans and
 * unbans, time passing over week boundaries) through the real domain functions, with every
 * board (referrals and activity, this week and all time) compared after each step group to
 * the same boards computed from scratch by a model: order (score, then who reached it first,
 * then member number), competition ranks, each member's own rank (in or outside the top), ties
 * and who is left out. Plus: ISO weeks in UTC, the weekly rollover, pseudonyms and opt-in
 * names, and the buckets always matching the rows.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../server/db/index.ts";
import { compileCampaign } from "../../../server/domain/campaign.ts";
import { completeChallenge } from "../../../server/domain/challenges.ts";
import {
  activityToken,
  type BoardQuery,
  boardStanding,
  boardTop,
  isoWeek,
  LEADERBOARD_BOARDS,
  LEADERBOARD_PERIODS,
  type LeaderboardBoard,
  type LeaderboardPeriod,
  pseudonym,
  pseudonymKey,
  readBoard,
  setShowName,
} from "../../../server/domain/leaderboards.ts";
import { banMember, type MemberView, unbanMember } from "../../../server/domain/members.ts";
import { qualify } from "../../../server/domain/qualification.ts";
import { approveReview, listReviews, rejectReview } from "../../../server/domain/review.ts";
import { systemAdmin } from "../../../server/domain/roles.ts";
import { testCampaign } from "../../support/campaign.ts";
import { DAY, HOUR } from "../../support/clock.ts";
import { withDatabases } from "../../support/db.ts";
import { type TestDomain, testDomain } from "../../support/domain.ts";

const KEY = pseudonymKey("hash-secret-for-tests-0123456789");
const wallet = { type: "wallet_linked" } as const;

const token = (symbol: string) => ({
  symbol,
  name: symbol,
  decimals: 18,
  cap: "100000000",
  budget: "1000000",
  maxBatch: 100,
  maxBatchAmount: "10000",
  dailyLimit: "100000",
});

/** Referrals pay REF; challenges pay ACT (the activity token) except `bonus`, which pays REF. */
const campaign = () =>
  testCampaign({
    tokens: [token("REF"), token("ACT")],
    welcomeBonus: { token: "REF", amount: "1" },
    // The second referee of a referrer from one IP goes to review.
    fraud: { maxRefereesPerIp: 1 },
    challenges: [
      { id: "c1", title: { en: "One", ru: "Один" }, reward: { token: "ACT", amount: "2" } },
      { id: "c2", title: { en: "Two", ru: "Два" }, reward: { token: "ACT", amount: "3.5" } },
      { id: "c3", title: { en: "Three", ru: "Три" }, reward: { token: "ACT", amount: "0.25" } },
      { id: "bonus", title: { en: "Bonus", ru: "Бонус" }, reward: { token: "REF", amount: "5" } },
    ],
  });
const CHALLENGE_POINTS: Record<string, number> = { c1: 200, c2: 350, c3: 25, bonus: 0 };

test("ISO weeks in UTC: Monday 00:00 starts a week; the year is the Thursday's", () => {
  const cases: Array<[string, string, string]> = [
    ["2021-01-03T23:59:59.999Z", "2020-W53", "2020-12-28T00:00:00.000Z"],
    ["2021-01-04T00:00:00.000Z", "2021-W01", "2021-01-04T00:00:00.000Z"],
    ["2026-01-01T12:00:00.000Z", "2026-W01", "2025-12-29T00:00:00.000Z"],
    ["2026-12-31T23:00:00.000Z", "2026-W53", "2026-12-28T00:00:00.000Z"],
    ["2027-01-03T10:00:00.000Z", "2026-W53", "2026-12-28T00:00:00.000Z"],
    ["2027-01-04T00:00:00.000Z", "2027-W01", "2027-01-04T00:00:00.000Z"],
    ["2025-06-01T12:00:00.000Z", "2025-W22", "2025-05-26T00:00:00.000Z"],
    ["2024-12-30T00:00:00.000Z", "2025-W01", "2024-12-30T00:00:00.000Z"],
  ];
  for (const [at, key, start] of cases) {
    const w = isoWeek(new Date(at));
    assert.equal(w.key, key, at);
    assert.equal(w.start.toISOString(), start, at);
    assert.equal(w.end.getTime() - w.start.getTime(), 7 * DAY);
  }
});

test("the activity token: the first token paying no referral reward, else the first", () => {
  assert.equal(activityToken(compileCampaign(campaign())), "ACT");
  assert.equal(activityToken(compileCampaign(testCampaign())), "REF");
});

/** A small deterministic PRNG (mulberry32): the same seed replays the same sequence. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

interface ModelScore {
  score: number;
  reachedAt: number;
}

/** The boards as they must be, from the events alone. */
class Model {
  readonly scores = new Map<string, Map<number, ModelScore>>();
  readonly holds = new Map<number, number>();
  readonly banned = new Set<number>();

  add(board: LeaderboardBoard, memberId: number, delta: number, at: Date) {
    for (const period of ["all", isoWeek(at).key]) {
      const key = `${board}/${period}`;
      const rows = this.scores.get(key) ?? new Map<number, ModelScore>();
      this.scores.set(key, rows);
      const old = rows.get(memberId)?.score ?? 0;
      rows.set(memberId, { score: old + delta, reachedAt: at.getTime() });
    }
  }

  hold(memberIds: number[], delta: number) {
    for (const m of memberIds) this.holds.set(m, (this.holds.get(m) ?? 0) + delta);
  }

  visible(memberId: number) {
    return !this.banned.has(memberId) && (this.holds.get(memberId) ?? 0) === 0;
  }

  /** Visible members with a score, in board order, with competition ranks. */
  board(board: LeaderboardBoard, period: LeaderboardPeriod, now: Date) {
    const key = `${board}/${period === "all" ? "all" : isoWeek(now).key}`;
    const rows = [...(this.scores.get(key) ?? new Map<number, ModelScore>())]
      .filter(([m, s]) => s.score > 0 && this.visible(m))
      .sort(([ma, a], [mb, b]) => b.score - a.score || a.reachedAt - b.reachedAt || ma - mb);
    return rows.map(([memberId, s]) => ({
      memberId,
      score: s.score,
      rank: 1 + rows.filter(([, o]) => o.score > s.score).length,
    }));
  }

  score(board: LeaderboardBoard, period: LeaderboardPeriod, now: Date, memberId: number) {
    const key = `${board}/${period === "all" ? "all" : isoWeek(now).key}`;
    return this.scores.get(key)?.get(memberId)?.score ?? 0;
  }
}

async function assertBucketsMatchRows(db: TestDomain["ctx"]["db"]): Promise<void> {
  const diff = await queryRows<Record<string, unknown>>(
    db,
    sql`with counted as (
          select campaign_id, board, period, score, count(*)::int as n from leaderboard_scores
          where not hidden and score > 0 group by 1, 2, 3, 4)
        select coalesce(c.campaign_id, b.campaign_id) as campaign_id, coalesce(c.board, b.board) as board,
          coalesce(c.period, b.period) as period, coalesce(c.score, b.score) as score,
          c.n, b.members
        from counted c full join (select * from leaderboard_buckets where members > 0) b
          using (campaign_id, board, period, score)
        where c.n is distinct from b.members`,
  );
  assert.deepEqual(diff, [], "the buckets count exactly the visible rows");
}

async function assertBoards(d: TestDomain, model: Model, known: MemberView[], step: string) {
  const campaignId = d.ctx.campaigns.all()[0]!.id;
  const now = d.ctx.now();
  for (const board of LEADERBOARD_BOARDS) {
    for (const period of LEADERBOARD_PERIODS) {
      const q: BoardQuery = { campaignId, board, period, now };
      const expected = model.board(board, period, now);
      const where = `${step}: ${board}/${period}`;
      const top = await boardTop(d.ctx.db, { ...q, limit: 1000, key: KEY });
      assert.deepEqual(
        top.map((e) => ({ memberId: e.memberId, score: e.score, rank: e.rank })),
        expected,
        where,
      );
      // A short top is the start of the board.
      const three = await boardTop(d.ctx.db, { ...q, limit: 3, key: KEY });
      assert.deepEqual(
        three.map((e) => e.memberId),
        expected.slice(0, 3).map((e) => e.memberId),
        where,
      );
      for (const m of known) {
        const me = await boardStanding(d.ctx.db, { ...q, memberId: m.id, key: KEY });
        const mine = expected.find((e) => e.memberId === m.id);
        const score = model.score(board, period, now, m.id);
        assert.equal(me.total, expected.length, `${where}: total`);
        assert.equal(me.score, score, `${where}: score of ${m.id}`);
        if (!model.visible(m.id)) {
          assert.equal(me.status, "hidden", `${where}: ${m.id} left out`);
          assert.equal(me.rank, null);
        } else if (mine) {
          assert.equal(me.status, "ranked", `${where}: ${m.id}`);
          assert.equal(me.rank, mine.rank, `${where}: rank of ${m.id}`);
          assert.equal(
            me.tiedWith,
            expected.filter((e) => e.score === mine.score).length - 1,
            `${where}: ties of ${m.id}`,
          );
        } else {
          assert.equal(me.status, "unranked", `${where}: ${m.id}`);
          assert.equal(me.rank, null);
        }
      }
    }
  }
  await assertBucketsMatchRows(d.ctx.db);
}

for (const seed of [1, 2]) {
  test(`random events (seed ${seed}): every board, rank and exclusion matches the model`, async (t) => {
    await withDatabases(t, async (db) => {
      const d = await testDomain(db, { campaigns: [campaign()] });
      const rnd = random(seed);
      const model = new Model();
      const referrers = await d.members(1, 2, 3, 4, 5, 6);
      const known: MemberView[] = [...referrers];
      const referees: MemberView[] = [];
      const completed = new Set<string>();
      /** Open reviews: review id → [referrer, referee]. */
      const open = new Map<number, [number, number]>();
      let nextTelegram = 100;
      const newReferee = async () => {
        const m = await d.member(nextTelegram++);
        referees.push(m);
        known.push(m);
        return m;
      };
      const active = () => referrers.filter((r) => !model.banned.has(r.id));

      let longest = 0;
      for (let step = 0; step < 70; step++) {
        const action = rnd.int(100);
        const now = d.ctx.now();
        if (action < 30 && active().length > 0) {
          // A referral qualifies.
          const r = rnd.pick(active());
          const e = await newReferee();
          await d.refer(r, e);
          assert.equal((await qualify(d.ctx, e.id, wallet)).status, "qualified");
          model.add("referrals", r.id, 1, now);
        } else if (action < 45 && active().length > 0) {
          // A referee from the referrer's shared IP: the first pays, later ones go to review.
          const r = rnd.pick(active());
          const e = await newReferee();
          await d.refer(r, e, { ipHash: `ip-${r.id}` });
          const outcome = await qualify(d.ctx, e.id, wallet);
          if (outcome.status === "qualified") model.add("referrals", r.id, 1, now);
          else {
            assert.equal(outcome.status, "review");
            const [item] = await listReviews(d.ctx.db, { status: "open", limit: 1 });
            open.set(item!.id, [r.id, e.id]);
            model.hold([r.id, e.id], 1);
          }
        } else if (action < 58 && open.size > 0) {
          // An admin decides a review.
          const [id, [r, e]] = rnd.pick([...open]);
          open.delete(id);
          model.hold([r, e], -1);
          if (!model.banned.has(r) && !model.banned.has(e) && rnd.int(2) === 0) {
            assert.equal((await approveReview(d.ctx, id, systemAdmin())).status, "qualified");
            model.add("referrals", r, 1, now);
          } else {
            await rejectReview(d.ctx, id, systemAdmin(), "test");
          }
        } else if (action < 80) {
          // A challenge completed (once per member).
          const m = rnd.pick(known.filter((k) => !model.banned.has(k.id)));
          const c = rnd.pick(["c1", "c2", "c3", "bonus"]);
          if (!completed.has(`${m.id}:${c}`)) {
            completed.add(`${m.id}:${c}`);
            await completeChallenge(d.ctx, { memberId: m.id, challengeId: c, source: "test" });
            if (CHALLENGE_POINTS[c]! > 0) model.add("activity", m.id, CHALLENGE_POINTS[c]!, now);
          }
        } else if (action < 86) {
          const m = rnd.pick(known);
          if (model.banned.has(m.id)) {
            await unbanMember(d.ctx, m.id, "test", systemAdmin());
            model.banned.delete(m.id);
          } else {
            await banMember(d.ctx, m.id, "test", systemAdmin());
            model.banned.add(m.id);
          }
        } else {
          // Time passes: hours, or days across a week boundary.
          d.clock.advance(rnd.int(3) === 0 ? rnd.int(4 * DAY) : rnd.int(6) * HOUR);
        }
        if (step % 14 === 13) {
          await assertBoards(d, model, known, `seed ${seed} step ${step}`);
          for (const board of LEADERBOARD_BOARDS)
            longest = Math.max(longest, model.board(board, "all", d.ctx.now()).length);
        }
      }
      // The boards compared were not trivial, and weeks rolled over (several weekly boards).
      assert.ok(longest > 2, `longest board ${longest}`);
      assert.ok(model.scores.size > 4, `boards ${[...model.scores.keys()]}`);
    });
  });
}

test("the weekly board starts empty each Monday 00:00 UTC; all time keeps everything", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [campaign()] });
    const campaignId = d.ctx.campaigns.all()[0]!.id;
    const [alice, bob] = await d.members(1, 2);
    d.clock.set("2026-03-08T23:59:59Z"); // Sunday, the last second of 2026-W10
    const friend = await d.member(10);
    await d.refer(alice, friend);
    await qualify(d.ctx, friend.id, wallet);
    const board = (period: LeaderboardPeriod) =>
      readBoard(d.ctx.db, {
        campaignId,
        board: "referrals",
        period,
        now: d.ctx.now(),
        memberId: alice.id,
        limit: 10,
        key: KEY,
      });
    let week = await board("week");
    assert.equal(week.period.key, "2026-W10");
    assert.equal(week.period.startsAt?.toISOString(), "2026-03-02T00:00:00.000Z");
    assert.equal(week.period.endsAt?.toISOString(), "2026-03-09T00:00:00.000Z");
    assert.deepEqual(
      week.top.map((e) => [e.memberId, e.score]),
      [[alice.id, 1]],
    );
    assert.equal(week.me.rank, 1);

    d.clock.advance(1000); // Monday 00:00:00: a new week
    week = await board("week");
    assert.equal(week.period.key, "2026-W11");
    assert.deepEqual(week.top, []);
    assert.equal(week.me.status, "unranked");
    assert.equal(week.me.total, 0);
    const all = await board("all");
    assert.equal(all.period.key, "all");
    assert.equal(all.period.startsAt, null);
    assert.deepEqual(
      all.top.map((e) => [e.memberId, e.score]),
      [[alice.id, 1]],
    );

    // Bob's referral this week puts him on this week's board alone, after Alice all time.
    const other = await d.member(11);
    await d.refer(bob, other);
    await qualify(d.ctx, other.id, wallet);
    week = await board("week");
    assert.deepEqual(
      week.top.map((e) => [e.memberId, e.score, e.rank]),
      [[bob.id, 1, 1]],
    );
    assert.deepEqual(
      (await board("all")).top.map((e) => [e.memberId, e.rank]),
      // A tie: both rank 1; Alice reached 1 first.
      [
        [alice.id, 1],
        [bob.id, 1],
      ],
    );
  });
});

test("a member in review or banned is left out, and comes back when cleared", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [campaign()] });
    const campaignId = d.ctx.campaigns.all()[0]!.id;
    const [alice, bob] = await d.members(1, 2);
    const referee = async (id: number, ipHash?: string) => {
      const m = await d.member(id);
      await d.refer(alice, m, ipHash ? { ipHash } : {});
      return qualify(d.ctx, m.id, wallet);
    };
    await referee(10, "same");
    await referee(11);
    const bobs = await d.member(20);
    await d.refer(bob, bobs);
    await qualify(d.ctx, bobs.id, wallet);
    const q = { campaignId, board: "referrals" as const, period: "all" as const, now: d.ctx.now() };
    const top = async () =>
      (await boardTop(d.ctx.db, { ...q, limit: 10, key: KEY })).map((e) => [e.memberId, e.rank]);
    assert.deepEqual(await top(), [
      [alice.id, 1],
      [bob.id, 2],
    ]);

    // Alice's next referee shares an IP: in review, and Alice is off the board meanwhile.
    assert.equal((await referee(12, "same")).status, "review");
    assert.deepEqual(await top(), [[bob.id, 1]]);
    const held = await boardStanding(d.ctx.db, { ...q, memberId: alice.id, key: KEY });
    assert.equal(held.status, "hidden");
    assert.equal(held.score, 2);
    assert.equal(held.total, 1);
    // The approval counts the referral and brings her back.
    const [item] = await listReviews(d.ctx.db, { status: "open", limit: 1 });
    await approveReview(d.ctx, item!.id, systemAdmin());
    assert.deepEqual(await top(), [
      [alice.id, 1],
      [bob.id, 2],
    ]);
    assert.equal((await boardStanding(d.ctx.db, { ...q, memberId: alice.id, key: KEY })).score, 3);

    // Banned: off every board; unbanned: back.
    await banMember(d.ctx, bob.id, "test", systemAdmin());
    assert.deepEqual(await top(), [[alice.id, 1]]);
    assert.equal(
      (await boardStanding(d.ctx.db, { ...q, memberId: bob.id, key: KEY })).status,
      "hidden",
    );
    await unbanMember(d.ctx, bob.id, "test", systemAdmin());
    assert.deepEqual(await top(), [
      [alice.id, 1],
      [bob.id, 2],
    ]);
    // In review, banned, then unbanned: still off until the review is decided.
    assert.equal((await referee(13, "same")).status, "review");
    await banMember(d.ctx, alice.id, "test", systemAdmin());
    await unbanMember(d.ctx, alice.id, "test", systemAdmin());
    assert.deepEqual(await top(), [[bob.id, 1]]);
    const [again] = await listReviews(d.ctx.db, { status: "open", limit: 1 });
    await rejectReview(d.ctx, again!.id, systemAdmin(), "duplicate");
    assert.deepEqual(await top(), [
      [alice.id, 1],
      [bob.id, 2],
    ]);
    await assertBucketsMatchRows(d.ctx.db);
  });
});

test("names: a stable pseudonym by default, the first name only after opting in", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db, { campaigns: [campaign()] });
    const campaignId = d.ctx.campaigns.all()[0]!.id;
    const alice = await d.member(1, "Alice");
    const bob = await d.member(2, "Bob");
    for (const m of [alice, bob]) {
      await completeChallenge(d.ctx, { memberId: m.id, challengeId: "c1", source: "test" });
    }
    const q = { campaignId, board: "activity" as const, period: "all" as const, now: d.ctx.now() };
    const names = async () =>
      (await boardTop(d.ctx.db, { ...q, limit: 10, key: KEY })).map((e) => e.name);
    const first = await names();
    assert.equal(first.length, 2);
    for (const n of first) {
      assert.equal(n.kind, "pseudonym");
      assert.match(n.text, /^#[0-9A-HJKMNP-TV-Z]{6}$/);
    }
    assert.notEqual(first[0]?.text, first[1]?.text);
    assert.deepEqual(await names(), first, "stable");
    assert.equal(first[0]?.text, pseudonym(KEY, alice.id));
    // Another key (another deployment's secret) gives other pseudonyms.
    assert.notEqual(pseudonym(pseudonymKey("another-secret-0123456789"), alice.id), first[0]?.text);

    await setShowName(d.ctx.db, alice.id, true);
    assert.deepEqual(await names(), [{ kind: "name", text: "Alice" }, first[1]]);
    const me = await boardStanding(d.ctx.db, { ...q, memberId: alice.id, key: KEY });
    assert.deepEqual(me.name, { kind: "name", text: "Alice" });
    assert.equal(me.showName, true);
    // Both have 2 points (c1): tied at rank 1.
    assert.equal(me.rank, 1);
    assert.equal(me.tiedWith, 1);
    assert.equal(me.score, 200);

    await setShowName(d.ctx.db, alice.id, false);
    assert.deepEqual(await names(), first);
  });
});
