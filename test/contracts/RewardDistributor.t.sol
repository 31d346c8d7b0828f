// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {Merkle4} from "./utils/Merkle4.sol";
import {TestBase, Vm} from "./utils/Vm.sol";

contract RewardDistributorFuzzTest is TestBase {
    RewardToken internal token;
    RewardDistributor internal distributor;

    bytes32 internal constant RELEASED = keccak256("Released(address,uint256,uint256)");
    bytes32 internal constant RELEASE_SKIPPED = keccak256("ReleaseSkipped(uint256)");

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        distributor = new RewardDistributor(
            IERC20(address(token)), address(this), address(this), address(this), address(this), address(0xBEEF), 0, true
        );
        token.grantRole(token.MINTER_ROLE(), address(this));
        token.mint(address(distributor), uint256(1) << 100);
        distributor.setReleaseLimits(type(uint96).max, type(uint96).max);
    }

    /// The hand-written verifier and OpenZeppelin's MerkleProof agree on every input.
    function testFuzz_computeRootMatchesOpenZeppelin(
        uint64 member,
        address account,
        uint256 amount,
        uint40 deadline,
        bool released,
        bytes32[] calldata proof
    ) public view {
        bytes32 ours = distributor.computeRoot(account, amount, Merkle4.terms(member, deadline, released), proof);
        bytes32 theirs = MerkleProof.processProofCalldata(proof, Merkle4.leaf(member, account, amount, deadline, released));
        assertTrue(ours == theirs, "same root");
    }

    /// Over two epochs a member receives exactly their latest cumulative amount, never more,
    /// whichever wallets the leaves name and whoever sends the claims.
    function testFuzz_claimPaysTheDifferenceAcrossWallets(uint96 first, uint96 second, address caller, bool relink)
        public
    {
        vm.assume(first > 0 && caller != address(0));
        uint256 member = 77;
        address wallet1 = address(0xA11CE);
        address wallet2 = relink ? address(0xB0B) : wallet1;
        uint256 deadline = block.timestamp + 1 days;
        bytes32[4] memory leaves = [
            Merkle4.leaf(member, wallet1, first, deadline, false),
            Merkle4.leaf(1, address(1), 1, deadline, false),
            Merkle4.leaf(2, address(2), 2, deadline, false),
            Merkle4.leaf(3, address(3), 3, deadline, false)
        ];
        (bytes32 root, bytes32[][4] memory proofs) = Merkle4.build(leaves);
        distributor.publishRoot(root, uint256(first) + 6, uint64(deadline));
        vm.prank(caller);
        distributor.claim(wallet1, first, Merkle4.terms(member, deadline, false), proofs[0]);
        assertEq(token.balanceOf(wallet1), first, "first claim");

        leaves[0] = Merkle4.leaf(member, wallet2, second, deadline, false);
        (root, proofs) = Merkle4.build(leaves);
        distributor.publishRoot(root, second > first ? second - first : 0, uint64(deadline));
        if (second <= first) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    RewardDistributor.RewardDistributorNothingToClaim.selector, member, uint256(second), uint256(first)
                )
            );
            distributor.claim(wallet2, second, Merkle4.terms(member, deadline, false), proofs[0]);
            assertEq(token.balanceOf(wallet1) + (relink ? token.balanceOf(wallet2) : 0), first, "nothing more");
        } else {
            distributor.claim(wallet2, second, Merkle4.terms(member, deadline, false), proofs[0]);
            assertEq(token.balanceOf(wallet1) + (relink ? token.balanceOf(wallet2) : 0), second, "the latest cumulative");
        }
        assertEq(distributor.claimed(member), second > first ? second : first, "claimed per member");
    }

    /// Any deadline that fits the packed 40 bits reads back exactly with the full root; a later
    /// one is refused.
    function testFuzz_publishRootPacksDeadline(bytes32 root, uint64 deadline) public {
        vm.assume(root != bytes32(0) && deadline > block.timestamp);
        if (deadline > type(uint40).max) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    RewardDistributor.RewardDistributorInvalidDeadline.selector, uint256(deadline), block.timestamp
                )
            );
            distributor.publishRoot(root, 0, deadline);
            return;
        }
        distributor.publishRoot(root, 0, deadline);
        (uint256 number, bytes32 latestRoot, uint256 latestDeadline,) = distributor.latestEpoch();
        assertEq(number, 1, "first epoch");
        assertTrue(latestRoot == root, "full root kept");
        assertEq(latestDeadline, deadline, "deadline");
    }

    /// A release batch with any member numbers (repeats included, across bitmap words) releases
    /// each member once, to the wallet and amount of its first occurrence, with its events; a
    /// resend releases nobody.
    function testFuzz_releasePaysEachMemberOnce(uint256 seed, uint8 size) public {
        uint256 n = bound(size, 1, 16);
        uint256[] memory transfers = new uint256[](n);
        uint64[] memory members = new uint64[](n);
        bytes memory packed;
        uint256 expectedTotal;
        uint256 expectedCount;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            members[i] = uint64((r % 12) * 97);
            address wallet = address(uint160(r >> 96) | 1);
            uint256 amount = (r >> 32) % 1e24;
            transfers[i] = (uint256(uint160(wallet)) << 96) | amount;
            packed = bytes.concat(packed, bytes8(members[i]));
            bool dup;
            for (uint256 j; j < i; ++j) if (members[j] == members[i]) dup = true;
            if (!dup) {
                expectedTotal += amount;
                ++expectedCount;
            }
        }
        uint256 before = token.balanceOf(address(distributor));
        vm.recordLogs();
        (uint256 count, uint256 total) = distributor.release(transfers, packed);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(count, expectedCount, "released count");
        assertEq(total, expectedTotal, "released total");
        assertEq(token.balanceOf(address(distributor)), before - expectedTotal, "escrow debited once per amount");
        uint256 k;
        for (uint256 i; i < n; ++i) {
            while (logs[k].emitter != address(distributor)) ++k;
            Vm.Log memory log = logs[k++];
            bool dup;
            for (uint256 j; j < i; ++j) if (members[j] == members[i]) dup = true;
            if (dup) {
                assertTrue(log.topics[0] == RELEASE_SKIPPED, "skipped");
                continue;
            }
            _checkReleased(log, transfers[i], members[i]);
        }
        (uint256 again,) = distributor.release(transfers, packed);
        assertEq(again, 0, "a resend releases nobody");
        assertEq(token.balanceOf(address(distributor)), before - expectedTotal, "nothing more");
    }

    function _checkReleased(Vm.Log memory log, uint256 transfer, uint64 expectedMember) internal view {
        assertTrue(log.topics[0] == RELEASED, "released");
        assertEq(uint256(log.topics[1]), transfer >> 96, "wallet");
        (uint256 member, uint256 amount) = abi.decode(log.data, (uint256, uint256));
        assertEq(member, expectedMember, "member");
        assertEq(amount, transfer & type(uint96).max, "amount");
        assertTrue(distributor.isReleased(expectedMember), "marked");
    }
}
