// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IRewardToken
/// @notice The part of {RewardToken} that the other Refmint contracts call.
interface IRewardToken is IERC20, IERC20Permit {
    /// @notice Mints to many recipients with one supply update.
    /// @param packed One word per recipient: `recipient << 96 | amount` (amount < 2**96).
    /// @return total The sum of all minted amounts.
    function mintBatch(uint256[] calldata packed) external returns (uint256 total);

    /// @notice Moves the caller's tokens to many recipients with one debit.
    /// @param packed One word per recipient: `recipient << 96 | amount` (amount < 2**96).
    /// @return total The sum of all amounts.
    function transferBatch(uint256[] calldata packed) external returns (uint256 total);

    /// @notice Burns `amount` from `account`, spending the caller's allowance.
    /// @param account The holder whose tokens are burned.
    /// @param amount The amount to burn.
    function burnFrom(address account, uint256 amount) external;
}
