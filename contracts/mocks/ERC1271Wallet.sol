// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271Wallet
/// @notice Test double of a smart-contract wallet: a signature is valid when its owner key
/// signed the hash; the owner can make it call any contract (to approve a token, say). Used to
/// test sign-in with Ethereum and perk orders for contract wallets.
contract ERC1271Wallet is IERC1271 {
    /// @notice The key whose signatures this wallet accepts.
    address public immutable owner;

    /// @param owner_ The signing key.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice The call `execute` made failed.
    error ERC1271WalletCallFailed(bytes reason);
    /// @notice Only the owner may make the wallet call out.
    error ERC1271WalletNotOwner(address caller);

    /// @notice Calls `target` with `data` from the wallet.
    /// @param target The contract.
    /// @param data The calldata.
    function execute(address target, bytes calldata data) external {
        if (msg.sender != owner) revert ERC1271WalletNotOwner(msg.sender);
        // A wallet's job is to make arbitrary calls for its owner.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = target.call(data);
        if (!ok) revert ERC1271WalletCallFailed(reason);
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? this.isValidSignature.selector : bytes4(0xffffffff);
    }
}
