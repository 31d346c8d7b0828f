// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";
import {RewardToken} from "../../contracts/RewardToken.sol";
import {Merkle4} from "./utils/Merkle4.sol";
import {TestBase} from "./utils/Vm.sol";

contract RewardDistributorFuzzTest is TestBase {
    RewardToken internal token;
    RewardDistributor internal distributor;

    function setUp() public {
        token = new RewardToken("Ref", "REF", type(uint128).max, address(this));
        distributor = new RewardDistributor(IERC20(address(token)), address(this), address(this), address(0xBEEF));
        token.grantRole(token.MINTER_ROLE(), address(this));
        token.mint(address(distributor), type(uint96).max);
    }

    /// The hand-written verifier and OpenZeppelin's MerkleProof agree on every input.
    function testFuzz_computeRootMatchesOpenZeppelin(address account, uint256 amount, bytes32[] calldata proof)
        public
        view
    {
        bytes32 ours = distributor.computeRoot(account, amount, proof);
        bytes32 theirs = MerkleProof.processProofCalldata(proof, Merkle4.leaf(account, amount));
        assertTrue(ours == theirs, "same root");
    }

    /// Over two epochs a member receives exactly their latest cumulative amount, never more.
    function testFuzz_claimPaysTheDifference(uint96 first, uint96 second, address caller) public {
        vm.assume(first > 0 && caller != address(0));
        address member = address(0xA11CE);
        bytes32[4] memory leaves = [
            Merkle4.leaf(member, first),
            Merkle4.leaf(address(1), 1),
            Merkle4.leaf(address(2), 2),
            Merkle4.leaf(address(3), 3)
        ];
        (bytes32 root, bytes32[][4] memory proofs) = Merkle4.build(leaves);
        distributor.publishRoot(root, uint64(block.timestamp + 1 days));
        vm.prank(caller);
        distributor.claim(member, first, proofs[0]);
        assertEq(token.balanceOf(member), first, "first claim");

        leaves[0] = Merkle4.leaf(member, second);
        (root, proofs) = Merkle4.build(leaves);
        distributor.publishRoot(root, uint64(block.timestamp + 1 days));
        if (second <= first) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    RewardDistributor.RewardDistributorNothingToClaim.selector, member, uint256(second), uint256(first)
                )
            );
            distributor.claim(member, second, proofs[0]);
            assertEq(token.balanceOf(member), first, "nothing more");
        } else {
            distributor.claim(member, second, proofs[0]);
            assertEq(token.balanceOf(member), second, "topped up to the latest cumulative");
        }
        assertLe(distributor.claimed(member), second > first ? second : first, "claimed bound");
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
            distributor.publishRoot(root, deadline);
            return;
        }
        distributor.publishRoot(root, deadline);
        (uint256 number, bytes32 latestRoot, uint256 latestDeadline) = distributor.latestEpoch();
        assertEq(number, 1, "first epoch");
        assertTrue(latestRoot == root, "full root kept");
        assertEq(latestDeadline, deadline, "deadline");
    }
}
