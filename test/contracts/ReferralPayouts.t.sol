// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ReferralPayouts} from "../../contracts/ReferralPayouts.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {IRewardToken} from "../../contracts/interfaces/IRewardToken.sol";
import {TestBase} from "./utils/Vm.sol";

contract ReferralPayoutsFuzzTest is TestBase {
    RewardToken internal token;
    ReferralPayouts internal payouts;

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        payouts = new ReferralPayouts(1, address(this), address(this));
        token.grantRole(token.MINTER_ROLE(), address(payouts));
        payouts.setBudget(address(token), type(uint128).max, type(uint128).max);
    }

    function _batch(uint64[] memory ids, uint96 amount) internal pure returns (uint256[] memory transfers, bytes memory meta) {
        transfers = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            address to = address(uint160(uint256(keccak256(abi.encode(ids[i]))) | 1));
            transfers[i] = (uint256(uint160(to)) << 96) | amount;
            meta = bytes.concat(meta, bytes16((uint128(ids[i]) << 64) | (uint128(7) << 8) | 1));
        }
    }

    /// Any batch, sent twice, pays each distinct id exactly once.
    function testFuzz_payPaysEachIdOnce(uint64[] memory ids, uint96 amount) public {
        vm.assume(ids.length > 0 && ids.length <= 40 && amount > 0);
        (uint256[] memory transfers, bytes memory meta) = _batch(ids, amount);
        (uint256 count,) = payouts.pay(IRewardToken(address(token)), transfers, meta);
        uint256 distinct;
        for (uint256 i; i < ids.length; ++i) {
            bool seen;
            for (uint256 j; j < i; ++j) if (ids[j] == ids[i]) seen = true;
            if (!seen) ++distinct;
            assertTrue(payouts.isPaid(ids[i]), "id marked paid");
        }
        assertEq(count, distinct, "paid count");
        assertEq(token.totalSupply(), distinct * amount, "supply after first send");
        (uint256 again,) = payouts.pay(IRewardToken(address(token)), transfers, meta);
        assertEq(again, 0, "resend pays nothing");
        assertEq(token.totalSupply(), distinct * amount, "supply after resend");
    }

    /// An id not in any batch stays unpaid, whatever was paid around it.
    function testFuzz_bitmapMarksOnlyPaidIds(uint64 id, uint64 other) public {
        vm.assume(id != other);
        uint64[] memory ids = new uint64[](1);
        ids[0] = id;
        (uint256[] memory transfers, bytes memory meta) = _batch(ids, 1);
        payouts.pay(IRewardToken(address(token)), transfers, meta);
        assertTrue(payouts.isPaid(id), "paid");
        assertTrue(!payouts.isPaid(other), "other unpaid");
    }
}
