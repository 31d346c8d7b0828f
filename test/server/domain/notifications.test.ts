import assert from "node:assert/strict";
import { test } from "node:test";
import { notifications } from "../../../server/db/schema.ts";
import { enqueueNotification } from "../../../server/domain/notifications.ts";
import { withDatabases } from "../../support/db.ts";
import { testDomain } from "../../support/domain.ts";

test("a notification is queued once per dedupe key and rolls back with its transaction", async (t) => {
  await withDatabases(t, async (db) => {
    const d = await testDomain(db);
    const m = await d.member(1);
    const input = {
      memberId: m.id,
      kind: "reward_paid" as const,
      data: { amount: "10" },
      dedupeKey: "reward_paid:1",
    };
    assert.equal(await enqueueNotification(db.db, input), true);
    assert.equal(await enqueueNotification(db.db, input), false);
    await assert.rejects(
      db.db.transaction(async (tx) => {
        await enqueueNotification(tx, { ...input, dedupeKey: "reward_paid:2" });
        throw new Error("rollback");
      }),
      /rollback/,
    );
    const rows = await db.db.select().from(notifications);
    assert.deepEqual(
      rows.map((r) => [r.dedupeKey, r.status, r.kind]),
      [["reward_paid:1", "pending", "reward_paid"]],
    );
  });
});
