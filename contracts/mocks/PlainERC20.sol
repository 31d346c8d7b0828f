// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title PlainERC20
/// @notice The gas benchmark's baseline: a plain OpenZeppelin ERC-20 minted one payout per
/// transaction, the way a naive reward bot would pay.
contract PlainERC20 is ERC20 {

    constructor() ERC20("Baseline", "BASE") {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
