// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Utils} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Utils.sol";

/// @title Badges
/// @notice A campaign's tier and achievement badges (ERC-1155). Badges are soulbound by
/// default: they can be minted and revoked, but not transferred, unless the badge is defined
/// as transferable. Each badge has its own metadata URI.
/// @dev Each account's holding of a badge is one word: its balance, plus a flag recording that
/// the badge was minted to that account. `mintBatch` skips accounts whose flag is set, so a
/// retried batch never mints again, even after a transferable badge was moved away or a badge
/// was revoked. A soulbound badge cannot move, so minting it skips the ERC-1155 acceptance call
/// (contract wallets and EIP-7702 accounts receive it like any account); minting a transferable
/// badge to an account with code calls the hook, and a recipient that refuses it is skipped
/// with `BadgeMintFailed` instead of stopping the rest of the batch.
contract Badges is ERC1155, AccessControlDefaultAdminRules {
    /// @notice Role of the backend key that mints and revokes badges.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    uint256 private constant _MINTED = 1 << 255;
    uint256 private constant _BALANCE_MASK = _MINTED - 1;

    struct Badge {
        bool defined;
        bool transferable;
    }

    mapping(uint256 id => Badge) private _badges;
    mapping(uint256 id => string) private _uris;
    mapping(uint256 id => mapping(address account => uint256)) private _holdings;

    /// @notice A badge was defined or its settings changed.
    event BadgeDefined(uint256 indexed id, string uri, bool transferable);
    /// @notice Minting badge `id` to `account` failed (its acceptance call refused it); the rest
    /// of the batch went ahead.
    event BadgeMintFailed(uint256 indexed id, address indexed account);

    /// @notice The badge id has not been defined.
    error BadgesUnknownBadge(uint256 id);
    /// @notice The badge is soulbound and cannot be transferred.
    error BadgesSoulbound(uint256 id);
    /// @notice The account does not hold the badge.
    error BadgesNotHeld(address account, uint256 id);
    /// @notice Only the contract itself may call this.
    error BadgesOnlySelf();

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (badge definitions, roles), moved in two steps.
    /// @param minter The badge minter key, granted MINTER_ROLE.
    constructor(address admin, address minter) ERC1155("") AccessControlDefaultAdminRules(0, admin) {
        _grantRole(MINTER_ROLE, minter);
    }

    /// @notice Defines a badge, or changes its URI and transferability.
    /// @param id Badge id.
    /// @param uri_ Metadata URI of the badge.
    /// @param transferable Whether holders may transfer it (false: soulbound).
    function defineBadge(uint256 id, string calldata uri_, bool transferable)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _badges[id] = Badge({defined: true, transferable: transferable});
        _uris[id] = uri_;
        emit BadgeDefined(id, uri_, transferable);
        emit URI(uri_, id);
    }

    /// @notice Mints one badge `id` to each recipient it was never minted to.
    /// @param id Badge id; must be defined.
    /// @param recipients Members' wallets; none may be the zero address.
    /// @return minted How many badges were minted (earlier recipients and refusals are skipped).
    function mintBatch(uint256 id, address[] calldata recipients)
        external
        onlyRole(MINTER_ROLE)
        returns (uint256 minted)
    {
        Badge memory badge = _badges[id];
        if (!badge.defined) revert BadgesUnknownBadge(id);
        address operator = _msgSender();
        for (uint256 i; i < recipients.length; ++i) {
            address to = recipients[i];
            if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
            uint256 holding = _holdings[id][to];
            if (holding & _MINTED != 0) continue;
            if (badge.transferable && to.code.length != 0) {
                // The acceptance call runs in a call frame of its own, so a refusal undoes
                // only this mint (and its log).
                // solhint-disable-next-line no-empty-blocks
                try this.mintWithAcceptanceCheck(operator, to, id) {}
                catch {
                    emit BadgeMintFailed(id, to);
                    continue;
                }
            } else {
                // Cannot overflow: a badge is minted to an account at most once.
                _holdings[id][to] = _MINTED | (holding + 1);
                emit TransferSingle(operator, address(0), to, id, 1);
            }
            unchecked {
                ++minted;
            }
        }
    }

    /// @notice One mint with the ERC-1155 acceptance call; `mintBatch` calls it on itself.
    /// @param operator The minter who sent the batch (logged as the operator).
    /// @param to The recipient.
    /// @param id Badge id.
    function mintWithAcceptanceCheck(address operator, address to, uint256 id) external {
        if (msg.sender != address(this)) revert BadgesOnlySelf();
        // Cannot overflow: a badge is minted to an account at most once.
        _holdings[id][to] = _MINTED | (_holdings[id][to] + 1);
        emit TransferSingle(operator, address(0), to, id, 1);
        ERC1155Utils.checkOnERC1155Received(operator, address(0), to, id, 1, "");
    }

    /// @notice Revokes a badge from a member (for example after a fraud review). The record
    /// that it was minted stays, so a retried mint batch does not give it back.
    /// @param account The holder.
    /// @param id Badge id.
    function revoke(address account, uint256 id) external onlyRole(MINTER_ROLE) {
        if (balanceOf(account, id) == 0) revert BadgesNotHeld(account, id);
        _burn(account, id, 1);
    }

    /// @notice Balance of a badge.
    /// @param account The holder.
    /// @param id Badge id.
    /// @return The balance.
    function balanceOf(address account, uint256 id) public view override returns (uint256) {
        return _holdings[id][account] & _BALANCE_MASK;
    }

    /// @notice Whether badge `id` was ever minted to `account` (held, moved away or revoked).
    /// @param account The account.
    /// @param id Badge id.
    /// @return True once minted to it.
    function wasMinted(address account, uint256 id) external view returns (bool) {
        return _holdings[id][account] & _MINTED != 0;
    }

    /// @notice Metadata URI of a badge.
    /// @param id Badge id.
    /// @return The URI ("" for an undefined badge).
    function uri(uint256 id) public view override returns (string memory) {
        return _uris[id];
    }

    /// @notice Whether a badge may be transferred by its holders.
    /// @param id Badge id.
    /// @return True for transferable badges, false for soulbound or undefined ones.
    function isTransferable(uint256 id) external view returns (bool) {
        return _badges[id].transferable;
    }

    /// @inheritdoc ERC1155
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC1155, AccessControlDefaultAdminRules)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    /// @dev ERC1155's accounting on `_holdings` (balance plus the minted flag); soulbound badges
    /// cannot move between accounts.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        override
    {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            uint256 value = values[i];
            if (from != address(0)) {
                if (to != address(0) && !_badges[id].transferable) revert BadgesSoulbound(id);
                uint256 holding = _holdings[id][from];
                uint256 balance = holding & _BALANCE_MASK;
                if (balance < value) revert ERC1155InsufficientBalance(from, balance, value, id);
                unchecked {
                    _holdings[id][from] = holding - value;
                }
            }
            if (to != address(0)) {
                uint256 holding = _holdings[id][to];
                // Cannot reach the flag bit: balances add up to at most the badges ever minted.
                uint256 balance = (holding & _BALANCE_MASK) + value;
                _holdings[id][to] = (holding & _MINTED) | (from == address(0) ? _MINTED : 0) | balance;
            }
        }
        address operator = _msgSender();
        if (ids.length == 1) emit TransferSingle(operator, from, to, ids[0], values[0]);
        else emit TransferBatch(operator, from, to, ids, values);
    }
}
