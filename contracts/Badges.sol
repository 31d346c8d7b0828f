// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @title Badges
/// @notice A campaign's tier and achievement badges (ERC-1155). Badges are soulbound by
/// default: they can be minted and revoked, but not transferred, unless the badge is defined
/// as transferable. Each badge has its own metadata URI.
/// @dev A member holds at most one of each badge: minting skips members who already hold it,
/// which also makes a retried mint batch harmless.
contract Badges is ERC1155, AccessControl {
    /// @notice Role of the backend that mints and revokes badges.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    struct Badge {
        bool defined;
        bool transferable;
    }

    mapping(uint256 id => Badge) private _badges;
    mapping(uint256 id => string) private _uris;

    /// @notice A badge was defined or its settings changed.
    event BadgeDefined(uint256 indexed id, string uri, bool transferable);

    /// @notice The badge id has not been defined.
    error BadgesUnknownBadge(uint256 id);
    /// @notice The badge is soulbound and cannot be transferred.
    error BadgesSoulbound(uint256 id);
    /// @notice The account does not hold the badge.
    error BadgesNotHeld(address account, uint256 id);

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (badge definitions, roles).
    /// @param minter The backend, granted MINTER_ROLE.
    constructor(address admin, address minter) ERC1155("") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
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

    /// @notice Mints one badge `id` to each recipient who does not hold it yet.
    /// @param id Badge id; must be defined.
    /// @param recipients Members' wallets.
    /// @return minted How many badges were minted (holders are skipped).
    function mintBatch(uint256 id, address[] calldata recipients)
        external
        onlyRole(MINTER_ROLE)
        returns (uint256 minted)
    {
        if (!_badges[id].defined) revert BadgesUnknownBadge(id);
        for (uint256 i; i < recipients.length; ++i) {
            address to = recipients[i];
            if (balanceOf(to, id) != 0) continue;
            _mint(to, id, 1, "");
            unchecked {
                ++minted;
            }
        }
    }

    /// @notice Revokes a badge from a member (for example after a fraud review).
    /// @param account The holder.
    /// @param id Badge id.
    function revoke(address account, uint256 id) external onlyRole(MINTER_ROLE) {
        if (balanceOf(account, id) == 0) revert BadgesNotHeld(account, id);
        _burn(account, id, 1);
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
        override(ERC1155, AccessControl)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        override
    {
        if (from != address(0) && to != address(0)) {
            for (uint256 i; i < ids.length; ++i) {
                if (!_badges[ids[i]].transferable) revert BadgesSoulbound(ids[i]);
            }
        }
        super._update(from, to, ids, values);
    }
}
