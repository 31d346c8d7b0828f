/**
 * A member's data, whole: every table that names a member (found in the migrated database:
 * foreign keys to `members`, and member-numbered columns without one) is decided on in
 * `MEMBER_TABLES` (server/domain/privacy.ts), so a new table cannot slip past the export or
 * the deletion; the export (what the bot's /export and the dashboard download) carries each
 * exported table's key, including the qualifying actions a host bot reported through the host
 * API; the deletion removes every row of the tables marked `erase` and keeps the others.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import { queryRows } from "../../../server/db/index.ts";
import { MEMBER_TABLES } from "../../../server/domain/privacy.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../../support/app.ts";
import { testCampaign } from "../../support/campaign.ts";
import { withDatabases } from "../../support/db.ts";
import { tmaFor } from "../../support/telegram.ts";

/** Table → the columns that name a member, from the database itself. */
async function memberLinkedColumns(db: DatabaseHandle): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ table_name: string; column_name: string }>(
    db.db,
    sql`select cl.relname as table_name, a.attname as column_name
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
        where c.contype = 'f' and c.confrelid = 'members'::regclass
        union
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and table_name <> 'members'
          and column_name ~ '(^|_)(member|referrer|referee|starter)_id$'
          and table_name in (select table_name from information_schema.tables
                             where table_schema = current_schema() and table_type = 'BASE TABLE')`,
  );
  const byTable = new Map<string, string[]>();
  for (const r of rows)
    byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
  return byTable;
}

test("every table naming a member is decided on: exported or why not, erased or why kept", async (t) => {
  await withDatabases(t, async (db) => {
    const linked = await memberLinkedColumns(db);
    // The check finds what it should: tables with and without a foreign key.
    for (const known of ["clicks", "host_events", "analytics_members", "bot_broadcasts"])
      assert.ok(linked.has(known), `the enumeration sees ${known}`);
    const missing = [...linked.keys()].filter((table) => !MEMBER_TABLES[table]).sort();
    assert.deepEqual(
      missing,
      [],
      "these tables name a member but server/domain/privacy.ts MEMBER_TABLES does not say what the export and the deletion do with them",
    );
    for (const [table, columns] of linked)
      for (const column of columns)
        assert.ok(
          MEMBER_TABLES[table]!.columns.includes(column),
          `${table}.${column} names a member: list it in MEMBER_TABLES.${table}.columns`,
        );
    const stale = Object.keys(MEMBER_TABLES).filter((table) => !linked.has(table));
    assert.deepEqual(stale, [], "MEMBER_TABLES lists tables that name no member (any more)");
    for (const [table, decided] of Object.entries(MEMBER_TABLES)) {
      if (decided.export === null) assert.ok(decided.why, `${table}: say why it is not exported`);
      if (decided.deletion !== "erase") assert.ok(decided.why, `${table}: say why it is kept`);
    }
  });
});

