// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title BitmapMerkleDistributor
/// @notice Reference for the gas benchmark only: Uniswap's merkle-distributor design (one
/// immutable root, one claimed bit per leaf index, a pre-funded plain token). It cannot do
/// epochs, cumulative claims, deadlines or pausing; it shows where the EVM floor of a claim is.
contract BitmapMerkleDistributor {
    /// @notice The token paid out.
    IERC20 public immutable token;
    /// @notice The only root.
    bytes32 public immutable merkleRoot;
    mapping(uint256 => uint256) private _claimedBitMap;

    /// @notice Index `index` was claimed.
    event Claimed(uint256 index, address account, uint256 amount);

    /// @notice The leaf was already claimed.
    error BitmapMerkleDistributorAlreadyClaimed(uint256 index);
    /// @notice The proof is wrong.
    error BitmapMerkleDistributorInvalidProof();

    constructor(IERC20 token_, bytes32 merkleRoot_) {
        token = token_;
        merkleRoot = merkleRoot_;
    }

    /// @notice Claims leaf `(index, account, amount)`.
    /// @param index Leaf index.
    /// @param account Recipient.
    /// @param amount Amount.
    /// @param proof Merkle proof.
    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        uint256 word = index >> 8;
        uint256 bit = 1 << (index & 255);
        if (_claimedBitMap[word] & bit != 0) revert BitmapMerkleDistributorAlreadyClaimed(index);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert BitmapMerkleDistributorInvalidProof();
        _claimedBitMap[word] |= bit;
        // The reference token is PlainERC20, which reverts on failure.
        // slither-disable-next-line unchecked-transfer
        token.transfer(account, amount); // solhint-disable-line
        emit Claimed(index, account, amount);
    }
}
