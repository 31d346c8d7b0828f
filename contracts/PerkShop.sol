// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRewardToken} from "./interfaces/IRewardToken.sol";

/// @title PerkShop
/// @notice Members spend reward tokens on perks (discount coupons, access, merchandise). Each
/// redemption carries the member's order reference, which the backend turns into a coupon.
/// Spent tokens are burned or sent to the treasury, per perk.
///
/// A member redeems either directly (`redeem`, the member's own transaction) or through the
/// backend's relayer without paying gas (`redeemWithPermit`): the member signs an EIP-712
/// order naming the perk, quantity, most they will pay, order reference, deadline and their
/// current order nonce, checked with SignatureChecker so contract wallets (ERC-1271) can sign
/// too. The order is the authorisation; an ERC-2612 permit in the same call only funds it, and
/// a permit that fails (for example because someone front-ran it) is ignored: the allowance it
/// would have set, or one the member set before, pays, or the transfer is refused.
/// @dev Order references are per member: the on-chain order id is
/// `keccak256(abi.encode(member, orderRef))`, so nobody can use up another member's reference.
/// A member voids every order they signed but was not yet relayed with `cancelOrders`.
contract PerkShop is AccessControlDefaultAdminRules, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IRewardToken;

    /// @notice Role of the backend key that relays members' signed orders.
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");
    /// @notice EIP-712 type of a member's order.
    // The string is hashed at compile time; its length costs nothing at run time.
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant ORDER_TYPEHASH = keccak256(
        "Order(address member,uint256 perkId,uint32 quantity,uint256 maxCost,bytes32 orderRef,uint256 nonce,uint256 deadline)"
    );

    struct Perk {
        IRewardToken token;
        uint96 price;
        uint32 stock;
        uint40 expiresAt; // zero: never
        bool burn; // true: burn spent tokens; false: send them to the treasury
        bool active;
    }

    /// @notice What a member signs to redeem through the relayer. The field order is the EIP-712
    /// type's, and the struct only ever lives in calldata, so packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct Order {
        address member;
        uint256 perkId;
        uint32 quantity;
        uint256 maxCost;
        bytes32 orderRef;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice An ERC-2612 permit that funds an order; `deadline` zero: no permit.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice Where spent tokens go for perks that do not burn them.
    address public treasury;
    /// @notice Number of perks created; perk ids run from 1 to this.
    uint256 public perkCount;
    /// @notice Each member's order nonce: a signed order is valid only with the current one.
    mapping(address member => uint256) public nonces;

    mapping(uint256 perkId => Perk) private _perks;
    mapping(bytes32 orderId => bool) private _usedOrders;

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
    /// @notice `member` redeemed `quantity` of a perk for `cost` tokens; `orderId` is
    /// `keccak256(abi.encode(member, orderRef))`.
    event PerkRedeemed(
        address indexed member,
        uint256 indexed perkId,
        bytes32 indexed orderId,
        uint256 quantity,
        address token,
        uint256 cost
    );
    /// @notice `member` voided their outstanding orders; new ones use `nonce`.
    event OrdersCancelled(address indexed member, uint256 nonce);
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
    /// @notice The member already used this order reference.
    error PerkShopOrderRefUsed(address member, bytes32 orderRef);
    /// @notice Quantity zero.
    error PerkShopZeroQuantity();
    /// @notice A price of zero.
    error PerkShopZeroPrice();
    /// @notice The zero address where an address is needed.
    error PerkShopZeroAddress();
    /// @notice The token address holds no contract.
    error PerkShopNotAContract(address token);
    /// @notice The redemption would cost more than the member accepted.
    error PerkShopCostAboveMax(uint256 cost, uint256 maxCost);
    /// @notice The stock changed since the admin read it.
    error PerkShopStockChanged(uint256 perkId, uint256 expected, uint256 actual);
    /// @notice The order's deadline has passed.
    error PerkShopOrderExpired(uint256 deadline);
    /// @notice The order was signed with another nonce than the member's current one.
    error PerkShopInvalidNonce(address member, uint256 nonce, uint256 current);
    /// @notice The order's signature is not the member's.
    error PerkShopInvalidSignature(address member);

    /// @param admin Holder of DEFAULT_ADMIN_ROLE (perks, treasury, roles), moved in two steps.
    /// @param relayer The relayer key, granted RELAYER_ROLE.
    /// @param treasury_ Where spent tokens go for perks that do not burn them.
    constructor(address admin, address relayer, address treasury_)
        AccessControlDefaultAdminRules(0, admin)
        EIP712("Refmint PerkShop", "1")
    {
        if (treasury_ == address(0)) revert PerkShopZeroAddress();
        treasury = treasury_;
        _grantRole(RELAYER_ROLE, relayer);
    }

    /// @notice Creates a perk.
    /// @param token Token the perk is priced in; a contract (burning perks need `burnFrom`).
    /// @param price Price per unit; not zero.
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
        if (address(token).code.length == 0) revert PerkShopNotAContract(address(token));
        if (price == 0) revert PerkShopZeroPrice();
        perkId = ++perkCount;
        _perks[perkId] = Perk(token, price, stock, expiresAt, burn, true);
        emit PerkSet(perkId, address(token), price, stock, expiresAt, burn, true);
    }

    /// @notice Changes a perk's price, stock, expiry and whether it is on sale. The stock is
    /// replaced only if it still is `expectedStock`, so units sold since the admin read it are
    /// never silently put back.
    /// @param perkId The perk.
    /// @param price Price per unit; not zero.
    /// @param expectedStock The stock the admin last saw.
    /// @param stock Units available from now.
    /// @param expiresAt Unix time the sale ends (zero: never).
    /// @param active Whether the perk is on sale.
    function updatePerk(
        uint256 perkId,
        uint96 price,
        uint32 expectedStock,
        uint32 stock,
        uint40 expiresAt,
        bool active
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Perk storage perk = _perks[perkId];
        if (address(perk.token) == address(0)) revert PerkShopUnknownPerk(perkId);
        if (price == 0) revert PerkShopZeroPrice();
        if (perk.stock != expectedStock) revert PerkShopStockChanged(perkId, expectedStock, perk.stock);
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
    /// @param maxCost Most the caller will pay (the price may change before the call is mined).
    /// @param orderRef The caller's order reference, unique among the caller's orders.
    /// @return cost Tokens spent.
    function redeem(uint256 perkId, uint32 quantity, uint256 maxCost, bytes32 orderRef)
        external
        nonReentrant
        returns (uint256 cost)
    {
        return _redeem(msg.sender, perkId, quantity, maxCost, orderRef);
    }

    /// @notice Redeems a perk for a member who signed `order`, relayed by the backend so the
    /// member pays no gas.
    /// @dev The permit, if any, is tried and its failure ignored: it only sets an allowance,
    /// which a front-runner can only set the same way. The order alone authorises the spend.
    /// @param order The member's order.
    /// @param signature The member's EIP-712 signature of `order` (ECDSA or ERC-1271).
    /// @param permit An ERC-2612 permit for this contract to fund the order (deadline 0: none).
    /// @return cost Tokens spent.
    function redeemWithPermit(Order calldata order, bytes calldata signature, Permit calldata permit)
        external
        onlyRole(RELAYER_ROLE)
        nonReentrant
        returns (uint256 cost)
    {
        address member = order.member;
        if (block.timestamp > order.deadline) revert PerkShopOrderExpired(order.deadline);
        uint256 current = nonces[member];
        if (order.nonce != current) revert PerkShopInvalidNonce(member, order.nonce, current);
        // Every field of an Order is static, so the struct encodes as its fields in order: the
        // EIP-712 struct hash.
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(ORDER_TYPEHASH, order)));
        if (!SignatureChecker.isValidSignatureNow(member, digest, signature)) {
            revert PerkShopInvalidSignature(member);
        }
        if (permit.deadline != 0) {
            IRewardToken token = _perks[order.perkId].token;
            if (address(token) == address(0)) revert PerkShopUnknownPerk(order.perkId);
            // The outcome does not matter: the transfer below checks the allowance.
            // solhint-disable-next-line no-empty-blocks
            try token.permit(member, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {} // solhint-disable-line no-empty-blocks
        }
        return _redeem(member, order.perkId, order.quantity, order.maxCost, order.orderRef);
    }

    /// @notice Voids every order the caller signed and that was not relayed yet.
    /// @return nonce The nonce new orders must carry.
    function cancelOrders() external returns (uint256 nonce) {
        nonce = ++nonces[msg.sender];
        emit OrdersCancelled(msg.sender, nonce);
    }

    /// @notice A perk's settings.
    /// @param perkId The perk.
    /// @return The perk (token zero for an unknown id).
    function perkOf(uint256 perkId) external view returns (Perk memory) {
        return _perks[perkId];
    }

    /// @notice Whether a member has used an order reference.
    /// @param member The member's wallet.
    /// @param orderRef The order reference.
    /// @return True once used.
    function isOrderRefUsed(address member, bytes32 orderRef) external view returns (bool) {
        return _usedOrders[orderIdOf(member, orderRef)];
    }

    /// @notice The order id `PerkRedeemed` logs for a member's order reference.
    /// @param member The member's wallet.
    /// @param orderRef The order reference.
    /// @return `keccak256(abi.encode(member, orderRef))`.
    function orderIdOf(address member, bytes32 orderRef) public pure returns (bytes32) {
        return keccak256(abi.encode(member, orderRef));
    }

    /// @notice The EIP-712 domain separator orders are signed under.
    /// @return The separator.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _redeem(address member, uint256 perkId, uint32 quantity, uint256 maxCost, bytes32 orderRef)
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
        cost = uint256(perk.price) * quantity;
        if (cost > maxCost) revert PerkShopCostAboveMax(cost, maxCost);
        bytes32 orderId = orderIdOf(member, orderRef);
        if (_usedOrders[orderId]) revert PerkShopOrderRefUsed(member, orderRef);

        unchecked {
            perk.stock -= quantity;
        }
        _usedOrders[orderId] = true;
        emit PerkRedeemed(member, perkId, orderId, quantity, address(token), cost);

        if (perk.burn) {
            token.burnFrom(member, cost);
        } else {
            token.safeTransferFrom(member, treasury, cost);
        }
    }
}
