// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRewardToken} from "./interfaces/IRewardToken.sol";

/// @title ReferralPayouts
/// @notice One campaign's referral payouts: the backend signer pays batches of rewards in the
/// campaign's tokens, and every payout id is recorded on-chain so that none is paid twice.
/// @dev One contract per campaign, deployed with the campaign (see ignition/modules). Like a
/// Uniswap pool, the contract is the campaign: every `ReferralRewarded` log carries this
/// address, and `campaignId()` gives Refmint's id for it. That keeps the per-payout event at
/// four data words, which is most of what separates a payout from the EVM's floor.
///
/// A payout that was already paid is skipped with a `PayoutSkipped` event rather than
/// reverting the batch: after a crash or a dropped transaction the backend cannot always know
/// which payouts an earlier transaction paid, and skipping lets it resend the very same batch
/// safely while the rest of it still pays.
///
/// Payout ids are per campaign, not per token: one bitmap serves all of the campaign's tokens,
/// so an id paid in one token is skipped in any other.
///
/// A token is paid one of two ways, per token: minted (a RewardToken this contract may mint,
/// through `mintBatch`), or from the vault (any ERC-20, a stablecoin or an existing community
/// token, that the campaign pre-funds by sending it to this contract; one `transfer` per
/// payout). Either way the same ids, events, limits and exactly-once rule apply.
///
/// What a leaked payout key can spend is bounded per token: a lifetime budget, a per-batch
/// limit, and a rolling daily limit (a bucket of `dailyLimit` that refills continuously at
/// `dailyLimit` per 24 hours, so at most `dailyLimit` goes at once and `dailyLimit` per day
/// after that). The guardian (PAUSER_ROLE) can pause payouts.
///
/// The campaign's rules are data kept off-chain (a campaign file); each version of them is
/// published here by the admin (`updateRules`): its number, the SHA-256 of its public document
/// and the document's URL, so anyone can check that the rules a reward was earned under are the
/// ones announced, and when they took effect (the block of `RulesPublished`).
///
/// Calldata per payout:
/// - `transfers[i] = recipient << 96 | amount` (amount < 2**96), forwarded as-is to the token;
/// - `meta[16*i : 16*i+16] = payoutId (uint64) | referee (uint56) | level (uint8)`, where
///   referee is Refmint's public member number of the referred member, never a Telegram id.
/// Payout ids index a bitmap; consecutive ids share a storage word.
contract ReferralPayouts is AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role of the backend signer that pays batches.
    bytes32 public constant PAYOUT_ROLE = keccak256("PAYOUT_ROLE");
    /// @notice Role allowed to pause and unpause payouts (the guardian).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 private constant _AMOUNT_MASK = (1 << 96) - 1;
    uint256 private constant _REFEREE_MASK = (1 << 56) - 1;
    uint256 private constant _REMAINING_MASK = (1 << 120) - 1;
    uint256 private constant _VAULT_FLAG = 1 << 192;
    uint256 private constant _DAY = 1 days;

    /// @notice Refmint's id of the campaign this contract pays for.
    uint256 public immutable campaignId;

    /// @dev A token's limits, read once per batch: `maxBatchAmount` (bits 0-95), `dailyLimit`
    /// (96-191; zero: the token is not configured), and bit 192 set to pay from the vault.
    mapping(address token => uint256) private _limits;
    /// @dev What a token has left, read and written once per batch: the lifetime budget not yet
    /// spent (bits 0-119), the rolling limit's level (120-215) at the time in bits 216-255.
    mapping(address token => uint256) private _spend;
    mapping(address token => uint256) private _lifetimeLimit;
    mapping(uint256 wordIndex => uint256 bits) private _paidWords;
    /// @dev The rules version in effect (zero: none published yet) and its document's hash.
    uint256 private _rulesVersion;
    bytes32 private _rulesHash;

    /// @notice The campaign's budget and limits in `token` were set or changed.
    event BudgetSet(
        address indexed token, uint256 limit, uint256 maxBatchAmount, uint256 dailyLimit, bool fromVault
    );
    /// @notice One referral reward was paid (the emitting contract is the campaign).
    event ReferralRewarded(
        address indexed recipient, uint256 payoutId, uint256 referee, uint256 level, uint256 amount
    );
    /// @notice A payout in a batch had already been paid and was skipped.
    event PayoutSkipped(uint256 indexed payoutId);
    /// @notice A batch was paid: `count` payouts totalling `amount` of `token`.
    event PayoutBatchPaid(address indexed token, uint256 count, uint256 amount);
    /// @notice The admin took `amount` of `token` out of the vault.
    event VaultWithdrawn(address indexed token, address indexed to, uint256 amount);
    /// @notice Version `version` of the campaign's rules took effect: `hash` is the SHA-256 of the
    /// rules document served at `uri`.
    event RulesPublished(uint256 indexed version, bytes32 hash, string uri);

    /// @notice The batch has no payouts.
    error ReferralPayoutsEmptyBatch();
    /// @notice `meta` does not hold exactly 16 bytes per transfer.
    error ReferralPayoutsLengthMismatch(uint256 transfers, uint256 metaBytes);
    /// @notice No budget was set for this token.
    error ReferralPayoutsUnknownToken(address token);
    /// @notice A payout not paid before has amount zero.
    error ReferralPayoutsZeroAmount(uint256 payoutId);
    /// @notice Paying the batch would take the campaign past its budget in this token.
    error ReferralPayoutsBudgetExceeded(address token, uint256 spentAfter, uint256 limit);
    /// @notice The batch pays more than one batch may.
    error ReferralPayoutsBatchLimitExceeded(address token, uint256 amount, uint256 maxBatchAmount);
    /// @notice The batch pays more than the rolling daily limit has left.
    error ReferralPayoutsDailyLimitExceeded(address token, uint256 amount, uint256 available);
    /// @notice A zero limit, or one below what was already spent.
    error ReferralPayoutsInvalidBudget(uint256 limit, uint256 spent);
    /// @notice A zero per-batch or daily limit, or a per-batch limit above the daily one.
    error ReferralPayoutsInvalidLimits(uint256 maxBatchAmount, uint256 dailyLimit);
    /// @notice The token address holds no contract.
    error ReferralPayoutsNotAContract(address token);
    /// @notice A rules version not above the one in effect (versions only move forward).
    error ReferralPayoutsStaleRulesVersion(uint256 version, uint256 current);
    /// @notice A rules version without a document hash or URL.
    error ReferralPayoutsEmptyRules(uint256 version);

    /// @param campaignId_ Refmint's id of the campaign.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (budgets, vault, roles), moved in two steps.
    /// @param payer The payout signer, granted PAYOUT_ROLE.
    /// @param pauser The guardian, granted PAUSER_ROLE.
    constructor(uint256 campaignId_, address admin, address payer, address pauser)
        AccessControlDefaultAdminRules(0, admin)
    {
        campaignId = campaignId_;
        _grantRole(PAUSER_ROLE, pauser);
        _grantRole(PAYOUT_ROLE, payer);
    }

    /// @notice Sets the campaign's lifetime budget, per-batch limit, rolling daily limit and way
    /// of paying in a token.
    /// @param token The reward token: a RewardToken granting this contract MINTER_ROLE, or for
    /// `fromVault` any ERC-20 sent to this contract beforehand.
    /// @param limit Lifetime budget; nonzero and at least what was already spent.
    /// @param maxBatchAmount Most one batch may pay; nonzero, at most `dailyLimit`.
    /// @param dailyLimit Most that may be paid at once, refilled at this much per 24 hours.
    /// @param fromVault True to pay from this contract's balance, false to mint.
    function setBudget(address token, uint120 limit, uint96 maxBatchAmount, uint96 dailyLimit, bool fromVault)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (token.code.length == 0) revert ReferralPayoutsNotAContract(token);
        uint256 spend = _spend[token];
        uint256 spent = _lifetimeLimit[token] - (spend & _REMAINING_MASK);
        if (limit == 0 || limit < spent) revert ReferralPayoutsInvalidBudget(limit, spent);
        if (maxBatchAmount == 0 || maxBatchAmount > dailyLimit) {
            revert ReferralPayoutsInvalidLimits(maxBatchAmount, dailyLimit);
        }
        _lifetimeLimit[token] = limit;
        // Cannot underflow: limit >= spent.
        _spend[token] = (spend & ~_REMAINING_MASK) | (limit - spent);
        _limits[token] = uint256(maxBatchAmount) | (uint256(dailyLimit) << 96) | (fromVault ? _VAULT_FLAG : 0);
        emit BudgetSet(token, limit, maxBatchAmount, dailyLimit, fromVault);
    }

    /// @notice Pays a batch of referral rewards in one token.
    /// @dev Payout ids already paid are skipped. Emits one `ReferralRewarded` per payout paid,
    /// then mints them all through one `mintBatch` call, which updates the supply once, or, for
    /// a vault token, transfers each from this contract's balance.
    /// @param token The reward token.
    /// @param transfers `recipient << 96 | amount` per payout.
    /// @param meta 16 bytes per payout: payoutId (uint64), referee (uint56), level (uint8).
    /// @return paidCount Number of payouts paid, not counting skipped ones.
    /// @return paidAmount Sum paid.
    function pay(IRewardToken token, uint256[] calldata transfers, bytes calldata meta)
        external
        onlyRole(PAYOUT_ROLE)
        whenNotPaused
        nonReentrant
        returns (uint256 paidCount, uint256 paidAmount)
    {
        uint256 n = transfers.length;
        if (n == 0) revert ReferralPayoutsEmptyBatch();
        if (meta.length != n * 16) revert ReferralPayoutsLengthMismatch(n, meta.length);
        uint256 limits = _limits[address(token)];
        if (limits >> 96 == 0) revert ReferralPayoutsUnknownToken(address(token));

        uint256 batchCall;
        (paidCount, paidAmount, batchCall) = _recordPayouts(transfers, meta);
        if (paidCount == 0) return (0, 0);
        _charge(address(token), limits, paidAmount);
        emit PayoutBatchPaid(address(token), paidCount, paidAmount);
        if (limits & _VAULT_FLAG != 0) _transferEach(address(token), batchCall, paidCount);
        else _callMintBatch(address(token), batchCall, paidCount);
    }

    /// @notice Takes tokens out of the vault (for example what a finished campaign did not pay).
    /// @param token The token.
    /// @param to Where they go.
    /// @param amount How much.
    function withdraw(IERC20 token, address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit VaultWithdrawn(address(token), to, amount);
        token.safeTransfer(to, amount);
    }

    /// @notice Publishes version `version` of the campaign's rules: it takes effect at this block.
    /// @dev Only the admin: a rules change is the admin's decision, like the budgets and limits
    /// that often change with it (the backend's `npm run campaign:version` sends both). Works while
    /// paused. Versions only move forward; a number may be skipped (a version never published).
    /// Named `updateRules` and taking `uri` in memory, not calldata, for the sake of `pay`: other
    /// names or a second calldata-string decoder moved `pay`'s dispatch or decoding and cost it
    /// 22 to 87 gas a batch; this one leaves every payout function's gas as it was.
    /// @param version The new version number; above the one in effect.
    /// @param hash SHA-256 of the rules document (its exact bytes); not zero.
    /// @param uri Where the document is served; not empty.
    // solhint-disable-next-line gas-calldata-parameters
    function updateRules(uint32 version, bytes32 hash, string memory uri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 current = _rulesVersion;
        if (version <= current) revert ReferralPayoutsStaleRulesVersion(version, current);
        if (hash == bytes32(0) || bytes(uri).length == 0) revert ReferralPayoutsEmptyRules(version);
        _rulesVersion = version;
        _rulesHash = hash;
        emit RulesPublished(version, hash, uri);
    }

    /// @notice Pauses payouts.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes payouts.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice Whether a payout id has been paid (in any of the campaign's tokens).
    /// @param payoutId The payout id.
    /// @return True once paid.
    function isPaid(uint256 payoutId) external view returns (bool) {
        return _paidWords[payoutId >> 8] & (1 << (payoutId & 255)) != 0;
    }

    /// @notice Which of several payout ids have been paid, for the backend's reconciliation.
    /// @param payoutIds The payout ids.
    /// @return paid One flag per id.
    function arePaid(uint256[] calldata payoutIds) external view returns (bool[] memory paid) {
        paid = new bool[](payoutIds.length);
        for (uint256 i; i < payoutIds.length; ++i) {
            uint256 id = payoutIds[i];
            paid[i] = _paidWords[id >> 8] & (1 << (id & 255)) != 0;
        }
    }

    /// @notice The rules version in effect and the SHA-256 of its document.
    /// @return version The version (zero: none published yet).
    /// @return hash The document's hash (zero before the first version).
    function currentRules() external view returns (uint256 version, bytes32 hash) {
        return (_rulesVersion, _rulesHash);
    }

    /// @notice The campaign's budget and limits in a token.
    /// @param token The reward token.
    /// @return limit Lifetime budget (zero: not configured).
    /// @return spent Paid so far.
    /// @return maxBatchAmount Per-batch limit.
    /// @return dailyLimit The rolling daily limit.
    /// @return availableNow What the rolling limit lets a batch pay now.
    /// @return fromVault True when the token is paid from this contract's balance.
    function budgetOf(address token)
        external
        view
        returns (
            uint256 limit,
            uint256 spent,
            uint256 maxBatchAmount,
            uint256 dailyLimit,
            uint256 availableNow,
            bool fromVault
        )
    {
        uint256 limits = _limits[token];
        uint256 spend = _spend[token];
        limit = _lifetimeLimit[token];
        spent = limit - (spend & _REMAINING_MASK);
        maxBatchAmount = limits & _AMOUNT_MASK;
        dailyLimit = (limits >> 96) & _AMOUNT_MASK;
        availableNow = dailyLimit - _level(spend, dailyLimit);
        fromVault = limits & _VAULT_FLAG != 0;
    }

    /// @dev Checks a batch of `amount` against the token's per-batch limit, lifetime budget and
    /// rolling daily limit, and records it.
    function _charge(address token, uint256 limits, uint256 amount) private {
        uint256 maxBatchAmount = limits & _AMOUNT_MASK;
        if (amount > maxBatchAmount) revert ReferralPayoutsBatchLimitExceeded(token, amount, maxBatchAmount);
        uint256 spend = _spend[token];
        uint256 remaining = spend & _REMAINING_MASK;
        if (amount > remaining) {
            uint256 limit = _lifetimeLimit[token];
            revert ReferralPayoutsBudgetExceeded(token, limit - remaining + amount, limit);
        }
        uint256 dailyLimit = (limits >> 96) & _AMOUNT_MASK;
        uint256 level = _level(spend, dailyLimit);
        if (level + amount > dailyLimit) revert ReferralPayoutsDailyLimitExceeded(token, amount, dailyLimit - level);
        // The new level is at most dailyLimit, below 2**96; the budget only shrinks.
        unchecked {
            _spend[token] = (remaining - amount) | ((level + amount) << 120) | (block.timestamp << 216);
        }
    }

    /// @dev The rolling limit's level now, from a `_spend` word: what was used, less the refill
    /// since it was recorded (rounded down, so the limit never refills early).
    function _level(uint256 spend, uint256 dailyLimit) private view returns (uint256) {
        uint256 used = (spend >> 120) & _AMOUNT_MASK;
        // Cannot overflow: elapsed < 2**40 and dailyLimit < 2**96.
        uint256 refill = (block.timestamp - (spend >> 216)) * dailyLimit / _DAY;
        return used > refill ? used - refill : 0;
    }

    /// @dev Transfers each payout prepared by `_recordPayouts` from this contract's balance, with
    /// SafeERC20's rules (the call succeeds, and returns true or nothing from a contract). A
    /// failed transfer reverts the whole batch, so no id is marked paid without its payment.
    function _transferEach(address token, uint256 batchCall, uint256 count) private {
        if (token.code.length == 0) revert SafeERC20.SafeERC20FailedOperation(token);
        bool ok = true;
        assembly ("memory-safe") {
            let p := add(batchCall, 0x44)
            let end := add(p, shl(5, count))
            let data := mload(0x40)
            mstore(data, shl(224, 0xa9059cbb)) // transfer(address,uint256)
            for {} lt(p, end) { p := add(p, 0x20) } {
                let word := mload(p)
                mstore(add(data, 0x04), shr(96, word))
                mstore(add(data, 0x24), and(word, _AMOUNT_MASK))
                mstore(0x00, 0)
                let success := call(gas(), token, 0, data, 0x44, 0x00, 0x20)
                if iszero(success) {
                    returndatacopy(data, 0x00, returndatasize())
                    revert(data, returndatasize())
                }
                if returndatasize() {
                    if iszero(eq(mload(0x00), 1)) {
                        ok := 0
                        break
                    }
                }
            }
        }
        if (!ok) revert SafeERC20.SafeERC20FailedOperation(token);
    }

    /// @dev Sends the `mintBatch` call prepared by `_recordPayouts`, bubbling up any revert.
    function _callMintBatch(address token, uint256 mintCall, uint256 count) private {
        assembly ("memory-safe") {
            if iszero(call(gas(), token, 0, mintCall, add(0x44, shl(5, count)), 0, 0)) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
        }
    }

    /// @dev Marks each payout id in the bitmap, logs it, and writes the ABI-encoded
    /// `mintBatch(uint256[])` call for the payouts still to pay at the free memory pointer,
    /// so the token is called without copying the array again. Consecutive payout ids share
    /// one bitmap word, read and written once. Event topics are literal hashes; the tests
    /// decode these logs with the ABI, so a renamed event cannot drift from them.
    // One assembly block is clearer than splitting the hot loop across helpers.
    // solhint-disable-next-line function-max-lines
    function _recordPayouts(uint256[] calldata transfers, bytes calldata meta)
        private
        returns (uint256 count, uint256 total, uint256 mintCall)
    {
        assembly ("memory-safe") {
            mintCall := mload(0x40)
            mstore(mintCall, shl(224, 0xffb2b55a)) // mintBatch(uint256[])
            mstore(add(mintCall, 0x04), 0x20)
            let out := add(mintCall, 0x44)
            let q := meta.offset
            let wordIndex := not(0)
            let bits := 0
            let end := add(transfers.offset, shl(5, transfers.length))
            for { let p := transfers.offset } lt(p, end) {
                p := add(p, 0x20)
                q := add(q, 0x10)
            } {
                let transfer := calldataload(p)
                let rec := shr(128, calldataload(q)) // payoutId (64) | referee (56) | level (8)
                let id := shr(64, rec)
                let amount := and(transfer, _AMOUNT_MASK)
                if xor(shr(8, id), wordIndex) {
                    // Leaving a bitmap word: write it back, then read the next one.
                    if not(wordIndex) {
                        mstore(0x00, wordIndex)
                        mstore(0x20, _paidWords.slot)
                        sstore(keccak256(0x00, 0x40), bits)
                    }
                    wordIndex := shr(8, id)
                    mstore(0x00, wordIndex)
                    mstore(0x20, _paidWords.slot)
                    bits := sload(keccak256(0x00, 0x40))
                }
                let bit := shl(and(id, 0xff), 1)
                // One branch for both rare cases keeps the common path to a single jump. An id
                // paid before is skipped whatever its amount; only an unpaid zero is refused.
                if or(and(bits, bit), iszero(amount)) {
                    if iszero(and(bits, bit)) {
                        mstore(0x00, 0x906a51a1) // ReferralPayoutsZeroAmount(uint256)
                        mstore(0x20, id)
                        revert(0x1c, 0x24)
                    }
                    // PayoutSkipped(uint256)
                    log2(0, 0, 0x4dd5b084f52e40345f4e690c8ddbee0f7dbcc9873e4d452f283da6538aa158e1, id)
                    continue
                }
                bits := or(bits, bit)
                mstore(out, transfer)
                out := add(out, 0x20)
                total := add(total, amount)
                // The event's four words go at fixed offsets 0x00-0x7f (scratch, free memory
                // pointer and zero slot, both restored after the loop): cheaper to address.
                mstore(0x00, id)
                mstore(0x20, and(shr(8, rec), _REFEREE_MASK))
                mstore(0x40, and(rec, 0xff))
                mstore(0x60, amount)
                // ReferralRewarded(address,uint256,uint256,uint256,uint256)
                log2(0x00, 0x80, 0xd198a7c6bb4ece6e2780cab64571d016a6c4e4c8a86070b10f481c9f94f9b313, shr(96, transfer))
            }
            mstore(0x40, out)
            mstore(0x60, 0)
            mstore(0x00, wordIndex)
            mstore(0x20, _paidWords.slot)
            sstore(keccak256(0x00, 0x40), bits)
            count := shr(5, sub(out, add(mintCall, 0x44)))
            mstore(add(mintCall, 0x24), count)
        }
    }
}
