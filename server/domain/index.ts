/**
 * The referral engine's public surface: pure functions taking a {@link DomainContext}
 * (database, campaigns, clock). Import from here in the HTTP layer, the bot, scripts and
 * the chain workers.
 */

export type { Db } from "../db/index.ts";
export { type AchievementKind, recordAchievement } from "./achievements.ts";
export {
  type AttributeInput,
  type AttributeResult,
  type AttributionSource,
  attribute,
  referralOf,
} from "./attribution.ts";
export { type AuditRecord, type AuditSubject, writeAudit } from "./audit.ts";
export { type AuditFilter, type AuditRow, listAudit } from "./auditQuery.ts";
export {
  type Broadcast,
  type BroadcastRecipient,
  type BroadcastTexts,
  cancelBroadcast,
  claimRunningBroadcast,
  countRecipients,
  createDraft,
  finishBroadcast,
  loadBroadcast,
  nextRecipients,
  recordBroadcastBatch,
  releaseBroadcast,
  startBroadcast,
} from "./broadcasts.ts";
export {
  type CampaignDefinition,
  type CompiledCampaign,
  campaignDefinitionSchema,
  compileCampaign,
  isCampaignActive,
  parseCampaignDefinition,
  readCampaignFiles,
} from "./campaign.ts";
export {
  type CampaignPause,
  campaignPause,
  isCampaignPaused,
  pauseCampaign,
  resumeCampaign,
} from "./campaignPause.ts";
export {
  CAMPAIGN_STATES,
  CAMPAIGN_TRANSITIONS,
  type CampaignState,
  campaignLifecycle,
  transitionCampaign,
} from "./campaignTransitions.ts";
export {
  CHALLENGE_STATES,
  type ChallengeState,
  type ChallengeSummary,
  challengeSummaries,
  completePartnerChallenges,
  detectChallenges,
  type MemberChallenge,
  memberChallenges,
} from "./challengeProgress.ts";
export { type ChallengeResult, completeChallenge } from "./challenges.ts";
export {
  completeChatStays,
  inviteLinkOf,
  isInChat,
  recordChatMember,
  saveInviteLink,
  watchedChats,
} from "./chatMembership.ts";
export { type CheckinResult, checkIn, currentStreak } from "./checkins.ts";
export {
  type ClaimableLeaf,
  type ClaimedReader,
  claimableLeaves,
  type RewardPosition,
  rewardPosition,
} from "./claims.ts";
export { type ClickOutcome, isBotUserAgent, recordClick } from "./clicks.ts";
export {
  botLink,
  type DeepLinks,
  deepLinks,
  generateCode,
  type LinkSettings,
  normalizeCode,
  parseStartPayload,
  startPayload,
} from "./codes.ts";
export type { Actor, DomainContext, DomainEvents } from "./context.ts";
export {
  DELIVERY_STATES,
  type Delivery,
  type DeliveryState,
  type DeliveryTotals,
  memberDeliveries,
  rewardSources,
} from "./delivery.ts";
export { type CampaignDeployment, loadDeployment } from "./deployment.ts";
export { type LevelEarning, type MemberEarnings, memberEarnings } from "./earnings.ts";
export { DOMAIN_ERROR_CODES, DomainError, type DomainErrorCode, isDomainError } from "./errors.ts";
export {
  claimRedelivered,
  INBOX_LEASE_SECONDS,
  type InboxEntry,
  type InboxMark,
  inboxEntry,
  ownersWithUnhandledUpdates,
  pruneUpdates,
  reclaimUpdates,
  recordUpdates,
  renewLeases,
  takeOverUpdates,
  writeInboxMarks,
} from "./inbox.ts";
export {
  BOT_LANGUAGES,
  type BotLanguage,
  languageOverride,
  languageOverrides,
  setLanguage,
} from "./language.ts";
export {
  activityToken,
  type Board,
  type BoardEntry,
  type BoardName,
  LEADERBOARD_BOARDS,
  LEADERBOARD_PERIODS,
  type LeaderboardBoard,
  type LeaderboardPeriod,
  pseudonymKey,
  readBoard,
  type Standing,
  setShowName,
  showsName,
} from "./leaderboards.ts";
export { expireGrants, idempotencyKeys, lockBudgets, reverseGrant, writeGrant } from "./ledger.ts";
export {
  CAMPAIGN_COMMANDS,
  type CampaignCommand,
  type CampaignLifecycleView,
  campaignLifecycleView,
  runCampaignCommand,
} from "./lifecycleCommands.ts";
export { type MaintenanceReport, runMaintenance } from "./maintenance.ts";
export {
  banMember,
  ensureMember,
  findMember,
  getMember,
  getMemberByTelegramId,
  type MemberView,
  memberCodes,
  requireMember,
  resolveCode,
  setVanityCode,
  type TelegramUserInput,
  unbanMember,
} from "./members.ts";
export {
  type DailyDigestPlan,
  deferNotification,
  finishFolded,
  type JoinDigestPlan,
  planDailyDigest,
  planJoinDigest,
} from "./notificationDigest.ts";
export {
  type ClaimedNotification,
  claimDueNotifications,
  finishNotification,
  type NotificationRecipient,
  notificationRecipients,
  queueExpiryNotices,
  retryNotification,
  returnNotifications,
} from "./notificationQueue.ts";
export {
  clockText,
  DEFAULT_NOTIFICATION_SETTINGS,
  DIGEST_MODES,
  type DigestMode,
  localDay,
  localMinutes,
  MUTABLE_KINDS,
  type MutableKind,
  type NotificationSettings,
  nextLocalMidnight,
  notificationSettings,
  parseClock,
  parseTimeZone,
  quietUntil,
  toggleNotificationKind,
  updateNotificationSettings,
} from "./notificationSettings.ts";
export type { NotificationData, NotificationKind } from "./notifications.ts";
export { handlePartnerEvent, type PartnerEventInput, type PartnerEventResult } from "./partner.ts";
export { inPilotPercent, promotePilot } from "./pilots.ts";
export { type PromptKind, purgePrompts, savePrompt, takePrompt } from "./prompts.ts";
export {
  processHolds,
  type QualifyingAction,
  type QualifyOutcome,
  qualify,
  qualifyInTx,
} from "./qualification.ts";
export {
  FRIEND_STATES,
  type FriendItem,
  type FriendState,
  friendStates,
  type RemindResult,
  remindFriend,
} from "./referralStates.ts";
export { type Campaign, CampaignRegistry, syncCampaigns, syncDefinitions } from "./registry.ts";
export {
  approveReview,
  listReviews,
  openReviewCount,
  type ReviewListItem,
  rejectReview,
  reviewCampaignId,
  reviewQueue,
} from "./review.ts";
export {
  ADMIN_ACTIONS,
  type AdminAction,
  type AdminPrincipal,
  authorize,
  CAMPAIGN_ROLES,
  type CampaignRole,
  campaignsWhere,
  can,
  grantRole,
  isAnyAdmin,
  isCampaignRole,
  listRoleHolders,
  memberAdmin,
  memberRoles,
  memberTakesPart,
  ROLE_ACTIONS,
  type RoleChange,
  type RoleHolder,
  revokeRole,
  roleHolderTelegramIds,
  systemAdmin,
} from "./roles.ts";
export { assignVariant, levelBases, planReferralGrants, tierFor } from "./rules.ts";
export {
  CHANGE_SUBJECTS,
  type ChangeSubject,
  describeChange,
  diffRules,
  memberChanges,
  type RulesChange,
  type RulesValue,
  valueText,
} from "./rulesDiff.ts";
export {
  listReferrals,
  listRewards,
  type MemberStats,
  memberCampaignIds,
  memberCampaigns,
  memberStats,
} from "./stats.ts";
export {
  type AnswerResult,
  answerSurvey,
  answersOf,
  claimPollsToStop,
  closeSurvey,
  createSurvey,
  deliveryByMessage,
  deliveryByPoll,
  fitsNativePoll,
  getSurvey,
  listSurveys,
  markPollStopped,
  type PollToStop,
  recordDelivery,
  SURVEY_KINDS,
  SURVEY_SEGMENTS,
  type SurveyQuestion,
  type SurveyResults,
  type SurveyView,
  startSurveyDelivery,
  surveyResults,
} from "./surveys.ts";
export { ancestorsOf, MAX_LEVELS } from "./tree.ts";
export {
  documentHash,
  listVersions,
  prepareVersion,
  recordVersionAction,
  refreshCampaignVersions,
  rulesDocumentByHash,
  rulesDocumentPath,
  type VersionAction,
  type VersionState,
  type VersionView,
  versionChanges,
  versionFor,
  versionState,
} from "./versions.ts";
export {
  createSignatureVerifier,
  type IssuedNonce,
  issueNonce,
  type LinkResult,
  linkWallet,
  type SignatureVerifier,
  type SiweSettings,
} from "./wallets.ts";
