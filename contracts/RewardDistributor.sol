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

    /// @dev The latest epoch and the treasury, packed in one slot that every claim reads.
    /// Keeping the treasury here means the slot is already nonzero before the first epoch,
    /// so publishing never pays for a fresh slot.
    struct Epoch {
        uint32 number;
        uint64 deadline;
        address treasury;
    }

    /// @notice The reward token paid out.
    IERC20 public immutable token;
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
    /// @notice The deadline is not in the future.
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
        _latest.treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PUBLISHER_ROLE, publisher);
    }

    /// @notice Publishes the next epoch's root of cumulative amounts.
    /// @param root Merkle root (StandardMerkleTree, `["address", "uint256"]`); not zero.
    /// @param deadline Unix time after which claims against this epoch close.
    /// @return epoch The new epoch's number (the first is 1).
    function publishRoot(bytes32 root, uint64 deadline)
        external
        onlyRole(PUBLISHER_ROLE)
        returns (uint256 epoch)
    {
        if (root == bytes32(0)) revert RewardDistributorZeroRoot();
        if (deadline <= block.timestamp) revert RewardDistributorInvalidDeadline(deadline, block.timestamp);
        Epoch storage latest = _latest;
        epoch = latest.number + 1;
        latest.number = uint32(epoch);
        latest.deadline = deadline;
        _roots[epoch] = root;
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
        Epoch memory latest = _latest;
        if (latest.number == 0) revert RewardDistributorNoEpoch();
        if (block.timestamp > latest.deadline) {
            revert RewardDistributorClaimWindowClosed(latest.number, latest.deadline);
        }
        if (_rootOf(account, cumulativeAmount, proof) != _roots[latest.number]) {
            revert RewardDistributorInvalidProof(account, cumulativeAmount);
        }
        uint256 already = claimed[account];
        if (cumulativeAmount <= already) {
            revert RewardDistributorNothingToClaim(account, cumulativeAmount, already);
        }
        claimed[account] = cumulativeAmount;
        unchecked {
            amount = cumulativeAmount - already;
        }
        emit Claimed(account, amount, cumulativeAmount);
        token.safeTransfer(account, amount);
    }

    /// @notice Returns unclaimed rewards to the treasury once the latest epoch's claim window
    /// has closed. The backend marks the matching grants expired.
    /// @param amount How much to return; at most the distributor's balance.
    function clawback(uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Epoch memory latest = _latest;
        if (latest.number == 0) revert RewardDistributorNoEpoch();
        if (block.timestamp <= latest.deadline) {
            revert RewardDistributorClaimWindowOpen(latest.number, latest.deadline);
        }
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
        Epoch memory latest = _latest;
        return (latest.number, _roots[latest.number], latest.deadline);
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
            let end := add(proof.offset, shl(5, proof.length))
            for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
                let sibling := calldataload(p)
                let siblingFirst := gt(computed, sibling)
                mstore(shl(5, siblingFirst), computed)
                mstore(shl(5, iszero(siblingFirst)), sibling)
                computed := keccak256(0x00, 0x40)
            }
        }
    }
}
