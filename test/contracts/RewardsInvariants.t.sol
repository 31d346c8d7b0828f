// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReferralPayouts} from "../../contracts/ReferralPayouts.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {IRewardToken} from "../../contracts/interfaces/IRewardToken.sol";
import {Merkle4} from "./utils/Merkle4.sol";
import {TestBase} from "./utils/Vm.sol";

/// @notice Drives payouts, epochs and claims in random order and keeps ghost totals.
contract RewardsHandler is TestBase {
    RewardToken public immutable token;
    ReferralPayouts public immutable payouts;
    RewardDistributor public immutable distributor;
    address[4] public members = [address(0xA1), address(0xB2), address(0xC3), address(0xD4)];

    uint256 public paidTotal; // every payout amount, direct or into the escrow
    uint256 public directPaid; // payouts straight to members
    uint256 public escrowed; // payouts into the distributor
    uint256 public claimedTotal;
    uint256 public doublePays; // a payout id paid a second time
    mapping(uint256 id => bool) public seen;
    uint256[4] public cumulative; // latest published cumulative amount per member
    bytes32[][4] internal _proofs;
    bool public published;

    constructor(RewardToken token_, ReferralPayouts payouts_, RewardDistributor distributor_) {
        token = token_;
        payouts = payouts_;
        distributor = distributor_;
    }

    /// Pays up to 8 payouts with ids in a small range, so ids collide across and within batches.
    function pay(uint256 seed, uint8 size) external {
        uint256 n = bound(size, 1, 8);
        uint256[] memory transfers = new uint256[](n);
        bytes memory meta;
        uint256 expected;
        uint256 expectedDirect;
        uint256[] memory ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 id = uint256(keccak256(abi.encode(seed, i))) % 48;
            uint256 amount = bound(uint256(keccak256(abi.encode(seed, i, "a"))), 1, 1e21);
            uint256 who = uint256(keccak256(abi.encode(seed, i, "w"))) % 5;
            address to = who == 4 ? address(distributor) : members[who];
            transfers[i] = (uint256(uint160(to)) << 96) | amount;
            meta = bytes.concat(meta, bytes16((uint128(id) << 64) | (uint128(1) << 8) | 1));
            ids[i] = id;
            bool dup = seen[id];
            for (uint256 j; j < i; ++j) if (ids[j] == id) dup = true;
            if (!dup) {
                expected += amount;
                if (who != 4) expectedDirect += amount;
                else escrowed += amount;
            }
        }
        for (uint256 i; i < n; ++i) seen[ids[i]] = true;
        uint256 supplyBefore = token.totalSupply();
        payouts.pay(IRewardToken(address(token)), transfers, meta);
        if (token.totalSupply() - supplyBefore != expected) ++doublePays;
        paidTotal += expected;
        directPaid += expectedDirect;
    }

    /// Publishes an epoch that raises some members' cumulative amounts, within the escrow.
    function publish(uint64 a, uint64 b, uint64 c, uint64 d) external {
        uint64[4] memory raise = [a, b, c, d];
        uint256 outstanding;
        for (uint256 i; i < 4; ++i) {
            uint256 next = cumulative[i] + raise[i];
            outstanding += next - distributor.claimed(members[i]);
        }
        if (outstanding > token.balanceOf(address(distributor))) return; // never promise more than escrowed
        bytes32[4] memory leaves;
        for (uint256 i; i < 4; ++i) {
            cumulative[i] += raise[i];
            leaves[i] = Merkle4.leaf(members[i], cumulative[i]);
        }
        bytes32 root;
        (root, _proofs) = Merkle4.build(leaves);
        distributor.publishRoot(root, uint64(block.timestamp + 365 days));
        published = true;
    }

    /// Claims for a member; anyone may send it.
    function claim(uint8 who) external {
        uint256 i = who % 4;
        if (!published || cumulative[i] <= distributor.claimed(members[i])) return;
        uint256 before = distributor.claimed(members[i]);
        distributor.claim(members[i], cumulative[i], _proofs[i]);
        claimedTotal += cumulative[i] - before;
    }
}

contract RewardsInvariantsTest is TestBase {
    RewardToken internal token;
    ReferralPayouts internal payouts;
    RewardDistributor internal distributor;
    RewardsHandler internal handler;

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        payouts = new ReferralPayouts(1, address(this), address(this));
        distributor = new RewardDistributor(IERC20(address(token)), address(this), address(this), address(0xBEEF));
        handler = new RewardsHandler(token, payouts, distributor);
        token.grantRole(token.MINTER_ROLE(), address(payouts));
        payouts.setBudget(address(token), type(uint128).max, type(uint128).max);
        payouts.grantRole(payouts.PAYOUT_ROLE(), address(handler));
        distributor.grantRole(distributor.PUBLISHER_ROLE(), address(handler));
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Token supply equals every payout paid (claims only move escrowed tokens).
    function invariant_supplyEqualsPaidPayouts() public view {
        assertEq(token.totalSupply(), handler.paidTotal(), "supply == paid payouts");
    }

    /// What members hold equals their direct payouts plus what they claimed.
    function invariant_memberHoldingsEqualDirectPayoutsPlusClaims() public view {
        uint256 held;
        for (uint256 i; i < 4; ++i) held += token.balanceOf(handler.members(i));
        assertEq(held, handler.directPaid() + handler.claimedTotal(), "held == direct + claimed");
        assertEq(token.balanceOf(address(distributor)), handler.escrowed() - handler.claimedTotal(), "escrow");
    }

    /// No payout id is ever paid twice.
    function invariant_payoutIdNeverPaidTwice() public view {
        assertEq(handler.doublePays(), 0, "double pays");
    }

    /// No member ever claims more than their latest cumulative amount.
    function invariant_claimedNeverExceedsLatestCumulative() public view {
        for (uint256 i; i < 4; ++i) {
            assertLe(distributor.claimed(handler.members(i)), handler.cumulative(i), "claimed <= cumulative");
        }
    }
}
