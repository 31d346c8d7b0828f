import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { getAddress, parseUnits } from "viem";
import { type DatabaseHandle, queryRows } from "../../../server/db/index.ts";
import { BudgetExceededError, lockBudgets, writeGrant } from "../../../server/domain/ledger.ts";
import { getMemberWithStats } from "../../../server/domain/members.ts";
import { seedQueuedGrants } from "../../../server/domain/seed.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";
import { assertLedgerConsistent } from "../../support/ledger.ts";

const REF = (n: string) => parseUnits(n, 18);
const WALLET = getAddress("0x00000000000000000000000000000000a11ce001");

/** A grant's rows without what differs between any two grants (ids, member, key, referee). */
async function grantRows(db: DatabaseHandle, entryId: number) {
  const [entry] = await queryRows<Record<string, unknown>>(
    db.db,
    sql`select campaign_id, token, amount::text, kind, level, referral_id, state, note,
          created_at, pending_at, queued_at, sent_at, settled_at, expires_at, tx_hash
        from ledger_entries where id = ${entryId}`,
  );
  const postings = await queryRows<Record<string, unknown>>(
    db.db,
    sql`select campaign_id, token, account, member_id is null as no_member, side, amount::text,
          reversal, created_at
        from ledger_postings where entry_id = ${entryId} order by account`,
  );
  const [outbox] = await queryRows<Record<string, unknown>>(
    db.db,
    sql`select campaign_id, token, status, batch_id, recipient, attempts, last_error, created_at,
          updated_at, next_attempt_at
        from payout_outbox where entry_id = ${entryId}`,
  );
  return { entry, postings, outbox };
}

test("seeded grants are the rows writeGrant writes; wallets as a link leaves them; the stats show at once", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    const seed = { campaignId: campaign.id, token: "REF", chainId: 31337, keyPrefix: "seed" };
    // A cached read before the seed: the seed must drop it.
    const before = await d.member(501);
    assert.deepEqual((await getMemberWithStats(db.db, 501))?.stats.rewards, []);

    const entries = await seedQueuedGrants(d.ctx, seed, [
      {
        telegramId: 501,
        firstName: "A",
        wallet: WALLET,
        grant: { amount: REF("3"), refereeTelegramId: 502 },
      },
      { telegramId: 502, firstName: "B", grant: { amount: REF("2"), refereeTelegramId: 503 } },
      { telegramId: 503, firstName: "C" },
    ]);
    assert.equal(entries.length, 2);

    // The same grant through writeGrant, for a member made the ordinary way.
    const other = await d.member(600);
    const { entryId: written } = await db.db.transaction(async (tx) => {
      await lockBudgets(tx, campaign.id, ["REF"]);
      return writeGrant(tx, {
        campaignId: campaign.id,
        token: "REF",
        memberId: other.id,
        amount: REF("3"),
        kind: "referral",
        level: 1,
        refereeId: before.id,
        idempotencyKey: "referral:by-hand",
        now: d.clock.now(),
      });
    });
    assert.deepEqual(await grantRows(db, entries[0]!), await grantRows(db, written));
    await assertLedgerConsistent(db);

    const [a, b] = await queryRows<{ member_id: string; referee_id: string; key: string }>(
      db.db,
      sql`select member_id::text, referee_id::text, idempotency_key as key from ledger_entries
          where id = any(${`{${entries.join(",")}}`}::bigint[]) order by id`,
    );
    const seeded = await Promise.all([501, 502, 503].map((id) => getMemberWithStats(db.db, id)));
    assert.equal(a?.member_id, String(before.id), "an existing member is reused");
    assert.equal(a?.referee_id, String(seeded[1]?.member.id));
    assert.equal(b?.referee_id, String(seeded[2]?.member.id));
    assert.equal(a?.key, `seed:${before.id}`);
    // Codes as on first sight, the wallet linked, and the stats no longer the cached ones.
    for (const m of seeded) assert.match(m?.member.code ?? "", /^[a-z0-9]+$/i);
    assert.equal(seeded[0]?.member.wallet, WALLET);
    assert.equal(seeded[1]?.member.wallet, null);
    assert.deepEqual(seeded[0]?.stats.rewards, [
      [campaign.id, "REF", "queued", REF("3").toString()],
    ]);
    const [event] = await queryRows<{ action: string; address: string }>(
      db.db,
      sql`select action, address from wallet_events`,
    );
    assert.deepEqual(event, { action: "linked", address: WALLET });
  });
});

test("a seed that would exceed the budget writes nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const campaign = d.ctx.campaigns.resolve(undefined, d.clock.now());
    await assert.rejects(
      seedQueuedGrants(
        d.ctx,
        { campaignId: campaign.id, token: "REF", chainId: 31337, keyPrefix: "seed" },
        [
          {
            telegramId: 1,
            firstName: "A",
            grant: { amount: REF("2000000"), refereeTelegramId: 1 },
          },
        ],
      ),
      BudgetExceededError,
    );
    const [n] = await queryRows<{ members: number; entries: number }>(
      db.db,
      sql`select (select count(*) from members)::int as members,
            (select count(*) from ledger_entries)::int as entries`,
    );
    assert.deepEqual(n, { members: 0, entries: 0 });
    await assertLedgerConsistent(db);
  });
});
