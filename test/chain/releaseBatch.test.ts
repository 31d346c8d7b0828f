/**
 * The release batch encoder: RewardDistributor.release's calldata (`wallet << 96 | amount` per
 * member, member numbers 8 bytes each), in member order, refusing what the contract would
 * refuse or silently get wrong.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { getAddress } from "viem";
import { PayoutEncodingError } from "../../server/chain/evm/payoutBatch.ts";
import { encodeReleaseBatch } from "../../server/chain/evm/releaseBatch.ts";

const wallet = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

test("encodes releases in member order: wallet and amount in one word, 8 bytes per member", () => {
  const { transfers, members } = encodeReleaseBatch([
    { member: 300n, wallet: wallet(0xb0b), amount: 5n },
    { member: 2n, wallet: wallet(0xa11ce), amount: (1n << 96n) - 1n },
    { member: (1n << 64n) - 1n, wallet: wallet(0xc0c), amount: 0n },
  ]);
  assert.deepEqual(transfers, [
    (BigInt(wallet(0xa11ce)) << 96n) | ((1n << 96n) - 1n),
    (BigInt(wallet(0xb0b)) << 96n) | 5n,
    BigInt(wallet(0xc0c)) << 96n,
  ]);
  assert.equal(members, "0x0000000000000002000000000000012cffffffffffffffff");
});

test("refuses an empty batch, a member twice, and out-of-range members, wallets and amounts", () => {
  const bad = (releases: Parameters<typeof encodeReleaseBatch>[0], message: RegExp) =>
    assert.throws(
      () => encodeReleaseBatch(releases),
      (e: unknown) => {
        assert.ok(e instanceof PayoutEncodingError);
        assert.match(e.message, message);
        return true;
      },
    );
  bad([], /Empty release batch/);
  bad(
    [
      { member: 7n, wallet: wallet(1), amount: 1n },
      { member: 7n, wallet: wallet(2), amount: 2n },
    ],
    /Member twice/,
  );
  bad([{ member: 1n << 64n, wallet: wallet(1), amount: 1n }], /Member out of range/);
  bad([{ member: -1n, wallet: wallet(1), amount: 1n }], /Member out of range/);
  bad([{ member: 1n, wallet: wallet(0), amount: 1n }], /Invalid wallet/);
  bad([{ member: 1n, wallet: "0x1234" as `0x${string}`, amount: 1n }], /Invalid wallet/);
  bad([{ member: 1n, wallet: wallet(1), amount: 1n << 96n }], /Amount out of range/);
  bad([{ member: 1n, wallet: wallet(1), amount: -1n }], /Amount out of range/);
});
