// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice A four-leaf StandardMerkleTree-compatible tree of RewardDistributor leaves
/// (`["uint256","address","uint256","uint256","bool"]`: member, account, cumulative amount,
/// deadline, released; sorted-pair hashing), built on-chain for Solidity tests.
library Merkle4 {
    function leaf(uint256 member, address account, uint256 amount, uint256 deadline, bool released)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(member, account, amount, deadline, released))));
    }

    /// @return The `terms` word `claim` takes for a leaf's member, deadline and released.
    function terms(uint256 member, uint256 deadline, bool released) internal pure returns (uint256) {
        return (member << 41) | (deadline << 1) | (released ? 1 : 0);
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @return root The root of leaves [l0, l1, l2, l3] paired as ((l0,l1),(l2,l3)).
    /// @return proofs One two-element proof per leaf.
    function build(bytes32[4] memory leaves) internal pure returns (bytes32 root, bytes32[][4] memory proofs) {
        bytes32 left = hashPair(leaves[0], leaves[1]);
        bytes32 right = hashPair(leaves[2], leaves[3]);
        root = hashPair(left, right);
        for (uint256 i; i < 4; ++i) {
            proofs[i] = new bytes32[](2);
            proofs[i][0] = leaves[i ^ 1];
            proofs[i][1] = i < 2 ? right : left;
        }
    }
}
