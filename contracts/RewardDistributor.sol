// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title RewardDistributor
/// @notice The escrow of one token for members who had no wallet when they earned. Their rewards
/// are paid on-chain at once into this contract (through ReferralPayouts, so each grant is public
/// and budgeted like any payout), and leave it in one of two ways:
/// - released: once a member links a wallet, the backend releases the member's escrow to it in a
///   batch (`release`), at most once per member, recorded in a bitmap by member number;
/// - claimed: each epoch the backend publishes a Merkle root of members' cumulative amounts, and
///   anyone may claim a member's difference to what was claimed before, to the wallet in the
///   leaf. This is the trustless way out if the backend stops.
/// @dev Leaves follow OpenZeppelin's StandardMerkleTree with types
/// `["uint256", "address", "uint256", "uint256", "bool"]`: `(member, account, cumulativeAmount,
/// deadline, released)`, hashed `keccak256(bytes.concat(keccak256(abi.encode(...))))`, so proofs
/// from OpenZeppelin's merkle-tree library verify here (`claim` takes the member, deadline and
/// released packed into one word, to keep its calldata small). What a member claimed is kept per
/// member number, so a member's cumulative amount holds across wallets. A leaf written before
/// the member's escrow was released (`released` false) stops paying the moment it is, so the
/// claim never pays what a release paid; leaves written after the release (`released` true)
/// cover only escrow the member earned since. The other order, a release after a claim, is the
/// releaser's to avoid: it releases a member only while no open root names them with `released`
/// false (the backend releases when a member links a wallet, before any root can name them).
///
/// A root is safe on its own: it declares the total it promises, which may not exceed what the
/// distributor holds; it takes effect `publishDelay` seconds after publication, during which the
/// guardian can veto it; its deadline may not come before the deadline of the root it replaces
/// while that one is open. What the open roots promise (their declared totals) is reserved:
/// releases and clawbacks take only the rest.
contract RewardDistributor is AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role of the backend key that publishes epoch roots.
    bytes32 public constant PUBLISHER_ROLE = keccak256("PUBLISHER_ROLE");
    /// @notice Role of the backend key that releases escrow to members' wallets.
    bytes32 public constant RELEASER_ROLE = keccak256("RELEASER_ROLE");
    /// @notice Role that may veto a root during its publish delay (the admin or a multisig).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @dev Epoch numbers and the treasury, for publishing, clawback and views. The treasury
    /// keeps the slot nonzero before the first epoch, so publishing never pays for a fresh slot.
    struct Epochs {
        uint32 latest; // the latest published epoch (pending, active or vetoed)
        uint32 active; // the epoch claims are checked against
        address treasury;
    }

    /// @dev The root waiting out its publish delay. `activatesAt` zero: none. The epoch number is
    /// left in place when the slot is cleared, so the next publication rewrites a nonzero slot.
    struct Pending {
        uint32 epoch;
        uint40 deadline;
        uint40 activatesAt;
        uint128 total;
    }

    /// @dev The active root's declared total, and the release limit's level: one slot, read and
    /// written once per release batch.
    struct Ledger {
        uint120 activeTotal;
        uint96 releasedLevel; // the rolling release limit's level at `releasedAt`
        uint40 releasedAt;
    }

    /// @dev Limits on releases, read once per release batch. `dailyLimit` zero: releases off.
    struct ReleaseLimits {
        uint96 maxBatchAmount;
        uint96 dailyLimit;
    }

    /// @dev Low bits of `_window` that hold the active deadline; the rest hold the root's top bits.
    uint256 private constant _DEADLINE_BITS = 40;
    /// @dev Deadlines must fit `_DEADLINE_BITS` bits (until the year 36812).
    uint256 private constant _MAX_DEADLINE = (1 << _DEADLINE_BITS) - 1;
    /// @dev `_window` before the first epoch: a nonzero word (so the first activation rewrites a
    /// slot instead of paying for a fresh one) whose deadline, zero, has always passed.
    uint256 private constant _NO_WINDOW = 1 << _DEADLINE_BITS;
    uint256 private constant _AMOUNT_MASK = (1 << 96) - 1;
    uint256 private constant _DAY = 1 days;
    uint256 private constant _MAX_PUBLISH_DELAY = 30 days;

    /// @notice The reward token held and paid out.
    IERC20 public immutable token;
    /// @notice Seconds between a root's publication and the moment it takes effect.
    uint256 public immutable publishDelay;
    /// @dev True when the token has RewardToken's `transferBatch` (one debit per release batch).
    bool private immutable _batchTransfers;

    /// @dev The only slot a claim reads besides the member's own two: the active root's top 216
    /// bits with its deadline in the low 40 bits. A proof is accepted when the root it leads to
    /// matches those 216 bits, so forging one means finding a keccak-256 output with 216 given
    /// bits (about 2**216 hashes, far beyond the 2**128 of the ECDSA keys that guard the
    /// publisher). The full root of every epoch is kept in `_roots`.
    uint256 private _window;
    Epochs private _epochs;
    Pending private _pending;
    Ledger private _ledger;
    ReleaseLimits private _releaseLimits;
    mapping(uint256 epoch => bytes32 root) private _roots;
    mapping(uint256 wordIndex => uint256 bits) private _releasedWords;

    /// @notice Cumulative amount each member (by member number) has claimed.
    mapping(uint256 member => uint256 amount) public claimed;

    /// @notice A root was published; it takes effect at `activatesAt` unless vetoed before.
    event EpochPublished(
        uint256 indexed epoch, bytes32 root, uint256 total, uint256 deadline, uint256 activatesAt
    );
    /// @notice An epoch took effect: claims are checked against its root from now on.
    event EpochActivated(uint256 indexed epoch);
    /// @notice The guardian vetoed a root during its publish delay.
    event EpochVetoed(uint256 indexed epoch);
    /// @notice `member` claimed (their claimed total is now `claimed(member)`). The token's
    /// `Transfer` from this contract that follows in the same call names the wallet and amount;
    /// the event carries only what the transfer cannot, which keeps the fallback claim lean.
    event Claimed(uint256 member);
    /// @notice A member's escrow was released to their wallet.
    event Released(address indexed account, uint256 member, uint256 amount);
    /// @notice A member in a release batch had already been released and was skipped.
    event ReleaseSkipped(uint256 indexed member);
    /// @notice A release batch was paid: `count` members, `amount` in all.
    event EscrowReleased(uint256 count, uint256 amount);
    /// @notice Unpromised escrow was returned to the treasury.
    event ClawedBack(uint256 indexed epoch, address indexed treasury, uint256 amount);
    /// @notice The treasury address changed.
    event TreasurySet(address indexed treasury);
    /// @notice The release limits changed.
    event ReleaseLimitsSet(uint256 maxBatchAmount, uint256 dailyLimit);

    /// @notice The root is zero.
    error RewardDistributorZeroRoot();
    /// @notice The deadline is not in the future, or later than 2**40 - 1 (the year 36812).
    error RewardDistributorInvalidDeadline(uint256 deadline, uint256 nowTimestamp);
    /// @notice The deadline comes before the open root's, whose promises it would cut short.
    error RewardDistributorDeadlineShortened(uint256 deadline, uint256 openDeadline);
    /// @notice The root promises more than the distributor holds.
    error RewardDistributorOverPromised(uint256 total, uint256 balance);
    /// @notice Another root is still waiting out its publish delay.
    error RewardDistributorRootPending(uint256 epoch, uint256 activatesAt);
    /// @notice No root is waiting with this epoch number.
    error RewardDistributorNotPending(uint256 epoch);
    /// @notice The root's publish delay is over: it can no longer be vetoed.
    error RewardDistributorVetoTooLate(uint256 epoch, uint256 activatesAt);
    /// @notice No epoch has taken effect yet.
    error RewardDistributorNoEpoch();
    /// @notice The leaf's claim window has closed.
    error RewardDistributorClaimWindowClosed(uint256 epoch, uint256 deadline);
    /// @notice The proof does not match the active root.
    error RewardDistributorInvalidProof(address account, uint256 cumulativeAmount, uint256 terms);
    /// @notice The member's escrow was released after this leaf was written: it no longer pays.
    error RewardDistributorLeafReleased(uint256 member);
    /// @notice The member has already claimed this cumulative amount (or more).
    error RewardDistributorNothingToClaim(uint256 member, uint256 cumulativeAmount, uint256 alreadyClaimed);
    /// @notice A release or clawback of more than the open roots leave unpromised.
    error RewardDistributorExceedsUnpromised(uint256 amount, uint256 unpromised);
    /// @notice The release batch is empty.
    error RewardDistributorEmptyBatch();
    /// @notice `members` does not hold exactly 8 bytes per transfer.
    error RewardDistributorLengthMismatch(uint256 transfers, uint256 memberBytes);
    /// @notice The release batch pays more than one batch may.
    error RewardDistributorBatchLimitExceeded(uint256 amount, uint256 maxBatchAmount);
    /// @notice The release batch pays more than the rolling daily limit has left.
    error RewardDistributorDailyLimitExceeded(uint256 amount, uint256 available);
    /// @notice A per-batch limit above the daily one.
    error RewardDistributorInvalidLimits(uint256 maxBatchAmount, uint256 dailyLimit);
    /// @notice The zero address was given where an account is needed.
    error RewardDistributorZeroAddress();
    /// @notice A publish delay above 30 days.
    error RewardDistributorInvalidDelay(uint256 publishDelay);

    /// @param token_ The reward token.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (treasury, limits, clawback, roles), moved in
    /// two steps.
    /// @param publisher The root publisher key, granted PUBLISHER_ROLE.
    /// @param releaser The key that releases escrow, granted RELEASER_ROLE.
    /// @param guardian Granted GUARDIAN_ROLE (vetoes roots).
    /// @param treasury_ Where clawed-back rewards go.
    /// @param publishDelay_ Seconds a root waits before it takes effect (0 for development); at
    /// most 30 days.
    /// @param batchTransfers True when the token is a RewardToken (has `transferBatch`).
    constructor(
        IERC20 token_,
        address admin,
        address publisher,
        address releaser,
        address guardian,
        address treasury_,
        uint256 publishDelay_,
        bool batchTransfers
    ) AccessControlDefaultAdminRules(0, admin) {
        if (treasury_ == address(0)) revert RewardDistributorZeroAddress();
        if (publishDelay_ > _MAX_PUBLISH_DELAY) revert RewardDistributorInvalidDelay(publishDelay_);
        token = token_;
        publishDelay = publishDelay_;
        _batchTransfers = batchTransfers;
        _window = _NO_WINDOW;
        _epochs.treasury = treasury_;
        // Nonzero from the start (a deadline with no root pending; a release time long past),
        // so the first publication and activation rewrite slots instead of paying for fresh ones.
        _pending.deadline = 1;
        _ledger.releasedAt = 1;
        _grantRole(PUBLISHER_ROLE, publisher);
        _grantRole(RELEASER_ROLE, releaser);
        _grantRole(GUARDIAN_ROLE, guardian);
    }

    // ---- roots ------------------------------------------------------------------------------

    /// @notice Publishes the next epoch's root of cumulative amounts. It takes effect after the
    /// publish delay (at once when the delay is zero) unless the guardian vetoes it.
    /// @param root Merkle root (StandardMerkleTree, see the contract's notes); not zero.
    /// @param total What the root promises: the sum over its leaves of each cumulative amount
    /// less what the member had claimed when it was built. At most the distributor's balance.
    /// @param deadline Unix time after which no leaf of this root can be claimed; at least the
    /// deadline of the root it replaces while that one is open; at most 2**40 - 1.
    /// @return epoch The new epoch's number (the first is 1).
    function publishRoot(bytes32 root, uint256 total, uint64 deadline)
        external
        onlyRole(PUBLISHER_ROLE)
        returns (uint256 epoch)
    {
        if (root == bytes32(0)) revert RewardDistributorZeroRoot();
        if (deadline <= block.timestamp || deadline > _MAX_DEADLINE) {
            revert RewardDistributorInvalidDeadline(deadline, block.timestamp);
        }
        _activateDue();
        Pending memory pending = _pending;
        if (pending.activatesAt != 0) revert RewardDistributorRootPending(pending.epoch, pending.activatesAt);
        uint256 open = _window & _MAX_DEADLINE;
        if (open >= block.timestamp && deadline < open) revert RewardDistributorDeadlineShortened(deadline, open);
        uint256 balance = token.balanceOf(address(this));
        if (total > balance || total > type(uint120).max) revert RewardDistributorOverPromised(total, balance);

        Epochs storage epochs = _epochs;
        epoch = epochs.latest + 1;
        epochs.latest = uint32(epoch);
        _roots[epoch] = root;
        uint256 activatesAt = block.timestamp + publishDelay;
        // Cannot truncate: total is below 2**120, and activatesAt is a timestamp plus a delay in
        // seconds.
        emit EpochPublished(epoch, root, total, deadline, activatesAt);
        if (activatesAt == block.timestamp) {
            _activate(epoch, root, deadline, total);
        } else {
            _pending = Pending(uint32(epoch), uint40(deadline), uint40(activatesAt), uint128(total));
        }
    }

    /// @notice Vetoes a root still waiting out its publish delay.
    /// @param epoch The pending epoch's number.
    function veto(uint256 epoch) external onlyRole(GUARDIAN_ROLE) {
        Pending memory pending = _pending;
        if (pending.activatesAt == 0 || pending.epoch != epoch) revert RewardDistributorNotPending(epoch);
        if (block.timestamp >= pending.activatesAt) {
            revert RewardDistributorVetoTooLate(epoch, pending.activatesAt);
        }
        _pending.activatesAt = 0;
        emit EpochVetoed(epoch);
    }

    /// @notice Makes a pending root whose delay is over the active one. Anyone may call it; a
    /// claim against the new root, and the next publication, do it on their own.
    /// @return epoch The active epoch's number afterwards.
    function activate() external returns (uint256 epoch) {
        _activateDue();
        return _epochs.active;
    }

    // ---- claims and releases ------------------------------------------------------------------

    /// @notice Claims a member's rewards up to `cumulativeAmount`; anyone may send it, and the
    /// tokens always go to the leaf's account, never to the caller.
    /// @param account The wallet the leaf pays.
    /// @param cumulativeAmount The member's cumulative total in the active epoch.
    /// @param terms The leaf's other fields, packed: `member << 41 | deadline << 1 | released`
    /// (member below 2**64, deadline below 2**40, released 0 or 1).
    /// @param proof Merkle proof of the leaf against the active root.
    /// @return amount The amount paid now.
    // One straight path, written out for gas: splitting it into helpers would cost jumps.
    // solhint-disable-next-line function-max-lines
    function claim(address account, uint256 cumulativeAmount, uint256 terms, bytes32[] calldata proof)
        external
        returns (uint256 amount)
    {
        bytes32 computed = _rootOf(account, cumulativeAmount, terms, proof);
        uint256 window = _window;
        if ((uint256(computed) ^ window) >> _DEADLINE_BITS != 0) {
            window = _windowForNewRoot(computed, account, cumulativeAmount, terms);
        }
        // The rest is written out in assembly over the scratch space (error selectors and the
        // event topic are literals; the tests decode every revert and log with the ABI, so they
        // cannot drift). It is the path members pay for when the backend is gone.
        bytes32 claimedTopic = Claimed.selector;
        IERC20 token_ = token;
        bool paid;
        assembly ("memory-safe") {
            // A leaf closes at its own deadline or its root's, whichever comes first.
            let closes := and(window, 0xffffffffff)
            let deadline := and(shr(1, terms), 0xffffffffff)
            if lt(deadline, closes) { closes := deadline }
            if gt(timestamp(), closes) {
                mstore(0x00, 0x27dce32d) // RewardDistributorClaimWindowClosed(uint256,uint256)
                mstore(0x20, and(shr(32, sload(_epochs.slot)), 0xffffffff)) // the active epoch
                mstore(0x40, closes)
                revert(0x1c, 0x44)
            }
            let member := shr(41, terms)
            // A leaf written before the member's escrow was released stops paying once it is.
            if iszero(and(terms, 1)) {
                mstore(0x00, shr(8, member))
                mstore(0x20, _releasedWords.slot)
                if and(shr(and(member, 0xff), sload(keccak256(0x00, 0x40))), 1) {
                    mstore(0x00, 0x31434b95) // RewardDistributorLeafReleased(uint256)
                    mstore(0x20, member)
                    revert(0x1c, 0x24)
                }
            }
            mstore(0x00, member)
            mstore(0x20, claimed.slot)
            let slot := keccak256(0x00, 0x40)
            let already := sload(slot)
            if iszero(gt(cumulativeAmount, already)) {
                mstore(0x00, 0x34479cac) // RewardDistributorNothingToClaim(uint256,uint256,uint256)
                mstore(0x20, member)
                mstore(0x40, cumulativeAmount)
                mstore(0x60, already)
                revert(0x1c, 0x64)
            }
            sstore(slot, cumulativeAmount)
            amount := sub(cumulativeAmount, already)
            // emit Claimed(member)
            let fmp := mload(0x40)
            mstore(0x00, member)
            log1(0x00, 0x20, claimedTopic)
            // token.safeTransfer(account, amount)
            mstore(0x00, 0xa9059cbb) // transfer(address,uint256)
            mstore(0x20, account)
            mstore(0x40, amount)
            paid := call(gas(), token_, 0, 0x1c, 0x44, 0x00, 0x20)
            // As SafeERC20: the call must succeed and return true, or return nothing from code.
            if iszero(and(paid, eq(mload(0x00), 1))) {
                if iszero(paid) {
                    returndatacopy(fmp, 0x00, returndatasize())
                    revert(fmp, returndatasize())
                }
                paid := and(iszero(returndatasize()), gt(extcodesize(token_), 0))
            }
            mstore(0x40, fmp)
        }
        if (!paid) revert SafeERC20.SafeERC20FailedOperation(address(token_));
    }

    /// @notice Releases members' escrow to their wallets, at most once per member: a member
    /// released before is skipped with `ReleaseSkipped`, so a batch can be resent safely. A
    /// release also stops every leaf written before it for that member (see the contract's
    /// notes). The batch is paid from what no open root promises, within the release limits.
    /// @param transfers `wallet << 96 | amount` per member (an amount of zero only records the
    /// release, for example to stop a leaf naming a wallet the member replaced).
    /// @param members 8 bytes per transfer: the member's number (uint64).
    /// @return count Members released, not counting skipped ones.
    /// @return total Sum released.
    function release(uint256[] calldata transfers, bytes calldata members)
        external
        onlyRole(RELEASER_ROLE)
        nonReentrant
        returns (uint256 count, uint256 total)
    {
        uint256 n = transfers.length;
        if (n == 0) revert RewardDistributorEmptyBatch();
        if (members.length != n * 8) revert RewardDistributorLengthMismatch(n, members.length);
        uint256 batchCall;
        uint256 paying;
        (count, total, batchCall, paying) = _recordReleases(transfers, members);
        if (total == 0) return (count, 0);

        ReleaseLimits memory limits = _releaseLimits;
        if (total > limits.maxBatchAmount) revert RewardDistributorBatchLimitExceeded(total, limits.maxBatchAmount);
        Ledger memory ledger = _ledger;
        uint256 level = _level(ledger.releasedLevel, ledger.releasedAt, limits.dailyLimit);
        if (level + total > limits.dailyLimit) {
            revert RewardDistributorDailyLimitExceeded(total, limits.dailyLimit - level);
        }
        uint256 free = _unpromised(ledger.activeTotal);
        if (total > free) revert RewardDistributorExceedsUnpromised(total, free);
        // Cannot truncate: the level is at most dailyLimit, a uint96.
        _ledger = Ledger(ledger.activeTotal, uint96(level + total), uint40(block.timestamp));
        emit EscrowReleased(count, total);
        _payReleases(batchCall, paying);
    }

    /// @notice Returns escrow that no open root promises to the treasury (the backend marks the
    /// matching grants expired first).
    /// @param amount How much to return; at most what the open roots leave unpromised.
    function clawback(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        uint256 free = _unpromised(_ledger.activeTotal);
        if (amount > free) revert RewardDistributorExceedsUnpromised(amount, free);
        Epochs memory epochs = _epochs;
        emit ClawedBack(epochs.active, epochs.treasury, amount);
        token.safeTransfer(epochs.treasury, amount);
    }

    // ---- settings -----------------------------------------------------------------------------

    /// @notice Changes where clawed-back rewards go.
    /// @param treasury_ The new treasury; not zero.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert RewardDistributorZeroAddress();
        _epochs.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Sets the release limits: per batch, and a rolling daily limit (a bucket of
    /// `dailyLimit` refilled at `dailyLimit` per 24 hours). A daily limit of zero stops releases.
    /// @param maxBatchAmount Most one release batch may pay; at most `dailyLimit`.
    /// @param dailyLimit The rolling limit.
    function setReleaseLimits(uint96 maxBatchAmount, uint96 dailyLimit) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (maxBatchAmount > dailyLimit) revert RewardDistributorInvalidLimits(maxBatchAmount, dailyLimit);
        _releaseLimits = ReleaseLimits(maxBatchAmount, dailyLimit);
        emit ReleaseLimitsSet(maxBatchAmount, dailyLimit);
    }

    // ---- views --------------------------------------------------------------------------------

    /// @notice Where clawed-back rewards go.
    /// @return The treasury address.
    function treasury() external view returns (address) {
        return _epochs.treasury;
    }

    /// @notice The epoch claims are checked against now (a pending root whose delay is over
    /// counts, since the next claim activates it).
    /// @return number Its number (0 before any root took effect).
    /// @return root Its Merkle root.
    /// @return deadline Unix time its claim window closes (no leaf can be claimed after it).
    /// @return total What it promised when published.
    function latestEpoch() external view returns (uint256 number, bytes32 root, uint256 deadline, uint256 total) {
        Pending memory pending = _pending;
        if (pending.activatesAt != 0 && block.timestamp >= pending.activatesAt) {
            return (pending.epoch, _roots[pending.epoch], pending.deadline, pending.total);
        }
        number = _epochs.active;
        return (number, _roots[number], _window & _MAX_DEADLINE, _ledger.activeTotal);
    }

    /// @notice The root waiting out its publish delay, if any (none once its delay is over).
    /// @return number Its epoch number (0: none).
    /// @return root Its Merkle root.
    /// @return deadline Its claim deadline.
    /// @return total What it promises.
    /// @return activatesAt When it takes effect.
    function pendingEpoch()
        external
        view
        returns (uint256 number, bytes32 root, uint256 deadline, uint256 total, uint256 activatesAt)
    {
        Pending memory pending = _pending;
        if (pending.activatesAt == 0 || block.timestamp >= pending.activatesAt) return (0, 0, 0, 0, 0);
        return (pending.epoch, _roots[pending.epoch], pending.deadline, pending.total, pending.activatesAt);
    }

    /// @notice The number of the latest published epoch (pending, active or vetoed).
    /// @return The epoch number (0 before the first publication).
    function publishedEpochs() external view returns (uint256) {
        return _epochs.latest;
    }

    /// @notice The root of any published epoch (root history, vetoed ones included).
    /// @param epoch The epoch number.
    /// @return The root, or zero if not published.
    function rootOf(uint256 epoch) external view returns (bytes32) {
        return _roots[epoch];
    }

    /// @notice What the distributor holds that no open root promises: what releases and
    /// clawbacks may take.
    /// @return The amount.
    function unpromised() external view returns (uint256) {
        return _unpromised(_ledger.activeTotal);
    }

    /// @notice Whether a member's escrow has been released.
    /// @param member The member's number.
    /// @return True once released.
    function isReleased(uint256 member) external view returns (bool) {
        return (_releasedWords[member >> 8] >> (member & 255)) & 1 != 0;
    }

    /// @notice The release limits and what the rolling limit lets a batch release now.
    /// @return maxBatchAmount Per-batch limit.
    /// @return dailyLimit The rolling daily limit.
    /// @return availableNow What a batch may release now under the rolling limit.
    function releaseLimits() external view returns (uint256 maxBatchAmount, uint256 dailyLimit, uint256 availableNow) {
        ReleaseLimits memory limits = _releaseLimits;
        Ledger memory ledger = _ledger;
        availableNow = limits.dailyLimit - _level(ledger.releasedLevel, ledger.releasedAt, limits.dailyLimit);
        return (limits.maxBatchAmount, limits.dailyLimit, availableNow);
    }

    /// @notice The root that a proof of a leaf leads to, for clients and tests: equals the
    /// epoch's root exactly when the proof is valid.
    /// @param account The wallet in the leaf.
    /// @param cumulativeAmount The cumulative amount in the leaf.
    /// @param terms The leaf's member, deadline and released, packed as `claim` takes them.
    /// @param proof Sibling hashes from leaf to root.
    /// @return root The computed root.
    function computeRoot(address account, uint256 cumulativeAmount, uint256 terms, bytes32[] calldata proof)
        external
        pure
        returns (bytes32 root)
    {
        return _rootOf(account, cumulativeAmount, terms, proof);
    }

    // ---- internals ----------------------------------------------------------------------------

    /// @dev A claim whose proof does not match the active root: the pending root may have come
    /// due (then it takes effect now and the proof is checked against it), else the claim is
    /// refused, with "no epoch" before any root took effect.
    function _windowForNewRoot(bytes32 computed, address account, uint256 cumulativeAmount, uint256 terms)
        private
        returns (uint256 window)
    {
        _activateDue();
        window = _window;
        if ((uint256(computed) ^ window) >> _DEADLINE_BITS != 0) {
            if (_epochs.active == 0) revert RewardDistributorNoEpoch();
            revert RewardDistributorInvalidProof(account, cumulativeAmount, terms);
        }
    }

    /// @dev Makes the pending root active when its delay is over.
    function _activateDue() private {
        Pending memory pending = _pending;
        if (pending.activatesAt == 0 || block.timestamp < pending.activatesAt) return;
        _pending.activatesAt = 0;
        _activate(pending.epoch, _roots[pending.epoch], pending.deadline, pending.total);
    }

    function _activate(uint256 epoch, bytes32 root, uint256 deadline, uint256 total) private {
        _window = (uint256(root) >> _DEADLINE_BITS << _DEADLINE_BITS) | deadline;
        _epochs.active = uint32(epoch);
        // Cannot truncate: a total is checked against the balance when published.
        _ledger.activeTotal = uint120(total);
        emit EpochActivated(epoch);
    }

    /// @dev What open roots leave unpromised: the balance less the larger of the active root's
    /// total (while its window is open) and the pending root's. Claims do not lower a root's
    /// total here, so this errs towards keeping too much until the next root declares anew.
    function _unpromised(uint256 activeTotal) private view returns (uint256) {
        uint256 promised = (_window & _MAX_DEADLINE) >= block.timestamp ? activeTotal : 0;
        Pending memory pending = _pending;
        if (pending.activatesAt != 0 && pending.total > promised) promised = pending.total;
        uint256 balance = token.balanceOf(address(this));
        return balance > promised ? balance - promised : 0;
    }

    /// @dev A rolling limit's level now: what was used, less the refill since `updatedAt`
    /// (rounded down, so the limit never refills early).
    function _level(uint256 used, uint256 updatedAt, uint256 dailyLimit) private view returns (uint256) {
        // Cannot overflow: elapsed < 2**40 and dailyLimit < 2**96.
        uint256 refill = (block.timestamp - updatedAt) * dailyLimit / _DAY;
        return used > refill ? used - refill : 0;
    }

    /// @dev Marks each member released in the bitmap, logs the release, and writes the
    /// ABI-encoded `transferBatch(uint256[])` call for the nonzero amounts at the free memory
    /// pointer. Consecutive member numbers share one bitmap word, read and written once.
    // One assembly block is clearer than splitting the hot loop across helpers.
    // solhint-disable-next-line function-max-lines
    function _recordReleases(uint256[] calldata transfers, bytes calldata members)
        private
        returns (uint256 count, uint256 total, uint256 batchCall, uint256 paying)
    {
        bytes32 releasedTopic = Released.selector;
        bytes32 skippedTopic = ReleaseSkipped.selector;
        assembly ("memory-safe") {
            batchCall := mload(0x40)
            mstore(batchCall, shl(224, 0x52d313e1)) // transferBatch(uint256[])
            mstore(add(batchCall, 0x04), 0x20)
            let out := add(batchCall, 0x44)
            let ev := add(out, shl(5, transfers.length)) // event data scratch
            mstore(0x40, add(ev, 0x40))
            let q := members.offset
            let wordIndex := not(0)
            let bits := 0
            let end := add(transfers.offset, shl(5, transfers.length))
            for { let p := transfers.offset } lt(p, end) {
                p := add(p, 0x20)
                q := add(q, 0x08)
            } {
                let transfer := calldataload(p)
                let member := shr(192, calldataload(q))
                if xor(shr(8, member), wordIndex) {
                    // Leaving a bitmap word: write it back, then read the next one.
                    if not(wordIndex) {
                        mstore(0x00, wordIndex)
                        mstore(0x20, _releasedWords.slot)
                        sstore(keccak256(0x00, 0x40), bits)
                    }
                    wordIndex := shr(8, member)
                    mstore(0x00, wordIndex)
                    mstore(0x20, _releasedWords.slot)
                    bits := sload(keccak256(0x00, 0x40))
                }
                let bit := shl(and(member, 0xff), 1)
                if and(bits, bit) {
                    log2(0, 0, skippedTopic, member)
                    continue
                }
                bits := or(bits, bit)
                count := add(count, 1)
                let amount := and(transfer, _AMOUNT_MASK)
                if amount {
                    mstore(out, transfer)
                    out := add(out, 0x20)
                    // Cannot overflow: amounts are below 2**96 and calldata is far below 2**160 words.
                    total := add(total, amount)
                }
                mstore(ev, member)
                mstore(add(ev, 0x20), amount)
                log2(ev, 0x40, releasedTopic, shr(96, transfer))
            }
            mstore(0x00, wordIndex)
            mstore(0x20, _releasedWords.slot)
            sstore(keccak256(0x00, 0x40), bits)
            paying := shr(5, sub(out, add(batchCall, 0x44)))
            mstore(add(batchCall, 0x24), paying)
        }
    }

    /// @dev Pays the releases prepared by `_recordReleases`: one `transferBatch` call for a
    /// RewardToken, else one SafeERC20 transfer each.
    function _payReleases(uint256 batchCall, uint256 count) private {
        address token_ = address(token);
        if (_batchTransfers) {
            assembly ("memory-safe") {
                if iszero(call(gas(), token_, 0, batchCall, add(0x44, shl(5, count)), 0, 0)) {
                    returndatacopy(0, 0, returndatasize())
                    revert(0, returndatasize())
                }
            }
            return;
        }
        uint256 first = batchCall + 0x44;
        for (uint256 i; i < count; ++i) {
            uint256 transfer;
            assembly ("memory-safe") {
                transfer := mload(add(first, shl(5, i)))
            }
            token.safeTransfer(address(uint160(transfer >> 96)), transfer & _AMOUNT_MASK);
        }
    }

    /// @dev StandardMerkleTree leaf `keccak256(bytes.concat(keccak256(abi.encode(member, account,
    /// cumulativeAmount, deadline, released))))` with the fields unpacked from `terms`, then
    /// sorted-pair keccak up the proof: the same result as OpenZeppelin's
    /// `MerkleProof.processProofCalldata`, without its internal call per level (about a quarter
    /// of the gas). A differential fuzz test checks the two always agree.
    function _rootOf(address account, uint256 cumulativeAmount, uint256 terms, bytes32[] calldata proof)
        private
        pure
        returns (bytes32 computed)
    {
        assembly ("memory-safe") {
            let fmp := mload(0x40)
            mstore(fmp, shr(41, terms))
            mstore(add(fmp, 0x20), account)
            mstore(add(fmp, 0x40), cumulativeAmount)
            mstore(add(fmp, 0x60), and(shr(1, terms), 0xffffffffff)) // 40 bits: _MAX_DEADLINE
            mstore(add(fmp, 0x80), and(terms, 1))
            mstore(0x00, keccak256(fmp, 0xa0))
            computed := keccak256(0x00, 0x20)
            if proof.length {
                let end := add(proof.offset, shl(5, proof.length))
                for { let p := proof.offset } 1 {} {
                    let sibling := calldataload(p)
                    // The smaller hash goes first: `computed` at 0x00 when it is the smaller, else at 0x20.
                    let at := shl(5, gt(computed, sibling))
                    mstore(at, computed)
                    mstore(xor(at, 0x20), sibling)
                    computed := keccak256(0x00, 0x40)
                    p := add(p, 0x20)
                    if iszero(lt(p, end)) { break }
                }
            }
        }
    }
}