test("the export carries every member-linked table (the host API's actions too); deletion erases what MEMBER_TABLES marks", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, {
      campaigns: [
        testCampaign({
          slug: "alpha",
          onchainId: 501,
          qualification: { type: "partner_event", partner: "shop", eventType: "purchase" },
        }),
      ],
    });
    const [alice, bob] = await app.members(61, 62);
    await app.refer(alice!, bob!, { campaign: "alpha" });
    // A host bot reports Bob's purchase with the campaign's API key.
    const key = await app.call("POST", "/api/admin/campaigns/alpha/api-keys", {
      auth: `Bearer ${TEST_ADMIN_TOKEN}`,
      body: { name: "shop bot" },
    });
    assert.equal(key.status, 201, key.text);
    const action = await app.call("POST", "/api/host/campaigns/alpha/actions", {
      auth: `Bearer ${key.body.key}`,
      body: { eventId: "order-7", type: "purchase", telegramUserId: 62 },
    });
    assert.equal(action.status, 200, action.text);
    assert.equal(action.body.outcome, "qualified");
    // Rows in the newer member-linked tables (what the bot's features write).
    const campaignId = app.ctx.campaigns.bySlug("alpha")!.id;
    for (const statement of [
      sql`insert into chat_memberships (chat_id, member_id, status, joined_at, updated_at)
          values (-1001, ${bob!.id}, 'member', now(), now())`,
      sql`insert into chat_invite_links (chat_id, member_id, link, created_at)
          values (-1001, ${bob!.id}, 'https://t.me/+bob', now())`,
      sql`insert into checkins (campaign_id, member_id, day, streak, at)
          values (${campaignId}, ${bob!.id}, '2026-12-07', 1, now())`,
      sql`insert into leaderboard_settings (member_id, show_name) values (${bob!.id}, true)`,
      sql`insert into bot_notification_settings (member_id, muted)
          values (${bob!.id}, '{reward_paid}')`,
      sql`insert into campaign_roles (campaign_id, member_id, role, granted_by)
          values (${campaignId}, ${bob!.id}, 'analyst', 'api-token')`,
    ])
      await db.db.execute(statement);

    const auth = tmaFor(62);
    const exp = await app.call("GET", "/api/me/export", { auth });
    assert.equal(exp.status, 200, exp.text);
    for (const [table, decided] of Object.entries(MEMBER_TABLES))
      if (decided.export !== null)
        assert.ok(decided.export in exp.body, `the export has ${decided.export} (${table})`);
    assert.deepEqual(
      exp.body.hostEvents.map((e: { campaignId: number; eventId: string; type: string }) => [
        e.campaignId,
        e.eventId,
        e.type,
      ]),
      [[campaignId, "order-7", "purchase"]],
    );
    assert.equal(exp.body.hostEvents[0].result.outcome, "qualified");
    assert.deepEqual(
      exp.body.chatMemberships.map((m: { chatId: number }) => m.chatId),
      [-1001],
    );
    assert.deepEqual(
      exp.body.chatInviteLinks.map((l: { link: string }) => l.link),
      ["https://t.me/+bob"],
    );
    assert.deepEqual(exp.body.checkins, [{ campaignId, day: "2026-12-07", streak: 1 }]);
    assert.deepEqual(exp.body.leaderboardSettings, { showName: true });
    assert.deepEqual(exp.body.notificationSettings.muted, ["reward_paid"]);
    assert.deepEqual(
      exp.body.roles.map((r: { role: string }) => r.role),
      ["analyst"],
    );
    assert.ok(exp.body.activityDays.length >= 1, "the member was active today");
    assert.equal(exp.body.referredBy.referrerMemberNumber, alice!.id);
    // Round-trips as the JSON document it is (no bigint, no Date left in it).
    assert.deepEqual(JSON.parse(JSON.stringify(exp.body)), exp.body);

    const rowsNaming = async (table: string, memberId: number) => {
      const where = sql.join(
        MEMBER_TABLES[table]!.columns.map((c) => sql`${sql.identifier(c)} = ${memberId}`),
        sql` or `,
      );
      const [r] = await queryRows<{ n: number }>(
        db.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`,
      );
      return Number(r?.n);
    };
    const erased = Object.keys(MEMBER_TABLES).filter((t) => MEMBER_TABLES[t]!.deletion === "erase");
    const before = new Map<string, number>();
    for (const table of Object.keys(MEMBER_TABLES))
      before.set(table, await rowsNaming(table, bob!.id));
    for (const table of ["chat_memberships", "chat_invite_links", "checkins", "campaign_roles"])
      assert.equal(before.get(table), 1, table);

    const del = await app.call("DELETE", "/api/me", { auth, body: { confirm: true } });
    assert.equal(del.status, 200, del.text);
    for (const table of erased)
      assert.equal(await rowsNaming(table, bob!.id), 0, `${table} erased`);
    assert.deepEqual(
      [del.body.erased.chatMemberships, del.body.erased.checkins, del.body.erased.roles],
      [1, 1, 1],
    );
    // What is kept stays: the host's event (a replay must stay answered), the rewards. (The
    // analytics' own counters move with their fold, whoever is deleted.)
    const kept = Object.keys(MEMBER_TABLES).filter(
      (t) => !erased.includes(t) && !t.startsWith("analytics_"),
    );
    for (const table of kept)
      assert.equal(await rowsNaming(table, bob!.id), before.get(table), `${table} kept`);
    assert.equal(before.get("host_events"), 1);
    // Alice's rows are untouched.
    assert.equal(await rowsNaming("host_events", alice!.id), 0);
    assert.ok((await rowsNaming("referrals", alice!.id)) > 0);
  });
});
