// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ReferralPayouts} from "../../contracts/ReferralPayouts.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {IRewardToken} from "../../contracts/interfaces/IRewardToken.sol";
import {TestBase, Vm} from "./utils/Vm.sol";

contract ReferralPayoutsFuzzTest is TestBase {
    RewardToken internal token;
    ReferralPayouts internal payouts;

    bytes32 internal constant REWARDED =
        keccak256("ReferralRewarded(address,uint256,uint256,uint256,uint256)");
    bytes32 internal constant SKIPPED = keccak256("PayoutSkipped(uint256)");
    bytes32 internal constant BATCH = keccak256("PayoutBatchPaid(address,uint256,uint256)");
    bytes32 internal constant TRANSFER = keccak256("Transfer(address,address,uint256)");

    struct Payout {
        uint64 id;
        address to;
        uint96 amount;
        uint56 referee;
        uint8 level;
    }

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        payouts = new ReferralPayouts(1, address(this), address(this), address(this));
        token.grantRole(token.MINTER_ROLE(), address(payouts));
        payouts.setBudget(address(token), type(uint120).max, type(uint96).max, type(uint96).max, false);
    }

    /// A payout from fuzzed words: ids from a small range spread over many bitmap words (so they
    /// collide within and across batches), and any recipient, amount, referee and level.
    function _payout(uint256 seed, uint256 i) internal pure returns (Payout memory p) {
        uint256 r = uint256(keccak256(abi.encode(seed, i)));
        p.id = uint64((r % 24) * 251 + (r >> 8) % 3); // 24 ids x 3, across about 24 words
        p.to = address(uint160(r >> 96) | 1);
        p.amount = uint96(bound(r >> 32, 1, type(uint96).max / 64));
        p.referee = uint56(r >> 160);
        p.level = uint8(r >> 216);
    }

    function _encode(Payout[] memory ps) internal pure returns (uint256[] memory transfers, bytes memory meta) {
        transfers = new uint256[](ps.length);
        for (uint256 i; i < ps.length; ++i) {
            transfers[i] = (uint256(uint160(ps[i].to)) << 96) | ps[i].amount;
            meta = bytes.concat(
                meta,
                bytes16((uint128(ps[i].id) << 64) | (uint128(ps[i].referee) << 8) | uint128(ps[i].level))
            );
        }
    }

    /// Any batch pays each distinct id exactly once, to the recipient and amount of its first
    /// occurrence, with the events that say so; resending the same ids with other recipients and
    /// amounts pays nothing and logs only skips.
    function testFuzz_payPaysEachIdOnceWithItsEvents(uint256 seed, uint8 size, uint256 resendSeed) public {
        uint256 n = bound(size, 1, 24);
        Payout[] memory ps = new Payout[](n);
        for (uint256 i; i < n; ++i) ps[i] = _payout(seed, i);
        uint256 expectedTotal = _sendAndCheck(ps);
        assertEq(token.totalSupply(), expectedTotal, "supply after first send");

        // The same ids again, with other recipients and amounts: nothing is paid.
        for (uint256 i; i < n; ++i) {
            Payout memory other = _payout(resendSeed, i);
            ps[i].to = other.to;
            ps[i].amount = other.amount;
        }
        _resendAndCheck(ps);
        assertEq(token.totalSupply(), expectedTotal, "supply after resend");
    }

    function _sendAndCheck(Payout[] memory ps) internal returns (uint256 expectedTotal) {
        (uint256[] memory transfers, bytes memory meta) = _encode(ps);
        vm.recordLogs();
        (uint256 count, uint256 total) = payouts.pay(IRewardToken(address(token)), transfers, meta);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 expectedCount;
        uint256 k; // our logs, in order
        for (uint256 i; i < ps.length; ++i) {
            bool dup;
            for (uint256 j; j < i; ++j) if (ps[j].id == ps[i].id) dup = true;
            // The i-th of our logs is this payout's: rewarded, or skipped if the id came before.
            while (logs[k].emitter != address(payouts)) ++k;
            Vm.Log memory log = logs[k++];
            if (dup) {
                assertTrue(log.topics[0] == SKIPPED, "skipped log");
                assertEq(uint256(log.topics[1]), ps[i].id, "skipped id");
                continue;
            }
            ++expectedCount;
            expectedTotal += ps[i].amount;
            _checkRewarded(log, ps[i]);
        }
        while (logs[k].emitter != address(payouts)) ++k;
        assertTrue(logs[k].topics[0] == BATCH, "batch log");
        (uint256 batchCount, uint256 batchAmount) = abi.decode(logs[k].data, (uint256, uint256));
        assertEq(batchCount, expectedCount, "batch count");
        assertEq(batchAmount, expectedTotal, "batch amount");
        assertEq(count, expectedCount, "paid count");
        assertEq(total, expectedTotal, "paid total");
        uint256 transferLogs;
        for (uint256 i; i < logs.length; ++i) if (logs[i].topics[0] == TRANSFER) ++transferLogs;
        assertEq(transferLogs, expectedCount, "one Transfer per payout paid");
    }

    function _resendAndCheck(Payout[] memory ps) internal {
        (uint256[] memory transfers, bytes memory meta) = _encode(ps);
        vm.recordLogs();
        (uint256 again, uint256 againTotal) = payouts.pay(IRewardToken(address(token)), transfers, meta);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(again, 0, "resend pays nothing");
        assertEq(againTotal, 0, "resend pays nothing in total");
        assertEq(logs.length, ps.length, "one skip per payout, nothing else");
        for (uint256 i; i < ps.length; ++i) {
            assertTrue(logs[i].topics[0] == SKIPPED, "only skips");
            assertEq(uint256(logs[i].topics[1]), ps[i].id, "skipped id on resend");
        }
    }

    function _checkRewarded(Vm.Log memory log, Payout memory p) internal view {
        assertTrue(log.topics[0] == REWARDED, "rewarded log");
        assertEq(uint256(log.topics[1]), uint160(p.to), "recipient topic");
        (uint256 id, uint256 referee, uint256 level, uint256 amount) =
            abi.decode(log.data, (uint256, uint256, uint256, uint256));
        assertEq(id, p.id, "payout id");
        assertEq(referee, p.referee, "referee");
        assertEq(level, p.level, "level");
        assertEq(amount, p.amount, "amount");
        assertTrue(payouts.isPaid(p.id), "id marked paid");
    }

    /// An id not in any batch stays unpaid, whatever was paid around it.
    function testFuzz_bitmapMarksOnlyPaidIds(uint64 id, uint64 other) public {
        vm.assume(id != other);
        Payout[] memory ps = new Payout[](1);
        ps[0] = Payout(id, address(0xA11CE), 1, 0, 1);
        (uint256[] memory transfers, bytes memory meta) = _encode(ps);
        payouts.pay(IRewardToken(address(token)), transfers, meta);
        assertTrue(payouts.isPaid(id), "paid");
        assertTrue(!payouts.isPaid(other), "other unpaid");
    }
}
