// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReferralPayouts} from "../../contracts/ReferralPayouts.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {IRewardToken} from "../../contracts/interfaces/IRewardToken.sol";
import {Merkle4} from "./utils/Merkle4.sol";
import {TestBase} from "./utils/Vm.sol";

/// @notice Drives payouts, epochs, claims, releases, clawbacks and time in random order the way
/// the backend does, keeps ghost totals, and tries what must fail (over-promising roots,
/// clawing back promised funds, claiming a leaf its member's release stopped), checking that it
/// does. Every call it makes is expected to succeed unless it says otherwise, and the suite runs
/// with reverts failing the run, so a claim or payout that always reverted could not hide.
contract RewardsHandler is TestBase {
    RewardToken public immutable token;
    ReferralPayouts public immutable payouts;
    RewardDistributor public immutable distributor;
    address public immutable treasury;

    /// Member numbers in four different bitmap words.
    uint256[4] public memberIds = [uint256(3), 300, 70_000, (uint256(1) << 40) + 5];
    address[4] public wallets = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];

    uint256 public paidTotal; // every payout amount, direct or into the escrow
    uint256 public directPaid; // payouts straight to members' wallets
    uint256 public escrowed; // payouts into the distributor
    uint256 public claimedTotal;
    uint256 public releasedTotal;
    uint256 public clawedTotal;
    uint256 public doublePays; // a payout id paid a second time
    uint256 public doubleSettled; // a member paid by both a release and a claim of an older leaf
    uint256 public mustFailSucceeded; // a call that had to fail went through
    mapping(uint256 id => bool) public seen;

    uint256[4] public owed; // escrow assigned to the member, neither claimed nor released
    uint256[4] public claimedBy; // ghost of distributor.claimed(member)
    bool[4] public released;
    uint256[4] public promised; // the active root's leaf: cumulative amount (0: no leaf)
    bool[4] public leafReleased; // the active root's leaf: released flag
    uint256 public rootDeadline;
    bytes32[][4] internal _proofs;
    uint256 public calls;

    constructor(RewardToken token_, ReferralPayouts payouts_, RewardDistributor distributor_, address treasury_) {
        token = token_;
        payouts = payouts_;
        distributor = distributor_;
        treasury = treasury_;
    }

    /// Pays up to 8 payouts, some into the escrow (each assigned to a member), with ids that
    /// collide within and across batches and span many bitmap words.
    function pay(uint256 seed, uint8 size) external {
        ++calls;
        uint256 n = bound(size, 1, 8);
        uint256[] memory transfers = new uint256[](n);
        bytes memory meta;
        uint256 expected;
        uint256[] memory ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 id = (r % 200) * 257; // 200 ids, one per bitmap word
            uint256 amount = bound(r >> 64, 1, 1e21);
            uint256 who = (r >> 160) % 8; // 0-3: a wallet; 4-7: escrow for member who - 4
            address to = who < 4 ? wallets[who] : address(distributor);
            transfers[i] = (uint256(uint160(to)) << 96) | amount;
            meta = bytes.concat(meta, bytes16((uint128(id) << 64) | (uint128(r >> 200) & 0xffff) << 8 | 1));
            ids[i] = id;
            bool dup = seen[id];
            for (uint256 j; j < i; ++j) if (ids[j] == id) dup = true;
            if (!dup) {
                expected += amount;
                if (who < 4) directPaid += amount;
                else {
                    escrowed += amount;
                    owed[who - 4] += amount;
                }
            }
        }
        for (uint256 i; i < n; ++i) seen[ids[i]] = true;
        uint256 supplyBefore = token.totalSupply();
        payouts.pay(IRewardToken(address(token)), transfers, meta);
        if (token.totalSupply() - supplyBefore != expected) ++doublePays;
        paidTotal += expected;
    }

    /// Publishes an epoch the way the backend builds it: each member with a wallet and something
    /// owed gets a leaf of what they claimed plus what they are owed; the root declares that total
    /// and never closes before the open root. First it tries to over-promise, which must fail.
    function publish(uint64 extraDays) external {
        ++calls;
        uint256 deadline = block.timestamp + bound(extraDays, 1, 60) * 1 days;
        if (rootDeadline >= block.timestamp && deadline < rootDeadline) deadline = rootDeadline;
        bytes32[4] memory leaves;
        uint256[4] memory cumulative;
        uint256 total;
        for (uint256 i; i < 4; ++i) {
            // Post-release escrow goes into `released` leaves; a member with nothing owed gets
            // a leaf of what they claimed (claiming it pays nothing).
            cumulative[i] = claimedBy[i] + owed[i];
            total += owed[i];
            leaves[i] = Merkle4.leaf(memberIds[i], wallets[i], cumulative[i], deadline, released[i]);
        }
        (bytes32 root, bytes32[][4] memory proofs) = Merkle4.build(leaves);
        uint256 balance = token.balanceOf(address(distributor));
        try distributor.publishRoot(root, balance + 1, uint64(deadline)) {
            ++mustFailSucceeded;
        } catch (bytes memory reason) {
            if (selectorOf(reason) != RewardDistributor.RewardDistributorOverPromised.selector) ++mustFailSucceeded;
        }
        distributor.publishRoot(root, total, uint64(deadline));
        for (uint256 i; i < 4; ++i) {
            promised[i] = cumulative[i];
            leafReleased[i] = released[i];
        }
        _proofs = proofs;
        rootDeadline = deadline;
    }

    /// Claims a member's leaf; anyone may send it. A leaf written before the member's release
    /// must be refused.
    function claim(uint8 who) external {
        ++calls;
        uint256 i = who % 4;
        if (rootDeadline < block.timestamp || promised[i] <= claimedBy[i]) return;
        uint256 terms = Merkle4.terms(memberIds[i], rootDeadline, leafReleased[i]);
        if (released[i] && !leafReleased[i]) {
            try distributor.claim(wallets[i], promised[i], terms, _proofs[i]) {
                ++mustFailSucceeded;
                ++doubleSettled;
            } catch (bytes memory reason) {
                if (selectorOf(reason) != RewardDistributor.RewardDistributorLeafReleased.selector) {
                    ++mustFailSucceeded;
                }
            }
            return;
        }
        uint256 amount = promised[i] - claimedBy[i];
        distributor.claim(wallets[i], promised[i], terms, _proofs[i]);
        claimedBy[i] = promised[i];
        owed[i] -= amount;
        claimedTotal += amount;
    }

    /// Releases a member's escrow to their wallet, as the backend does when a member links (or
    /// relinks) one: once, from what the open root does not promise. An open leaf written
    /// before the release stops paying.
    function release(uint8 who) external {
        ++calls;
        uint256 i = who % 4;
        if (released[i]) return;
        uint256 amount = owed[i];
        uint256[] memory transfers = new uint256[](1);
        transfers[0] = (uint256(uint160(wallets[i])) << 96) | amount;
        bytes memory member = abi.encodePacked(uint64(memberIds[i]));
        if (amount > distributor.unpromised()) {
            try distributor.release(transfers, member) {
                ++mustFailSucceeded;
            } catch (bytes memory reason) {
                if (selectorOf(reason) != RewardDistributor.RewardDistributorExceedsUnpromised.selector) {
                    ++mustFailSucceeded;
                }
            }
            return;
        }
        distributor.release(transfers, member);
        released[i] = true;
        owed[i] = 0;
        releasedTotal += amount;
    }

    /// Returns a member's expired escrow to the treasury (only escrow no open root promises), and
    /// tries to take one unit more than the open root leaves, which must fail.
    function clawback(uint8 who) external {
        ++calls;
        uint256 free = distributor.unpromised();
        try distributor.clawback(free + 1) {
            ++mustFailSucceeded;
        } catch (bytes memory reason) {
            if (selectorOf(reason) != RewardDistributor.RewardDistributorExceedsUnpromised.selector) {
                ++mustFailSucceeded;
            }
        }
        uint256 i = who % 4;
        // The backend expires only grants no open root promises.
        if (rootDeadline >= block.timestamp && promised[i] > claimedBy[i]) return;
        uint256 amount = owed[i];
        if (amount == 0 || amount > free) return;
        distributor.clawback(amount);
        owed[i] = 0;
        clawedTotal += amount;
    }

    /// Moves time forward by up to 40 days (claim windows close, the rolling limits refill).
    function warp(uint32 by) external {
        ++calls;
        vm.warp(block.timestamp + bound(by, 1, 40 days));
    }

    function memberCount() external pure returns (uint256) {
        return 4;
    }
}

