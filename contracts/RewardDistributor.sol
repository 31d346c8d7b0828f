// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title RewardDistributor
/// @notice Pull claims for members who had no wallet when they earned. Their rewards are paid
/// on-chain at once into this contract (an escrow, through ReferralPayouts, so each grant is
/// public and budgeted like any payout); each epoch the backend publishes a Merkle root of every
/// member's cumulative total, and a member claims the difference to what they already claimed.
/// @dev One distributor per reward token. Leaves follow OpenZeppelin's StandardMerkleTree with
/// types `["address", "uint256"]`: `keccak256(bytes.concat(keccak256(abi.encode(account,
/// cumulativeAmount))))`, so proofs from OpenZeppelin's merkle-tree library verify here. Claims are
/// always against the latest epoch; cumulative amounts make older proofs unnecessary.
/// Claims follow checks-effects-interactions and only ever call the campaign's own token.
contract RewardDistributor is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Role of the backend that publishes epoch roots.
    bytes32 public constant PUBLISHER_ROLE = keccak256("PUBLISHER_ROLE");

    /// @dev The latest epoch's number and the treasury, for publishing, clawback and views.
    /// Keeping the treasury here means the slot is already nonzero before the first epoch, so
    /// publishing never pays for a fresh slot.
    struct Epoch {
        uint32 number;
        address treasury;
    }

    /// @dev Low bits of `_window` that hold the latest deadline; the rest hold the root's top bits.
    uint256 private constant _DEADLINE_BITS = 40;
    /// @dev The latest deadline must fit `_DEADLINE_BITS` bits (until the year 36812).
    uint256 private constant _MAX_DEADLINE = (1 << _DEADLINE_BITS) - 1;
    /// @dev `_window` before the first epoch: a nonzero word (so the first publication rewrites a
    /// slot instead of paying for a fresh one) whose deadline, zero, has always passed.
    uint256 private constant _NO_WINDOW = 1 << _DEADLINE_BITS;

    /// @notice The reward token paid out.
    IERC20 public immutable token;
    /// @dev The only slot a claim reads besides the claimant's own: the latest root's top 216
    /// bits with the latest deadline in the low 40 bits. A proof is accepted when the root it
    /// leads to matches those 216 bits, so forging one means finding a keccak-256 output with
    /// 216 given bits (about 2**216 hashes, far beyond the 2**128 of the ECDSA keys that guard
    /// the publisher). The full root of every epoch is kept in `_roots`.
    uint256 private _window;
    Epoch private _latest;
    mapping(uint256 epoch => bytes32 root) private _roots;

    /// @notice Cumulative amount each account has claimed.
    mapping(address account => uint256 amount) public claimed;

    /// @notice A new epoch's root was published; claims against it close at `deadline`.
    event EpochPublished(uint256 indexed epoch, bytes32 root, uint256 deadline);
    /// @notice `account` claimed `amount`, bringing its cumulative claimed to `cumulativeAmount`.
    event Claimed(address indexed account, uint256 amount, uint256 cumulativeAmount);
    /// @notice Unclaimed rewards were returned to the treasury after the epoch's deadline.
    event ClawedBack(uint256 indexed epoch, address indexed treasury, uint256 amount);
    /// @notice The treasury address changed.
    event TreasurySet(address indexed treasury);

    /// @notice The root is zero.
    error RewardDistributorZeroRoot();
    /// @notice The deadline is not in the future, or later than 2**40 - 1 (the year 36812).
    error RewardDistributorInvalidDeadline(uint256 deadline, uint256 nowTimestamp);
    /// @notice No epoch has been published yet.
    error RewardDistributorNoEpoch();
    /// @notice The latest epoch's claim window has closed.
    error RewardDistributorClaimWindowClosed(uint256 epoch, uint256 deadline);
    /// @notice The proof does not match the latest root.
    error RewardDistributorInvalidProof(address account, uint256 cumulativeAmount);
    /// @notice The account has already claimed this cumulative amount (or more).
    error RewardDistributorNothingToClaim(address account, uint256 cumulativeAmount, uint256 alreadyClaimed);
    /// @notice Clawback before the latest epoch's deadline.
    error RewardDistributorClaimWindowOpen(uint256 epoch, uint256 deadline);
    /// @notice Clawback of more than the distributor holds.
    error RewardDistributorInsufficientBalance(uint256 requested, uint256 balance);
    /// @notice The zero address was given where an account is needed.
    error RewardDistributorZeroAddress();

    /// @param token_ The reward token.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (treasury, clawback, roles).
    /// @param publisher The backend, granted PUBLISHER_ROLE.
    /// @param treasury_ Where clawed-back rewards go.
    constructor(IERC20 token_, address admin, address publisher, address treasury_) {
        if (treasury_ == address(0)) revert RewardDistributorZeroAddress();
        token = token_;
        _window = _NO_WINDOW;
        _latest.treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PUBLISHER_ROLE, publisher);
    }

    /// @notice Publishes the next epoch's root of cumulative amounts.
    /// @param root Merkle root (StandardMerkleTree, `["address", "uint256"]`); not zero.
    /// @param deadline Unix time after which claims against this epoch close; at most 2**40 - 1.
    /// @return epoch The new epoch's number (the first is 1).
    function publishRoot(bytes32 root, uint64 deadline)
        external
        onlyRole(PUBLISHER_ROLE)
        returns (uint256 epoch)
    {
        if (root == bytes32(0)) revert RewardDistributorZeroRoot();
        if (deadline <= block.timestamp || deadline > _MAX_DEADLINE) {
            revert RewardDistributorInvalidDeadline(deadline, block.timestamp);
        }
        Epoch storage latest = _latest;
        epoch = latest.number + 1;
        latest.number = uint32(epoch);
        _roots[epoch] = root;
        _window = (uint256(root) >> _DEADLINE_BITS << _DEADLINE_BITS) | deadline;
        emit EpochPublished(epoch, root, deadline);
    }

    /// @notice Claims `account`'s rewards up to `cumulativeAmount`; anyone may send it, and the
    /// tokens always go to `account`, never to the caller.
    /// @param account The member's wallet.
    /// @param cumulativeAmount The member's cumulative total in the latest epoch.
    /// @param proof Merkle proof of `(account, cumulativeAmount)` against the latest root.
    /// @return amount The amount paid now.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        returns (uint256 amount)
    {
        uint256 window = _window;
        if (
            block.timestamp > window & _MAX_DEADLINE
                || (uint256(_rootOf(account, cumulativeAmount, proof)) ^ window) >> _DEADLINE_BITS != 0
        ) {
            _refuseClaim(account, cumulativeAmount, window);
        }
        uint256 already = claimed[account];
        if (cumulativeAmount <= already) {
            revert RewardDistributorNothingToClaim(account, cumulativeAmount, already);
        }
        claimed[account] = cumulativeAmount;
        unchecked {
            amount = cumulativeAmount - already;
        }
        // emit Claimed(account, amount, cumulativeAmount); token.safeTransfer(account, amount);
        // written out over the scratch space, which skips the free memory pointer's upkeep.
        bytes32 claimedTopic = Claimed.selector;
        IERC20 token_ = token;
        bool paid;
        assembly ("memory-safe") {
            mstore(0x00, amount)
            mstore(0x20, cumulativeAmount)
            log2(0x00, 0x40, claimedTopic, account)
            let fmp := mload(0x40)
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

    /// @notice Returns unclaimed rewards to the treasury once the latest epoch's claim window
    /// has closed. The backend marks the matching grants expired.
    /// @param amount How much to return; at most the distributor's balance.
    function clawback(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Epoch memory latest = _latest;
        if (latest.number == 0) revert RewardDistributorNoEpoch();
        uint256 deadline = _window & _MAX_DEADLINE;
        if (block.timestamp <= deadline) revert RewardDistributorClaimWindowOpen(latest.number, deadline);
        uint256 balance = token.balanceOf(address(this));
        if (amount > balance) revert RewardDistributorInsufficientBalance(amount, balance);
        emit ClawedBack(latest.number, latest.treasury, amount);
        token.safeTransfer(latest.treasury, amount);
    }

    /// @notice Changes where clawed-back rewards go.
    /// @param treasury_ The new treasury; not zero.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert RewardDistributorZeroAddress();
        _latest.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Where clawed-back rewards go.
    /// @return The treasury address.
    function treasury() external view returns (address) {
        return _latest.treasury;
    }

    /// @notice The latest epoch.
    /// @return number Its number (0 before the first publication).
    /// @return root Its Merkle root.
    /// @return deadline Unix time its claim window closes.
    function latestEpoch() external view returns (uint256 number, bytes32 root, uint256 deadline) {
        number = _latest.number;
        return (number, _roots[number], _window & _MAX_DEADLINE);
    }

    /// @notice The root that a proof of `(account, cumulativeAmount)` leads to, for clients and
    /// tests: equals the epoch's root exactly when the proof is valid.
    /// @param account The member's wallet.
    /// @param cumulativeAmount The cumulative amount in the leaf.
    /// @param proof Sibling hashes from leaf to root.
    /// @return root The computed root.
    function computeRoot(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        pure
        returns (bytes32 root)
    {
        return _rootOf(account, cumulativeAmount, proof);
    }

    /// @notice The root of any published epoch (root history).
    /// @param epoch The epoch number.
    /// @return The root, or zero if not published.
    function rootOf(uint256 epoch) external view returns (bytes32) {
        return _roots[epoch];
    }

    /// @dev Reverts with the reason a claim that failed the window or root check was refused,
    /// in the order: no epoch yet, window closed, wrong proof.
    function _refuseClaim(address account, uint256 cumulativeAmount, uint256 window) private view {
        uint256 number = _latest.number;
        if (number == 0) revert RewardDistributorNoEpoch();
        uint256 deadline = window & _MAX_DEADLINE;
        if (block.timestamp > deadline) revert RewardDistributorClaimWindowClosed(number, deadline);
        revert RewardDistributorInvalidProof(account, cumulativeAmount);
    }

    /// @dev StandardMerkleTree leaf `keccak256(bytes.concat(keccak256(abi.encode(account,
    /// amount))))`, then sorted-pair keccak up the proof: the same result as OpenZeppelin's
    /// `MerkleProof.processProofCalldata`, without its internal call per level (about a quarter
    /// of the gas). A differential fuzz test checks the two always agree.
    function _rootOf(address account, uint256 cumulativeAmount, bytes32[] calldata proof)
        private
        pure
        returns (bytes32 computed)
    {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, cumulativeAmount)
            mstore(0x00, keccak256(0x00, 0x40))
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
