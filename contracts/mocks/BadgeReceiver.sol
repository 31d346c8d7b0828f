// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";

/// @title BadgeReceiver
/// @notice Test double of a contract wallet that accepts ERC-1155 tokens.
// ERC1155Holder is the whole behaviour.
// solhint-disable-next-line no-empty-blocks
contract BadgeReceiver is ERC1155Holder {}
