// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title UsdcLike
/// @notice Test double of a fee-less stablecoin like USDC: 6 decimals, an issuer that mints,
/// and a blocklist whose accounts can neither send nor receive.
contract UsdcLike is ERC20 {
    /// @notice Who may mint and block accounts.
    address public immutable issuer;
    /// @notice Accounts that can neither send nor receive.
    mapping(address account => bool) public blocked;

    /// @notice The account is on the blocklist.
    error UsdcLikeBlocked(address account);
    /// @notice Only the issuer may do this.
    error UsdcLikeNotIssuer(address caller);

    constructor() ERC20("USD Coin (test)", "USDC") {
        issuer = msg.sender;
    }

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount (6 decimals).
    function mint(address to, uint256 amount) external {
        if (msg.sender != issuer) revert UsdcLikeNotIssuer(msg.sender);
        _mint(to, amount);
    }

    /// @notice Puts an account on or off the blocklist.
    /// @param account The account.
    /// @param isBlocked True to block.
    function setBlocked(address account, bool isBlocked) external {
        if (msg.sender != issuer) revert UsdcLikeNotIssuer(msg.sender);
        blocked[account] = isBlocked;
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert UsdcLikeBlocked(from);
        if (blocked[to]) revert UsdcLikeBlocked(to);
        super._update(from, to, value);
    }
}
