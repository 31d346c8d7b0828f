// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title RewardToken
/// @notice A campaign's ERC-20 reward: capped, pausable, burnable, with ERC-2612 permit and
/// role-based minting. A campaign may run several (a referral token, an activity token, ...).
/// @dev `mintBatch` is the payout fast path: it writes OpenZeppelin's balance slots directly
/// and updates the total supply once per batch, which is what brings a referral payout near
/// the EVM floor. It relies on `ERC20` being the first base with storage, so that `_balances`
/// is slot 0 and `_totalSupply` slot 2; the test suite pins both slots against `balanceOf`
/// and `totalSupply`, so a change in the inheritance order cannot go unnoticed. `transferBatch`
/// is the same for a holder paying many recipients (the escrow releasing to members' wallets):
/// one debit, one credit and one `Transfer` log per recipient.
///
/// The admin role moves in two steps (`beginDefaultAdminTransfer`, then
/// `acceptDefaultAdminTransfer` by the new admin), so it cannot be handed to a wrong address.
contract RewardToken is
    ERC20,
    ERC20Burnable,
    ERC20Capped,
    ERC20Pausable,
    ERC20Permit,
    AccessControlDefaultAdminRules
{
    /// @notice Role allowed to mint (granted to ReferralPayouts and, where used, the backend).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role allowed to pause and unpause transfers, mints and burns.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 private constant _BALANCES_SLOT = 0;
    uint256 private constant _TOTAL_SUPPLY_SLOT = 2;
    uint256 private constant _AMOUNT_MASK = (1 << 96) - 1;

    /// @param name_ Token name (also the EIP-712 domain name for permits).
    /// @param symbol_ Token symbol.
    /// @param cap_ Maximum total supply.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE, which grants and revokes the other roles (moved
    /// in two steps; no transfer delay until the admin sets one).
    constructor(string memory name_, string memory symbol_, uint256 cap_, address admin)
        ERC20(name_, symbol_)
        ERC20Capped(cap_)
        ERC20Permit(name_)
        AccessControlDefaultAdminRules(0, admin)
    {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount to mint; the cap applies.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Mints to many recipients in one call, updating the total supply once.
    /// @dev Emits one `Transfer(0, recipient, amount)` per entry, like `_mint`. Reverts with
    /// `ERC20InvalidReceiver(0)` for a zero recipient and `ERC20ExceededCap` past the cap.
    /// @param packed One word per recipient: `recipient << 96 | amount`.
    /// @return total The sum of all minted amounts.
    function mintBatch(uint256[] calldata packed)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
        returns (uint256 total)
    {
        uint256 supplyBefore = totalSupply();
        assembly ("memory-safe") {
            mstore(0x20, _BALANCES_SLOT)
            let end := add(packed.offset, shl(5, packed.length))
            for { let p := packed.offset } lt(p, end) { p := add(p, 0x20) } {
                let word := calldataload(p)
                let to := shr(96, word)
                let amount := and(word, _AMOUNT_MASK)
                if iszero(to) {
                    mstore(0x00, 0xec442f05) // ERC20InvalidReceiver(address)
                    mstore(0x20, 0)
                    revert(0x1c, 0x24)
                }
                mstore(0x00, to)
                let slot := keccak256(0x00, 0x40)
                // Cannot overflow: every balance is at most the new total supply, which is
                // checked against the cap below before the transaction can succeed.
                sstore(slot, add(sload(slot), amount))
                // Cannot overflow: amounts are below 2**96 and calldata is far below 2**160 words.
                total := add(total, amount)
                mstore(0x00, amount)
                // Transfer(address indexed from, address indexed to, uint256 value)
                log3(0x00, 0x20, 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef, 0, to)
            }
        }
        uint256 supplyAfter = supplyBefore + total;
        uint256 maxSupply = cap();
        if (supplyAfter > maxSupply) revert ERC20ExceededCap(supplyAfter, maxSupply);
        assembly ("memory-safe") {
            sstore(_TOTAL_SUPPLY_SLOT, supplyAfter)
        }
    }

    /// @notice Moves the caller's tokens to many recipients in one call, debiting the caller once.
    /// @dev Emits one `Transfer(caller, recipient, amount)` per entry, like `transfer`. Reverts
    /// with `ERC20InvalidReceiver(0)` for a zero recipient, `ERC20InsufficientBalance` when the
    /// caller holds less than the sum, and `EnforcedPause` while paused. A recipient equal to the
    /// caller is credited like any other (the debit already covered it).
    /// @param packed One word per recipient: `recipient << 96 | amount`.
    /// @return total The sum of all amounts.
    function transferBatch(uint256[] calldata packed) external whenNotPaused returns (uint256 total) {
        address from = _msgSender();
        uint256 end;
        assembly ("memory-safe") {
            end := add(packed.offset, shl(5, packed.length))
            // Cannot overflow: amounts are below 2**96 and calldata is far below 2**160 words.
            for { let p := packed.offset } lt(p, end) { p := add(p, 0x20) } {
                total := add(total, and(calldataload(p), _AMOUNT_MASK))
            }
        }
        uint256 held = balanceOf(from);
        if (held < total) revert ERC20InsufficientBalance(from, held, total);
        assembly ("memory-safe") {
            mstore(0x00, from)
            mstore(0x20, _BALANCES_SLOT)
            let fromSlot := keccak256(0x00, 0x40)
            // Debited first, so a recipient equal to `from` ends with its own balance.
            sstore(fromSlot, sub(held, total))
            for { let p := packed.offset } lt(p, end) { p := add(p, 0x20) } {
                let word := calldataload(p)
                let to := shr(96, word)
                let amount := and(word, _AMOUNT_MASK)
                if iszero(to) {
                    mstore(0x00, 0xec442f05) // ERC20InvalidReceiver(address)
                    mstore(0x20, 0)
                    revert(0x1c, 0x24)
                }
                mstore(0x00, to)
                mstore(0x20, _BALANCES_SLOT)
                let slot := keccak256(0x00, 0x40)
                // Cannot overflow: the credits sum to at most what was debited from a balance.
                sstore(slot, add(sload(slot), amount))
                mstore(0x00, amount)
                // Transfer(address indexed from, address indexed to, uint256 value)
                log3(0x00, 0x20, 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef, from, to)
            }
        }
    }

    /// @notice Pauses transfers, mints and burns.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes transfers, mints and burns.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _update(address from, address to, uint256 value)
        internal
        override(ERC20, ERC20Capped, ERC20Pausable)
    {
        super._update(from, to, value);
    }
}