contract RewardsInvariantsTest is TestBase {
    RewardToken internal token;
    ReferralPayouts internal payouts;
    RewardDistributor internal distributor;
    RewardsHandler internal handler;
    address internal constant TREASURY = address(0xBEEF);

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        payouts = new ReferralPayouts(1, address(this), address(this), address(this));
        distributor = new RewardDistributor(
            IERC20(address(token)), address(this), address(this), address(this), address(this), TREASURY, 0, true
        );
        handler = new RewardsHandler(token, payouts, distributor, TREASURY);
        token.grantRole(token.MINTER_ROLE(), address(payouts));
        payouts.setBudget(address(token), type(uint120).max, type(uint96).max, type(uint96).max, false);
        distributor.setReleaseLimits(type(uint96).max, type(uint96).max);
        payouts.grantRole(payouts.PAYOUT_ROLE(), address(handler));
        distributor.grantRole(distributor.PUBLISHER_ROLE(), address(handler));
        distributor.grantRole(distributor.RELEASER_ROLE(), address(handler));
        distributor.beginDefaultAdminTransfer(address(handler));
        vm.warp(block.timestamp + 1);
        vm.prank(address(handler));
        distributor.acceptDefaultAdminTransfer();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Token supply equals every payout paid (claims, releases and clawbacks only move tokens).
    function invariant_supplyEqualsPaidPayouts() public view {
        assertEq(token.totalSupply(), handler.paidTotal(), "supply == paid payouts");
    }

    /// Members hold their direct payouts plus what they claimed and were released; the escrow
    /// holds what went in less what came out; the treasury holds what was clawed back.
    function invariant_everyTokenIsAccountedFor() public view {
        uint256 held;
        for (uint256 i; i < 4; ++i) held += token.balanceOf(handler.wallets(i));
        assertEq(
            held,
            handler.directPaid() + handler.claimedTotal() + handler.releasedTotal(),
            "held == direct + claimed + released"
        );
        assertEq(
            token.balanceOf(address(distributor)),
            handler.escrowed() - handler.claimedTotal() - handler.releasedTotal() - handler.clawedTotal(),
            "escrow == in - out"
        );
        assertEq(token.balanceOf(TREASURY), handler.clawedTotal(), "treasury == clawed back");
    }

    /// No payout id is paid twice, no member is paid by both a release and an older leaf, and
    /// nothing that had to fail went through.
    function invariant_nothingPaidTwice() public view {
        assertEq(handler.doublePays(), 0, "double pays");
        assertEq(handler.doubleSettled(), 0, "released and claimed");
        assertEq(handler.mustFailSucceeded(), 0, "a call that had to fail succeeded");
    }

    /// What each member claimed matches the contract and never exceeds what a root gave them.
    function invariant_claimsMatchAndStayWithinLeaves() public view {
        for (uint256 i; i < 4; ++i) {
            assertEq(distributor.claimed(handler.memberIds(i)), handler.claimedBy(i), "claimed per member");
            assertLe(handler.claimedBy(i), handler.promised(i), "claimed <= latest leaf");
        }
    }

    /// While the active root is open, the escrow still holds everything it promised and no one
    /// has claimed yet.
    function invariant_openRootStaysFunded() public view {
        if (handler.rootDeadline() < block.timestamp) return;
        uint256 outstanding;
        for (uint256 i; i < 4; ++i) {
            uint256 leaf = handler.promised(i);
            uint256 claimedSoFar = handler.claimedBy(i);
            if (leaf > claimedSoFar && !(handler.released(i) && !handler.leafReleased(i))) {
                outstanding += leaf - claimedSoFar;
            }
        }
        assertLe(outstanding, token.balanceOf(address(distributor)), "open promises are funded");
    }
}
