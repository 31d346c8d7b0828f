/**
 * Address screening on a real Hardhat chain, PGlite and PostgreSQL (issue 16): nothing is ever
 * sent to a listed address. A payout to a listed wallet is held with the reason while the
 * others in its batch are paid; letting it go is refused while the address is still listed and
 * pays it once after the list drops it; rejecting it returns its amount to the budget. An
 * escrow release to a listed wallet is held the same way.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { type Address, getAddress, parseUnits } from "viem";
import { rewardTokenAbi } from "../../server/chain/abi.ts";
import { chainReleases } from "../../server/db/schema/chain.ts";
import { payoutOutbox } from "../../server/db/schema.ts";
import { isDomainError } from "../../server/domain/errors.ts";
import {
  importScreeningList,
  listHeldPayouts,
  rejectHeldPayouts,
  releaseHeldPayouts,
  releaseHeldReleases,
} from "../../server/domain/screening.ts";
import { withDatabases } from "../support/db.ts";
import { assertLedgerConsistent } from "../support/ledger.ts";
import {
  assertPaidExactlyOnce,
  deployTestCampaign,
  entryStates,
  type Harness,
  harness,
  startTestChain,
  type TestCampaignDeployment,
  type TestChain,
} from "./support.ts";

let chain: TestChain;
let campaign: TestCampaignDeployment;
let clean: string;

before(async () => {
  chain = await startTestChain();
  campaign = await deployTestCampaign(chain);
  clean = await chain.snapshot();
});

after(async () => {
  await campaign?.cleanup();
  await chain?.close();
});

const wallet = (n: number) => getAddress(`0x${(0x5c0e0000 + n).toString(16).padStart(40, "0")}`);
const LIST = { source: "Test sanctions list", actor: "api-token" as const };

const balanceOf = (h: Harness, account: Address) =>
  h.ctx.driver.client.readContract({
    address: h.contracts.campaigns[0]!.tokens.get("REF")!.token,
    abi: rewardTokenAbi,
    functionName: "balanceOf",
    args: [account],
  });

async function stateOf(h: Harness, id: number) {
  return (await entryStates(h.db)).find((s) => s.id === id)?.state;
}

test("a payout to a listed wallet is held with the reason, never sent; let go only once delisted, then paid once; or rejected back to the budget", async (t) => {
  await withDatabases(t, async (db) => {
    clean = await chain.reset(clean);
    const h = await harness(db, campaign, { rpcUrl: chain.url });
    const [listed, other, rejected] = await Promise.all([
      h.member(8101),
      h.member(8102),
      h.member(8103),
    ]);
    await h.link(listed, wallet(1));
    await h.link(other, wallet(2));
    await h.link(rejected, wallet(3));
    // The list names wallet 1 (in lower case: the lookup ignores case) and wallet 3.
    await importScreeningList(h.domain, {
      ...LIST,
      listedOn: "2026-12-01",
      addresses: [wallet(1).toLowerCase(), wallet(3)],
    });
    const heldEntry = await h.grant(listed, "10");
    const paidEntry = await h.grant(other, "7");
    const rejectedEntry = await h.grant(rejected, "4");

    await h.settle(async () => (await stateOf(h, paidEntry)) === "settled");
    assert.equal(await stateOf(h, heldEntry), "held");
    assert.equal(await stateOf(h, rejectedEntry), "held");
    assert.equal(await balanceOf(h, wallet(1)), 0n, "nothing reached the listed address");
    assert.equal(await balanceOf(h, wallet(2)), parseUnits("7", 18));
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, [paidEntry]);
    const held = await listHeldPayouts(db.db);
    assert.deepEqual(
      held.map((p) => [p.entryId, p.wallet, p.reason]),
      [
        [heldEntry, wallet(1), "address screening: listed by Test sanctions list (2026-12-01)"],
        [rejectedEntry, wallet(3), "address screening: listed by Test sanctions list (2026-12-01)"],
      ],
    );
    // More passes send nothing more.
    await h.worker.runOnce();
    assert.equal(await balanceOf(h, wallet(1)), 0n);

    // Letting it go while still listed: refused, nothing changed.
    await assert.rejects(
      releaseHeldPayouts(h.domain, { entryIds: [heldEntry], actor: "api-token", reason: "check" }),
      (e: unknown) => isDomainError(e, "address_screened"),
    );
    assert.equal(await stateOf(h, heldEntry), "held");

    // Rejecting the other: cancelled, its amount back to the budget (ledger still balanced).
    assert.equal(
      await rejectHeldPayouts(h.domain, {
        entryIds: [rejectedEntry],
        actor: "api-token",
        reason: "confirmed match",
      }),
      1,
    );
    assert.equal(await stateOf(h, rejectedEntry), "rejected");

    // The list's next version drops wallet 1: now it can go, and is paid exactly once.
    const updated = await importScreeningList(h.domain, {
      ...LIST,
      listedOn: "2026-12-05",
      addresses: [wallet(3)],
    });
    assert.deepEqual(
      { entries: updated.entries, added: updated.added, removed: updated.removed },
      { entries: 1, added: 0, removed: 1 },
    );
    assert.equal(
      await releaseHeldPayouts(h.domain, {
        entryIds: [heldEntry],
        actor: "api-token",
        reason: "delisted on 2026-12-05",
      }),
      1,
    );
    await h.settle(async () => (await stateOf(h, heldEntry)) === "settled");
    assert.equal(await balanceOf(h, wallet(1)), parseUnits("10", 18));
    assert.equal(await balanceOf(h, wallet(3)), 0n, "the rejected payout was never sent");
    await assertPaidExactlyOnce(chain, campaign.deployment.referralPayouts, [paidEntry, heldEntry]);
    const [outbox] = await db.db
      .select()
      .from(payoutOutbox)
      .where(eq(payoutOutbox.entryId, heldEntry));
    assert.equal(outbox?.holdReason, null, "the reason is cleared once it went");
    await assertLedgerConsistent(db);
  });
});

test("an escrow release to a wallet listed after linking is held, and released once delisted", async (t) => {
  await withDatabases(t, async (db) => {
    clean = await chain.reset(clean);
    const h = await harness(db, campaign, { rpcUrl: chain.url });
    const carol = await h.member(8201);
    const entry = await h.grant(carol, "5");
    await h.settle(async () => (await stateOf(h, entry)) === "settled");
    // In escrow; then Carol links a wallet that a list names (listed after she linked it).
    await h.link(carol, wallet(9));
    await importScreeningList(h.domain, {
      ...LIST,
      listedOn: "2026-12-01",
      addresses: [wallet(9)],
    });
    const releases = () => db.db.select().from(chainReleases);
    await h.settle(async () => (await releases()).some((r) => r.status === "held"));
    for (let i = 0; i < 3; i++) await h.worker.runOnce();
    const [row] = await releases();
    assert.equal(row?.status, "held");
    assert.match(row?.error ?? "", /listed by Test sanctions list \(2026-12-01\)/);
    assert.equal(await balanceOf(h, wallet(9)), 0n, "nothing released to the listed wallet");

    await assert.rejects(
      releaseHeldReleases(h.domain, { memberIds: [carol], actor: "api-token", reason: "check" }),
      (e: unknown) => isDomainError(e, "address_screened"),
    );
    await importScreeningList(h.domain, { ...LIST, listedOn: "2026-12-05", addresses: [] });
    assert.equal(
      await releaseHeldReleases(h.domain, {
        memberIds: [carol],
        actor: "api-token",
        reason: "delisted",
      }),
      1,
    );
    await h.settle(async () => (await releases()).every((r) => r.status === "released"));
    assert.equal(await balanceOf(h, wallet(9)), parseUnits("5", 18));
  });
});
