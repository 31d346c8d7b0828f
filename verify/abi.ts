/** The few contract functions and events the verifier reads (human-readable ABI, viem only). */
import { parseAbi } from "viem";

export const payoutsAbi = parseAbi([
  "function campaignId() view returns (uint256)",
  "event ReferralRewarded(address indexed recipient, uint256 payoutId, uint256 referee, uint256 level, uint256 amount)",
  "event PayoutBatchPaid(address indexed token, uint256 count, uint256 amount)",
  "event RulesPublished(uint256 indexed version, bytes32 hash, string uri)",
]);

export const distributorAbi = parseAbi([
  "function token() view returns (address)",
  "function rootOf(uint256 epoch) view returns (bytes32)",
  "function claimed(uint256 member) view returns (uint256)",
  "function latestEpoch() view returns (uint256 number, bytes32 root, uint256 deadline, uint256 total)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function PUBLISHER_ROLE() view returns (bytes32)",
  "event EpochPublished(uint256 indexed epoch, bytes32 root, uint256 total, uint256 deadline, uint256 activatesAt)",
  "event Claimed(uint256 member)",
  "event Released(address indexed account, uint256 member, uint256 amount)",
  "event ClawedBack(uint256 indexed epoch, address indexed treasury, uint256 amount)",
]);

export const tokenAbi = parseAbi([
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address) view returns (uint256)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
]);
