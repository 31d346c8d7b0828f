import assert from "node:assert/strict";
import { network } from "hardhat";
import {
  decodeEventLog,
  encodeAbiParameters,
  getAddress,
  keccak256,
  parseEther,
  zeroAddress,
  zeroHash,
} from "viem";
import { CAP, type CampaignFixture, deployCampaign, freshAddress, signPermit } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();
const deploy = () => deployCampaign(viem);

/** Grants MINTER_ROLE on the token to the payer key, so tests can mint directly. */
async function withBackendMinter(f: CampaignFixture) {
  await f.token.write.grantRole([await f.token.read.MINTER_ROLE(), f.payer.account.address]);
  return viem.getContractAt("RewardToken", f.token.address, { client: { wallet: f.payer } });
}

const packed = (to: `0x${string}`, amount: bigint) => (BigInt(to) << 96n) | amount;

describe("RewardToken", () => {
  it("has its name, symbol, 18 decimals and cap", async () => {
    const { token } = await networkHelpers.loadFixture(deploy);
    assert.equal(await token.read.name(), "Refmint Referral");
    assert.equal(await token.read.symbol(), "REF");
    assert.equal(await token.read.decimals(), 18);
    assert.equal(await token.read.cap(), CAP);
  });

  describe("mint", () => {
    it("mints for a minter", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await viem.assertions.emitWithArgs(
        asMinter.write.mint([f.alice.account.address, 5n]),
        f.token,
        "Transfer",
        [zeroAddress, f.alice.account.address, 5n],
      );
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), 5n);
    });

    it("refuses callers without MINTER_ROLE", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        asMallory.write.mint([f.mallory.account.address, 1n]),
        f.token,
        "AccessControlUnauthorizedAccount",
        [f.mallory.account.address, await f.token.read.MINTER_ROLE()],
      );
    });

    it("refuses to mint past the cap", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await asMinter.write.mint([f.alice.account.address, CAP]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asMinter.write.mint([f.alice.account.address, 1n]),
        f.token,
        "ERC20ExceededCap",
        [CAP + 1n, CAP],
      );
    });
  });

  describe("mintBatch", () => {
    it("credits every recipient, emits a Transfer each, and updates the supply once", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      const a = freshAddress(1);
      const b = freshAddress(2);
      await asMinter.write.mint([b, 7n]);
      const hash = await asMinter.write.mintBatch([
        [packed(a, 100n), packed(b, 30n), packed(a, 1n)],
      ]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(receipt.logs.length, 3);
      assert.equal(await f.token.read.balanceOf([a]), 101n);
      assert.equal(await f.token.read.balanceOf([b]), 37n);
      assert.equal(await f.token.read.totalSupply(), 138n);
      await viem.assertions.emitWithArgs(
        asMinter.write.mintBatch([[packed(a, 2n)]]),
        f.token,
        "Transfer",
        [zeroAddress, a, 2n],
      );
    });

    it("writes the slots OpenZeppelin's ERC20 reads (pins the storage layout it relies on)", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      const a = freshAddress(3);
      await asMinter.write.mint([a, 11n]); // through OpenZeppelin's own _mint
      await asMinter.write.mintBatch([[packed(a, 31n)]]);
      const balanceSlot = keccak256(
        encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [a, 0n]),
      );
      const rawBalance = await f.publicClient.getStorageAt({
        address: f.token.address,
        slot: balanceSlot,
      });
      const rawSupply = await f.publicClient.getStorageAt({
        address: f.token.address,
        slot: "0x2",
      });
      assert.equal(BigInt(rawBalance!), await f.token.read.balanceOf([a]));
      assert.equal(BigInt(rawBalance!), 42n);
      assert.equal(BigInt(rawSupply!), await f.token.read.totalSupply());
    });

    it("refuses a zero recipient and writes nothing", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      const a = freshAddress(4);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asMinter.write.mintBatch([[packed(a, 5n), packed(zeroAddress, 5n)]]),
        f.token,
        "ERC20InvalidReceiver",
        [zeroAddress],
      );
      assert.equal(await f.token.read.balanceOf([a]), 0n);
      assert.equal(await f.token.read.totalSupply(), 0n);
    });

    it("refuses a batch that would pass the cap, as a whole", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      const half = CAP / 2n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        asMinter.write.mintBatch([
          [packed(freshAddress(5), half), packed(freshAddress(6), half + 1n)],
        ]),
        f.token,
        "ERC20ExceededCap",
        [CAP + 1n, CAP],
      );
      assert.equal(await f.token.read.totalSupply(), 0n);
    });

    it("refuses while paused and for non-minters", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await f.as.guardian.token.write.pause();
      await viem.assertions.revertWithCustomError(
        asMinter.write.mintBatch([[packed(freshAddress(7), 1n)]]),
        f.token,
        "EnforcedPause",
      );
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.mintBatch([[packed(freshAddress(7), 1n)]]),
        f.token,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("pause", () => {
    it("stops transfers until unpaused, and only a pauser may pause", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await asMinter.write.mint([f.alice.account.address, 10n]);
      const asAlice = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.alice },
      });
      await viem.assertions.emit(f.as.guardian.token.write.pause(), f.token, "Paused");
      await viem.assertions.revertWithCustomError(
        asAlice.write.transfer([f.bob.account.address, 1n]),
        f.token,
        "EnforcedPause",
      );
      await f.as.guardian.token.write.unpause();
      await asAlice.write.transfer([f.bob.account.address, 1n]);
      assert.equal(await f.token.read.balanceOf([f.bob.account.address]), 1n);
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.pause(),
        f.token,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.revertWithCustomError(
        asMallory.write.unpause(),
        f.token,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  describe("transferBatch", () => {
    it("debits the sender once, credits each recipient with a Transfer log, and keeps the supply", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await asMinter.write.mint([f.alice.account.address, 100n]);
      const a = freshAddress(21);
      const b = freshAddress(22);
      await asMinter.write.mint([b, 5n]);
      const asAlice = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.alice },
      });
      const alice = f.alice.account.address;
      const { result } = await asAlice.simulate.transferBatch(
        [[packed(a, 30n), packed(b, 20n), packed(a, 1n)]],
        { account: alice },
      );
      assert.equal(result, 51n);
      const hash = await asAlice.write.transferBatch([
        [packed(a, 30n), packed(b, 20n), packed(a, 1n)],
      ]);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const transfers = receipt.logs.map(
        (l) => decodeEventLog({ abi: f.token.abi, data: l.data, topics: l.topics }).args,
      );
      assert.deepEqual(transfers, [
        { from: getAddress(alice), to: a, value: 30n },
        { from: getAddress(alice), to: b, value: 20n },
        { from: getAddress(alice), to: a, value: 1n },
      ]);
      assert.equal(await f.token.read.balanceOf([alice]), 49n);
      assert.equal(await f.token.read.balanceOf([a]), 31n);
      assert.equal(await f.token.read.balanceOf([b]), 25n);
      assert.equal(await f.token.read.totalSupply(), 105n);
    });

    it("credits the sender when it is a recipient, and refuses an overdraft, a zero recipient and a pause", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      const alice = f.alice.account.address;
      await asMinter.write.mint([alice, 10n]);
      const asAlice = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.alice },
      });
      await asAlice.write.transferBatch([[packed(alice, 4n), packed(freshAddress(23), 6n)]]);
      assert.equal(await f.token.read.balanceOf([alice]), 4n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.transferBatch([[packed(freshAddress(24), 3n), packed(freshAddress(25), 2n)]]),
        f.token,
        "ERC20InsufficientBalance",
        [getAddress(alice), 4n, 5n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAlice.write.transferBatch([[packed(freshAddress(26), 1n), packed(zeroAddress, 1n)]]),
        f.token,
        "ERC20InvalidReceiver",
        [zeroAddress],
      );
      assert.equal(await f.token.read.balanceOf([freshAddress(26)]), 0n);
      await f.as.guardian.token.write.pause();
      await viem.assertions.revertWithCustomError(
        asAlice.write.transferBatch([[packed(freshAddress(27), 1n)]]),
        f.token,
        "EnforcedPause",
      );
      assert.equal(await f.token.read.balanceOf([alice]), 4n);
    });
  });

  describe("admin", () => {
    it("moves the admin role in two steps: the new admin must accept, and the old one keeps nothing", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const admin = f.admin.account.address;
      const next = f.carol.account.address;
      await viem.assertions.revertWithCustomError(
        f.token.write.grantRole([zeroHash, next]),
        f.token,
        "AccessControlEnforcedDefaultAdminRules",
      );
      await f.token.write.beginDefaultAdminTransfer([next]);
      assert.equal(await f.token.read.hasRole([zeroHash, next]), false, "not before accepting");
      const asMallory = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.mallory },
      });
      await viem.assertions.revertWithCustomError(
        asMallory.write.acceptDefaultAdminTransfer(),
        f.token,
        "AccessControlInvalidDefaultAdmin",
      );
      const asCarol = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.carol },
      });
      await asCarol.write.acceptDefaultAdminTransfer();
      assert.equal(await f.token.read.defaultAdmin(), getAddress(next));
      assert.equal(await f.token.read.hasRole([zeroHash, next]), true);
      assert.equal(await f.token.read.hasRole([zeroHash, admin]), false);
    });
  });

  describe("permit", () => {
    /** permit()'s arguments for Alice allowing Bob 99, signed by `signer` (Alice by default). */
    const alicePermitsBob99 = async (f: CampaignFixture, deadline: bigint, signer = f.alice) => {
      const { v, r, s } = await signPermit(
        f,
        f.alice,
        f.bob.account.address,
        99n,
        deadline,
        signer,
      );
      return [f.alice.account.address, f.bob.account.address, 99n, deadline, v, r, s] as const;
    };

    it("sets an allowance from the owner's signature", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      await f.token.write.permit(await alicePermitsBob99(f, deadline));
      assert.equal(
        await f.token.read.allowance([f.alice.account.address, f.bob.account.address]),
        99n,
      );
      assert.equal(await f.token.read.nonces([f.alice.account.address]), 1n);
    });

    it("refuses a signature by someone other than the owner", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.token.write.permit(await alicePermitsBob99(f, deadline, f.mallory)),
        f.token,
        "ERC2612InvalidSigner",
        [f.mallory.account.address, f.alice.account.address],
      );
    });

    it("refuses an expired permit", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const deadline = BigInt(await networkHelpers.time.latest()) + 10n;
      const permit = await alicePermitsBob99(f, deadline);
      await networkHelpers.time.increase(60);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.token.write.permit(permit),
        f.token,
        "ERC2612ExpiredSignature",
        [deadline],
      );
    });
  });

  describe("burn", () => {
    it("burns own tokens and, with an allowance, someone else's", async () => {
      const f = await networkHelpers.loadFixture(deploy);
      const asMinter = await withBackendMinter(f);
      await asMinter.write.mint([f.alice.account.address, parseEther("3")]);
      const asAlice = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.alice },
      });
      await asAlice.write.burn([parseEther("1")]);
      await asAlice.write.approve([f.bob.account.address, parseEther("1")]);
      const asBob = await viem.getContractAt("RewardToken", f.token.address, {
        client: { wallet: f.bob },
      });
      await asBob.write.burnFrom([f.alice.account.address, parseEther("1")]);
      assert.equal(await f.token.read.balanceOf([f.alice.account.address]), parseEther("1"));
      assert.equal(await f.token.read.totalSupply(), parseEther("1"));
      await viem.assertions.revertWithCustomError(
        asBob.write.burnFrom([f.alice.account.address, 1n]),
        f.token,
        "ERC20InsufficientAllowance",
      );
    });
  });

  it("supports the AccessControl and ERC165 interfaces", async () => {
    const { token } = await networkHelpers.loadFixture(deploy);
    assert.equal(await token.read.supportsInterface(["0x7965db0b"]), true); // IAccessControl
    assert.equal(await token.read.supportsInterface(["0x01ffc9a7"]), true); // IERC165
    assert.equal(await token.read.supportsInterface(["0xffffffff"]), false);
  });
});
