// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRewardToken} from "./interfaces/IRewardToken.sol";

/// @title PerkShop
/// @notice Members spend reward tokens on perks (discount coupons, access, merchandise). Each
/// redemption carries an order reference that the backend turns into a coupon.
/// `redeemWithPermit` lets the backend relay a member's ERC-2612 permit, so redeeming costs
/// the member no gas. Spent tokens are burned or sent to the treasury, per perk.
/// @dev Only RELAYER_ROLE may relay permits: a permit authorizes an amount, not a perk, so an
/// open relay could spend it on a different perk of the same price.
contract PerkShop is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IRewardToken;

    /// @notice Role of the backend that relays permit redemptions.
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");

    struct Perk {
        IRewardToken token;
        uint96 price;
        uint32 stock;
        uint40 expiresAt; // zero: never
        bool burn; // true: burn spent tokens; false: send them to the treasury
        bool active;
    }

    /// @notice Where spent tokens go for perks that do not burn them.
    address public treasury;
    /// @notice Number of perks created; perk ids run from 1 to this.
    uint256 public perkCount;

    mapping(uint256 perkId => Perk) private _perks;
    mapping(bytes32 orderRef => bool) private _usedOrderRefs;

    /// @notice A perk was created or changed.
    event PerkSet(
        uint256 indexed perkId,
        address indexed token,
        uint256 price,
        uint256 stock,
        uint256 expiresAt,
        bool burn,
        bool active
    );
    /// @notice `member` redeemed `quantity` of a perk for `cost` tokens; `orderRef` names the order.
    event PerkRedeemed(
        address indexed member,
        uint256 indexed perkId,
        bytes32 indexed orderRef,
        uint256 quantity,
        address token,
        uint256 cost
    );
    /// @notice The treasury address changed.
    event TreasurySet(address indexed treasury);

    /// @notice No perk has this id.
    error PerkShopUnknownPerk(uint256 perkId);
    /// @notice The perk is not on sale.
    error PerkShopPerkInactive(uint256 perkId);
    /// @notice The perk's sale has ended.
    error PerkShopPerkExpired(uint256 perkId, uint256 expiresAt);
    /// @notice Not enough stock left.
    error PerkShopOutOfStock(uint256 perkId, uint256 requested, uint256 available);
    /// @notice The order reference was already used.
    error PerkShopOrderRefUsed(bytes32 orderRef);
    /// @notice Quantity zero.
    error PerkShopZeroQuantity();
    /// @notice The zero address where an address is needed.
    error PerkShopZeroAddress();

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (perks, treasury, roles).
    /// @param relayer The backend, granted RELAYER_ROLE.
    /// @param treasury_ Where spent tokens go for perks that do not burn them.
    constructor(address admin, address relayer, address treasury_) {
        if (treasury_ == address(0)) revert PerkShopZeroAddress();
        treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(RELAYER_ROLE, relayer);
    }

    /// @notice Creates a perk.
    /// @param token Token the perk is priced in.
    /// @param price Price per unit.
    /// @param stock Units available.
    /// @param expiresAt Unix time the sale ends (zero: never).
    /// @param burn True to burn spent tokens, false to send them to the treasury.
    /// @return perkId The new perk's id.
    function createPerk(IRewardToken token, uint96 price, uint32 stock, uint40 expiresAt, bool burn)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint256 perkId)
    {
        if (address(token) == address(0)) revert PerkShopZeroAddress();
        perkId = ++perkCount;
        _perks[perkId] = Perk(token, price, stock, expiresAt, burn, true);
        emit PerkSet(perkId, address(token), price, stock, expiresAt, burn, true);
    }

    /// @notice Changes a perk's price, stock, expiry and whether it is on sale.
    /// @param perkId The perk.
    /// @param price Price per unit.
    /// @param stock Units available.
    /// @param expiresAt Unix time the sale ends (zero: never).
    /// @param active Whether the perk is on sale.
    function updatePerk(uint256 perkId, uint96 price, uint32 stock, uint40 expiresAt, bool active)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        Perk storage perk = _perks[perkId];
        if (address(perk.token) == address(0)) revert PerkShopUnknownPerk(perkId);
        perk.price = price;
        perk.stock = stock;
        perk.expiresAt = expiresAt;
        perk.active = active;
        emit PerkSet(perkId, address(perk.token), price, stock, expiresAt, perk.burn, active);
    }

    /// @notice Changes the treasury.
    /// @param treasury_ The new treasury; not zero.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert PerkShopZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Redeems a perk, paying from the caller's balance (the caller must have approved
    /// this contract for the cost).
    /// @param perkId The perk.
    /// @param quantity Units to redeem.
    /// @param orderRef Unique order reference chosen by the backend.
    /// @return cost Tokens spent.
    function redeem(uint256 perkId, uint32 quantity, bytes32 orderRef)
        external
        nonReentrant
        returns (uint256 cost)
    {
        return _redeem(msg.sender, perkId, quantity, orderRef);
    }

    /// @notice Redeems a perk for `member` using their ERC-2612 permit, relayed by the backend
    /// so the member pays no gas. The permit must authorize exactly the cost.
    /// @dev If the permit was already used (for example, front-run by someone who saw it), the
    /// redemption still goes through as long as the allowance covers the cost.
    /// @param member The member whose tokens are spent.
    /// @param perkId The perk.
    /// @param quantity Units to redeem.
    /// @param orderRef Unique order reference chosen by the backend.
    /// @param deadline Permit deadline.
    /// @param v Permit signature v.
    /// @param r Permit signature r.
    /// @param s Permit signature s.
    /// @return cost Tokens spent.
    function redeemWithPermit(
        address member,
        uint256 perkId,
        uint32 quantity,
        bytes32 orderRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external onlyRole(RELAYER_ROLE) nonReentrant returns (uint256 cost) {
        IRewardToken token = _perks[perkId].token;
        if (address(token) == address(0)) revert PerkShopUnknownPerk(perkId);
        uint256 price = _perks[perkId].price;
        // The success branch has nothing to do; the catch decides whether the failure matters.
        // solhint-disable-next-line no-empty-blocks
        try token.permit(member, address(this), price * quantity, deadline, v, r, s) {}
        catch (bytes memory reason) {
            if (token.allowance(member, address(this)) < price * quantity) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
        return _redeem(member, perkId, quantity, orderRef);
    }

    /// @notice A perk's settings.
    /// @param perkId The perk.
    /// @return The perk (token zero for an unknown id).
    function perkOf(uint256 perkId) external view returns (Perk memory) {
        return _perks[perkId];
    }

    /// @notice Whether an order reference has been used.
    /// @param orderRef The order reference.
    /// @return True once used.
    function isOrderRefUsed(bytes32 orderRef) external view returns (bool) {
        return _usedOrderRefs[orderRef];
    }

    function _redeem(address member, uint256 perkId, uint32 quantity, bytes32 orderRef)
        private
        returns (uint256 cost)
    {
        Perk storage perk = _perks[perkId];
        IRewardToken token = perk.token;
        if (address(token) == address(0)) revert PerkShopUnknownPerk(perkId);
        if (!perk.active) revert PerkShopPerkInactive(perkId);
        if (perk.expiresAt != 0 && block.timestamp > perk.expiresAt) {
            revert PerkShopPerkExpired(perkId, perk.expiresAt);
        }
        if (quantity == 0) revert PerkShopZeroQuantity();
        if (perk.stock < quantity) revert PerkShopOutOfStock(perkId, quantity, perk.stock);
        if (_usedOrderRefs[orderRef]) revert PerkShopOrderRefUsed(orderRef);

        cost = uint256(perk.price) * quantity;
        unchecked {
            perk.stock -= quantity;
        }
        _usedOrderRefs[orderRef] = true;
        emit PerkRedeemed(member, perkId, orderRef, quantity, address(token), cost);

        if (perk.burn) {
            token.burnFrom(member, cost);
        } else {
            token.safeTransferFrom(member, treasury, cost);
        }
    }
}
