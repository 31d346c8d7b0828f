// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
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
/// Calldata per payout:
/// - `transfers[i] = recipient << 96 | amount` (amount < 2**96), forwarded as-is to the token;
/// - `meta[16*i : 16*i+16] = payoutId (uint64) | referee (uint56) | level (uint8)`, where
///   referee is Refmint's public member number of the referred member, never a Telegram id.
/// Payout ids index a bitmap; consecutive ids share a storage word.
contract ReferralPayouts is AccessControl, Pausable, ReentrancyGuardTransient {
    /// @notice Role of the backend signer that pays batches.
    bytes32 public constant PAYOUT_ROLE = keccak256("PAYOUT_ROLE");
    /// @notice Role allowed to pause and unpause payouts.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @dev The campaign's budget in one token. Two slots, read once per batch.
    struct Budget {
        uint128 limit; // lifetime budget; zero means the token is not configured
        uint128 spent; // paid so far
        uint128 maxBatchAmount; // most one batch may pay
    }

    uint256 private constant _AMOUNT_MASK = (1 << 96) - 1;
    uint256 private constant _REFEREE_MASK = (1 << 56) - 1;

    /// @notice Refmint's id of the campaign this contract pays for.
    uint256 public immutable campaignId;

    mapping(address token => Budget) private _budgets;
    mapping(uint256 wordIndex => uint256 bits) private _paidWords;

    /// @notice The campaign's budget in `token` was set or changed.
    event BudgetSet(address indexed token, uint256 limit, uint256 maxBatchAmount);
    /// @notice One referral reward was paid (the emitting contract is the campaign).
    event ReferralRewarded(
        address indexed recipient, uint256 payoutId, uint256 referee, uint256 level, uint256 amount
    );
    /// @notice A payout in a batch had already been paid and was skipped.
    event PayoutSkipped(uint256 indexed payoutId);
    /// @notice A batch was paid: `count` payouts totalling `amount` of `token`.
    event PayoutBatchPaid(address indexed token, uint256 count, uint256 amount);

    /// @notice The batch has no payouts.
    error ReferralPayoutsEmptyBatch();
    /// @notice `meta` does not hold exactly 16 bytes per transfer.
    error ReferralPayoutsLengthMismatch(uint256 transfers, uint256 metaBytes);
    /// @notice No budget was set for this token.
    error ReferralPayoutsUnknownToken(address token);
    /// @notice A payout has amount zero.
    error ReferralPayoutsZeroAmount(uint256 payoutId);
    /// @notice Paying the batch would take the campaign past its budget in this token.
    error ReferralPayoutsBudgetExceeded(address token, uint256 spentAfter, uint256 limit);
    /// @notice The batch pays more than one batch may.
    error ReferralPayoutsBatchLimitExceeded(address token, uint256 amount, uint256 maxBatchAmount);
    /// @notice A zero limit, or one below what was already spent.
    error ReferralPayoutsInvalidBudget(uint256 limit, uint256 spent);
    /// @notice The token address holds no contract.
    error ReferralPayoutsNotAContract(address token);

    /// @param campaignId_ Refmint's id of the campaign.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE and PAUSER_ROLE.
    /// @param payer The backend signer, granted PAYOUT_ROLE.
    constructor(uint256 campaignId_, address admin, address payer) {
        campaignId = campaignId_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(PAYOUT_ROLE, payer);
    }

    /// @notice Sets the campaign's lifetime budget and per-batch limit in a token.
    /// @param token The reward token; this contract also needs its MINTER_ROLE.
    /// @param limit Lifetime budget; nonzero and at least what was already spent.
    /// @param maxBatchAmount Most one batch may pay.
    function setBudget(address token, uint128 limit, uint128 maxBatchAmount)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (token.code.length == 0) revert ReferralPayoutsNotAContract(token);
        Budget storage budget = _budgets[token];
        if (limit == 0 || limit < budget.spent) revert ReferralPayoutsInvalidBudget(limit, budget.spent);
        budget.limit = limit;
        budget.maxBatchAmount = maxBatchAmount;
        emit BudgetSet(token, limit, maxBatchAmount);
    }

    /// @notice Pays a batch of referral rewards in one token.
    /// @dev Payout ids already paid are skipped. Emits one `ReferralRewarded` per payout paid,
    /// then mints them all through one `mintBatch` call, which updates the supply once.
    /// @param token The reward token to mint.
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
        Budget memory budget = _budgets[address(token)];
        if (budget.limit == 0) revert ReferralPayoutsUnknownToken(address(token));

        uint256 mintCall;
        (paidCount, paidAmount, mintCall) = _recordPayouts(transfers, meta);
        if (paidCount == 0) return (0, 0);

        uint256 spentAfter = budget.spent + paidAmount;
        if (spentAfter > budget.limit) {
            revert ReferralPayoutsBudgetExceeded(address(token), spentAfter, budget.limit);
        }
        if (paidAmount > budget.maxBatchAmount) {
            revert ReferralPayoutsBatchLimitExceeded(address(token), paidAmount, budget.maxBatchAmount);
        }
        // Cannot truncate: spentAfter <= limit, a uint128.
        _budgets[address(token)].spent = uint128(spentAfter);
        emit PayoutBatchPaid(address(token), paidCount, paidAmount);
        _callMintBatch(address(token), mintCall, paidCount);
    }

    /// @notice Pauses payouts.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes payouts.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice Whether a payout id has been paid.
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

    /// @notice The campaign's budget in a token.
    /// @param token The reward token.
    /// @return limit Lifetime budget (zero: not configured).
    /// @return spent Paid so far.
    /// @return maxBatchAmount Per-batch limit.
    function budgetOf(address token)
        external
        view
        returns (uint256 limit, uint256 spent, uint256 maxBatchAmount)
    {
        Budget memory budget = _budgets[token];
        return (budget.limit, budget.spent, budget.maxBatchAmount);
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
            let ev := add(out, shl(5, transfers.length)) // event data scratch
            mstore(0x40, add(ev, 0x80))
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
                let amount := and(transfer, _AMOUNT_MASK)
                if xor(shr(72, rec), wordIndex) {
                    // Leaving a bitmap word: write it back, then read the next one.
                    if not(wordIndex) {
                        mstore(0x00, wordIndex)
                        mstore(0x20, _paidWords.slot)
                        sstore(keccak256(0x00, 0x40), bits)
                    }
                    wordIndex := shr(72, rec)
                    mstore(0x00, wordIndex)
                    mstore(0x20, _paidWords.slot)
                    bits := sload(keccak256(0x00, 0x40))
                }
                let bit := shl(and(shr(64, rec), 0xff), 1)
                // One branch for both rare cases keeps the common path to a single jump.
                if or(and(bits, bit), iszero(amount)) {
                    if iszero(amount) {
                        mstore(0x00, 0x906a51a1) // ReferralPayoutsZeroAmount(uint256)
                        mstore(0x20, shr(64, rec))
                        revert(0x1c, 0x24)
                    }
                    // PayoutSkipped(uint256)
                    log2(0, 0, 0x4dd5b084f52e40345f4e690c8ddbee0f7dbcc9873e4d452f283da6538aa158e1, shr(64, rec))
                    continue
                }
                bits := or(bits, bit)
                mstore(out, transfer)
                out := add(out, 0x20)
                total := add(total, amount)
                mstore(ev, shr(64, rec))
                mstore(add(ev, 0x20), and(shr(8, rec), _REFEREE_MASK))
                mstore(add(ev, 0x40), and(rec, 0xff))
                mstore(add(ev, 0x60), amount)
                // ReferralRewarded(address,uint256,uint256,uint256,uint256)
                log2(ev, 0x80, 0xd198a7c6bb4ece6e2780cab64571d016a6c4e4c8a86070b10f481c9f94f9b313, shr(96, transfer))
            }
            mstore(0x00, wordIndex)
            mstore(0x20, _paidWords.slot)
            sstore(keccak256(0x00, 0x40), bits)
            count := shr(5, sub(out, add(mintCall, 0x44)))
            mstore(add(mintCall, 0x24), count)
        }
    }
}
