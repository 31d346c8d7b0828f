import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { insertClaims } from "../../server/chain/evm/indexer.ts";
import { queryRows } from "../../server/db/index.ts";
import { withDatabases } from "../support/db.ts";

test("a claim names its member when the event's number is one of ours, else none (even beyond a bigint)", async (t) => {
  await withDatabases(t, async (db) => {
    const [member] = await queryRows<{ id: string }>(
      db.db,
      sql`insert into members (telegram_id) values (42) returning id::text`,
    );
    const numbers = [member!.id, "999999", (2n ** 200n).toString()];
    await db.db.execute(
      insertClaims({
        block: [10, 10, 11],
        logIndex: [0, 1, 0],
        distributor: ["0xd", "0xd", "0xd"],
        account: ["0xa", "0xb", "0xc"],
        member: numbers,
        amount: ["5", "6", "7"],
        txHash: ["0xh", "0xh", "0xi"],
      }),
    );
    const rows = await queryRows<{ member_id: string | null; amount: string }>(
      db.db,
      sql`select member_id::text, amount::text from chain_claims order by block_number, log_index`,
    );
    assert.deepEqual(rows, [
      { member_id: member!.id, amount: "5" },
      { member_id: null, amount: "6" },
      { member_id: null, amount: "7" },
    ]);
  });
});
