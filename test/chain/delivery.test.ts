/**
 * Where a settled reward is (server/domain/delivery.ts), on a real Hardhat chain with the real
 * payout pipeline, PGlite and PostgreSQL (issue 14, "escrow reads as paid"): a member with a
 * wallet is paid to it; a walletless member's rewards are settled into escrow and read as
 * reserved for them; once they link a wallet the worker's release makes them "releasing" until
 * the indexer confirms it, then "released" with the release's transaction. The summary per
 * token adds up to the grants.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Address, parseUnits } from "viem";
import { chainReleases } from "../../server/db/schema/chain.ts";
import { memberDeliveries } from "../../server/domain/delivery.ts";
import { withDatabases } from "../support/db.ts";
import { deployedChain, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { fresh } = await deployedChain({ accounts });

const wallet = (n: number) =>
  `0x${(0xde1170000000n + BigInt(n)).toString(16).padStart(40, "0")}` as Address;

test("rewards read as in the wallet, reserved for the member, being released, then released", async (t) => {
  await withDatabases(t, async (db) => {
    const h = await fresh(db);
    const campaign = h.domain.campaigns.all()[0]!;
    const alice = await h.member(7101);
    const carol = await h.member(7103);
    await h.link(carol, wallet(3));
    const a1 = await h.grant(alice, "3");
    const a2 = await h.grant(alice, "4.5");
    const c1 = await h.grant(carol, "2");
    await h.settle();

    const states = async (member: number) => {
      const d = await memberDeliveries(db.db, campaign, member, new Date());
      return {
        byEntry: Object.fromEntries([...d.byEntry].map(([id, x]) => [id, x.state])),
        totals: Object.fromEntries(
          d.totals.map((x) => [
            x.token,
            Object.fromEntries(Object.entries(x.amounts).filter(([, v]) => v > 0n)),
          ]),
        ),
        d,
      };
    };

    // Carol had a wallet: paid straight to it, with the payout's transaction.
    const c = await states(carol);
    assert.deepEqual(c.byEntry, { [c1]: "wallet" });
    assert.match(c.d.byEntry.get(c1)?.txHash ?? "", /^0x[0-9a-f]{64}$/);
    assert.deepEqual(c.totals, { REF: { wallet: parseUnits("2", 18) } });

    // Alice had none: settled on-chain, but into escrow, so reserved for her, not "paid".
    const before = await states(alice);
    assert.deepEqual(before.byEntry, { [a1]: "reserved", [a2]: "reserved" });
    assert.deepEqual(before.totals, { REF: { reserved: parseUnits("7.5", 18) } });

    // She links a wallet; the worker plans and sends the release: being released until the
    // indexer has seen its `Released` log.
    await h.link(alice, wallet(1));
    await h.worker.runOnce();
    const [release] = await db.db.select().from(chainReleases);
    assert.ok(release && release.status !== "released", "the release is on its way");
    const releasing = await states(alice);
    assert.deepEqual(releasing.byEntry, { [a1]: "releasing", [a2]: "releasing" });
    assert.deepEqual(releasing.totals, { REF: { releasing: parseUnits("7.5", 18) } });

    await h.settle(async () => {
      const rows = await db.db.select().from(chainReleases);
      return rows.every((r) => r.status === "released");
    });
    const after = await states(alice);
    assert.deepEqual(after.byEntry, { [a1]: "released", [a2]: "released" });
    const [done] = await db.db.select().from(chainReleases);
    assert.equal(after.d.byEntry.get(a1)?.txHash, done?.txHash, "the release's transaction");
    assert.ok(after.d.byEntry.get(a1)?.at instanceof Date, "when it was released");
    assert.deepEqual(after.totals, { REF: { released: parseUnits("7.5", 18) } });
  });
});
