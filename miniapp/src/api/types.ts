/**
 * Generated from the service's /openapi.json by openapi-typescript: do not edit.
 * Regenerate with `npm run api:types` (test/miniapp/apiTypes.test.ts fails when it is stale).
 * Named shapes for the dashboard's code are in ./models.ts.
 */

export interface paths {
  "/api/admin/audit": {
    /**
     * The audit log: who did what, where, before and after; newest first
     * @description Needs `audit.read` (owners) in the campaign asked for; without `campaign`, the rows of every campaign the caller may read (super-admins: all rows, including those of no campaign such as bans). `from` is inclusive, `to` exclusive. Read-only: the application has no way to change or delete a row (the database refuses it). The read is itself audited.
     */
    get: operations["listAudit"];
  };
  "/api/admin/broadcasts": {
    /** The broadcasts of the campaigns where the caller may send them, newest first */
    get: operations["listBroadcasts"];
    /**
     * Send a broadcast to a segment now, or schedule it
     * @description Texts are Telegram HTML (checked here), English the fallback for members of other languages, at most 4000 characters each. `scheduledAt` at most 30 days ahead; the broadcast is stored and the bot sends it once due (after restarts too). Needs `broadcast.send`; audited with the audience and the texts.
     */
    post: operations["composeBroadcast"];
  };
  "/api/admin/broadcasts/{id}": {
    /** One broadcast's progress and delivery results */
    get: operations["getBroadcast"];
  };
  "/api/admin/broadcasts/{id}/stop": {
    /**
     * Stop a scheduled or running broadcast (those sent stay sent)
     * @description Audited (`broadcast.cancelled`). A broadcast already over is returned as it is (nothing is written).
     */
    post: operations["stopBroadcast"];
  };
  "/api/admin/broadcasts/audience": {
    /**
     * How many members a broadcast to this segment would reach now, and the tiers to pick
     * @description Needs `broadcast.send` in the campaign (owners, managers); without a campaign (every member) super-admins only.
     */
    get: operations["broadcastAudience"];
  };
  "/api/admin/campaigns": {
    /** The campaigns the caller administers, with their roles and what they may do there */
    get: operations["listAdminCampaigns"];
  };
  "/api/admin/campaigns/{campaign}/roles": {
    /** Who holds which role in a campaign (owners and super-admins) */
    get: operations["listRoles"];
  };
  "/api/admin/campaigns/{campaign}/roles/{memberId}/{role}": {
    /**
     * Give a member a role in a campaign (owners and super-admins); audited
     * @description Idempotent: granting a role the member holds changes and audits nothing. The member must exist (have opened the bot or the dashboard once).
     */
    put: operations["grantRole"];
    /**
     * Take a role back (owners and super-admins); audited
     * @description Idempotent: revoking a role the member does not hold changes nothing.
     */
    delete: operations["revokeRole"];
  };
  "/api/admin/campaigns/{slug}/analytics/{table}.csv": {
    /**
     * One analytics table of the campaign as CSV, streamed
     * @description Needs `analytics.read` in the campaign. Tables: daily, tokens, codes, variants, cohorts, members, time_to_qualify. Day-based tables honour `from`/`to`.
     */
    get: operations["analyticsCsv"];
  };
  "/api/admin/campaigns/{slug}/analytics/experiments": {
    /**
     * A/B variants: conversion per arm and the difference to control with its statistics
     * @description Needs `analytics.read` in the campaign. Two-proportion z-test (pooled, two-sided) with a Wald interval of the difference; Bonferroni over the treatment arms; Beta(1+qualified, 1+not qualified) posteriors for the probability to beat control; sample per arm by Fleiss' formula for the minimum detectable effect. A winner is named only when significant.
     */
    get: operations["analyticsExperiments"];
  };
  "/api/admin/campaigns/{slug}/analytics/experiments/promote": {
    /**
     * Promote the experiment's winner: a new rules version with its rewards for everyone
     * @description Needs `campaign.edit` in the campaign (managers, owners; not analysts). Only the arm the statistics name as winner (recomputed now) is accepted, else 409 `experiment_no_winner`. Creates the next rules version (pending) with the winner's level amounts and no variants; `npm run campaign:version` publishes it on-chain, where it takes effect. Audited (`experiment.promoted`, with the numbers). Promoting the same winner again returns the same version.
     */
    post: operations["promoteExperimentWinner"];
  };
  "/api/admin/campaigns/{slug}/analytics/funnel": {
    /**
     * The funnel (clicks → starts → attributed → qualified → paid) per referral code
     * @description Needs `analytics.read` in the campaign. Best codes first; the whole table: `codes.csv`.
     */
    get: operations["analyticsFunnel"];
  };
  "/api/admin/campaigns/{slug}/analytics/operations": {
    /**
     * What waits now: open reviews, the payout pipeline, the chain jobs' health and the last reconciliation
     * @description Needs `analytics.read` in the campaign. The reconciliation is the campaign's part of the last `npm run reconcile` (or `POST /api/operator/reconcile`), with the last run that found a difference.
     */
    get: operations["analyticsOperations"];
  };
  "/api/admin/campaigns/{slug}/analytics/overview": {
    /**
     * A campaign's KPIs and daily series over a range of days (from the rollups)
     * @description Needs `analytics.read` in the campaign. Funnel, conversion, K-factor, time to qualify, retention cohorts, engagement score, review share, tokens and budget runway, gas, top referrers. Definitions: docs/ANALYTICS.md.
     */
    get: operations["analyticsOverview"];
  };
  "/api/admin/campaigns/{slug}/api-keys": {
    /** The campaign's host API keys, revoked ones too (owners); audited */
    get: operations["listApiKeys"];
    /**
     * Create a host API key for the campaign (owners); the key is shown only here
     * @description Needs `apikey.manage` (owners, super-admins); audited (`api_key.created`, without the key). Only the key's SHA-256 is stored. `partner` (default: the campaign's `qualification.partner`, else `host`) is who the key's reported actions count as.
     */
    post: operations["createApiKey"];
  };
  "/api/admin/campaigns/{slug}/api-keys/{id}": {
    /**
     * Revoke a host API key of the campaign (owners); audited
     * @description The key stops working at once (in other API processes within `DATABASE_READ_CACHE_MS`). Revoking a revoked key changes nothing (`changed: false`).
     */
    delete: operations["revokeApiKey"];
  };
  "/api/admin/campaigns/{slug}/archive": {
    /**
     * Archive an ended campaign; owners
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["archiveCampaign"];
  };
  "/api/admin/campaigns/{slug}/challenges": {
    /**
     * A campaign's challenges with how often each was completed
     * @description Needs `campaign.view`. Counts only, no member named: a member's completions are in their record; `POST /api/admin/members/{id}/challenges/{challengeId}` grants one, `…/revoke` takes it back.
     */
    get: operations["adminListChallenges"];
  };
  "/api/admin/campaigns/{slug}/end": {
    /**
     * End the campaign: no new referrals; pending ones get the file's grace, then the final epoch; owners
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["endCampaign"];
  };
  "/api/admin/campaigns/{slug}/exclusions/{id}": {
    /** Exclude a member from the campaign: nothing attributed to or paid for them there */
    post: operations["excludeMember"];
    /** Lift a member's exclusion from the campaign */
    delete: operations["includeMember"];
  };
  "/api/admin/campaigns/{slug}/lifecycle": {
    /** A campaign's lifecycle (anyone who may see the campaign) */
    get: operations["getAdminCampaignLifecycle"];
  };
  "/api/admin/campaigns/{slug}/partner/keys": {
    /**
     * The campaign's partner and the API keys issued to it, revoked ones too (never the keys)
     * @description Needs `partner.manage` (owners); `partner` is null when the campaign file names none (no key can be issued then). Audited (`partner.key_listed`).
     */
    get: operations["listPartnerKeys"];
    /**
     * Issue an API key for the campaign's partner (shown once)
     * @description Needs `partner.manage` (owners); the campaign file must name a `partner`. Audited.
     */
    post: operations["issuePartnerKey"];
  };
  "/api/admin/campaigns/{slug}/partner/keys/{id}": {
    /** Revoke a partner API key */
    delete: operations["revokePartnerKey"];
  };
  "/api/admin/campaigns/{slug}/pause": {
    /**
     * Pause an active campaign: no new referrals, qualifying ones wait in review; managers
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["pauseCampaign"];
  };
  "/api/admin/campaigns/{slug}/perks": {
    /** A campaign's perks with their state on-chain */
    get: operations["adminListPerks"];
    /** Create a perk (a new rules version), or plan it with `dryRun` */
    post: operations["adminCreatePerk"];
  };
  "/api/admin/campaigns/{slug}/perks/{perk}": {
    /** Change a perk's price, stock, end of sale or requirement (a new rules version) */
    patch: operations["adminChangePerk"];
  };
  "/api/admin/campaigns/{slug}/perks/{perk}/retire": {
    /** Stop selling a perk: its stock becomes what was sold (a new rules version) */
    post: operations["adminRetirePerk"];
  };
  "/api/admin/campaigns/{slug}/promote": {
    /**
     * Open a pilot campaign to everyone, without a redeploy; owners
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["promoteCampaign"];
  };
  "/api/admin/campaigns/{slug}/resume": {
    /**
     * Resume a paused campaign; managers
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["resumeCampaign"];
  };
  "/api/admin/campaigns/{slug}/validate": {
    /**
     * Mark a draft campaign validated (its file checked again); owners
     * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
     */
    post: operations["validateCampaign"];
  };
  "/api/admin/campaigns/{slug}/webhooks": {
    /** The campaign's webhook endpoints (never their secrets) */
    get: operations["listWebhooks"];
    /**
     * Subscribe an endpoint to events of the campaign (the signing secret is shown once)
     * @description Needs `webhook.manage` (owners). Events: member.joined, referral.qualified, reward.paid, perk.redeemed, badge.minted. The receiver must be a public address (loopback, private, link-local and other internal addresses are refused). Audited.
     */
    post: operations["createWebhook"];
  };
  "/api/admin/campaigns/{slug}/webhooks/{id}": {
    /** Disable an endpoint: nothing more is queued for it; its pending deliveries fail */
    delete: operations["disableWebhook"];
  };
  "/api/admin/campaigns/{slug}/webhooks/deliveries": {
    /** The delivery log: each delivery with its attempts (status, response code, latency) */
    get: operations["webhookDeliveries"];
  };
  "/api/admin/campaigns/{slug}/webhooks/deliveries/{id}/replay": {
    /** Send a delivery again (same event id and body; a new round of retries) */
    post: operations["replayWebhookDelivery"];
  };
  "/api/admin/console/badges": {
    /** Counts for the console's badges: open review items the caller may decide */
    get: operations["consoleBadges"];
  };
  "/api/admin/console/campaigns": {
    /**
     * The campaigns the caller may see, with name, state, dates, roles and allowed actions
     * @description State from the dates and the pause switch (`scheduled`, `active`, `paused`, `ended`); the lifecycle states replace it once they exist.
     */
    get: operations["consoleCampaigns"];
  };
  "/api/admin/console/campaigns/{slug}/rules": {
    /** A campaign's rules in effect, to edit as its next version */
    get: operations["consoleCampaignRules"];
  };
  "/api/admin/console/campaigns/{slug}/versions": {
    /**
     * A campaign's rules versions, newest first, each with every change from the one before
     * @description Every line, members' and operator-only (fraud, variants, pilot, limits), as data (subject, what it is about, old and new value) that the console words in the admin's language, with an English `text` for scripts.
     */
    get: operations["consoleCampaignVersions"];
    /**
     * Apply new rules as the campaign's next version: recorded, its on-chain actions sent, published with updateRules
     * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}` (its report: version, rulesTx, rulesUrl, effective). What `npm run campaign:version` does. Refused with nothing written: invalid rules (422 rules_invalid), what only a redeploy could change (422), another version half applied (409 rules_version_pending), no campaign admin key here (403). Audited (`campaign.rules_version`). Managers and owners.
     */
    post: operations["applyCampaignVersion"];
  };
  "/api/admin/console/campaigns/{slug}/versions/dry-run": {
    /**
     * Dry-run new rules: every change, what only a redeploy could change, the on-chain actions with gas and cost
     * @description Writes nothing but its audit row (`campaign.rules_version_dry_run`). Invalid rules: 422 rules_invalid with `errors` at their fields. Managers and owners.
     */
    post: operations["dryRunCampaignVersion"];
  };
  "/api/admin/console/drafts": {
    /** Campaign drafts, newest first, each with its validation */
    get: operations["listCampaignDrafts"];
  };
  "/api/admin/console/drafts/{slug}": {
    /** One draft with its problems and its newest dry run and deploy */
    get: operations["getCampaignDraft"];
    /**
     * Create a draft from a template, or save its campaign file (valid or not)
     * @description Without `document`: a new draft from `template` (`standing`, `launch`, or a campaign's slug). With it: the file as the admin wrote it; the answer lists every problem at its field. Managers and owners; audited (`campaign_draft.created` / `.updated`). A deployed draft or a taken slug: 409 campaign_exists.
     */
    put: operations["saveCampaignDraft"];
  };
  "/api/admin/console/drafts/{slug}/deploy": {
    /**
     * Deploy a valid draft (owners): the deploy command as a job, ending with the campaign registered and active
     * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}`. An invalid draft is 422 rules_invalid with `errors` at their fields; one job per draft at a time (409 job_running). Audited.
     */
    post: operations["deployCampaignDraft"];
  };
  "/api/admin/console/drafts/{slug}/dry-run": {
    /**
     * Dry-run a valid draft (managers, owners): role plan, gas per Ignition step, cost at the target's fee and in USD
     * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}`. An invalid draft is 422 rules_invalid with `errors` at their fields; one job per draft at a time (409 job_running). Audited.
     */
    post: operations["dryRunCampaignDraft"];
  };
  "/api/admin/console/jobs/{id}": {
    /** A dry run's or deploy's progress and result */
    get: operations["getConsoleJob"];
  };
  "/api/admin/console/templates": {
    /** What a new campaign draft can start from: built-in shapes and the campaigns one may see */
    get: operations["consoleCampaignTemplates"];
  };
  "/api/admin/coupons/import": {
    /**
     * Add a CSV of coupon codes to a perk's pool
     * @description Each line: `code` or `code,expiresAt` (ISO date-time); an optional header line. Redemptions of the perk take the oldest free code; without one a code is generated. A bad line refuses the whole file. Needs `campaign.edit`; audited.
     */
    post: operations["importCoupons"];
  };
  "/api/admin/members": {
    /**
     * Look a member up by member number, Telegram id, username or referral code
     * @description Within a campaign (`member.read` there): its stats and referral. A campaign's admins find only the members taking part in it (referred, referring or rewarded there); super-admins find anyone.
     */
    get: operations["findMember"];
  };
  "/api/admin/members/{id}/ban": {
    /**
     * Ban a member: codes stop attributing, unsent grants to them are rejected
     * @description A ban holds in every campaign: super-admins only.
     */
    post: operations["banMember"];
  };
  "/api/admin/members/{id}/challenges/{challengeId}": {
    /**
     * Mark a challenge completed for a member (grants its reward once; may qualify their referral)
     * @description Needs `member.reward` (owners, managers) in the campaign.
     */
    post: operations["completeChallenge"];
  };
  "/api/admin/members/{id}/challenges/{challengeId}/revoke": {
    /**
     * Take a member's completed challenge back (its reward cancelled, or owed back)
     * @description Needs `member.reward` (owners, managers) in the campaign; audited with before and after. A reward not sent yet is cancelled (back to the budget); one already sent or on-chain is recorded as a clawback debt (`outcome: clawback`), closed if the member completes the challenge again. The member is told.
     */
    post: operations["revokeChallenge"];
  };
  "/api/admin/members/{id}/code": {
    /**
     * Assign a vanity referral code (old codes keep working)
     * @description A member's code works in every campaign: super-admins only.
     */
    put: operations["setVanityCode"];
  };
  "/api/admin/members/{id}/record": {
    /**
     * One member's whole record: attributions, ledger with state history, payouts, claims, notifications
     * @description Needs `member.read` in a campaign the member takes part in; a campaign's admins see only their campaigns' referrals and entries. Audited (`member.record_read`).
     */
    get: operations["memberRecord"];
  };
  "/api/admin/members/{id}/unban": {
    /**
     * Lift a ban
     * @description Super-admins only, like the ban.
     */
    post: operations["unbanMember"];
  };
  "/api/admin/members/search": {
    /**
     * Find members by Telegram id, member number, @username, wallet, referral code, payout id or transaction hash
     * @description Needs `member.read`; a campaign's admins find only the members taking part in their campaigns. At most 20, newest first. Audited (`member.searched`, without the term).
     */
    get: operations["searchMembers"];
  };
  "/api/admin/reviews": {
    /**
     * Review queue (flagged referrals), newest first
     * @description One campaign's queue (`review.read` there), or without `campaign` every campaign's the caller may review.
     */
    get: operations["listReviews"];
  };
  "/api/admin/reviews/{id}/approve": {
    /** Approve a flagged referral: it is paid (caps and budget still apply) */
    post: operations["approveReview"];
  };
  "/api/admin/reviews/{id}/evidence": {
    /**
     * A review item's evidence: signals that fired, the referral chain, shared IP/device/wallet, timing
     * @description Needs `review.read` in the item's campaign. Audited (`review.evidence_read`).
     */
    get: operations["reviewEvidence"];
  };
  "/api/admin/reviews/{id}/reject": {
    /** Reject a flagged referral with a reason; it will never pay */
    post: operations["rejectReview"];
  };
  "/api/admin/screening/held": {
    /** Payouts and escrow releases held because their address is on a screening list */
    get: operations["listHeld"];
  };
  "/api/admin/screening/held/reject": {
    /** Reject held payouts: never paid, their amounts back to the campaign's budget */
    post: operations["rejectHeld"];
  };
  "/api/admin/screening/held/release": {
    /** Let held payouts (by entry id) and held escrow releases (by member) go again; refused while an address is still listed */
    post: operations["releaseHeld"];
  };
  "/api/admin/screening/lists": {
    /** Import (or replace) a screening list: its source, its date and its file's text (one address per line, or CSV) */
    post: operations["importScreeningList"];
  };
  "/api/admin/surveys": {
    /**
     * A campaign's surveys and votes
     * @description Needs `survey.read` (owners, managers, analysts).
     */
    get: operations["listSurveys"];
    /**
     * Create a survey (questions with choices or free text) or a vote on the next reward
     * @description Needs `survey.manage` (owners, managers) in the campaign; audited. A vote is one choice question whose options may carry a budget. The bot delivers it to its segment with `/survey send <id>`: native polls where they fit (2–10 options), buttons otherwise, a reply prompt for free text. `reward` is paid once per member who answers every question.
     */
    post: operations["createSurvey"];
  };
  "/api/admin/surveys/{id}/close": {
    /**
     * Close a survey: no more answers or changed votes
     * @description Needs `survey.manage`; audited.
     */
    post: operations["closeSurvey"];
  };
  "/api/admin/surveys/{id}/results": {
    /**
     * Results per option and per segment (and free-text answers)
     * @description Needs `survey.read`; the read is audited. Segments: `all`, `referred` (attributed in the campaign), `inviters` (with a qualified referral), `wallet` (with a linked wallet).
     */
    get: operations["getSurveyResults"];
  };
  "/api/campaigns": {
    /** Campaigns served here */
    get: operations["listCampaigns"];
  };
  "/api/campaigns/{slug}": {
    /** A campaign's public rules: tokens, qualification, levels, tiers, caps, expiry, challenges, perks, badges */
    get: operations["getCampaignRules"];
  };
  "/api/campaigns/{slug}/leaderboard": {
    /**
     * A campaign's leaderboard (top N) and the caller's own rank
     * @description Boards: `referrals` (qualified referrals) and `activity` (activity points: the campaign's activity token granted for challenges and other activities). Periods: `week` (the current ISO week in UTC, from Monday 00:00) and `all`. Equal scores share a rank; within a tie, whoever reached the score first is listed first. Banned members and members with a referral in review are left out. Names are shown only for members who opted in (`PATCH /api/me/settings`); everyone else appears under a stable pseudonym.
     */
    get: operations["getLeaderboard"];
  };
  "/api/campaigns/{slug}/lifecycle": {
    /** A campaign's state and, once it ended, its grace end and clawback date */
    get: operations["getCampaignLifecycle"];
  };
  "/api/campaigns/{slug}/versions": {
    /**
     * A campaign's rules versions that took effect, newest first, with what each changed
     * @description Each version's rules document is served at `documentUrl`; its SHA-256 is `hash`, which the campaign's ReferralPayouts contract logged (`RulesPublished`) in `txHash` at `blockNumber`, when it took effect. Version 1 is what the campaign started with. `changes` are the members' lines (amounts, tiers, challenges, perks, dates, limits per member, budgets).
     */
    get: operations["listCampaignVersions"];
  };
  "/api/chain/health": {
    /** State of the payout worker, indexer and epoch publisher instances */
    get: operations["getChainHealth"];
  };
  "/api/host/campaigns/{slug}/actions": {
    /**
     * Report a qualifying action of a member (e.g. a purchase in the host's bot)
     * @description Counts as a `partner_event` of the key's partner with `type` as its event type, in the key's campaign only: a pending referral of the member there qualifies when the campaign's rule asks for it (fraud checks and rewards as for every qualification), and the campaign's challenges that detect it complete. Idempotent by `eventId` per campaign: a replay returns the original result with `replayed: true`; the same id with another `type` or member is `host_event_conflict`.
     */
    post: operations["hostReportAction"];
  };
  "/api/host/campaigns/{slug}/members": {
    /**
     * A member's status in the key's campaign, creating the member on first sight
     * @description For the host's `/invite` and `/stats`: the member's code and start payload (and, with `bot`, the link to share), clicks and starts, referrals per level, tier, rewards, and what the campaign still needs from them.
     */
    post: operations["hostEnsureMember"];
  };
  "/api/host/campaigns/{slug}/members/{telegramUserId}": {
    /** The status of a member Refmint knows, by Telegram user id (writes nothing) */
    get: operations["hostMemberStatus"];
  };
  "/api/host/campaigns/{slug}/starts": {
    /**
     * A host bot's `/start <payload>`: attribute the Telegram user in the key's campaign
     * @description Creates the member on first sight and attributes them through the same path as Refmint's own bot (first valid start wins, never re-attributed, no self-referral or loops). A refusal is an answer (`outcome: refused` with the reason), not an error. The same start again (a redelivered update) answers `attributed` with `replayed: true` and writes nothing. A payload that cannot be a code (`invalid_code`) or names another campaign (`forbidden`) writes nothing.
     */
    post: operations["hostStart"];
  };
  "/api/me": {
    /** Profile, referral code and links, stats, tier progress and reward totals */
    get: operations["getProfile"];
    /**
     * Delete this member's personal data (on-chain facts stay: a public chain)
     * @description Erases or pseudonymises names, username, language, the Telegram id, clicks, IP and device hashes, wallet link history, declarations, settings, sessions, chat memberships, check-ins, survey answers, roles. Referrals, ledger entries, payouts and reported actions stay under the member number; payouts already on-chain are public and cannot be erased. The member is never messaged again.
     */
    delete: operations["deleteMyData"];
  };
  "/api/me/attribution": {
    /**
     * Record who referred this member (Mini App start_param)
     * @description Uses the `start_param` of the validated init data unless `code` is given. The first valid attribution of a new member wins and is never changed.
     */
    post: operations["attributeFromStartParam"];
  };
  "/api/me/badges": {
    /** The member's badges in a campaign */
    get: operations["getMyBadges"];
  };
  "/api/me/challenges": {
    /**
     * The campaign's challenges with the member's progress, state and reward
     * @description Completion is detected by the system (a chat joined and stayed in, friends qualified, a wallet linked, check-ins, a survey answered, a partner event); reading this catches up anything not yet detected. Days are UTC days.
     */
    get: operations["listChallenges"];
  };
  "/api/me/checkin": {
    /** The daily check-in (once per UTC day; a missed day resets the streak) */
    post: operations["checkIn"];
  };
  "/api/me/export": {
    /** Everything the service keeps about this member, as a JSON document */
    get: operations["exportMyData"];
  };
  "/api/me/friends": {
    /** The member's friends (direct referrals) with what happens next for each: waiting_wallet, waiting, review, rejected (with the reason), qualified, paid */
    get: operations["listFriends"];
  };
  "/api/me/friends/{id}/remind": {
    /** Remind a friend who has not finished (a bot message to the friend), at most once per friend per UTC day */
    post: operations["remindFriend"];
  };
  "/api/me/invitation": {
    /** Who invited the member, what both get and the next step towards it counting */
    get: operations["getInvitation"];
  };
  "/api/me/network": {
    /** The member's referrals at one level, with their status and the member's reward */
    get: operations["listNetwork"];
  };
  "/api/me/participation": {
    /** What the campaign's participation rules ask of this member, and their verdict */
    get: operations["getParticipation"];
    /** Declare the member's country (once) and/or confirm the campaign's minimum age */
    post: operations["declareParticipation"];
  };
  "/api/me/perks/{perkId}/redeem": {
    /**
     * Redeem a perk through the relayer with an order the member signed (no gas)
     * @description The body is the member's EIP-712 `Order` for the campaign's PerkShop (`member` is the linked wallet) with its signature, and optionally an ERC-2612 permit that funds it. The order is checked (expiry, price within `maxCost`, nonce, signature, unused reference, a simulation of the call) before anything is written; the relayer then sends `redeemWithPermit`. 202: accepted; see `GET /api/me/redemptions`.
     */
    post: operations["redeemPerk"];
  };
  "/api/me/redemptions": {
    /** The member's relayed perk orders and what became of them */
    get: operations["getRedemptions"];
  };
  "/api/me/referrals": {
    /** The member's direct (level 1) referrals, newest first */
    get: operations["listReferrals"];
  };
  "/api/me/rewards": {
    /** The member's rewards (ledger entries) with their payout state and transaction hash */
    get: operations["listRewards"];
  };
  "/api/me/rewards/summary": {
    /**
     * The member's settled rewards per token by where they are
     * @description Paid to the wallet, reserved for the member on-chain (escrow), being released to the linked wallet, released, claimable (since, until) or claimed. What is not settled yet is in the profile's `byState`.
     */
    get: operations["getRewardSummary"];
  };
  "/api/me/settings": {
    /** Change the member's settings (whether leaderboards show their name) */
    patch: operations["updateSettings"];
  };
  "/api/me/shop": {
    /** The campaign's perks with the member's balance and what stops each one */
    get: operations["getShop"];
  };
  "/api/me/terms": {
    /** The campaign's terms and whether this member accepted their current version */
    get: operations["getTerms"];
    /**
     * Accept the campaign's terms in the version shown
     * @description Until the member accepts the current version, their qualifying referral is held and nothing is paid to them. Accepting qualifies a referral whose action was already done.
     */
    post: operations["acceptTerms"];
  };
  "/api/me/wallet": {
    /** Link (or re-link) a wallet with a signed EIP-4361 message */
    post: operations["linkWallet"];
  };
  "/api/me/wallet/nonce": {
    /** A single-use SIWE nonce bound to this member, with the fields the message must carry */
    get: operations["getSiweNonce"];
  };
  "/api/operator/campaigns/{slug}/versions": {
    /** Every rules version of a campaign, pending ones too, with all changes (npm run campaign:version) */
    get: operations["operatorCampaignVersions"];
    /** Create (or resume) the rules version `npm run campaign:version` applies */
    post: operations["operatorPrepareCampaignVersion"];
  };
  "/api/operator/campaigns/{slug}/versions/{version}/actions": {
    /** Record an on-chain action of a rules version as sent or done */
    post: operations["operatorRecordVersionAction"];
  };
  "/api/operator/epochs": {
    /**
     * Build a Merkle epoch now (npm run epoch:publish)
     * @description For every distributor (or the one named) with something new to claim, builds the cumulative tree and queues its root; the service's payout worker publishes it and the indexer marks it published. Poll `GET /api/operator/epochs/{id}`.
     */
    post: operations["operatorBuildEpochs"];
  };
  "/api/operator/epochs/{id}": {
    /** Where an epoch built by the service is */
    get: operations["operatorEpochStatus"];
  };
  "/api/operator/payouts/retry": {
    /**
     * Requeue failed payouts (npm run payouts:retry)
     * @description Same payout ids, so nothing can be paid twice.
     */
    post: operations["operatorRetryPayouts"];
  };
  "/api/operator/reconcile": {
    /** Compare the ledger with the chain (npm run reconcile) */
    post: operations["operatorReconcile"];
  };
  "/api/partner/analytics/overview": {
    /** The partner campaign's analytics overview (the admin Overview, without usernames) */
    get: operations["partnerAnalyticsOverview"];
  };
  "/api/partner/campaign": {
    /** The partner's campaign and its co-branding */
    get: operations["partnerCampaign"];
  };
  "/api/partner/coupons/{code}/use": {
    /**
     * Mark a member's coupon used (partner, signed like the partner webhook)
     * @description Headers `X-Refmint-Partner`, `X-Refmint-Timestamp`, `X-Refmint-Signature: sha256=<hmac of '<timestamp>.<body>'>`. Body `{ requestId }`. The same request id again answers the same (`replayed: true`); any other request for a used coupon is refused with `coupon_used`.
     */
    post: operations["useCoupon"];
  };
  "/api/partner/events": {
    /**
     * Report a qualifying event (e.g. a purchase) for a member
     * @description Signed with the partner's secret; 5-minute timestamp window; idempotent by `eventId` (a replay returns the original result and writes nothing). Body: JSON matching the schema below.
     */
    post: operations["partnerEvent"];
  };
  "/api/partner/webhooks": {
    /** The partner's own endpoints */
    get: operations["partnerListWebhooks"];
    /** Subscribe the partner's endpoint to events of its campaign (secret shown once) */
    post: operations["partnerCreateWebhook"];
  };
  "/api/partner/webhooks/{id}": {
    /** Disable one of the partner's endpoints */
    delete: operations["partnerDisableWebhook"];
  };
  "/api/rewards/balances": {
    /** The member's wallet balances of the campaigns' tokens, as indexed */
    get: operations["getChainBalances"];
  };
  "/api/rewards/coupons": {
    /** Coupons from the member's perk redemptions */
    get: operations["getCoupons"];
  };
  "/api/rewards/proof": {
    /**
     * Merkle proofs for the member's claimable escrowed rewards
     * @description Per token: the member's leaf in the latest epoch of its RewardDistributor that took effect, while the leaf is open and something is left to claim. Send `claim(account, cumulativeAmount, terms, proof)` to `distributor`; anyone may send it, the tokens go to `account`.
     */
    get: operations["getRewardProofs"];
  };
  "/api/web/login": {
    /**
     * Exchange a single-use login link token from the bot for a website session
     * @description The bot sends `<dashboard>/login#token=<token>`; the page posts the token here. On success the session secret is set as an HttpOnly, SameSite=Strict cookie (Secure over https). A token works once, for ten minutes. Must come from the dashboard's origin.
     */
    post: operations["webLogin"];
  };
  "/api/web/logout": {
    /**
     * End this browser's website session
     * @description Revokes the session of the cookie (if any) and clears the cookie.
     */
    post: operations["webLogout"];
  };
  "/badges/{campaign}/{file}": {
    /**
     * A badge's ERC-1155 metadata (`<id>.json`) or its image (`<id>.svg`)
     * @description The URI `Badges.uri(id)` returns. The image is generated from the badge and its campaign.
     */
    get: operations["getBadgeMetadata"];
  };
  "/healthz": {
    /** Liveness: the process is up */
    get: operations["health"];
  };
  "/metrics": {
    /** Prometheus metrics (Bearer METRICS_TOKEN; required in production) */
    get: operations["metrics"];
  };
  "/openapi.json": {
    /** This document */
    get: operations["openapi"];
  };
  "/r/{code}": {
    /**
     * Public referral link: counts the click, then redirects to the bot
     * @description A click counts once per client IP address, code owner and UTC day, whatever the User-Agent; link-preview bots and crawlers are not counted (Telegram's in-app browsers are). Unknown codes are 404: a page for browsers (`Accept: text/html`, Russian or English after `Accept-Language`), problem details for API clients. Codes of banned members redirect to the bot without the code.
     */
    get: operations["redirect"];
  };
  "/readyz": {
    /** Readiness: the database answers */
    get: operations["ready"];
  };
  "/rewards/epochs/{campaign}/{token}/{file}": {
    /**
     * The public reward file of one epoch (`<epoch>.json`)
     * @description Every leaf (wallet, cumulative amount) of the epoch's tree. `StandardMerkleTree.load(file.tree)` rebuilds it; its root must equal `RewardDistributor.rootOf(epoch)`.
     */
    get: operations["getRewardFile"];
  };
  "/rewards/epochs/index.json": {
    /** Every published Merkle epoch, with the URL of its public reward file */
    get: operations["listRewardEpochs"];
  };
  "/rewards/files/{file}": {
    /**
     * One reward file or index (`<sha256>.json`), exactly as hashed
     * @description Canonical JSON (keys sorted, no whitespace): `sha256sum` of the body equals the file name. Never rewritten.
     */
    get: operations["getContentAddressedRewardFile"];
  };
  "/rewards/files/index.json": {
    /**
     * The latest signed index of the content-addressed reward files
     * @description Lists every current reward file (campaign, payouts, epoch) by kind, campaign and SHA-256, with its sequence number and the hash of the index before it, signed (EIP-712) by the root publisher key. Check it with `npx refmint-verify`.
     */
    get: operations["getRewardFileIndex"];
  };
  "/rules/{slug}/{file}": {
    /**
     * A campaign's rules document (`<sha256>.json`), exactly as hashed
     * @description The campaign file of one rules version as canonical JSON (keys sorted, no whitespace). `sha256sum` of the body equals the file name and the hash its `RulesPublished` log carries.
     */
    get: operations["getRulesDocument"];
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    Problem: {
      code: string;
      detail?: string;
      errors?: {
          message: string;
          path: string;
        }[];
      instance?: string;
      requestId?: string;
      status: number;
      title: string;
      type: string;
      [key: string]: unknown;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export interface operations {

  /**
   * The audit log: who did what, where, before and after; newest first
   * @description Needs `audit.read` (owners) in the campaign asked for; without `campaign`, the rows of every campaign the caller may read (super-admins: all rows, including those of no campaign such as bans). `from` is inclusive, `to` exclusive. Read-only: the application has no way to change or delete a row (the database refuses it). The read is itself audited.
   */
  listAudit: {
    parameters: {
      query?: {
        campaign?: string;
        actor?: string;
        action?: string;
        subjectType?: string;
        subjectId?: string;
        /** @description ISO 8601 date-time, inclusive */
        from?: string;
        /** @description ISO 8601 date-time, exclusive */
        to?: string;
        /** @description Page size (1–200, default 50) */
        limit?: string;
        before?: string;
      };
    };
    responses: {
      /** @description A page of audit rows */
      200: {
        content: {
          "application/json": {
            items: ({
                action: string;
                /** @description `member:<number>`, `api-token`, `system` or `partner:<name>` */
                actor: string;
                after: {
                  [key: string]: unknown;
                } | null;
                /** Format: date-time */
                at: string;
                before: {
                  [key: string]: unknown;
                } | null;
                /** @description Campaign slug; null for what spans campaigns */
                campaign: string | null;
                details: {
                  [key: string]: unknown;
                };
                id: number;
                subjectId: string;
                subjectType: string;
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The broadcasts of the campaigns where the caller may send them, newest first */
  listBroadcasts: {
    parameters: {
      query?: {
        limit?: string;
      };
    };
    responses: {
      /** @description The broadcasts */
      200: {
        content: {
          "application/json": {
            items: ({
                audience: {
                  activeDays: number | null;
                  hasWallet: boolean | null;
                  language: ("en" | "ru") | null;
                  tier: string | null;
                };
                campaign: string | null;
                /** Format: date-time */
                createdAt: string;
                failed: number;
                /** @description Failed sends by reason: blocked, deactivated, not_started, telegram_error, rejected */
                failures: {
                  [key: string]: number;
                };
                finishedAt: string | null;
                id: number;
                scheduledAt: string | null;
                sent: number;
                startedAt: string | null;
                /**
                 * @description `scheduled`: stored and waiting for its time
                 * @enum {string}
                 */
                status: "draft" | "scheduled" | "running" | "done" | "cancelled";
                texts: {
                  [key: string]: string;
                };
                total: number;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Send a broadcast to a segment now, or schedule it
   * @description Texts are Telegram HTML (checked here), English the fallback for members of other languages, at most 4000 characters each. `scheduledAt` at most 30 days ahead; the broadcast is stored and the bot sends it once due (after restarts too). Needs `broadcast.send`; audited with the audience and the texts.
   */
  composeBroadcast: {
    requestBody: {
      content: {
        "application/json": {
          audience: {
            /** @description Seen within this many days of the send */
            activeDays?: number;
            /** @description The campaign whose members it reaches; null: every member */
            campaign: string | null;
            hasWallet?: boolean;
            /** @enum {string} */
            language?: "en" | "ru";
            tier?: string;
          };
          /**
           * @description The author's language
           * @default en
           * @enum {string}
           */
          language?: "en" | "ru";
          /** @default null */
          scheduledAt?: string | null;
          texts: {
            en?: string;
            ru?: string;
          };
        };
      };
    };
    responses: {
      /** @description The broadcast */
      201: {
        content: {
          "application/json": {
            audience: {
              activeDays: number | null;
              hasWallet: boolean | null;
              language: ("en" | "ru") | null;
              tier: string | null;
            };
            campaign: string | null;
            /** Format: date-time */
            createdAt: string;
            failed: number;
            /** @description Failed sends by reason: blocked, deactivated, not_started, telegram_error, rejected */
            failures: {
              [key: string]: number;
            };
            finishedAt: string | null;
            id: number;
            scheduledAt: string | null;
            sent: number;
            startedAt: string | null;
            /**
             * @description `scheduled`: stored and waiting for its time
             * @enum {string}
             */
            status: "draft" | "scheduled" | "running" | "done" | "cancelled";
            texts: {
              [key: string]: string;
            };
            total: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `broadcast_invalid` (https://refmint.dev/problems/broadcast-invalid): The broadcast cannot be sent as composed */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One broadcast's progress and delivery results */
  getBroadcast: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The broadcast */
      200: {
        content: {
          "application/json": {
            audience: {
              activeDays: number | null;
              hasWallet: boolean | null;
              language: ("en" | "ru") | null;
              tier: string | null;
            };
            campaign: string | null;
            /** Format: date-time */
            createdAt: string;
            failed: number;
            /** @description Failed sends by reason: blocked, deactivated, not_started, telegram_error, rejected */
            failures: {
              [key: string]: number;
            };
            finishedAt: string | null;
            id: number;
            scheduledAt: string | null;
            sent: number;
            startedAt: string | null;
            /**
             * @description `scheduled`: stored and waiting for its time
             * @enum {string}
             */
            status: "draft" | "scheduled" | "running" | "done" | "cancelled";
            texts: {
              [key: string]: string;
            };
            total: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `broadcast_not_found` (https://refmint.dev/problems/broadcast-not-found): No such broadcast */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Stop a scheduled or running broadcast (those sent stay sent)
   * @description Audited (`broadcast.cancelled`). A broadcast already over is returned as it is (nothing is written).
   */
  stopBroadcast: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The broadcast */
      200: {
        content: {
          "application/json": {
            audience: {
              activeDays: number | null;
              hasWallet: boolean | null;
              language: ("en" | "ru") | null;
              tier: string | null;
            };
            campaign: string | null;
            /** Format: date-time */
            createdAt: string;
            failed: number;
            /** @description Failed sends by reason: blocked, deactivated, not_started, telegram_error, rejected */
            failures: {
              [key: string]: number;
            };
            finishedAt: string | null;
            id: number;
            scheduledAt: string | null;
            sent: number;
            startedAt: string | null;
            /**
             * @description `scheduled`: stored and waiting for its time
             * @enum {string}
             */
            status: "draft" | "scheduled" | "running" | "done" | "cancelled";
            texts: {
              [key: string]: string;
            };
            total: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `broadcast_not_found` (https://refmint.dev/problems/broadcast-not-found): No such broadcast */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * How many members a broadcast to this segment would reach now, and the tiers to pick
   * @description Needs `broadcast.send` in the campaign (owners, managers); without a campaign (every member) super-admins only.
   */
  broadcastAudience: {
    parameters: {
      query?: {
        /** @description Absent: every member (super-admins only) */
        campaign?: string;
        tier?: string;
        language?: "en" | "ru";
        wallet?: "yes" | "no";
        activeDays?: string;
      };
    };
    responses: {
      /** @description The count */
      200: {
        content: {
          "application/json": {
            count: number;
            tiers: {
                id: string;
                name: {
                  [key: string]: string;
                };
              }[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `broadcast_invalid` (https://refmint.dev/problems/broadcast-invalid): The broadcast cannot be sent as composed */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The campaigns the caller administers, with their roles and what they may do there */
  listAdminCampaigns: {
    responses: {
      /** @description One item per campaign the caller may see */
      200: {
        content: {
          "application/json": {
            items: ({
                actions: ("campaign.view" | "campaign.edit" | "campaign.pause" | "campaign.lifecycle" | "broadcast.send" | "review.read" | "review.decide" | "member.read" | "member.reward" | "member.moderate" | "analytics.read" | "payouts.operate" | "role.manage" | "audit.read" | "survey.manage" | "survey.read" | "screening.manage" | "member.exclude" | "webhook.manage" | "partner.manage" | "apikey.manage")[];
                roles: ("owner" | "manager" | "reviewer" | "analyst")[];
                slug: string;
              })[];
            superAdmin: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Who holds which role in a campaign (owners and super-admins) */
  listRoles: {
    parameters: {
      path: {
        campaign: string;
      };
    };
    responses: {
      /** @description The role holders, by member number */
      200: {
        content: {
          "application/json": {
            campaign: string;
            items: ({
                firstName: string | null;
                memberId: number;
                roles: ("owner" | "manager" | "reviewer" | "analyst")[];
                username: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Give a member a role in a campaign (owners and super-admins); audited
   * @description Idempotent: granting a role the member holds changes and audits nothing. The member must exist (have opened the bot or the dashboard once).
   */
  grantRole: {
    parameters: {
      path: {
        campaign: string;
        memberId: string;
        role: "owner" | "manager" | "reviewer" | "analyst";
      };
    };
    responses: {
      /** @description The member's roles now */
      200: {
        content: {
          "application/json": {
            campaign: string;
            /** @description False when the request changed nothing */
            changed: boolean;
            memberId: number;
            /** @description The member's roles in the campaign now */
            roles: ("owner" | "manager" | "reviewer" | "analyst")[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Take a role back (owners and super-admins); audited
   * @description Idempotent: revoking a role the member does not hold changes nothing.
   */
  revokeRole: {
    parameters: {
      path: {
        campaign: string;
        memberId: string;
        role: "owner" | "manager" | "reviewer" | "analyst";
      };
    };
    responses: {
      /** @description The member's roles now */
      200: {
        content: {
          "application/json": {
            campaign: string;
            /** @description False when the request changed nothing */
            changed: boolean;
            memberId: number;
            /** @description The member's roles in the campaign now */
            roles: ("owner" | "manager" | "reviewer" | "analyst")[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * One analytics table of the campaign as CSV, streamed
   * @description Needs `analytics.read` in the campaign. Tables: daily, tokens, codes, variants, cohorts, members, time_to_qualify. Day-based tables honour `from`/`to`.
   */
  analyticsCsv: {
    parameters: {
      query?: {
        /** @description First UTC day (inclusive); default: 29 days before `to` */
        from?: string;
        /** @description Last UTC day (inclusive); default: today */
        to?: string;
      };
      path: {
        slug: string;
        table: "daily" | "tokens" | "codes" | "variants" | "cohorts" | "members" | "time_to_qualify";
      };
    };
    responses: {
      /** @description CSV with a header line */
      200: {
        content: {
          "text/csv": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A/B variants: conversion per arm and the difference to control with its statistics
   * @description Needs `analytics.read` in the campaign. Two-proportion z-test (pooled, two-sided) with a Wald interval of the difference; Bonferroni over the treatment arms; Beta(1+qualified, 1+not qualified) posteriors for the probability to beat control; sample per arm by Fleiss' formula for the minimum detectable effect. A winner is named only when significant.
   */
  analyticsExperiments: {
    parameters: {
      query?: {
        /** @description Minimum detectable effect, absolute (0.02 = 2 points); default 0.02 */
        mde?: string;
        /** @description Control arm; default the first variant */
        control?: string;
      };
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The arms */
      200: {
        content: {
          "application/json": {
            alpha: number;
            alphaPerComparison: number;
            arms: ({
                comparison: ({
                  ciHigh: number;
                  ciLow: number;
                  difference: number;
                  lift: number | null;
                  probabilityToBeatControl: number;
                  pValue: number;
                  sampleNeededPerArm: number | null;
                  sampleRemaining: number | null;
                  z: number;
                }) | null;
                /** @description A share between 0 and 1; null without a denominator */
                conversion: number | null;
                members: number;
                paid: number;
                qualified: number;
                reviews: number;
                variant: string;
                /** @enum {string} */
                verdict: "control" | "better" | "worse" | "not_significant" | "insufficient_data";
              })[];
            campaign: string;
            confidence: number;
            control: string | null;
            mde: number;
            method: string;
            power: number;
            /** @description Only an arm significantly better than control */
            winner: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Promote the experiment's winner: a new rules version with its rewards for everyone
   * @description Needs `campaign.edit` in the campaign (managers, owners; not analysts). Only the arm the statistics name as winner (recomputed now) is accepted, else 409 `experiment_no_winner`. Creates the next rules version (pending) with the winner's level amounts and no variants; `npm run campaign:version` publishes it on-chain, where it takes effect. Audited (`experiment.promoted`, with the numbers). Promoting the same winner again returns the same version.
   */
  promoteExperimentWinner: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The minimum effect the page used */
          mde?: number;
          variant: string;
        };
      };
    };
    responses: {
      /** @description The version created (or the same one again) */
      200: {
        content: {
          "application/json": {
            campaign: string;
            hash: string;
            /** @enum {string} */
            outcome: "created" | "replaced" | "resumed" | "publishing-effective";
            rulesUrl: string;
            variant: string;
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `experiment_no_winner` (https://refmint.dev/problems/experiment-no-winner): No variant is significantly better than control (or another one is the winner); `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The funnel (clicks → starts → attributed → qualified → paid) per referral code
   * @description Needs `analytics.read` in the campaign. Best codes first; the whole table: `codes.csv`.
   */
  analyticsFunnel: {
    parameters: {
      query?: {
        /** @description First UTC day (inclusive); default: 29 days before `to` */
        from?: string;
        /** @description Last UTC day (inclusive); default: today */
        to?: string;
        /** @description Grouping; `code` (the only one so far) */
        by?: "code";
        /** @description Default 100 */
        limit?: string;
      };
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Codes with their funnel */
      200: {
        content: {
          "application/json": {
            /** @constant */
            by: "code";
            campaign: string;
            from: string;
            items: ({
                attributed: number;
                clicks: number;
                code: string;
                memberId: number | null;
                paid: number;
                qualified: number;
                starts: number;
              })[];
            to: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * What waits now: open reviews, the payout pipeline, the chain jobs' health and the last reconciliation
   * @description Needs `analytics.read` in the campaign. The reconciliation is the campaign's part of the last `npm run reconcile` (or `POST /api/operator/reconcile`), with the last run that found a difference.
   */
  analyticsOperations: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The status */
      200: {
        content: {
          "application/json": {
            campaign: string;
            jobs: ({
                alerts: number;
                consecutiveFailures: number;
                /** @description Indexer: the last block processed */
                cursor: number | null;
                /** @enum {string} */
                job: "worker" | "indexer" | "epochs";
                /** @description Indexer: blocks behind the chain head */
                lagBlocks: number | null;
                /** @description Super-admins only (it may name other campaigns) */
                lastError: string | null;
                lastSuccessAt: string | null;
                /** @enum {string} */
                status: "ok" | "degraded" | "starting" | "stopped" | "down";
              })[];
            /** @description Review items of the campaign waiting for a decision */
            openReviews: number;
            /** @description Outbox rows not yet settled, by status */
            payouts: {
              failed: number;
              held: number;
              /** @description The oldest payout queued, sending, sent or held */
              oldestWaitingAt: string | null;
              queued: number;
              sending: number;
              sent: number;
            };
            reconciliation: {
              /** @description The last run that compared this campaign (null: none yet) */
              last: ({
                /** Format: date-time */
                at: string;
                blockNumber: number | null;
                differences: string[];
                lines: {
                    chainSpent: string;
                    indexedBalances: string;
                    indexedPayouts: string;
                    ledgerPaid: string;
                    supply: string;
                    token: string;
                  }[];
              }) | null;
              /** @description The last run that found a difference in this campaign */
              lastDifference: ({
                /** Format: date-time */
                at: string;
                blockNumber: number | null;
                differences: string[];
              }) | null;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's KPIs and daily series over a range of days (from the rollups)
   * @description Needs `analytics.read` in the campaign. Funnel, conversion, K-factor, time to qualify, retention cohorts, engagement score, review share, tokens and budget runway, gas, top referrers. Definitions: docs/ANALYTICS.md.
   */
  analyticsOverview: {
    parameters: {
      query?: {
        /** @description First UTC day (inclusive); default: 29 days before `to` */
        from?: string;
        /** @description Last UTC day (inclusive); default: today */
        to?: string;
      };
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The Overview */
      200: {
        content: {
          "application/json": {
            campaign: string;
            conversion: {
              /** @description A share between 0 and 1; null without a denominator */
              attributedToQualified: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              clickToStart: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              qualifiedToPaid: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              startToAttributed: number | null;
            };
            engagementScore: number;
            from: string;
            funnel: {
              attributed: number;
              clicks: number;
              paid: number;
              qualified: number;
              reviews: number;
              starts: number;
            };
            gas: {
              tokens: string;
              wei: string;
            };
            gasPerQualified: {
              tokens: string;
              wei: string;
            } | null;
            kFactor: {
              /** @description A share between 0 and 1; null without a denominator */
              conversion: number | null;
              invitesPerMember: number | null;
              value: number | null;
            };
            /** @description Events not yet folded into the rollups when read */
            lag: number;
            /** @description Members taking part (referred or referring), all time */
            members: number;
            /** @description Members who referred someone, all time */
            referrers: number;
            retention: {
              cohorts: {
                  d1: number;
                  d7: number;
                  d30: number;
                  members: number;
                  week: string;
                }[];
              /** @description A share between 0 and 1; null without a denominator */
              d1: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              d7: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              d30: number | null;
            };
            /** @description A share between 0 and 1; null without a denominator */
            reviewShare: number | null;
            series: {
                attributed: number;
                clicks: number;
                day: string;
                earned: {
                  [key: string]: string;
                };
                paid: number;
                qualified: number;
                reviews: number;
                starts: number;
              }[];
            timeToQualify: {
              count: number;
              meanSeconds: number | null;
              p50Seconds: number | null;
              p90Seconds: number | null;
            };
            to: string;
            tokens: ({
                budget: {
                  tokens: string;
                  wei: string;
                };
                /** @description A share between 0 and 1; null without a denominator */
                burned: number | null;
                claimed: {
                  tokens: string;
                  wei: string;
                };
                costPerQualified: {
                  tokens: string;
                  wei: string;
                } | null;
                earned: {
                  tokens: string;
                  wei: string;
                };
                escrowed: {
                  tokens: string;
                  wei: string;
                };
                expired: {
                  tokens: string;
                  wei: string;
                };
                granted: {
                  tokens: string;
                  wei: string;
                };
                pacePerDay: {
                  tokens: string;
                  wei: string;
                };
                paid: {
                  tokens: string;
                  wei: string;
                };
                redeemed: {
                  tokens: string;
                  wei: string;
                };
                /** @description A share between 0 and 1; null without a denominator */
                redemptionRate: number | null;
                runwayDays: number | null;
                token: string;
              })[];
            topReferrers: ({
                invited: number;
                memberId: number;
                qualified: number;
                username: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The campaign's host API keys, revoked ones too (owners); audited */
  listApiKeys: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The keys, oldest first (never the keys themselves) */
      200: {
        content: {
          "application/json": {
            items: ({
                campaign: string;
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                id: number;
                name: string;
                /** @description Reported actions count as `partner_event`s of this partner */
                partner: string;
                /** @description The key's first characters */
                prefix: string;
                revokedAt: string | null;
                revokedBy: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Create a host API key for the campaign (owners); the key is shown only here
   * @description Needs `apikey.manage` (owners, super-admins); audited (`api_key.created`, without the key). Only the key's SHA-256 is stored. `partner` (default: the campaign's `qualification.partner`, else `host`) is who the key's reported actions count as.
   */
  createApiKey: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          name: string;
          partner?: string;
        };
      };
    };
    responses: {
      /** @description The key (only now) and its record */
      201: {
        content: {
          "application/json": {
            campaign: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            id: number;
            /** @description The API key: store it now */
            key: string;
            name: string;
            /** @description Reported actions count as `partner_event`s of this partner */
            partner: string;
            /** @description The key's first characters */
            prefix: string;
            revokedAt: string | null;
            revokedBy: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Revoke a host API key of the campaign (owners); audited
   * @description The key stops working at once (in other API processes within `DATABASE_READ_CACHE_MS`). Revoking a revoked key changes nothing (`changed: false`).
   */
  revokeApiKey: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    responses: {
      /** @description The key's record */
      200: {
        content: {
          "application/json": {
            campaign: string;
            changed: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            id: number;
            name: string;
            /** @description Reported actions count as `partner_event`s of this partner */
            partner: string;
            /** @description The key's first characters */
            prefix: string;
            revokedAt: string | null;
            revokedBy: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Archive an ended campaign; owners
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  archiveCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's challenges with how often each was completed
   * @description Needs `campaign.view`. Counts only, no member named: a member's completions are in their record; `POST /api/admin/members/{id}/challenges/{challengeId}` grants one, `…/revoke` takes it back.
   */
  adminListChallenges: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The challenges of the rules in effect */
      200: {
        content: {
          "application/json": {
            campaign: string;
            items: ({
                /** @description Members holding the completion now (a revoked one no longer counts); a daily check-in: the check-ins recorded, one per member and UTC day */
                completions: number;
                id: string;
                /**
                 * @description How it is detected (`manual`: granted by an admin)
                 * @enum {string}
                 */
                kind: "manual" | "join_chat" | "invite" | "wallet" | "checkin" | "survey" | "partner_event";
                /** @description `partner_event`: `<partner>:<event type>` */
                partnerEvent: string | null;
                /** @description `day`: pays once per UTC day */
                repeat: "day" | null;
                /** @description Completions taken back (left the chat too soon, an admin) */
                revoked: number;
                reward: {
                  tokens: string;
                  wei: string;
                };
                /** @description Friends to qualify (`invite`), streak days (`checkin`), days to stay (`join_chat`) */
                target: number | null;
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * End the campaign: no new referrals; pending ones get the file's grace, then the final epoch; owners
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  endCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Exclude a member from the campaign: nothing attributed to or paid for them there */
  excludeMember: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Whether anything changed */
      200: {
        content: {
          "application/json": {
            changed: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Lift a member's exclusion from the campaign */
  includeMember: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description Whether anything changed */
      200: {
        content: {
          "application/json": {
            changed: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A campaign's lifecycle (anyone who may see the campaign) */
  getAdminCampaignLifecycle: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The lifecycle */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The campaign's partner and the API keys issued to it, revoked ones too (never the keys)
   * @description Needs `partner.manage` (owners); `partner` is null when the campaign file names none (no key can be issued then). Audited (`partner.key_listed`).
   */
  listPartnerKeys: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                id: number;
                partner: string;
                /** @description The key's first characters */
                prefix: string;
                revokedAt: string | null;
              })[];
            partner: ({
              logoUrl: string | null;
              name: string;
            }) | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Issue an API key for the campaign's partner (shown once)
   * @description Needs `partner.manage` (owners); the campaign file must name a `partner`. Audited.
   */
  issuePartnerKey: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The key: shown this once */
      201: {
        content: {
          "application/json": {
            id: number;
            key: string;
            partner: string;
            prefix: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Revoke a partner API key */
  revokePartnerKey: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    responses: {
      /** @description `revoked: false` when it already was */
      200: {
        content: {
          "application/json": {
            revoked: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Pause an active campaign: no new referrals, qualifying ones wait in review; managers
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  pauseCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A campaign's perks with their state on-chain */
  adminListPerks: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The perks of the rules in effect */
      200: {
        content: {
          "application/json": {
            campaign: string;
            items: ({
                definition: {
                  couponDays?: number;
                  expiresAt?: string;
                  id: string;
                  price: string;
                  requires?: {
                    badge?: number;
                    tier?: string;
                  };
                  stock: number | null;
                  title: {
                    en: string;
                    ru: string;
                  };
                  token: string;
                };
                /** @description null: not created on-chain yet */
                onchain: ({
                  active: boolean;
                  expiresAt: string | null;
                  /** @description Smallest units */
                  price: string;
                  /** @description Units left; null: unlimited */
                  stock: number | null;
                }) | null;
                onSale: boolean;
                /** @description On-chain perk id (the position in the rules) */
                perkId: number;
                sold: number;
              })[];
            pendingVersion: number | null;
            shop: string | null;
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `perk_unknown` (https://refmint.dev/problems/perk-unknown): No such perk */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_exists` (https://refmint.dev/problems/perk-exists): A perk with this id exists; `perk_stock_below_sold` (https://refmint.dev/problems/perk-stock-below-sold): The perk's stock is below the units already redeemed; `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_invalid` (https://refmint.dev/problems/perk-invalid): The perk is not valid; `perk_expiry_past` (https://refmint.dev/problems/perk-expiry-past): The perk's end of sale is in the past; `perk_requirement_unknown` (https://refmint.dev/problems/perk-requirement-unknown): The perk requires a tier or badge the campaign does not have; `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create a perk (a new rules version), or plan it with `dryRun` */
  adminCreatePerk: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          couponDays?: number | null;
          /** @description Answer the plan and its cost; change nothing */
          dryRun?: boolean;
          /** @description End of sale; null: none */
          expiresAt?: string | null;
          id: string;
          price: string;
          /** @description A tier or badge; null: none */
          requires?: {
            badge?: number;
            tier?: string;
          } | null;
          stock: number | null;
          title: {
            en: string;
            ru: string;
          };
          token: string;
        };
      };
    };
    responses: {
      /** @description The plan, or what was sent */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                functionName: string;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
            after: {
              couponDays?: number;
              expiresAt?: string;
              id: string;
              price: string;
              requires?: {
                badge?: number;
                tier?: string;
              };
              stock: number | null;
              title: {
                en: string;
                ru: string;
              };
              token: string;
            };
            before: {
              definition: ({
                couponDays?: number;
                expiresAt?: string;
                id: string;
                price: string;
                requires?: {
                  badge?: number;
                  tier?: string;
                };
                stock: number | null;
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
              }) | null;
              /** @description null: not created on-chain yet */
              onchain: ({
                active: boolean;
                expiresAt: string | null;
                /** @description Smallest units */
                price: string;
                /** @description Units left; null: unlimited */
                stock: number | null;
              }) | null;
              sold: number;
            };
            campaign: string;
            changes: ({
                /** @enum {string} */
                audience: "members" | "operator";
                text: string;
              })[];
            estimate: {
              actions: ({
                  error: string | null;
                  gas: string | null;
                  key: string;
                })[];
              /** @description Whether this service holds its key (else send the calls from the admin) */
              adminKeyHere: boolean;
              /** @description In the chain's native coin */
              cost: string;
              costWei: string;
              feePerGas: string;
              /** @description The campaign admin that sends the calls */
              from: string;
              gas: string;
            };
            failed: {
              key: string;
              reason: string;
            } | null;
            hash: string;
            perkId: number;
            rulesUrl: string;
            /**
             * @description `dry_run`: nothing was written or sent; `published`: sent, it takes effect when the indexer sees its block; `stopped`: a call failed (`failed`), send the same request again to resume; `unchanged`: the rules already say this
             * @enum {string}
             */
            status: "dry_run" | "published" | "stopped" | "unchanged";
            /** @description The rules version this change is (or would be) */
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `perk_unknown` (https://refmint.dev/problems/perk-unknown): No such perk */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_exists` (https://refmint.dev/problems/perk-exists): A perk with this id exists; `perk_stock_below_sold` (https://refmint.dev/problems/perk-stock-below-sold): The perk's stock is below the units already redeemed; `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_invalid` (https://refmint.dev/problems/perk-invalid): The perk is not valid; `perk_expiry_past` (https://refmint.dev/problems/perk-expiry-past): The perk's end of sale is in the past; `perk_requirement_unknown` (https://refmint.dev/problems/perk-requirement-unknown): The perk requires a tier or badge the campaign does not have; `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change a perk's price, stock, end of sale or requirement (a new rules version) */
  adminChangePerk: {
    parameters: {
      path: {
        slug: string;
        perk: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          couponDays?: number | null;
          /** @description Answer the plan and its cost; change nothing */
          dryRun?: boolean;
          /** @description End of sale; null: none */
          expiresAt?: string | null;
          /** @description Whole tokens, e.g. "12.5" */
          price?: string;
          /** @description A tier or badge; null: none */
          requires?: {
            badge?: number;
            tier?: string;
          } | null;
          /** @description Total units, sold ones included; null: unlimited */
          stock?: number | null;
          title?: {
            en: string;
            ru: string;
          };
          token?: string;
        };
      };
    };
    responses: {
      /** @description The plan, or what was sent */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                functionName: string;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
            after: {
              couponDays?: number;
              expiresAt?: string;
              id: string;
              price: string;
              requires?: {
                badge?: number;
                tier?: string;
              };
              stock: number | null;
              title: {
                en: string;
                ru: string;
              };
              token: string;
            };
            before: {
              definition: ({
                couponDays?: number;
                expiresAt?: string;
                id: string;
                price: string;
                requires?: {
                  badge?: number;
                  tier?: string;
                };
                stock: number | null;
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
              }) | null;
              /** @description null: not created on-chain yet */
              onchain: ({
                active: boolean;
                expiresAt: string | null;
                /** @description Smallest units */
                price: string;
                /** @description Units left; null: unlimited */
                stock: number | null;
              }) | null;
              sold: number;
            };
            campaign: string;
            changes: ({
                /** @enum {string} */
                audience: "members" | "operator";
                text: string;
              })[];
            estimate: {
              actions: ({
                  error: string | null;
                  gas: string | null;
                  key: string;
                })[];
              /** @description Whether this service holds its key (else send the calls from the admin) */
              adminKeyHere: boolean;
              /** @description In the chain's native coin */
              cost: string;
              costWei: string;
              feePerGas: string;
              /** @description The campaign admin that sends the calls */
              from: string;
              gas: string;
            };
            failed: {
              key: string;
              reason: string;
            } | null;
            hash: string;
            perkId: number;
            rulesUrl: string;
            /**
             * @description `dry_run`: nothing was written or sent; `published`: sent, it takes effect when the indexer sees its block; `stopped`: a call failed (`failed`), send the same request again to resume; `unchanged`: the rules already say this
             * @enum {string}
             */
            status: "dry_run" | "published" | "stopped" | "unchanged";
            /** @description The rules version this change is (or would be) */
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `perk_unknown` (https://refmint.dev/problems/perk-unknown): No such perk */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_exists` (https://refmint.dev/problems/perk-exists): A perk with this id exists; `perk_stock_below_sold` (https://refmint.dev/problems/perk-stock-below-sold): The perk's stock is below the units already redeemed; `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_invalid` (https://refmint.dev/problems/perk-invalid): The perk is not valid; `perk_expiry_past` (https://refmint.dev/problems/perk-expiry-past): The perk's end of sale is in the past; `perk_requirement_unknown` (https://refmint.dev/problems/perk-requirement-unknown): The perk requires a tier or badge the campaign does not have; `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Stop selling a perk: its stock becomes what was sold (a new rules version) */
  adminRetirePerk: {
    parameters: {
      path: {
        slug: string;
        perk: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          dryRun?: boolean;
        };
      };
    };
    responses: {
      /** @description The plan, or what was sent */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                functionName: string;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
            after: {
              couponDays?: number;
              expiresAt?: string;
              id: string;
              price: string;
              requires?: {
                badge?: number;
                tier?: string;
              };
              stock: number | null;
              title: {
                en: string;
                ru: string;
              };
              token: string;
            };
            before: {
              definition: ({
                couponDays?: number;
                expiresAt?: string;
                id: string;
                price: string;
                requires?: {
                  badge?: number;
                  tier?: string;
                };
                stock: number | null;
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
              }) | null;
              /** @description null: not created on-chain yet */
              onchain: ({
                active: boolean;
                expiresAt: string | null;
                /** @description Smallest units */
                price: string;
                /** @description Units left; null: unlimited */
                stock: number | null;
              }) | null;
              sold: number;
            };
            campaign: string;
            changes: ({
                /** @enum {string} */
                audience: "members" | "operator";
                text: string;
              })[];
            estimate: {
              actions: ({
                  error: string | null;
                  gas: string | null;
                  key: string;
                })[];
              /** @description Whether this service holds its key (else send the calls from the admin) */
              adminKeyHere: boolean;
              /** @description In the chain's native coin */
              cost: string;
              costWei: string;
              feePerGas: string;
              /** @description The campaign admin that sends the calls */
              from: string;
              gas: string;
            };
            failed: {
              key: string;
              reason: string;
            } | null;
            hash: string;
            perkId: number;
            rulesUrl: string;
            /**
             * @description `dry_run`: nothing was written or sent; `published`: sent, it takes effect when the indexer sees its block; `stopped`: a call failed (`failed`), send the same request again to resume; `unchanged`: the rules already say this
             * @enum {string}
             */
            status: "dry_run" | "published" | "stopped" | "unchanged";
            /** @description The rules version this change is (or would be) */
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `perk_unknown` (https://refmint.dev/problems/perk-unknown): No such perk */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_exists` (https://refmint.dev/problems/perk-exists): A perk with this id exists; `perk_stock_below_sold` (https://refmint.dev/problems/perk-stock-below-sold): The perk's stock is below the units already redeemed; `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_invalid` (https://refmint.dev/problems/perk-invalid): The perk is not valid; `perk_expiry_past` (https://refmint.dev/problems/perk-expiry-past): The perk's end of sale is in the past; `perk_requirement_unknown` (https://refmint.dev/problems/perk-requirement-unknown): The perk requires a tier or badge the campaign does not have; `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Open a pilot campaign to everyone, without a redeploy; owners
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  promoteCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Resume a paused campaign; managers
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  resumeCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Mark a draft campaign validated (its file checked again); owners
   * @description A move the campaign's state does not allow is refused (409 campaign_transition_refused, naming the state and the target) and changes nothing. Audited with who, before and after.
   */
  validateCampaign: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The lifecycle after the move */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_transition_refused` (https://refmint.dev/problems/campaign-transition-refused): The campaign cannot make this lifecycle move from its state */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The campaign's webhook endpoints (never their secrets) */
  listWebhooks: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                active: boolean;
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                description: string | null;
                events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
                id: number;
                partner: string | null;
                url: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Subscribe an endpoint to events of the campaign (the signing secret is shown once)
   * @description Needs `webhook.manage` (owners). Events: member.joined, referral.qualified, reward.paid, perk.redeemed, badge.minted. The receiver must be a public address (loopback, private, link-local and other internal addresses are refused). Audited.
   */
  createWebhook: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          description?: string;
          events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
          url: string;
        };
      };
    };
    responses: {
      /** @description The endpoint with its secret */
      201: {
        content: {
          "application/json": {
            active: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            description: string | null;
            events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
            id: number;
            partner: string | null;
            /** @description The HMAC-SHA256 key of its deliveries: shown this once */
            secret: string;
            url: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_invalid` (https://refmint.dev/problems/webhook-invalid): The webhook subscription is not valid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Disable an endpoint: nothing more is queued for it; its pending deliveries fail */
  disableWebhook: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    responses: {
      /** @description `disabled: false` when it already was */
      200: {
        content: {
          "application/json": {
            disabled: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The delivery log: each delivery with its attempts (status, response code, latency) */
  webhookDeliveries: {
    parameters: {
      query?: {
        endpoint?: string;
        status?: "pending" | "delivered" | "failed";
        eventId?: string;
        /** @description Deliveries below this id */
        before?: string;
        /** @description Default 100 */
        limit?: string;
      };
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                attempts: number;
                /** Format: date-time */
                createdAt: string;
                deliveredAt: string | null;
                deliveryId: number;
                endpointId: number;
                eventId: string;
                lastError: string | null;
                lastStatusCode: number | null;
                log: ({
                    /** Format: date-time */
                    at: string;
                    attempt: number;
                    error: string | null;
                    latencyMs: number;
                    ok: boolean;
                    replay: boolean;
                    statusCode: number | null;
                  })[];
                nextAttemptAt: string | null;
                /** @enum {string} */
                status: "pending" | "delivered" | "failed";
                /** @enum {string} */
                type: "member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted";
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Send a delivery again (same event id and body; a new round of retries) */
  replayWebhookDelivery: {
    parameters: {
      path: {
        slug: string;
        id: string;
      };
    };
    responses: {
      /** @description Queued: the worker sends it on its next pass */
      202: {
        content: {
          "application/json": {
            deliveryId: number;
            eventId: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Counts for the console's badges: open review items the caller may decide */
  consoleBadges: {
    responses: {
      /** @description The counts */
      200: {
        content: {
          "application/json": {
            openReviews: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The campaigns the caller may see, with name, state, dates, roles and allowed actions
   * @description State from the dates and the pause switch (`scheduled`, `active`, `paused`, `ended`); the lifecycle states replace it once they exist.
   */
  consoleCampaigns: {
    responses: {
      /** @description One item per campaign the caller may see */
      200: {
        content: {
          "application/json": {
            items: ({
                actions: ("campaign.view" | "campaign.edit" | "campaign.pause" | "campaign.lifecycle" | "broadcast.send" | "review.read" | "review.decide" | "member.read" | "member.reward" | "member.moderate" | "analytics.read" | "payouts.operate" | "role.manage" | "audit.read" | "survey.manage" | "survey.read" | "screening.manage" | "member.exclude" | "webhook.manage" | "partner.manage" | "apikey.manage")[];
                deployed: boolean;
                endsAt: string | null;
                /**
                 * @description The lifecycle state (draft … archived) the lifecycle moves act on
                 * @enum {string}
                 */
                lifecycle: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
                name: {
                  [key: string]: string;
                };
                roles: ("owner" | "manager" | "reviewer" | "analyst")[];
                slug: string;
                /** Format: date-time */
                startsAt: string;
                /** @enum {string} */
                state: "scheduled" | "active" | "paused" | "ended";
              })[];
            superAdmin: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A campaign's rules in effect, to edit as its next version */
  consoleCampaignRules: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The rules in effect and a version being applied, if any */
      200: {
        content: {
          "application/json": {
            deployed: boolean;
            document: {
              [key: string]: unknown;
            };
            pending: {
              hash: string;
              version: number;
            } | null;
            slug: string;
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's rules versions, newest first, each with every change from the one before
   * @description Every line, members' and operator-only (fraud, variants, pilot, limits), as data (subject, what it is about, old and new value) that the console words in the admin's language, with an English `text` for scripts.
   */
  consoleCampaignVersions: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The versions */
      200: {
        content: {
          "application/json": {
            items: ({
                changes: ({
                    /** @enum {string} */
                    audience: "members" | "operator";
                    field?: string;
                    /** @description null: added */
                    from: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    level?: number;
                    name?: {
                      en: string;
                      ru: string;
                    };
                    /** @enum {string} */
                    subject: "name" | "startsAt" | "endsAt" | "qualification" | "level" | "welcomeBonus" | "tier" | "tier.name" | "tier.minQualified" | "tier.multiplier" | "tier.badge" | "cap.daily" | "cap.total" | "expiry" | "challenge" | "challenge.title" | "challenge.reward" | "perk" | "perk.title" | "perk.price" | "perk.stock" | "badge" | "badge.name" | "badge.transferable" | "token" | "token.budget" | "end.graceHours" | "end.claimDays" | "terms.version" | "terms.url" | "terms.text" | "participation.countries" | "participation.languages" | "participation.minAge" | "attribution.newMembersOnly" | "token.setting" | "escrow" | "fraud" | "variant" | "identity" | "pilot";
                    /** @description The change in English */
                    text: string;
                    /** @description null: removed */
                    to: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    token?: string;
                  })[];
                /** Format: date-time */
                createdAt: string;
                effectiveAt: string | null;
                hash: string;
                status: string;
                txHash: string | null;
                version: number;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Apply new rules as the campaign's next version: recorded, its on-chain actions sent, published with updateRules
   * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}` (its report: version, rulesTx, rulesUrl, effective). What `npm run campaign:version` does. Refused with nothing written: invalid rules (422 rules_invalid), what only a redeploy could change (422), another version half applied (409 rules_version_pending), no campaign admin key here (403). Audited (`campaign.rules_version`). Managers and owners.
   */
  applyCampaignVersion: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The campaign file with the new rules (slug and on-chain id unchanged) */
          document: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The job, started */
      202: {
        content: {
          "application/json": {
            actor: string;
            campaignId: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            /** @enum {string} */
            kind: "dry-run" | "deploy" | "version";
            /** @description Every line the job printed, in order, across its runs (kept in the database) */
            log: string[];
            /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
            report: {
              [key: string]: unknown;
            } | null;
            /** @description Steps an interrupted earlier run finished */
            resumed: number;
            /** @description Times the job was started: more than 1 when resumed after an interruption */
            runs: number;
            slug: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            steps: ({
                address: string | null;
                futureId: string;
                gasUsed: string | null;
                hashes: string[];
                /** @enum {string} */
                status: "sent" | "done";
              })[];
            /** @description The deploy's Ignition steps, once known */
            total: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_inactive` (https://refmint.dev/problems/campaign-inactive): The campaign is not running; `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied; `job_running` (https://refmint.dev/problems/job-running): A job for this draft is running */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Dry-run new rules: every change, what only a redeploy could change, the on-chain actions with gas and cost
   * @description Writes nothing but its audit row (`campaign.rules_version_dry_run`). Invalid rules: 422 rules_invalid with `errors` at their fields. Managers and owners.
   */
  dryRunCampaignVersion: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The campaign file with the new rules (slug and on-chain id unchanged) */
          document: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The plan */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                estimateError: string | null;
                functionName: string;
                /** @description Simulated gas from the campaign admin */
                gas: string | null;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
            admin: {
              address: string | null;
              canSend: boolean;
            };
            blockedBy: {
              hash: string;
              version: number;
            } | null;
            changes: ({
                /** @enum {string} */
                audience: "members" | "operator";
                field?: string;
                /** @description null: added */
                from: ({
                  amount: string;
                  token: string;
                  /** @constant */
                  type: "amount";
                } | {
                  ofLevel: number;
                  percent: number;
                  /** @constant */
                  type: "percent";
                } | {
                  /** @constant */
                  type: "number";
                  value: number;
                } | {
                  bps: number;
                  /** @constant */
                  type: "multiplier";
                } | {
                  days: number;
                  /** @constant */
                  type: "days";
                } | {
                  at: string;
                  /** @constant */
                  type: "date";
                } | {
                  text: {
                    en: string;
                    ru: string;
                  };
                  /** @constant */
                  type: "localized";
                } | {
                  rule: {
                    [key: string]: unknown;
                  };
                  /** @constant */
                  type: "qualification";
                } | ({
                  stock: number | null;
                  /** @constant */
                  type: "stock";
                }) | {
                  /** @constant */
                  type: "flag";
                  value: boolean;
                } | {
                  text: string;
                  /** @constant */
                  type: "text";
                }) | null;
                level?: number;
                name?: {
                  en: string;
                  ru: string;
                };
                /** @enum {string} */
                subject: "name" | "startsAt" | "endsAt" | "qualification" | "level" | "welcomeBonus" | "tier" | "tier.name" | "tier.minQualified" | "tier.multiplier" | "tier.badge" | "cap.daily" | "cap.total" | "expiry" | "challenge" | "challenge.title" | "challenge.reward" | "perk" | "perk.title" | "perk.price" | "perk.stock" | "badge" | "badge.name" | "badge.transferable" | "token" | "token.budget" | "end.graceHours" | "end.claimDays" | "terms.version" | "terms.url" | "terms.text" | "participation.countries" | "participation.languages" | "participation.minAge" | "attribution.newMembersOnly" | "token.setting" | "escrow" | "fraud" | "variant" | "identity" | "pilot";
                /** @description The change in English */
                text: string;
                /** @description null: removed */
                to: ({
                  amount: string;
                  token: string;
                  /** @constant */
                  type: "amount";
                } | {
                  ofLevel: number;
                  percent: number;
                  /** @constant */
                  type: "percent";
                } | {
                  /** @constant */
                  type: "number";
                  value: number;
                } | {
                  bps: number;
                  /** @constant */
                  type: "multiplier";
                } | {
                  days: number;
                  /** @constant */
                  type: "days";
                } | {
                  at: string;
                  /** @constant */
                  type: "date";
                } | {
                  text: {
                    en: string;
                    ru: string;
                  };
                  /** @constant */
                  type: "localized";
                } | {
                  rule: {
                    [key: string]: unknown;
                  };
                  /** @constant */
                  type: "qualification";
                } | ({
                  stock: number | null;
                  /** @constant */
                  type: "stock";
                }) | {
                  /** @constant */
                  type: "flag";
                  value: boolean;
                } | {
                  text: string;
                  /** @constant */
                  type: "text";
                }) | null;
                token?: string;
              })[];
            cost: ({
              /** @description Wei for the actions not done yet */
              cost: string;
              /** @description Wei per gas now */
              feePerGas: string;
              usd: string | null;
            }) | null;
            fromVersion: number;
            hash: string;
            /** @description What only a redeploy could change: nothing is sent */
            refusals: string[];
            resuming: boolean;
            /** @description The rules document's URL, published on-chain with it */
            rulesUrl: string;
            /** @description The new version's number; null: these rules are in effect already */
            version: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_inactive` (https://refmint.dev/problems/campaign-inactive): The campaign is not running */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Campaign drafts, newest first, each with its validation */
  listCampaignDrafts: {
    responses: {
      /** @description The drafts */
      200: {
        content: {
          "application/json": {
            items: ({
                /** @description The campaign deployed from it */
                campaignId: number | null;
                /** @description Its lifecycle state; `deploying`: a deploy to finish (resume) */
                campaignState: ("draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived") | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                /** @description The campaign file as saved, valid or not */
                document: unknown;
                /** @description Every problem at its field path, e.g. tokens[0].budget */
                issues: {
                    message: string;
                    path: string;
                  }[];
                jobs: {
                  deploy: ({
                    actor: string;
                    campaignId: number | null;
                    error: string | null;
                    finishedAt: string | null;
                    id: string;
                    /** @enum {string} */
                    kind: "dry-run" | "deploy" | "version";
                    /** @description Every line the job printed, in order, across its runs (kept in the database) */
                    log: string[];
                    /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                    report: {
                      [key: string]: unknown;
                    } | null;
                    /** @description Steps an interrupted earlier run finished */
                    resumed: number;
                    /** @description Times the job was started: more than 1 when resumed after an interruption */
                    runs: number;
                    slug: string;
                    /** Format: date-time */
                    startedAt: string;
                    /** @enum {string} */
                    status: "running" | "succeeded" | "failed";
                    steps: ({
                        address: string | null;
                        futureId: string;
                        gasUsed: string | null;
                        hashes: string[];
                        /** @enum {string} */
                        status: "sent" | "done";
                      })[];
                    /** @description The deploy's Ignition steps, once known */
                    total: number | null;
                  }) | null;
                  dryRun: ({
                    actor: string;
                    campaignId: number | null;
                    error: string | null;
                    finishedAt: string | null;
                    id: string;
                    /** @enum {string} */
                    kind: "dry-run" | "deploy" | "version";
                    /** @description Every line the job printed, in order, across its runs (kept in the database) */
                    log: string[];
                    /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                    report: {
                      [key: string]: unknown;
                    } | null;
                    /** @description Steps an interrupted earlier run finished */
                    resumed: number;
                    /** @description Times the job was started: more than 1 when resumed after an interruption */
                    runs: number;
                    slug: string;
                    /** Format: date-time */
                    startedAt: string;
                    /** @enum {string} */
                    status: "running" | "succeeded" | "failed";
                    steps: ({
                        address: string | null;
                        futureId: string;
                        gasUsed: string | null;
                        hashes: string[];
                        /** @enum {string} */
                        status: "sent" | "done";
                      })[];
                    /** @description The deploy's Ignition steps, once known */
                    total: number | null;
                  }) | null;
                };
                slug: string;
                template: string;
                /** Format: date-time */
                updatedAt: string;
                updatedBy: string;
                valid: boolean;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** One draft with its problems and its newest dry run and deploy */
  getCampaignDraft: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The draft */
      200: {
        content: {
          "application/json": {
            /** @description The campaign deployed from it */
            campaignId: number | null;
            /** @description Its lifecycle state; `deploying`: a deploy to finish (resume) */
            campaignState: ("draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived") | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** @description The campaign file as saved, valid or not */
            document: unknown;
            /** @description Every problem at its field path, e.g. tokens[0].budget */
            issues: {
                message: string;
                path: string;
              }[];
            jobs: {
              deploy: ({
                actor: string;
                campaignId: number | null;
                error: string | null;
                finishedAt: string | null;
                id: string;
                /** @enum {string} */
                kind: "dry-run" | "deploy" | "version";
                /** @description Every line the job printed, in order, across its runs (kept in the database) */
                log: string[];
                /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                report: {
                  [key: string]: unknown;
                } | null;
                /** @description Steps an interrupted earlier run finished */
                resumed: number;
                /** @description Times the job was started: more than 1 when resumed after an interruption */
                runs: number;
                slug: string;
                /** Format: date-time */
                startedAt: string;
                /** @enum {string} */
                status: "running" | "succeeded" | "failed";
                steps: ({
                    address: string | null;
                    futureId: string;
                    gasUsed: string | null;
                    hashes: string[];
                    /** @enum {string} */
                    status: "sent" | "done";
                  })[];
                /** @description The deploy's Ignition steps, once known */
                total: number | null;
              }) | null;
              dryRun: ({
                actor: string;
                campaignId: number | null;
                error: string | null;
                finishedAt: string | null;
                id: string;
                /** @enum {string} */
                kind: "dry-run" | "deploy" | "version";
                /** @description Every line the job printed, in order, across its runs (kept in the database) */
                log: string[];
                /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                report: {
                  [key: string]: unknown;
                } | null;
                /** @description Steps an interrupted earlier run finished */
                resumed: number;
                /** @description Times the job was started: more than 1 when resumed after an interruption */
                runs: number;
                slug: string;
                /** Format: date-time */
                startedAt: string;
                /** @enum {string} */
                status: "running" | "succeeded" | "failed";
                steps: ({
                    address: string | null;
                    futureId: string;
                    gasUsed: string | null;
                    hashes: string[];
                    /** @enum {string} */
                    status: "sent" | "done";
                  })[];
                /** @description The deploy's Ignition steps, once known */
                total: number | null;
              }) | null;
            };
            slug: string;
            template: string;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string;
            valid: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Create a draft from a template, or save its campaign file (valid or not)
   * @description Without `document`: a new draft from `template` (`standing`, `launch`, or a campaign's slug). With it: the file as the admin wrote it; the answer lists every problem at its field. Managers and owners; audited (`campaign_draft.created` / `.updated`). A deployed draft or a taken slug: 409 campaign_exists.
   */
  saveCampaignDraft: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The campaign file: a JSON object (its fields are checked, not refused) */
          document?: {
            [key: string]: unknown;
          };
          template?: string;
        };
      };
    };
    responses: {
      /** @description The draft as saved */
      200: {
        content: {
          "application/json": {
            /** @description The campaign deployed from it */
            campaignId: number | null;
            /** @description Its lifecycle state; `deploying`: a deploy to finish (resume) */
            campaignState: ("draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived") | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** @description The campaign file as saved, valid or not */
            document: unknown;
            /** @description Every problem at its field path, e.g. tokens[0].budget */
            issues: {
                message: string;
                path: string;
              }[];
            jobs: {
              deploy: ({
                actor: string;
                campaignId: number | null;
                error: string | null;
                finishedAt: string | null;
                id: string;
                /** @enum {string} */
                kind: "dry-run" | "deploy" | "version";
                /** @description Every line the job printed, in order, across its runs (kept in the database) */
                log: string[];
                /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                report: {
                  [key: string]: unknown;
                } | null;
                /** @description Steps an interrupted earlier run finished */
                resumed: number;
                /** @description Times the job was started: more than 1 when resumed after an interruption */
                runs: number;
                slug: string;
                /** Format: date-time */
                startedAt: string;
                /** @enum {string} */
                status: "running" | "succeeded" | "failed";
                steps: ({
                    address: string | null;
                    futureId: string;
                    gasUsed: string | null;
                    hashes: string[];
                    /** @enum {string} */
                    status: "sent" | "done";
                  })[];
                /** @description The deploy's Ignition steps, once known */
                total: number | null;
              }) | null;
              dryRun: ({
                actor: string;
                campaignId: number | null;
                error: string | null;
                finishedAt: string | null;
                id: string;
                /** @enum {string} */
                kind: "dry-run" | "deploy" | "version";
                /** @description Every line the job printed, in order, across its runs (kept in the database) */
                log: string[];
                /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
                report: {
                  [key: string]: unknown;
                } | null;
                /** @description Steps an interrupted earlier run finished */
                resumed: number;
                /** @description Times the job was started: more than 1 when resumed after an interruption */
                runs: number;
                slug: string;
                /** Format: date-time */
                startedAt: string;
                /** @enum {string} */
                status: "running" | "succeeded" | "failed";
                steps: ({
                    address: string | null;
                    futureId: string;
                    gasUsed: string | null;
                    hashes: string[];
                    /** @enum {string} */
                    status: "sent" | "done";
                  })[];
                /** @description The deploy's Ignition steps, once known */
                total: number | null;
              }) | null;
            };
            slug: string;
            template: string;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string;
            valid: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_exists` (https://refmint.dev/problems/campaign-exists): A campaign with this slug or on-chain id exists */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Deploy a valid draft (owners): the deploy command as a job, ending with the campaign registered and active
   * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}`. An invalid draft is 422 rules_invalid with `errors` at their fields; one job per draft at a time (409 job_running). Audited.
   */
  deployCampaignDraft: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The job, started */
      202: {
        content: {
          "application/json": {
            actor: string;
            campaignId: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            /** @enum {string} */
            kind: "dry-run" | "deploy" | "version";
            /** @description Every line the job printed, in order, across its runs (kept in the database) */
            log: string[];
            /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
            report: {
              [key: string]: unknown;
            } | null;
            /** @description Steps an interrupted earlier run finished */
            resumed: number;
            /** @description Times the job was started: more than 1 when resumed after an interruption */
            runs: number;
            slug: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            steps: ({
                address: string | null;
                futureId: string;
                gasUsed: string | null;
                hashes: string[];
                /** @enum {string} */
                status: "sent" | "done";
              })[];
            /** @description The deploy's Ignition steps, once known */
            total: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `job_running` (https://refmint.dev/problems/job-running): A job for this draft is running; `campaign_exists` (https://refmint.dev/problems/campaign-exists): A campaign with this slug or on-chain id exists */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Dry-run a valid draft (managers, owners): role plan, gas per Ignition step, cost at the target's fee and in USD
   * @description Answers at once with the job; poll `GET /api/admin/console/jobs/{id}`. An invalid draft is 422 rules_invalid with `errors` at their fields; one job per draft at a time (409 job_running). Audited.
   */
  dryRunCampaignDraft: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The job, started */
      202: {
        content: {
          "application/json": {
            actor: string;
            campaignId: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            /** @enum {string} */
            kind: "dry-run" | "deploy" | "version";
            /** @description Every line the job printed, in order, across its runs (kept in the database) */
            log: string[];
            /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
            report: {
              [key: string]: unknown;
            } | null;
            /** @description Steps an interrupted earlier run finished */
            resumed: number;
            /** @description Times the job was started: more than 1 when resumed after an interruption */
            runs: number;
            slug: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            steps: ({
                address: string | null;
                futureId: string;
                gasUsed: string | null;
                hashes: string[];
                /** @enum {string} */
                status: "sent" | "done";
              })[];
            /** @description The deploy's Ignition steps, once known */
            total: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `job_running` (https://refmint.dev/problems/job-running): A job for this draft is running; `campaign_exists` (https://refmint.dev/problems/campaign-exists): A campaign with this slug or on-chain id exists */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A dry run's or deploy's progress and result */
  getConsoleJob: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The job */
      200: {
        content: {
          "application/json": {
            actor: string;
            campaignId: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            /** @enum {string} */
            kind: "dry-run" | "deploy" | "version";
            /** @description Every line the job printed, in order, across its runs (kept in the database) */
            log: string[];
            /** @description The dry run's report (target, plan, steps with gas, fee, cost in wei, usd, problems) or a rules version's outcome (version, rulesTx, explorer URL); bigints as strings */
            report: {
              [key: string]: unknown;
            } | null;
            /** @description Steps an interrupted earlier run finished */
            resumed: number;
            /** @description Times the job was started: more than 1 when resumed after an interruption */
            runs: number;
            slug: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            steps: ({
                address: string | null;
                futureId: string;
                gasUsed: string | null;
                hashes: string[];
                /** @enum {string} */
                status: "sent" | "done";
              })[];
            /** @description The deploy's Ignition steps, once known */
            total: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** What a new campaign draft can start from: built-in shapes and the campaigns one may see */
  consoleCampaignTemplates: {
    responses: {
      /** @description The templates */
      200: {
        content: {
          "application/json": {
            items: ({
                id: string;
                /** @enum {string} */
                kind: "builtin" | "campaign";
                name: {
                  en: string;
                  ru: string;
                };
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Add a CSV of coupon codes to a perk's pool
   * @description Each line: `code` or `code,expiresAt` (ISO date-time); an optional header line. Redemptions of the perk take the oldest free code; without one a code is generated. A bad line refuses the whole file. Needs `campaign.edit`; audited.
   */
  importCoupons: {
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
          csv: string;
          perk: string;
        };
      };
    };
    responses: {
      /** @description How many codes were added (codes already in the pool are skipped) */
      200: {
        content: {
          "application/json": {
            added: number;
            skipped: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded; `coupon_pool_invalid` (https://refmint.dev/problems/coupon-pool-invalid): The coupon file is not valid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Look a member up by member number, Telegram id, username or referral code
   * @description Within a campaign (`member.read` there): its stats and referral. A campaign's admins find only the members taking part in it (referred, referring or rewarded there); super-admins find anyone.
   */
  findMember: {
    parameters: {
      query?: {
        id?: string;
        telegramId?: string;
        username?: string;
        code?: string;
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The member */
      200: {
        content: {
          "application/json": {
            banned: boolean;
            bannedAt: string | null;
            banReason: string | null;
            clicks: number;
            codes: {
                code: string;
                /** Format: date-time */
                createdAt: string;
                kind: string;
              }[];
            firstName: string | null;
            /** Format: date-time */
            firstSeenAt: string;
            id: number;
            languageCode: string | null;
            lastName: string | null;
            /** Format: date-time */
            lastSeenAt: string;
            levels: {
                level: number;
                pending: number;
                qualified: number;
                rejected: number;
                review: number;
              }[];
            referredBy: {
              campaignId: number;
              referralId: number;
              referrerId: number;
              status: string;
            } | null;
            rewards: {
                earned: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              }[];
            starts: number;
            telegramId: number;
            username: string | null;
            wallet: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member; `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Ban a member: codes stop attributing, unsent grants to them are rejected
   * @description A ban holds in every campaign: super-admins only.
   */
  banMember: {
    parameters: {
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description The member after the ban */
      200: {
        content: {
          "application/json": {
            member: {
              banned: boolean;
              bannedAt: string | null;
              banReason: string | null;
              clicks: number;
              codes: {
                  code: string;
                  /** Format: date-time */
                  createdAt: string;
                  kind: string;
                }[];
              firstName: string | null;
              /** Format: date-time */
              firstSeenAt: string;
              id: number;
              languageCode: string | null;
              lastName: string | null;
              /** Format: date-time */
              lastSeenAt: string;
              levels: {
                  level: number;
                  pending: number;
                  qualified: number;
                  rejected: number;
                  review: number;
                }[];
              referredBy: {
                campaignId: number;
                referralId: number;
                referrerId: number;
                status: string;
              } | null;
              rewards: {
                  earned: {
                    tokens: string;
                    wei: string;
                  };
                  token: string;
                }[];
              starts: number;
              telegramId: number;
              username: string | null;
              wallet: string | null;
            };
            rejectedGrants: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Mark a challenge completed for a member (grants its reward once; may qualify their referral)
   * @description Needs `member.reward` (owners, managers) in the campaign.
   */
  completeChallenge: {
    parameters: {
      path: {
        id: string;
        challengeId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
        };
      };
    };
    responses: {
      /** @description What the completion did */
      200: {
        content: {
          "application/json": {
            amount: {
              tokens: string;
              wei: string;
            };
            entryId: number | null;
            newlyCompleted: boolean;
            qualification: ({
              entryIds?: number[];
              reason?: string;
              reasons?: string[];
              referralId: number | null;
              /** @enum {string} */
              status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
            }) | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed; `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member; `challenge_unknown` (https://refmint.dev/problems/challenge-unknown): No such challenge; `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Take a member's completed challenge back (its reward cancelled, or owed back)
   * @description Needs `member.reward` (owners, managers) in the campaign; audited with before and after. A reward not sent yet is cancelled (back to the budget); one already sent or on-chain is recorded as a clawback debt (`outcome: clawback`), closed if the member completes the challenge again. The member is told.
   */
  revokeChallenge: {
    parameters: {
      path: {
        id: string;
        challengeId: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
          /** @description Why (audited) */
          note?: string;
        };
      };
    };
    responses: {
      /** @description What the revocation did */
      200: {
        content: {
          "application/json": {
            amount: {
              tokens: string;
              wei: string;
            };
            entryId: number | null;
            /**
             * @description `cancelled`: the reward had not left; `clawback`: it had, and is owed back; `unpaid`: the completion paid nothing
             * @enum {string}
             */
            outcome: "cancelled" | "clawback" | "unpaid";
            token: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `challenge_unknown` (https://refmint.dev/problems/challenge-unknown): No such challenge; `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `challenge_not_completed` (https://refmint.dev/problems/challenge-not-completed): The member has not completed the challenge */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Assign a vanity referral code (old codes keep working)
   * @description A member's code works in every campaign: super-admins only.
   */
  setVanityCode: {
    parameters: {
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          code: string;
        };
      };
    };
    responses: {
      /** @description The code */
      200: {
        content: {
          "application/json": {
            code: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `code_taken` (https://refmint.dev/problems/code-taken): The code is taken */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `invalid_code` (https://refmint.dev/problems/invalid-code): Not a valid referral code */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * One member's whole record: attributions, ledger with state history, payouts, claims, notifications
   * @description Needs `member.read` in a campaign the member takes part in; a campaign's admins see only their campaigns' referrals and entries. Audited (`member.record_read`).
   */
  memberRecord: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The record */
      200: {
        content: {
          "application/json": {
            attributions: ({
                /** Format: date-time */
                attributedAt: string;
                campaign: string;
                code: string;
                id: number;
                qualifiedAt: string | null;
                refereeId: number;
                referrerId: number;
                rejectedAt: string | null;
                review: ({
                  decisionReason: string | null;
                  id: number;
                  reasons: string[];
                  status: string;
                }) | null;
                /** @enum {string} */
                role: "referee" | "referrer";
                source: string;
                status: string;
                statusReason: string | null;
              })[];
            claims: {
                account: string;
                amountWei: string;
                blockNumber: number;
                txHash: string;
              }[];
            ledger: ({
                amountWei: string;
                campaign: string;
                /** @description The dates the entry reached each state, oldest first */
                history: {
                    /** Format: date-time */
                    at: string;
                    state: string;
                  }[];
                id: number;
                kind: string;
                level: number | null;
                payout: ({
                  holdReason: string | null;
                  status: string;
                  txHash: string | null;
                }) | null;
                state: string;
                token: string;
                txHash: string | null;
              })[];
            member: {
              banned: boolean;
              bannedAt: string | null;
              banReason: string | null;
              clicks: number;
              codes: {
                  code: string;
                  /** Format: date-time */
                  createdAt: string;
                  kind: string;
                }[];
              firstName: string | null;
              /** Format: date-time */
              firstSeenAt: string;
              id: number;
              languageCode: string | null;
              lastName: string | null;
              /** Format: date-time */
              lastSeenAt: string;
              /** @description What matched: telegram_id, member_id, username, … */
              matched: string[];
              starts: number;
              telegramId: number;
              username: string | null;
              wallet: string | null;
            };
            notifications: ({
                /** Format: date-time */
                createdAt: string;
                id: number;
                kind: string;
                sentAt: string | null;
                status: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Lift a ban
   * @description Super-admins only, like the ban.
   */
  unbanMember: {
    parameters: {
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description The member */
      200: {
        content: {
          "application/json": {
            banned: boolean;
            bannedAt: string | null;
            banReason: string | null;
            clicks: number;
            codes: {
                code: string;
                /** Format: date-time */
                createdAt: string;
                kind: string;
              }[];
            firstName: string | null;
            /** Format: date-time */
            firstSeenAt: string;
            id: number;
            languageCode: string | null;
            lastName: string | null;
            /** Format: date-time */
            lastSeenAt: string;
            levels: {
                level: number;
                pending: number;
                qualified: number;
                rejected: number;
                review: number;
              }[];
            referredBy: {
              campaignId: number;
              referralId: number;
              referrerId: number;
              status: string;
            } | null;
            rewards: {
                earned: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              }[];
            starts: number;
            telegramId: number;
            username: string | null;
            wallet: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Find members by Telegram id, member number, @username, wallet, referral code, payout id or transaction hash
   * @description Needs `member.read`; a campaign's admins find only the members taking part in their campaigns. At most 20, newest first. Audited (`member.searched`, without the term).
   */
  searchMembers: {
    parameters: {
      query: {
        q: string;
      };
    };
    responses: {
      /** @description The members found */
      200: {
        content: {
          "application/json": {
            items: ({
                banned: boolean;
                firstName: string | null;
                id: number;
                lastName: string | null;
                /** @description What matched: telegram_id, member_id, username, … */
                matched: string[];
                telegramId: number;
                username: string | null;
                wallet: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Review queue (flagged referrals), newest first
   * @description One campaign's queue (`review.read` there), or without `campaign` every campaign's the caller may review.
   */
  listReviews: {
    parameters: {
      query?: {
        /** @description Default: open */
        status?: "open" | "approved" | "rejected";
        /** @description Only this campaign's items */
        campaign?: string;
        limit?: string;
        before?: string;
      };
    };
    responses: {
      /** @description A page of review items */
      200: {
        content: {
          "application/json": {
            items: ({
                /** Format: date-time */
                createdAt: string;
                decidedAt: string | null;
                decidedBy: string | null;
                decisionReason: string | null;
                id: number;
                reasons: string[];
                referral: {
                  /** Format: date-time */
                  attributedAt: string;
                  campaign: string;
                  id: number;
                  refereeId: number;
                  referrerId: number;
                  source: string;
                };
                /** @enum {string} */
                status: "open" | "approved" | "rejected";
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Approve a flagged referral: it is paid (caps and budget still apply) */
  approveReview: {
    parameters: {
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description The payout outcome */
      200: {
        content: {
          "application/json": {
            entryIds?: number[];
            reason?: string;
            reasons?: string[];
            referralId: number | null;
            /** @enum {string} */
            status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed; `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `review_not_found` (https://refmint.dev/problems/review-not-found): No such review item */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `review_closed` (https://refmint.dev/problems/review-closed): The review item is already decided */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A review item's evidence: signals that fired, the referral chain, shared IP/device/wallet, timing
   * @description Needs `review.read` in the item's campaign. Audited (`review.evidence_read`).
   */
  reviewEvidence: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The evidence */
      200: {
        content: {
          "application/json": {
            campaign: string;
            chain: ({
                banned: boolean;
                firstName: string | null;
                /** Format: date-time */
                firstSeenAt: string;
                id: number;
                username: string | null;
              })[];
            reasons: string[];
            referee: {
              banned: boolean;
              firstName: string | null;
              /** Format: date-time */
              firstSeenAt: string;
              id: number;
              username: string | null;
            };
            referrer: {
              banned: boolean;
              firstName: string | null;
              /** Format: date-time */
              firstSeenAt: string;
              id: number;
              username: string | null;
            };
            referrerBurst24h: number;
            reviewId: number;
            secondsToAttribution: number;
            secondsToReview: number;
            sharedDevice: number;
            sharedIp: number;
            sharedWalletMembers: number[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `review_not_found` (https://refmint.dev/problems/review-not-found): No such review item */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Reject a flagged referral with a reason; it will never pay */
  rejectReview: {
    parameters: {
      path: {
        id: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          reason: string;
        };
      };
    };
    responses: {
      /** @description The rejection */
      200: {
        content: {
          "application/json": {
            entryIds?: number[];
            reason?: string;
            reasons?: string[];
            referralId: number | null;
            /** @enum {string} */
            status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `review_not_found` (https://refmint.dev/problems/review-not-found): No such review item */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `review_closed` (https://refmint.dev/problems/review-closed): The review item is already decided */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Payouts and escrow releases held because their address is on a screening list */
  listHeld: {
    responses: {
      /** @description What screening holds */
      200: {
        content: {
          "application/json": {
            payouts: ({
                amount: string;
                campaignId: number;
                entryId: number;
                /** Format: date-time */
                heldAt: string;
                memberId: number;
                reason: string;
                token: string;
                wallet: string | null;
              })[];
            releases: ({
                amount: string;
                memberId: number;
                reason: string | null;
                token: string;
                wallet: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Reject held payouts: never paid, their amounts back to the campaign's budget */
  rejectHeld: {
    requestBody: {
      content: {
        "application/json": {
          entryIds: number[];
          reason: string;
        };
      };
    };
    responses: {
      /** @description How many were rejected */
      200: {
        content: {
          "application/json": {
            rejected: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Let held payouts (by entry id) and held escrow releases (by member) go again; refused while an address is still listed */
  releaseHeld: {
    requestBody: {
      content: {
        "application/json": {
          entryIds?: number[];
          memberIds?: number[];
          reason: string;
        };
      };
    };
    responses: {
      /** @description How many went back to the queue */
      200: {
        content: {
          "application/json": {
            payouts: number;
            releases: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed; `address_screened` (https://refmint.dev/problems/address-screened): The address is on a screening list */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Import (or replace) a screening list: its source, its date and its file's text (one address per line, or CSV) */
  importScreeningList: {
    requestBody: {
      content: {
        "application/json": {
          listedOn: string;
          source: string;
          text: string;
        };
      };
    };
    responses: {
      /** @description The list as imported */
      200: {
        content: {
          "application/json": {
            added: number;
            entries: number;
            listId: number;
            removed: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded; `screening_list_invalid` (https://refmint.dev/problems/screening-list-invalid): The screening list is not valid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's surveys and votes
   * @description Needs `survey.read` (owners, managers, analysts).
   */
  listSurveys: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The surveys */
      200: {
        content: {
          "application/json": ({
              campaign: string;
              closedAt: string | null;
              closesAt: string | null;
              /** Format: date-time */
              createdAt: string;
              id: number;
              /** @enum {string} */
              kind: "survey" | "vote";
              questions: ({
                  /** @enum {string} */
                  kind: "choice" | "text";
                  options?: {
                      /** @description A vote's option: the budget the next reward would have (whole tokens) */
                      budget?: string;
                      text: string;
                    }[];
                  text: string;
                })[];
              reward: {
                amount: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              } | null;
              /** @enum {string} */
              segment: "all" | "referred" | "inviters" | "wallet";
              /** @enum {string} */
              status: "open" | "closed";
              title: string;
            })[];
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Create a survey (questions with choices or free text) or a vote on the next reward
   * @description Needs `survey.manage` (owners, managers) in the campaign; audited. A vote is one choice question whose options may carry a budget. The bot delivers it to its segment with `/survey send <id>`: native polls where they fit (2–10 options), buttons otherwise, a reply prompt for free text. `reward` is paid once per member who answers every question.
   */
  createSurvey: {
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
          /** Format: date-time */
          closesAt?: string;
          /** @enum {string} */
          kind: "survey" | "vote";
          questions: ({
              /** @enum {string} */
              kind: "choice" | "text";
              options?: {
                  /** @description A vote's option: the budget the next reward would have (whole tokens) */
                  budget?: string;
                  text: string;
                }[];
              text: string;
            })[];
          reward?: {
            amount: string;
            token: string;
          };
          /**
           * @default all
           * @enum {string}
           */
          segment?: "all" | "referred" | "inviters" | "wallet";
          title: string;
        };
      };
    };
    responses: {
      /** @description The survey */
      201: {
        content: {
          "application/json": {
            campaign: string;
            closedAt: string | null;
            closesAt: string | null;
            /** Format: date-time */
            createdAt: string;
            id: number;
            /** @enum {string} */
            kind: "survey" | "vote";
            questions: ({
                /** @enum {string} */
                kind: "choice" | "text";
                options?: {
                    /** @description A vote's option: the budget the next reward would have (whole tokens) */
                    budget?: string;
                    text: string;
                  }[];
                text: string;
              })[];
            reward: {
              amount: {
                tokens: string;
                wei: string;
              };
              token: string;
            } | null;
            /** @enum {string} */
            segment: "all" | "referred" | "inviters" | "wallet";
            /** @enum {string} */
            status: "open" | "closed";
            title: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded; `answer_invalid` (https://refmint.dev/problems/answer-invalid): The answer does not fit the question */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Close a survey: no more answers or changed votes
   * @description Needs `survey.manage`; audited.
   */
  closeSurvey: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The survey */
      200: {
        content: {
          "application/json": {
            campaign: string;
            closedAt: string | null;
            closesAt: string | null;
            /** Format: date-time */
            createdAt: string;
            id: number;
            /** @enum {string} */
            kind: "survey" | "vote";
            questions: ({
                /** @enum {string} */
                kind: "choice" | "text";
                options?: {
                    /** @description A vote's option: the budget the next reward would have (whole tokens) */
                    budget?: string;
                    text: string;
                  }[];
                text: string;
              })[];
            reward: {
              amount: {
                tokens: string;
                wei: string;
              };
              token: string;
            } | null;
            /** @enum {string} */
            segment: "all" | "referred" | "inviters" | "wallet";
            /** @enum {string} */
            status: "open" | "closed";
            title: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `survey_not_found` (https://refmint.dev/problems/survey-not-found): No such survey */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `survey_closed` (https://refmint.dev/problems/survey-closed): The survey is closed */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Results per option and per segment (and free-text answers)
   * @description Needs `survey.read`; the read is audited. Segments: `all`, `referred` (attributed in the campaign), `inviters` (with a qualified referral), `wallet` (with a linked wallet).
   */
  getSurveyResults: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The results */
      200: {
        content: {
          "application/json": {
            delivered: number;
            questions: ({
                answers: number;
                /** @enum {string} */
                kind: "choice" | "text";
                options: ({
                    budget: string | null;
                    count: number;
                    text: string;
                  })[];
                text: string;
                texts: string[];
              })[];
            respondents: number;
            segments: {
              [key: string]: {
                /** @description Per question, per option */
                counts: number[][];
                respondents: number;
              };
            };
            survey: {
              campaign: string;
              closedAt: string | null;
              closesAt: string | null;
              /** Format: date-time */
              createdAt: string;
              id: number;
              /** @enum {string} */
              kind: "survey" | "vote";
              questions: ({
                  /** @enum {string} */
                  kind: "choice" | "text";
                  options?: {
                      /** @description A vote's option: the budget the next reward would have (whole tokens) */
                      budget?: string;
                      text: string;
                    }[];
                  text: string;
                })[];
              reward: {
                amount: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              } | null;
              /** @enum {string} */
              segment: "all" | "referred" | "inviters" | "wallet";
              /** @enum {string} */
              status: "open" | "closed";
              title: string;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `survey_not_found` (https://refmint.dev/problems/survey-not-found): No such survey */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Campaigns served here */
  listCampaigns: {
    responses: {
      /** @description Campaigns */
      200: {
        content: {
          "application/json": {
            items: ({
                active: boolean;
                endsAt: string | null;
                name: {
                  en: string;
                  ru: string;
                };
                onchainId: number;
                slug: string;
                startsAt: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A campaign's public rules: tokens, qualification, levels, tiers, caps, expiry, challenges, perks, badges */
  getCampaignRules: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Rules */
      200: {
        content: {
          "application/json": {
            active: boolean;
            /** @description Who can be referred */
            attribution: {
              /** @description true: only members new to the community (first seen anywhere within the window); false: members of other campaigns too, within the window counted from joining this one */
              newMembersOnly: boolean;
              /** @description ATTRIBUTION_WINDOW_HOURS */
              windowHours: number;
            };
            badges: {
                id: number;
                name: {
                  en: string;
                  ru: string;
                };
                transferable: boolean;
              }[];
            caps: {
              perMemberDaily: {
                [key: string]: string;
              };
              perMemberTotal: {
                [key: string]: string;
              };
            };
            challenges: {
                [key: string]: unknown;
              }[];
            contracts: ({
              badges: string | null;
              chainId: number;
              perkShop: string | null;
              referralPayouts: string | null;
            }) | null;
            endsAt: string | null;
            expiry: {
              days: number;
            } | null;
            levels: {
                [key: string]: unknown;
              }[];
            name: {
              en: string;
              ru: string;
            };
            onchainId: number;
            perks: {
                [key: string]: unknown;
              }[];
            qualification: {
              [key: string]: unknown;
            };
            slug: string;
            startsAt: string;
            tiers: {
                [key: string]: unknown;
              }[];
            tokens: ({
                address: string | null;
                budget: string;
                cap: string | null;
                decimals: number;
                distributor: string | null;
                maxBatch: number;
                name: string;
                symbol: string;
              })[];
            welcomeBonus: {
              amount: string;
              token: string;
            } | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's leaderboard (top N) and the caller's own rank
   * @description Boards: `referrals` (qualified referrals) and `activity` (activity points: the campaign's activity token granted for challenges and other activities). Periods: `week` (the current ISO week in UTC, from Monday 00:00) and `all`. Equal scores share a rank; within a tie, whoever reached the score first is listed first. Banned members and members with a referral in review are left out. Names are shown only for members who opted in (`PATCH /api/me/settings`); everyone else appears under a stable pseudonym.
   */
  getLeaderboard: {
    parameters: {
      query?: {
        board?: "referrals" | "activity";
        period?: "week" | "all";
        /** @description How many from the top (default 20, at most 100) */
        limit?: string;
      };
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The board */
      200: {
        content: {
          "application/json": {
            /** @enum {string} */
            board: "referrals" | "activity";
            campaign: string;
            entries: ({
                me: boolean;
                /** @description How a member appears on boards */
                name: {
                  /** @enum {string} */
                  kind: "name" | "pseudonym";
                  /** @description The member's first name (only when they opted in) or their pseudonym (#K7Q2X9) */
                  text: string;
                };
                /** @description Competition rank: equal scores share a rank */
                rank: number;
                score: number;
              })[];
            me: {
              /** @description How a member appears on boards */
              name: {
                /** @enum {string} */
                kind: "name" | "pseudonym";
                /** @description The member's first name (only when they opted in) or their pseudonym (#K7Q2X9) */
                text: string;
              };
              rank: number | null;
              score: number;
              showName: boolean;
              /**
               * @description `ranked`: on the board; `unranked`: no score in this period yet; `hidden`: left out while banned or while a referral of theirs is in review
               * @enum {string}
               */
              status: "ranked" | "unranked" | "hidden";
              /** @description Other members with the same score */
              tiedWith: number;
            };
            period: {
              endsAt: string | null;
              /** @description `all`, or the ISO week in UTC (`2026-W07`) */
              key: string;
              /** @enum {string} */
              kind: "week" | "all";
              startsAt: string | null;
            };
            /** @description Members on the board */
            total: number;
            unit: {
              /** @enum {string} */
              kind: "referrals" | "points";
              /** @description For points: the activity token (1 point = 1 token) */
              token: string | null;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A campaign's state and, once it ended, its grace end and clawback date */
  getCampaignLifecycle: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The lifecycle */
      200: {
        content: {
          "application/json": {
            /** @description The last moment to claim (the final epoch's deadline); unclaimed rewards return after it */
            clawbackAt: string | null;
            endedAt: string | null;
            /** @description Referrals attributed before the end may qualify until then */
            graceEndsAt: string | null;
            /** @description null: not a pilot */
            pilot: ({
              members: number;
              promotedAt: string | null;
            }) | null;
            slug: string;
            /** @enum {string} */
            state: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
            /** Format: date-time */
            stateChangedAt: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's rules versions that took effect, newest first, with what each changed
   * @description Each version's rules document is served at `documentUrl`; its SHA-256 is `hash`, which the campaign's ReferralPayouts contract logged (`RulesPublished`) in `txHash` at `blockNumber`, when it took effect. Version 1 is what the campaign started with. `changes` are the members' lines (amounts, tiers, challenges, perks, dates, limits per member, budgets).
   */
  listCampaignVersions: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description Versions */
      200: {
        content: {
          "application/json": {
            /** @description The version in effect */
            current: number;
            items: ({
                blockNumber: number | null;
                changes: ({
                    /** @enum {string} */
                    audience: "members" | "operator";
                    field?: string;
                    /** @description null: added */
                    from: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    level?: number;
                    name?: {
                      en: string;
                      ru: string;
                    };
                    /** @enum {string} */
                    subject: "name" | "startsAt" | "endsAt" | "qualification" | "level" | "welcomeBonus" | "tier" | "tier.name" | "tier.minQualified" | "tier.multiplier" | "tier.badge" | "cap.daily" | "cap.total" | "expiry" | "challenge" | "challenge.title" | "challenge.reward" | "perk" | "perk.title" | "perk.price" | "perk.stock" | "badge" | "badge.name" | "badge.transferable" | "token" | "token.budget" | "end.graceHours" | "end.claimDays" | "terms.version" | "terms.url" | "terms.text" | "participation.countries" | "participation.languages" | "participation.minAge" | "attribution.newMembersOnly" | "token.setting" | "escrow" | "fraud" | "variant" | "identity" | "pilot";
                    /** @description The change in English */
                    text: string;
                    /** @description null: removed */
                    to: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    token?: string;
                  })[];
                /** Format: date-time */
                createdAt: string;
                /** @description Where the rules document is served here */
                documentUrl: string;
                effectiveAt: string | null;
                /** @description SHA-256 of the rules document (0x + 64 hex digits) */
                hash: string;
                /** @description The URL published on-chain with the version */
                rulesUrl: string | null;
                /** @enum {string} */
                status: "pending" | "effective";
                txHash: string | null;
                version: number;
              })[];
            slug: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** State of the payout worker, indexer and epoch publisher instances */
  getChainHealth: {
    responses: {
      /** @description `ok` when every job has a healthy leader and every distributor's latest epoch is served */
      200: {
        content: {
          "application/json": {
            /** @description Epochs members cannot claim: a failed or stuck publication, or a root on-chain that this service cannot serve */
            alerts: string[];
            jobs: ({
                alerts: string[];
                consecutiveFailures: number;
                details: {
                  [key: string]: unknown;
                };
                instance: string;
                /** @enum {string} */
                job: "worker" | "indexer" | "epochs";
                lastError: string | null;
                lastErrorAt: string | null;
                lastPassAt: string | null;
                lastSuccessAt: string | null;
                leader: boolean;
                /** @enum {string} */
                status: "starting" | "ok" | "degraded" | "standby" | "stopped";
                updatedAt: string | null;
              })[];
            /** @enum {string} */
            status: "ok" | "degraded" | "down";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Report a qualifying action of a member (e.g. a purchase in the host's bot)
   * @description Counts as a `partner_event` of the key's partner with `type` as its event type, in the key's campaign only: a pending referral of the member there qualifies when the campaign's rule asks for it (fraud checks and rewards as for every qualification), and the campaign's challenges that detect it complete. Idempotent by `eventId` per campaign: a replay returns the original result with `replayed: true`; the same id with another `type` or member is `host_event_conflict`.
   */
  hostReportAction: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The host's id of the action: the same id is processed once */
          eventId: string;
          telegramUserId: number;
          /** @description The event type, e.g. `purchase` (the campaign's `qualification.eventType`) */
          type: string;
        };
      };
    };
    responses: {
      /** @description The processing result */
      200: {
        content: {
          "application/json": {
            challenges?: string[];
            eventId: string;
            /** @enum {string} */
            outcome: "qualified" | "review" | "rejected" | "ignored";
            reason?: string;
            referralId?: number;
            replayed: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `api_key_invalid` (https://refmint.dev/problems/api-key-invalid): The API key is invalid or revoked */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `host_event_conflict` (https://refmint.dev/problems/host-event-conflict): The event id was used with another action */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A member's status in the key's campaign, creating the member on first sight
   * @description For the host's `/invite` and `/stats`: the member's code and start payload (and, with `bot`, the link to share), clicks and starts, referrals per level, tier, rewards, and what the campaign still needs from them.
   */
  hostEnsureMember: {
    parameters: {
      query?: {
        /** @description The host bot's username: the answer then carries `link` to share */
        bot?: string;
      };
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The Telegram user as the host's update names them (`ctx.from`) */
          user: {
            firstName?: string;
            id: number;
            /**
             * @description Bots cannot be members
             * @constant
             */
            isBot?: false;
            isPremium?: boolean;
            languageCode?: string;
            lastName?: string;
            username?: string;
          };
        };
      };
    };
    responses: {
      /** @description The member's status */
      200: {
        content: {
          "application/json": {
            campaign: {
              active: boolean;
              name: {
                en: string;
                ru: string;
              };
              slug: string;
            };
            /** @description What the campaign still needs from the member before rewards (accepted terms, …), or why they cannot take part */
            eligibility: {
              missing?: ("terms_not_accepted" | "country_required" | "age_not_confirmed")[];
              ok: boolean;
              /** @enum {string} */
              refused?: "member_excluded" | "country_not_allowed" | "language_not_allowed";
            };
            levels: {
                level: number;
                pending: number;
                qualified: number;
                rejected: number;
                review: number;
              }[];
            member: {
              banned: boolean;
              clicks: number;
              code: string;
              /** @description Public member number */
              id: number;
              /** @description `https://t.me/<bot>?start=<startPayload>` with `bot` */
              link: string | null;
              /** @description What the host's `/start` link carries */
              startPayload: string;
              starts: number;
              walletLinked: boolean;
            };
            referredBy: ({
              referralId: number;
              /** @enum {string} */
              status: "pending" | "review" | "qualified" | "rejected";
            }) | null;
            rewards: {
                byState: {
                  [key: string]: {
                    tokens: string;
                    wei: string;
                  };
                };
                earned: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              }[];
            tier: {
              current: {
                id: string;
                minQualified: number;
                multiplierBps: number;
                name: {
                  en: string;
                  ru: string;
                };
              };
              next: {
                id: string;
                minQualified: number;
                multiplierBps: number;
                name: {
                  en: string;
                  ru: string;
                };
              } | null;
              qualified: number;
              toNext: number | null;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `api_key_invalid` (https://refmint.dev/problems/api-key-invalid): The API key is invalid or revoked */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The status of a member Refmint knows, by Telegram user id (writes nothing) */
  hostMemberStatus: {
    parameters: {
      query?: {
        /** @description The host bot's username: the answer then carries `link` to share */
        bot?: string;
      };
      path: {
        slug: string;
        telegramUserId: string;
      };
    };
    responses: {
      /** @description The member's status */
      200: {
        content: {
          "application/json": {
            campaign: {
              active: boolean;
              name: {
                en: string;
                ru: string;
              };
              slug: string;
            };
            /** @description What the campaign still needs from the member before rewards (accepted terms, …), or why they cannot take part */
            eligibility: {
              missing?: ("terms_not_accepted" | "country_required" | "age_not_confirmed")[];
              ok: boolean;
              /** @enum {string} */
              refused?: "member_excluded" | "country_not_allowed" | "language_not_allowed";
            };
            levels: {
                level: number;
                pending: number;
                qualified: number;
                rejected: number;
                review: number;
              }[];
            member: {
              banned: boolean;
              clicks: number;
              code: string;
              /** @description Public member number */
              id: number;
              /** @description `https://t.me/<bot>?start=<startPayload>` with `bot` */
              link: string | null;
              /** @description What the host's `/start` link carries */
              startPayload: string;
              starts: number;
              walletLinked: boolean;
            };
            referredBy: ({
              referralId: number;
              /** @enum {string} */
              status: "pending" | "review" | "qualified" | "rejected";
            }) | null;
            rewards: {
                byState: {
                  [key: string]: {
                    tokens: string;
                    wei: string;
                  };
                };
                earned: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              }[];
            tier: {
              current: {
                id: string;
                minQualified: number;
                multiplierBps: number;
                name: {
                  en: string;
                  ru: string;
                };
              };
              next: {
                id: string;
                minQualified: number;
                multiplierBps: number;
                name: {
                  en: string;
                  ru: string;
                };
              } | null;
              qualified: number;
              toNext: number | null;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `api_key_invalid` (https://refmint.dev/problems/api-key-invalid): The API key is invalid or revoked */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_not_found` (https://refmint.dev/problems/member-not-found): No such member */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A host bot's `/start <payload>`: attribute the Telegram user in the key's campaign
   * @description Creates the member on first sight and attributes them through the same path as Refmint's own bot (first valid start wins, never re-attributed, no self-referral or loops). A refusal is an answer (`outcome: refused` with the reason), not an error. The same start again (a redelivered update) answers `attributed` with `replayed: true` and writes nothing. A payload that cannot be a code (`invalid_code`) or names another campaign (`forbidden`) writes nothing.
   */
  hostStart: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description What followed `/start`: a code, or `<code>__<campaign slug>` */
          payload: string;
          /** @description The Telegram user as the host's update names them (`ctx.from`) */
          user: {
            firstName?: string;
            id: number;
            /**
             * @description Bots cannot be members
             * @constant
             */
            isBot?: false;
            isPremium?: boolean;
            languageCode?: string;
            lastName?: string;
            username?: string;
          };
        };
      };
    };
    responses: {
      /** @description The attribution's outcome */
      200: {
        content: {
          "application/json": {
            /** @description The inviter's first name or username */
            inviter?: string | null;
            /** @description Refmint saw this Telegram user for the first time */
            memberCreated: boolean;
            /** @enum {string} */
            outcome: "attributed" | "refused";
            qualification?: {
              entryIds?: number[];
              reason?: string;
              reasons?: string[];
              referralId: number | null;
              /** @enum {string} */
              status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
            };
            /** @description Why not: `unknown_code`, `self_referral`, `already_attributed`, `not_new_member`, … */
            reason?: string;
            referralId?: number;
            /** @description The same attribution was recorded before; nothing new written */
            replayed: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `api_key_invalid` (https://refmint.dev/problems/api-key-invalid): The API key is invalid or revoked */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `invalid_code` (https://refmint.dev/problems/invalid-code): Not a valid referral code */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Profile, referral code and links, stats, tier progress and reward totals */
  getProfile: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The member's profile */
      200: {
        content: {
          "application/json": {
            campaign: {
              active: boolean;
              name: {
                en: string;
                ru: string;
              };
              slug: string;
              variant: string | null;
            };
            /** @description The member's campaigns (taken part in, or running now), the current one first; the dashboard's switcher shows them when there are several, and then `links` name `campaign` */
            campaigns: {
                active: boolean;
                name: {
                  en: string;
                  ru: string;
                };
                slug: string;
              }[];
            code: string;
            /** @description What this member earns per referral level now (their A/B variant and tier multiplier) and at the next tier, before caps; level 2 and deeper depend on the friend in between's variant, hence min and max. The bot's /start, /invite and /rules show the same numbers */
            earnings: {
              levels: ({
                  level: number;
                  max: {
                    tokens: string;
                    wei: string;
                  };
                  min: {
                    tokens: string;
                    wei: string;
                  };
                  next: {
                    max: {
                      tokens: string;
                      wei: string;
                    };
                    min: {
                      tokens: string;
                      wei: string;
                    };
                  } | null;
                  /** @description Percent levels: share of the level above */
                  percentBps: number | null;
                  token: string;
                })[];
              multiplierBps: number;
              nextMultiplierBps: number | null;
              nextTier: string | null;
              /** @description The member's tier id in this campaign */
              tier: string;
              /** @description Friends still to count until the next tier */
              toNext: number | null;
            };
            /** @description A super-admin or holding some campaign role (kept for older clients; see `roles`) */
            isAdmin: boolean;
            links: {
              bot: string;
              miniApp: string;
              redirect: string;
            };
            member: {
              firstName: string | null;
              /** Format: date-time */
              firstSeenAt: string;
              /** @description Public member number */
              id: number;
              languageCode: string | null;
              username: string | null;
              wallet: string | null;
            };
            /** @description What each referral level earns for this member's variant, before tier multipliers and caps */
            offer: {
                amount: {
                  tokens: string;
                  wei: string;
                };
                level: number;
                token: string;
              }[];
            /** @description The member's admin roles per campaign (empty in a website session: admin rights come only with Telegram init data) */
            roles: ({
                /** @description Campaign slug */
                campaign: string;
                roles: ("owner" | "manager" | "reviewer" | "analyst")[];
              })[];
            stats: {
              clicks: number;
              /** @description Link clicks → bot starts → qualified referrals */
              funnel: {
                clicks: number;
                /** @description Qualified level 1 referrals */
                qualified: number;
                /** @description Qualified referrals per start in percent; null without starts */
                qualifyRate: number | null;
                /** @description Starts per click in percent (capped at 100); null without clicks */
                startRate: number | null;
                starts: number;
              };
              levels: {
                  level: number;
                  pending: number;
                  qualified: number;
                  rejected: number;
                  review: number;
                }[];
              rewards: {
                  byState: {
                    [key: string]: {
                      tokens: string;
                      wei: string;
                    };
                  };
                  earned: {
                    tokens: string;
                    wei: string;
                  };
                  token: string;
                }[];
              starts: number;
              tier: {
                current: {
                  badgeId: number | null;
                  id: string;
                  minQualified: number;
                  multiplierBps: number;
                  name: {
                    en: string;
                    ru: string;
                  };
                };
                next: ({
                  badgeId: number | null;
                  id: string;
                  minQualified: number;
                  multiplierBps: number;
                  name: {
                    en: string;
                    ru: string;
                  };
                }) | null;
                qualified: number;
                toNext: number | null;
              };
            };
            /** @description `ADMIN_TELEGRAM_IDS`: every action in every campaign, whatever `roles` says */
            superAdmin: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Delete this member's personal data (on-chain facts stay: a public chain)
   * @description Erases or pseudonymises names, username, language, the Telegram id, clicks, IP and device hashes, wallet link history, declarations, settings, sessions, chat memberships, check-ins, survey answers, roles. Referrals, ledger entries, payouts and reported actions stay under the member number; payouts already on-chain are public and cannot be erased. The member is never messaged again.
   */
  deleteMyData: {
    requestBody: {
      content: {
        "application/json": {
          /**
           * @description Must be true
           * @constant
           */
          confirm: true;
        };
      };
    };
    responses: {
      /** @description What was erased and what stays */
      200: {
        content: {
          "application/json": {
            erased: {
              [key: string]: number;
            };
            ledgerEntriesKept: number;
            memberNumber: number;
            onChainEntries: number;
            walletKept: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_deleted` (https://refmint.dev/problems/member-deleted): The member's data was deleted */
      410: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `deletion_not_confirmed` (https://refmint.dev/problems/deletion-not-confirmed): Confirm the deletion */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Record who referred this member (Mini App start_param)
   * @description Uses the `start_param` of the validated init data unless `code` is given. The first valid attribution of a new member wins and is never changed.
   */
  attributeFromStartParam: {
    requestBody: {
      content: {
        "application/json": {
          /** @description Referral code; defaults to the init data's start_param */
          code?: string;
          /** @description Stable client device id (fraud signal; stored hashed) */
          deviceId?: string;
        };
      };
    };
    responses: {
      /** @description The attribution */
      201: {
        content: {
          "application/json": {
            /** Format: date-time */
            attributedAt: string;
            campaign: string;
            referralId: number;
            referrerId: number;
            status: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned; `not_in_pilot` (https://refmint.dev/problems/not-in-pilot): The campaign is a pilot the member is not part of */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `already_attributed` (https://refmint.dev/problems/already-attributed): The member was already referred; `not_new_member` (https://refmint.dev/problems/not-new-member): Only new members can be referred; `campaign_inactive` (https://refmint.dev/problems/campaign-inactive): The campaign is not running */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `invalid_code` (https://refmint.dev/problems/invalid-code): Not a valid referral code; `unknown_code` (https://refmint.dev/problems/unknown-code): Unknown referral code; `referrer_banned` (https://refmint.dev/problems/referrer-banned): The code's owner is banned; `self_referral` (https://refmint.dev/problems/self-referral): Members cannot refer themselves; `referral_loop` (https://refmint.dev/problems/referral-loop): This would create a referral loop */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's badges in a campaign */
  getMyBadges: {
    parameters: {
      query?: {
        campaign?: string;
      };
    };
    responses: {
      /** @description Badges, oldest first, with the campaign's Badges contract */
      200: {
        content: {
          "application/json": {
            campaign: string;
            /** @description The campaign's Badges contract (ERC-1155) */
            contract: string | null;
            items: ({
                account: string | null;
                /** Format: date-time */
                awardedAt: string;
                id: number;
                image: string;
                /** @description `tier` or the achievement (`first_invite`, `qualified_10`, …) */
                kind: string;
                metadata: string;
                name: {
                  en: string;
                  ru: string;
                };
                /**
                 * @description `awaiting_wallet`: minted once a wallet is linked; `minted`: on-chain
                 * @enum {string}
                 */
                status: "awaiting_wallet" | "queued" | "minting" | "minted" | "revoke_queued" | "revoking";
                txHash: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The campaign's challenges with the member's progress, state and reward
   * @description Completion is detected by the system (a chat joined and stayed in, friends qualified, a wallet linked, check-ins, a survey answered, a partner event); reading this catches up anything not yet detected. Days are UTC days.
   */
  listChallenges: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The challenges */
      200: {
        content: {
          "application/json": {
            campaign: string;
            challenges: ({
                chatId: number | null;
                id: string;
                /** @description The member's personal invite link to the chat, once the bot made one */
                inviteLink: string | null;
                /**
                 * @description How it is detected (`manual`: granted by an admin)
                 * @enum {string}
                 */
                kind: "manual" | "join_chat" | "invite" | "wallet" | "checkin" | "survey" | "partner_event";
                /** @description Friends qualified, days stayed, or the check-in streak */
                progress: {
                  current: number;
                  target: number;
                } | null;
                /** @description `day`: pays once per UTC day */
                repeat: "day" | null;
                reward: {
                  tokens: string;
                  wei: string;
                };
                /**
                 * @description `done`: completed, the reward is in the ledger on its way on-chain (or nothing was left to pay); `paid`: settled on-chain. A daily check-in's state is today's
                 * @enum {string}
                 */
                state: "open" | "in_progress" | "done" | "paid";
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
                txHash: string | null;
              })[];
            checkin: {
              /** @description The campaign has a daily check-in */
              available: boolean;
              /** @description Consecutive UTC days, 0 after a missed day */
              streak: number;
              /** @description Checked in today (UTC) */
              today: boolean;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The daily check-in (once per UTC day; a missed day resets the streak) */
  checkIn: {
    requestBody: {
      content: {
        "application/json": {
          /** @description Campaign slug (default: the current campaign) */
          campaign?: string;
        };
      };
    };
    responses: {
      /** @description The check-in */
      200: {
        content: {
          "application/json": {
            /** @description Already checked in today: nothing was written */
            already: boolean;
            /** @description Streak challenges this check-in completed */
            completed: string[];
            /** @description The UTC day, YYYY-MM-DD */
            day: string;
            reward: {
              tokens: string;
              wei: string;
            } | null;
            streak: number;
            token: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `checkin_unavailable` (https://refmint.dev/problems/checkin-unavailable): The campaign has no daily check-in */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Everything the service keeps about this member, as a JSON document */
  exportMyData: {
    responses: {
      /** @description The export (format refmint.member-export.v1) */
      200: {
        content: {
          "application/json": {
            format: string;
            [key: string]: unknown;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's friends (direct referrals) with what happens next for each: waiting_wallet, waiting, review, rejected (with the reason), qualified, paid */
  listFriends: {
    parameters: {
      query?: {
        /** @description Page size (1–100, default 20) */
        limit?: string;
        /** @description Return items with ids below this one */
        before?: string;
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description A page of friends in the campaign, newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                /** Format: date-time */
                attributedAt: string;
                firstName: string | null;
                /** @description The referral's id */
                id: number;
                /** @description When the member last reminded this friend */
                lastRemindedAt: string | null;
                /** @description While a reminder went today (UTC): when the next may go (the next UTC midnight); null when one may go now (or the friend has finished) */
                nextRemindAt: string | null;
                /** @description Why it was rejected (the reviewer's words) */
                reason: string | null;
                refereeId: number;
                /** @description Not finished: POST /api/me/friends/{id}/remind reminds them */
                remindable: boolean;
                /** @enum {string} */
                state: "waiting_wallet" | "waiting" | "review" | "rejected" | "qualified" | "paid";
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Remind a friend who has not finished (a bot message to the friend), at most once per friend per UTC day */
  remindFriend: {
    parameters: {
      path: {
        /** @description The friend's referral id (`id` in /api/me/friends) */
        id: string;
      };
    };
    responses: {
      /** @description `sent`, or why nothing was sent, with when the next reminder may go */
      200: {
        content: {
          "application/json": {
            /** @description The last reminder (this one when `sent`) */
            lastRemindedAt: string | null;
            /** @description When the next reminder may go, or null */
            nextRemindAt: string | null;
            /**
             * @description `sent`, or why nothing was sent: `already_today` (one reminder per friend per UTC day), `not_waiting` (the friend has finished)
             * @enum {string}
             */
            result: "sent" | "already_today" | "not_waiting";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Who invited the member, what both get and the next step towards it counting */
  getInvitation: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The member's invitation */
      200: {
        content: {
          "application/json": {
            /** @description Null when nobody invited the member in this campaign */
            invitation: ({
              /** Format: date-time */
              attributedAt: string;
              challengeId: string | null;
              holdHours: number | null;
              qualifiedAt: string | null;
              /** @description The inviter's first name or @username */
              referrerName: string | null;
              /** @description What the inviter gets when it counts (their variant and tier) */
              referrerReward: {
                amount: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              } | null;
              /** @enum {string} */
              status: "pending" | "review" | "qualified" | "rejected";
              steps: ({
                  done: boolean;
                  /** @enum {string} */
                  id: "joined" | "wallet" | "challenge" | "partner" | "hold" | "counted";
                })[];
              /** @description What the invited member gets when it counts */
              welcome: {
                amount: {
                  tokens: string;
                  wei: string;
                };
                token: string;
              } | null;
            }) | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's referrals at one level, with their status and the member's reward */
  listNetwork: {
    parameters: {
      query?: {
        /** @description Page size (1–100, default 20) */
        limit?: string;
        /** @description Return items with ids below this one */
        before?: string;
        /** @description Referral level, 1 (direct) to 10; default 1 */
        level?: string;
        /** @description Campaign slug (default: the current campaign); each has its own tree */
        campaign?: string;
      };
    };
    responses: {
      /** @description A page of referrals at that level, newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                /** Format: date-time */
                attributedAt: string;
                /** @description Only for direct (level 1) referrals */
                firstName: string | null;
                /** @description Referral id (page cursor) */
                id: number;
                level: number;
                qualifiedAt: string | null;
                /** @description Public member number of the referred member */
                refereeId: number;
                /** @description The member's own reward for this referral at this level */
                reward: ({
                  amount: {
                    tokens: string;
                    wei: string;
                  };
                  /** @description Where the settled reward went (in the wallet, reserved on-chain, …) */
                  delivery: ({
                    /** @description `released`: when; `claimable`: since when */
                    at: string | null;
                    /** @description `releasing`: held for a check of the wallet */
                    held: boolean;
                    /**
                     * @description `wallet`: paid to the wallet; `reserved`: held on-chain for the member (no wallet yet, or waiting for the release or the next epoch); `releasing`: being released to the linked wallet; `released`: released to it; `claimable`: can be claimed now; `claimed`: claimed
                     * @enum {string}
                     */
                    state: "wallet" | "reserved" | "releasing" | "released" | "claimable" | "claimed";
                    /** @description The payout's or the release's transaction */
                    txHash: string | null;
                    /** @description `claimable`: the claim deadline */
                    until: string | null;
                  }) | null;
                  /** @enum {string} */
                  state: "pending" | "queued" | "sent" | "settled" | "failed" | "expired" | "rejected" | "held";
                  token: string;
                  txHash: string | null;
                }) | null;
                /** @enum {string} */
                status: "pending" | "review" | "qualified" | "rejected";
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** What the campaign's participation rules ask of this member, and their verdict */
  getParticipation: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The verdict */
      200: {
        content: {
          "application/json": {
            ageConfirmed: number | null;
            allowed: boolean;
            campaign: string;
            countries: string[] | null;
            country: string | null;
            minAge: number | null;
            /** @description Problem codes of what the member has yet to do */
            missing: string[];
            /** @description A problem code: the member does not take part */
            refused: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Declare the member's country (once) and/or confirm the campaign's minimum age */
  declareParticipation: {
    requestBody: {
      content: {
        "application/json": {
          ageConfirmed?: number;
          /** @description Campaign slug (default: the current campaign) */
          campaign?: string;
          country?: string;
        };
      };
    };
    responses: {
      /** @description The verdict after the declaration */
      200: {
        content: {
          "application/json": {
            ageConfirmed: number | null;
            allowed: boolean;
            campaign: string;
            countries: string[] | null;
            country: string | null;
            minAge: number | null;
            /** @description Problem codes of what the member has yet to do */
            missing: string[];
            qualification: ({
              entryIds?: number[];
              reason?: string;
              reasons?: string[];
              referralId: number | null;
              /** @enum {string} */
              status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
            }) | null;
            /** @description A problem code: the member does not take part */
            refused: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `country_invalid` (https://refmint.dev/problems/country-invalid): Not a country code; `age_invalid` (https://refmint.dev/problems/age-invalid): Not an age the campaign asks for */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Redeem a perk through the relayer with an order the member signed (no gas)
   * @description The body is the member's EIP-712 `Order` for the campaign's PerkShop (`member` is the linked wallet) with its signature, and optionally an ERC-2612 permit that funds it. The order is checked (expiry, price within `maxCost`, nonce, signature, unused reference, a simulation of the call) before anything is written; the relayer then sends `redeemWithPermit`. 202: accepted; see `GET /api/me/redemptions`.
   */
  redeemPerk: {
    parameters: {
      path: {
        perkId: number;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          campaign: string;
          deadline: number;
          /** @description Amount in wei (the token's smallest unit) */
          maxCost: string;
          nonce: string;
          orderRef: string;
          permit?: {
            deadline: number;
            r: string;
            s: string;
            v: number;
            /** @description Amount in wei (the token's smallest unit) */
            value: string;
          };
          quantity: number;
          signature: string;
        };
      };
    };
    responses: {
      /** @description The order, accepted */
      202: {
        content: {
          "application/json": {
            account: string;
            campaign: string;
            /** @description The coupon code, once the redemption is indexed */
            coupon: string | null;
            /** Format: date-time */
            createdAt: string;
            deadline: number;
            error: string | null;
            id: number;
            /** @description Amount in wei (the token's smallest unit) */
            maxCost: string;
            orderRef: string;
            perkId: number;
            quantity: number;
            /** @enum {string} */
            status: "sent" | "redeemed" | "failed";
            txHash: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned; `tier_too_low` (https://refmint.dev/problems/tier-too-low): The perk needs a higher tier; `badge_required` (https://refmint.dev/problems/badge-required): The perk needs a badge the wallet does not hold */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `perk_unknown` (https://refmint.dev/problems/perk-unknown): No such perk */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `wallet_required` (https://refmint.dev/problems/wallet-required): Link a wallet first; `price_changed` (https://refmint.dev/problems/price-changed): The perk costs more than the order allows; `order_ref_used` (https://refmint.dev/problems/order-ref-used): The order reference was used before; `out_of_stock` (https://refmint.dev/problems/out-of-stock): The perk is out of stock; `insufficient_balance` (https://refmint.dev/problems/insufficient-balance): Not enough tokens for this perk */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `perk_expired` (https://refmint.dev/problems/perk-expired): The perk is no longer on sale */
      410: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `order_expired` (https://refmint.dev/problems/order-expired): The order has expired; `signature_invalid` (https://refmint.dev/problems/signature-invalid): The signature does not match; `order_refused` (https://refmint.dev/problems/order-refused): The shop would refuse this order */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's relayed perk orders and what became of them */
  getRedemptions: {
    responses: {
      /** @description Orders, newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                account: string;
                campaign: string;
                /** @description The coupon code, once the redemption is indexed */
                coupon: string | null;
                /** Format: date-time */
                createdAt: string;
                deadline: number;
                error: string | null;
                id: number;
                /** @description Amount in wei (the token's smallest unit) */
                maxCost: string;
                orderRef: string;
                perkId: number;
                quantity: number;
                /** @enum {string} */
                status: "sent" | "redeemed" | "failed";
                txHash: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's direct (level 1) referrals, newest first */
  listReferrals: {
    parameters: {
      query?: {
        /** @description Page size (1–100, default 20) */
        limit?: string;
        /** @description Return items with ids below this one */
        before?: string;
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description A page of referrals in the campaign */
      200: {
        content: {
          "application/json": {
            items: ({
                /** Format: date-time */
                attributedAt: string;
                firstName: string | null;
                id: number;
                qualifiedAt: string | null;
                refereeId: number;
                source: string;
                /** @enum {string} */
                status: "pending" | "review" | "qualified" | "rejected";
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's rewards (ledger entries) with their payout state and transaction hash */
  listRewards: {
    parameters: {
      query?: {
        /** @description Page size (1–100, default 20) */
        limit?: string;
        /** @description Return items with ids below this one */
        before?: string;
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description A page of rewards in the campaign */
      200: {
        content: {
          "application/json": {
            items: ({
                amount: {
                  tokens: string;
                  wei: string;
                };
                blockNumber: string | null;
                campaign: string;
                /** Format: date-time */
                createdAt: string;
                /** @description How a settled reward reached (or is reaching) the wallet; null before it settles */
                delivery: ({
                  /** @description `released`: when; `claimable`: since when */
                  at: string | null;
                  /** @description `releasing`: held for a check of the wallet */
                  held: boolean;
                  /**
                   * @description `wallet`: paid to the wallet; `reserved`: held on-chain for the member (no wallet yet, or waiting for the release or the next epoch); `releasing`: being released to the linked wallet; `released`: released to it; `claimable`: can be claimed now; `claimed`: claimed
                   * @enum {string}
                   */
                  state: "wallet" | "reserved" | "releasing" | "released" | "claimable" | "claimed";
                  /** @description The payout's or the release's transaction */
                  txHash: string | null;
                  /** @description `claimable`: the claim deadline */
                  until: string | null;
                }) | null;
                expiresAt: string | null;
                /** @description Ledger entry id = on-chain payout id */
                id: number;
                kind: string;
                level: number | null;
                queuedAt: string | null;
                sentAt: string | null;
                settledAt: string | null;
                /** @description Referral rewards: whose invitation it came from */
                source: ({
                  /** @description Level 1: the friend who joined */
                  friend: string | null;
                  /** @description The referred member's public number */
                  refereeId: number;
                  /** @description Level 2: the direct friend who invited them */
                  via: string | null;
                }) | null;
                /** @enum {string} */
                state: "pending" | "queued" | "sent" | "settled" | "failed" | "expired" | "rejected" | "held";
                token: string;
                txHash: string | null;
              })[];
            /** @description Pass as `before` for the next page */
            nextBefore: number | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The member's settled rewards per token by where they are
   * @description Paid to the wallet, reserved for the member on-chain (escrow), being released to the linked wallet, released, claimable (since, until) or claimed. What is not settled yet is in the profile's `byState`.
   */
  getRewardSummary: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description Per token */
      200: {
        content: {
          "application/json": {
            tokens: ({
                /** @description Settled rewards by where they are (see the reward item's `delivery`) */
                amounts: {
                  claimable: {
                    tokens: string;
                    wei: string;
                  };
                  claimed: {
                    tokens: string;
                    wei: string;
                  };
                  released: {
                    tokens: string;
                    wei: string;
                  };
                  releasing: {
                    tokens: string;
                    wei: string;
                  };
                  reserved: {
                    tokens: string;
                    wei: string;
                  };
                  wallet: {
                    tokens: string;
                    wei: string;
                  };
                };
                claimableSince: string | null;
                claimableUntil: string | null;
                token: string;
              })[];
            wallet: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Change the member's settings (whether leaderboards show their name) */
  updateSettings: {
    requestBody: {
      content: {
        "application/json": {
          /** @description Show the member's first name on leaderboards instead of a pseudonym (default no) */
          showNameOnLeaderboards: boolean;
        };
      };
    };
    responses: {
      /** @description The settings now */
      200: {
        content: {
          "application/json": {
            /** @description Show the member's first name on leaderboards instead of a pseudonym (default no) */
            showNameOnLeaderboards: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The campaign's perks with the member's balance and what stops each one */
  getShop: {
    parameters: {
      query?: {
        campaign?: string;
      };
    };
    responses: {
      /** @description The shop */
      200: {
        content: {
          "application/json": {
            campaign: string;
            chainId: number;
            items: ({
                /** @description The member's wallet balance of the perk's token */
                balance: {
                  tokens: string;
                  wei: string;
                } | null;
                decimals: number;
                expiresAt: string | null;
                key: string;
                /** @description On-chain perk id (the position in the campaign file) */
                perkId: number;
                price: {
                  tokens: string;
                  wei: string;
                };
                /** @description Why the member cannot redeem it now (the redeem endpoint's problem code) */
                refusal: ("wallet_required" | "perk_unknown" | "perk_expired" | "out_of_stock" | "insufficient_balance" | "tier_too_low" | "badge_required") | null;
                requires: ({
                  badge: {
                    id: number;
                    name: {
                      en: string;
                      ru: string;
                    };
                  } | null;
                  tier: {
                    id: string;
                    name: {
                      en: string;
                      ru: string;
                    };
                  } | null;
                }) | null;
                /** @description Units left; null: unlimited */
                stock: number | null;
                title: {
                  en: string;
                  ru: string;
                };
                token: string;
                tokenAddress: string | null;
              })[];
            /** @description The wallet's current order nonce on the shop */
            orderNonce: string | null;
            shop: string | null;
            tokens: {
                address: string;
                /** @description What the shop may take from the wallet now (wei) */
                allowance: string;
                /** @description The token's EIP-712 domain name (for the permit) */
                name: string;
                permitNonce: string;
                symbol: string;
                version: string;
              }[];
            wallet: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The campaign's terms and whether this member accepted their current version */
  getTerms: {
    parameters: {
      query?: {
        /** @description Campaign slug (default: the current campaign) */
        campaign?: string;
      };
    };
    responses: {
      /** @description The terms */
      200: {
        content: {
          "application/json": {
            accepted: boolean;
            acceptedAt: string | null;
            campaign: string;
            previousVersion: string | null;
            required: boolean;
            text: {
              en: string;
              ru: string;
            } | null;
            url: string | null;
            version: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Accept the campaign's terms in the version shown
   * @description Until the member accepts the current version, their qualifying referral is held and nothing is paid to them. Accepting qualifies a referral whose action was already done.
   */
  acceptTerms: {
    requestBody: {
      content: {
        "application/json": {
          /** @description Campaign slug (default: the current campaign) */
          campaign?: string;
          version: string;
        };
      };
    };
    responses: {
      /** @description The terms after acceptance */
      200: {
        content: {
          "application/json": {
            accepted: boolean;
            acceptedAt: string | null;
            campaign: string;
            previousVersion: string | null;
            qualification: ({
              entryIds?: number[];
              reason?: string;
              reasons?: string[];
              referralId: number | null;
              /** @enum {string} */
              status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
            }) | null;
            required: boolean;
            text: {
              en: string;
              ru: string;
            } | null;
            url: string | null;
            version: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `terms_not_required` (https://refmint.dev/problems/terms-not-required): The campaign has no terms to accept */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `terms_version_mismatch` (https://refmint.dev/problems/terms-version-mismatch): The terms changed; read the new version */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Link (or re-link) a wallet with a signed EIP-4361 message */
  linkWallet: {
    requestBody: {
      content: {
        "application/json": {
          /** @description The EIP-4361 message exactly as signed */
          message: string;
          signature: string;
        };
      };
    };
    responses: {
      /** @description The linked wallet and what it did to a pending referral */
      200: {
        content: {
          "application/json": {
            address: string;
            previousAddress: string | null;
            qualification: {
              entryIds?: number[];
              reason?: string;
              reasons?: string[];
              referralId: number | null;
              /** @enum {string} */
              status: "no_referral" | "not_pending" | "not_matching" | "qualified" | "review" | "rejected" | "held";
            };
            relinked: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `wallet_taken` (https://refmint.dev/problems/wallet-taken): The wallet is linked to another member */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `siwe_invalid` (https://refmint.dev/problems/siwe-invalid): The sign-in message is invalid; `nonce_invalid` (https://refmint.dev/problems/nonce-invalid): The sign-in nonce is unknown, used or expired; `signature_invalid` (https://refmint.dev/problems/signature-invalid): The signature does not match */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** A single-use SIWE nonce bound to this member, with the fields the message must carry */
  getSiweNonce: {
    responses: {
      /** @description Nonce and message parameters */
      200: {
        content: {
          "application/json": {
            chainId: number;
            domain: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: date-time */
            issuedAt: string;
            nonce: string;
            statement: string;
            uri: string;
            /** @constant */
            version: "1";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Every rules version of a campaign, pending ones too, with all changes (npm run campaign:version) */
  operatorCampaignVersions: {
    parameters: {
      path: {
        slug: string;
      };
    };
    responses: {
      /** @description The version in effect, the pending one, and every version with its changes */
      200: {
        content: {
          "application/json": {
            campaignId: number;
            effective: {
              actions: ({
                  address: string;
                  args: unknown[];
                  contract: string;
                  data: string;
                  description: string;
                  functionName: string;
                  key: string;
                  /** @enum {string} */
                  status: "planned" | "sent" | "done";
                  txHash: string | null;
                })[];
              blockNumber: number | null;
              /** Format: date-time */
              createdAt: string;
              document: string;
              effectiveAt: string | null;
              hash: string;
              rulesUrl: string | null;
              /** @enum {string} */
              status: "pending" | "effective";
              txHash: string | null;
              version: number;
            };
            items: ({
                blockNumber: number | null;
                changes: ({
                    /** @enum {string} */
                    audience: "members" | "operator";
                    field?: string;
                    /** @description null: added */
                    from: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    level?: number;
                    name?: {
                      en: string;
                      ru: string;
                    };
                    /** @enum {string} */
                    subject: "name" | "startsAt" | "endsAt" | "qualification" | "level" | "welcomeBonus" | "tier" | "tier.name" | "tier.minQualified" | "tier.multiplier" | "tier.badge" | "cap.daily" | "cap.total" | "expiry" | "challenge" | "challenge.title" | "challenge.reward" | "perk" | "perk.title" | "perk.price" | "perk.stock" | "badge" | "badge.name" | "badge.transferable" | "token" | "token.budget" | "end.graceHours" | "end.claimDays" | "terms.version" | "terms.url" | "terms.text" | "participation.countries" | "participation.languages" | "participation.minAge" | "attribution.newMembersOnly" | "token.setting" | "escrow" | "fraud" | "variant" | "identity" | "pilot";
                    /** @description The change in English */
                    text: string;
                    /** @description null: removed */
                    to: ({
                      amount: string;
                      token: string;
                      /** @constant */
                      type: "amount";
                    } | {
                      ofLevel: number;
                      percent: number;
                      /** @constant */
                      type: "percent";
                    } | {
                      /** @constant */
                      type: "number";
                      value: number;
                    } | {
                      bps: number;
                      /** @constant */
                      type: "multiplier";
                    } | {
                      days: number;
                      /** @constant */
                      type: "days";
                    } | {
                      at: string;
                      /** @constant */
                      type: "date";
                    } | {
                      text: {
                        en: string;
                        ru: string;
                      };
                      /** @constant */
                      type: "localized";
                    } | {
                      rule: {
                        [key: string]: unknown;
                      };
                      /** @constant */
                      type: "qualification";
                    } | ({
                      stock: number | null;
                      /** @constant */
                      type: "stock";
                    }) | {
                      /** @constant */
                      type: "flag";
                      value: boolean;
                    } | {
                      text: string;
                      /** @constant */
                      type: "text";
                    }) | null;
                    token?: string;
                  })[];
                /** Format: date-time */
                createdAt: string;
                /** @description Where the rules document is served here */
                documentUrl: string;
                effectiveAt: string | null;
                /** @description SHA-256 of the rules document (0x + 64 hex digits) */
                hash: string;
                /** @description The URL published on-chain with the version */
                rulesUrl: string | null;
                /** @enum {string} */
                status: "pending" | "effective";
                txHash: string | null;
                version: number;
              })[];
            nextVersion: number;
            pending: ({
              actions: ({
                  address: string;
                  args: unknown[];
                  contract: string;
                  data: string;
                  description: string;
                  functionName: string;
                  key: string;
                  /** @enum {string} */
                  status: "planned" | "sent" | "done";
                  txHash: string | null;
                })[];
              blockNumber: number | null;
              /** Format: date-time */
              createdAt: string;
              document: string;
              effectiveAt: string | null;
              hash: string;
              rulesUrl: string | null;
              /** @enum {string} */
              status: "pending" | "effective";
              txHash: string | null;
              version: number;
            }) | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Create (or resume) the rules version `npm run campaign:version` applies */
  operatorPrepareCampaignVersion: {
    parameters: {
      path: {
        slug: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          actions: ({
              address: string;
              args: unknown[];
              contract: string;
              data: string;
              description: string;
              functionName: string;
              key: string;
              /** @enum {string} */
              status: "planned" | "sent" | "done";
              txHash: string | null;
            })[];
          document: string;
          /** Format: uri */
          rulesUrl: string;
          version: number;
        };
      };
    };
    responses: {
      /** @description The version to apply and its actions */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                functionName: string;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
            /** @enum {string} */
            outcome: "created" | "replaced" | "resumed" | "publishing-effective";
            rulesUrl: string;
            version: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_version_pending` (https://refmint.dev/problems/rules-version-pending): Another rules version of this campaign is being applied */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rules_invalid` (https://refmint.dev/problems/rules-invalid): The campaign rules are invalid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Record an on-chain action of a rules version as sent or done */
  operatorRecordVersionAction: {
    parameters: {
      path: {
        slug: string;
        version: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          key: string;
          /** @enum {string} */
          status: "planned" | "sent" | "done";
          txHash: string | null;
        };
      };
    };
    responses: {
      /** @description The version's actions now */
      200: {
        content: {
          "application/json": {
            actions: ({
                address: string;
                args: unknown[];
                contract: string;
                data: string;
                description: string;
                functionName: string;
                key: string;
                /** @enum {string} */
                status: "planned" | "sent" | "done";
                txHash: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Build a Merkle epoch now (npm run epoch:publish)
   * @description For every distributor (or the one named) with something new to claim, builds the cumulative tree and queues its root; the service's payout worker publishes it and the indexer marks it published. Poll `GET /api/operator/epochs/{id}`.
   */
  operatorBuildEpochs: {
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
          token?: string;
        };
      };
    };
    responses: {
      /** @description One outcome per distributor */
      200: {
        content: {
          "application/json": {
            items: ({
                campaign: string;
                epochId: number | null;
                expired: number;
                leaves: number | null;
                /** @enum {string} */
                outcome: "built" | "unchanged" | "empty" | "pending" | "waiting" | "not-indexed";
                token: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Where an epoch built by the service is */
  operatorEpochStatus: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description The epoch */
      200: {
        content: {
          "application/json": {
            campaign: string;
            epoch: number | null;
            id: number;
            root: string;
            /** @enum {string} */
            status: "pending" | "published" | "failed" | "vetoed";
            token: string;
            txHash: string | null;
            /** @description Path of the public reward file once published */
            url: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Requeue failed payouts (npm run payouts:retry)
   * @description Same payout ids, so nothing can be paid twice.
   */
  operatorRetryPayouts: {
    requestBody: {
      content: {
        "application/json": {
          campaign?: string;
          entryIds?: number[];
        };
      };
    };
    responses: {
      /** @description The ledger entries requeued */
      200: {
        content: {
          "application/json": {
            requeued: number[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Compare the ledger with the chain (npm run reconcile) */
  operatorReconcile: {
    responses: {
      /** @description Per campaign and token, the ledger's and the chain's figures, and every difference */
      200: {
        content: {
          "application/json": {
            block: number | null;
            differences: string[];
            lines: {
                campaign: string;
                chainSpent: string;
                indexedBalances: string;
                indexedPayouts: string;
                ledgerPaid: string;
                supply: string;
                token: string;
              }[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `admin_token_invalid` (https://refmint.dev/problems/admin-token-invalid): The admin token is invalid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The partner campaign's analytics overview (the admin Overview, without usernames) */
  partnerAnalyticsOverview: {
    parameters: {
      query?: {
        /** @description First UTC day (inclusive); default: 29 days before `to` */
        from?: string;
        /** @description Last UTC day (inclusive); default: today */
        to?: string;
      };
    };
    responses: {
      /** @description The Overview */
      200: {
        content: {
          "application/json": {
            campaign: string;
            conversion: {
              /** @description A share between 0 and 1; null without a denominator */
              attributedToQualified: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              clickToStart: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              qualifiedToPaid: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              startToAttributed: number | null;
            };
            engagementScore: number;
            from: string;
            funnel: {
              attributed: number;
              clicks: number;
              paid: number;
              qualified: number;
              reviews: number;
              starts: number;
            };
            gas: {
              tokens: string;
              wei: string;
            };
            gasPerQualified: {
              tokens: string;
              wei: string;
            } | null;
            kFactor: {
              /** @description A share between 0 and 1; null without a denominator */
              conversion: number | null;
              invitesPerMember: number | null;
              value: number | null;
            };
            /** @description Events not yet folded into the rollups when read */
            lag: number;
            /** @description Members taking part (referred or referring), all time */
            members: number;
            /** @description Members who referred someone, all time */
            referrers: number;
            retention: {
              cohorts: {
                  d1: number;
                  d7: number;
                  d30: number;
                  members: number;
                  week: string;
                }[];
              /** @description A share between 0 and 1; null without a denominator */
              d1: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              d7: number | null;
              /** @description A share between 0 and 1; null without a denominator */
              d30: number | null;
            };
            /** @description A share between 0 and 1; null without a denominator */
            reviewShare: number | null;
            series: {
                attributed: number;
                clicks: number;
                day: string;
                earned: {
                  [key: string]: string;
                };
                paid: number;
                qualified: number;
                reviews: number;
                starts: number;
              }[];
            timeToQualify: {
              count: number;
              meanSeconds: number | null;
              p50Seconds: number | null;
              p90Seconds: number | null;
            };
            to: string;
            tokens: ({
                budget: {
                  tokens: string;
                  wei: string;
                };
                /** @description A share between 0 and 1; null without a denominator */
                burned: number | null;
                claimed: {
                  tokens: string;
                  wei: string;
                };
                costPerQualified: {
                  tokens: string;
                  wei: string;
                } | null;
                earned: {
                  tokens: string;
                  wei: string;
                };
                escrowed: {
                  tokens: string;
                  wei: string;
                };
                expired: {
                  tokens: string;
                  wei: string;
                };
                granted: {
                  tokens: string;
                  wei: string;
                };
                pacePerDay: {
                  tokens: string;
                  wei: string;
                };
                paid: {
                  tokens: string;
                  wei: string;
                };
                redeemed: {
                  tokens: string;
                  wei: string;
                };
                /** @description A share between 0 and 1; null without a denominator */
                redemptionRate: number | null;
                runwayDays: number | null;
                token: string;
              })[];
            topReferrers: ({
                invited: number;
                memberId: number;
                qualified: number;
                username: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window; `partner_key_invalid` (https://refmint.dev/problems/partner-key-invalid): The partner API key is not valid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The partner's campaign and its co-branding */
  partnerCampaign: {
    responses: {
      /** @description The campaign */
      200: {
        content: {
          "application/json": {
            campaign: string;
            name: {
              en: string;
              ru: string;
            };
            partner: {
              logoUrl: string | null;
              name: string;
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window; `partner_key_invalid` (https://refmint.dev/problems/partner-key-invalid): The partner API key is not valid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Mark a member's coupon used (partner, signed like the partner webhook)
   * @description Headers `X-Refmint-Partner`, `X-Refmint-Timestamp`, `X-Refmint-Signature: sha256=<hmac of '<timestamp>.<body>'>`. Body `{ requestId }`. The same request id again answers the same (`replayed: true`); any other request for a used coupon is refused with `coupon_used`.
   */
  useCoupon: {
    parameters: {
      path: {
        code: string;
      };
    };
    requestBody: {
      content: {
        "application/json": {
          requestId: string;
        };
      };
    };
    responses: {
      /** @description The coupon, used */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `coupon_unknown` (https://refmint.dev/problems/coupon-unknown): No such coupon */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `coupon_used` (https://refmint.dev/problems/coupon-used): The coupon was already used; `coupon_revoked` (https://refmint.dev/problems/coupon-revoked): The coupon was revoked; `coupon_expired` (https://refmint.dev/problems/coupon-expired): The coupon has expired; `partner_event_conflict` (https://refmint.dev/problems/partner-event-conflict): The event id was used with another payload */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Report a qualifying event (e.g. a purchase) for a member
   * @description Signed with the partner's secret; 5-minute timestamp window; idempotent by `eventId` (a replay returns the original result and writes nothing). Body: JSON matching the schema below.
   */
  partnerEvent: {
    requestBody: {
      content: {
        "application/json": {
          /** @description Informational, e.g. purchase total */
          amount?: string;
          eventId: string;
          memberId?: number;
          /** Format: date-time */
          occurredAt?: string;
          telegramUserId?: number;
          type: string;
        };
      };
    };
    responses: {
      /** @description The processing result */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `partner_event_conflict` (https://refmint.dev/problems/partner-event-conflict): The event id was used with another payload */
      409: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The partner's own endpoints */
  partnerListWebhooks: {
    responses: {
      /** @description Newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                active: boolean;
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                description: string | null;
                events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
                id: number;
                partner: string | null;
                url: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window; `partner_key_invalid` (https://refmint.dev/problems/partner-key-invalid): The partner API key is not valid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Subscribe the partner's endpoint to events of its campaign (secret shown once) */
  partnerCreateWebhook: {
    requestBody: {
      content: {
        "application/json": {
          description?: string;
          events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
          url: string;
        };
      };
    };
    responses: {
      /** @description The endpoint with its secret */
      201: {
        content: {
          "application/json": {
            active: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            description: string | null;
            events: ("member.joined" | "referral.qualified" | "reward.paid" | "perk.redeemed" | "badge.minted")[];
            id: number;
            partner: string | null;
            /** @description The HMAC-SHA256 key of its deliveries: shown this once */
            secret: string;
            url: string;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window; `partner_key_invalid` (https://refmint.dev/problems/partner-key-invalid): The partner API key is not valid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_invalid` (https://refmint.dev/problems/webhook-invalid): The webhook subscription is not valid */
      422: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Disable one of the partner's endpoints */
  partnerDisableWebhook: {
    parameters: {
      path: {
        id: string;
      };
    };
    responses: {
      /** @description `disabled: false` when it already was */
      200: {
        content: {
          "application/json": {
            disabled: boolean;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `webhook_signature_invalid` (https://refmint.dev/problems/webhook-signature-invalid): The webhook signature is invalid; `webhook_timestamp_invalid` (https://refmint.dev/problems/webhook-timestamp-invalid): The webhook timestamp is outside the allowed window; `partner_key_invalid` (https://refmint.dev/problems/partner-key-invalid): The partner API key is not valid */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** The member's wallet balances of the campaigns' tokens, as indexed */
  getChainBalances: {
    responses: {
      /** @description Balances per campaign token (empty without a linked wallet) */
      200: {
        content: {
          "application/json": {
            /** @description Indexed up to this block */
            block: number | null;
            items: {
                balance: {
                  tokens: string;
                  wei: string;
                };
                campaign: string;
                token: string;
                tokenAddress: string;
              }[];
            wallet: string | null;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Coupons from the member's perk redemptions */
  getCoupons: {
    responses: {
      /** @description The member's coupons, newest first */
      200: {
        content: {
          "application/json": {
            items: ({
                campaign: string;
                code: string;
                /** Format: date-time */
                createdAt: string;
                expiresAt: string | null;
                /** @description The perk's id in the campaign file */
                perk: string | null;
                /** @description On-chain perk id */
                perkId: number;
                quantity: number;
                /**
                 * @description `issued`: valid; `used`: a partner marked it used; `revoked`: its redemption was undone
                 * @enum {string}
                 */
                status: "issued" | "revoked" | "used" | "expired";
                txHash: string;
                usedAt: string | null;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Merkle proofs for the member's claimable escrowed rewards
   * @description Per token: the member's leaf in the latest epoch of its RewardDistributor that took effect, while the leaf is open and something is left to claim. Send `claim(account, cumulativeAmount, terms, proof)` to `distributor`; anyone may send it, the tokens go to `account`.
   */
  getRewardProofs: {
    responses: {
      /** @description Claimable rewards (empty when there is nothing to claim) */
      200: {
        content: {
          "application/json": {
            items: ({
                /** @description The wallet in the leaf (tokens always go there) */
                account: string;
                /** @description Amount in wei (the token's smallest unit) */
                claimable: string;
                /** @description Already claimed by this member, read on-chain */
                claimed: string;
                /** @description Amount in wei (the token's smallest unit) */
                cumulativeAmount: string;
                /** @description Unix seconds: this leaf can be claimed until then */
                deadline: number;
                /** @description The RewardDistributor to call `claim(account, cumulativeAmount, terms, proof)` on */
                distributor: string;
                epoch: number;
                /** @description The member's number, as the leaf names it */
                member: number;
                proof: string[];
                /** @description Whether the leaf was written after the member's escrow was released */
                released: boolean;
                root: string;
                /** @description The `terms` argument of `claim`: `member << 41 | deadline << 1 | released` */
                terms: string;
                /** @description Token symbol */
                token: string;
                tokenAddress: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required; `init_data_invalid` (https://refmint.dev/problems/init-data-invalid): Telegram init data is invalid; `init_data_expired` (https://refmint.dev/problems/init-data-expired): Telegram init data has expired; `init_data_from_future` (https://refmint.dev/problems/init-data-from-future): Telegram init data is dated in the future */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Exchange a single-use login link token from the bot for a website session
   * @description The bot sends `<dashboard>/login#token=<token>`; the page posts the token here. On success the session secret is set as an HttpOnly, SameSite=Strict cookie (Secure over https). A token works once, for ten minutes. Must come from the dashboard's origin.
   */
  webLogin: {
    requestBody: {
      content: {
        "application/json": {
          token: string;
        };
      };
    };
    responses: {
      /** @description Logged in; the session cookie is set */
      200: {
        content: {
          "application/json": {
            /** Format: date-time */
            expiresAt: string;
            memberId: number;
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_json` (https://refmint.dev/problems/malformed-json): The body is not valid JSON; `malformed_body` (https://refmint.dev/problems/malformed-body): The body could not be decoded */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `login_link_invalid` (https://refmint.dev/problems/login-link-invalid): The login link is not valid; `login_link_used` (https://refmint.dev/problems/login-link-used): The login link was already used; `login_link_expired` (https://refmint.dev/problems/login-link-expired): The login link has expired */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `member_banned` (https://refmint.dev/problems/member-banned): The member is banned; `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * End this browser's website session
   * @description Revokes the session of the cookie (if any) and clears the cookie.
   */
  webLogout: {
    responses: {
      /** @description Logged out */
      204: {
        content: never;
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `forbidden` (https://refmint.dev/problems/forbidden): Not allowed */
      403: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A badge's ERC-1155 metadata (`<id>.json`) or its image (`<id>.svg`)
   * @description The URI `Badges.uri(id)` returns. The image is generated from the badge and its campaign.
   */
  getBadgeMetadata: {
    parameters: {
      path: {
        campaign: string;
        file: string;
      };
    };
    responses: {
      /** @description The metadata or the SVG image */
      200: {
        content: never;
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Liveness: the process is up */
  health: {
    responses: {
      /** @description Alive */
      200: {
        content: {
          "application/json": {
            /** @constant */
            status: "ok";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Prometheus metrics (Bearer METRICS_TOKEN; required in production) */
  metrics: {
    responses: {
      /** @description Prometheus text format */
      200: {
        content: {
          "text/plain": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `auth_required` (https://refmint.dev/problems/auth-required): Authentication is required */
      401: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** This document */
  openapi: {
    responses: {
      /** @description OpenAPI 3.1 document */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * Public referral link: counts the click, then redirects to the bot
   * @description A click counts once per client IP address, code owner and UTC day, whatever the User-Agent; link-preview bots and crawlers are not counted (Telegram's in-app browsers are). Unknown codes are 404: a page for browsers (`Accept: text/html`, Russian or English after `Accept-Language`), problem details for API clients. Codes of banned members redirect to the bot without the code.
   */
  redirect: {
    parameters: {
      query?: {
        /** @description Campaign slug: the bot link then names it (`start=<code>__<slug>`); an unknown slug is ignored (the default campaign) */
        c?: string;
      };
      path: {
        code: string;
      };
    };
    responses: {
      /** @description Redirect to https://t.me/<bot>?start=<code> (or `<code>__<slug>`) */
      302: {
        content: never;
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Readiness: the database answers */
  ready: {
    responses: {
      /** @description Ready */
      200: {
        content: {
          "application/json": {
            /** @enum {string} */
            database: "pglite" | "postgres";
            /** @constant */
            status: "ready";
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_ready` (https://refmint.dev/problems/not-ready): Not ready */
      503: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The public reward file of one epoch (`<epoch>.json`)
   * @description Every leaf (wallet, cumulative amount) of the epoch's tree. `StandardMerkleTree.load(file.tree)` rebuilds it; its root must equal `RewardDistributor.rootOf(epoch)`.
   */
  getRewardFile: {
    parameters: {
      path: {
        campaign: string;
        token: string;
        /** @description `<epoch>.json` */
        file: string;
      };
    };
    responses: {
      /** @description The reward file */
      200: {
        content: {
          "application/json": {
            chainId: number;
            deadline: number;
            distributor: string;
            epoch: number;
            /** @constant */
            format: "refmint-rewards/2";
            root: string;
            token: string;
            /** @description What the root promises on-chain */
            total: string;
            /** @description OpenZeppelin StandardMerkleTree dump (`StandardMerkleTree.load` reads it); leaves are `[member, account, cumulativeAmount, deadline, released]` */
            tree: {
              format: string;
              leafEncoding: string[];
              tree: string[];
              values: ({
                  treeIndex: number;
                  value: (string | boolean)[];
                })[];
            };
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /** Every published Merkle epoch, with the URL of its public reward file */
  listRewardEpochs: {
    responses: {
      /** @description Published epochs, newest first */
      200: {
        content: {
          "application/json": {
            chainId: number;
            epochs: ({
                /** @description Unix seconds: the root takes effect then */
                activatesAt: number;
                campaign: string;
                deadline: number;
                distributor: string;
                epoch: number;
                leaves: number;
                root: string;
                token: string;
                tokenAddress: string;
                /** @description Amount in wei (the token's smallest unit) */
                total: string;
                txHash: string | null;
                /** @description Path of the epoch's public reward file */
                url: string;
              })[];
          };
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * One reward file or index (`<sha256>.json`), exactly as hashed
   * @description Canonical JSON (keys sorted, no whitespace): `sha256sum` of the body equals the file name. Never rewritten.
   */
  getContentAddressedRewardFile: {
    parameters: {
      path: {
        file: string;
      };
    };
    responses: {
      /** @description The file */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * The latest signed index of the content-addressed reward files
   * @description Lists every current reward file (campaign, payouts, epoch) by kind, campaign and SHA-256, with its sequence number and the hash of the index before it, signed (EIP-712) by the root publisher key. Check it with `npx refmint-verify`.
   */
  getRewardFileIndex: {
    responses: {
      /** @description The signed index */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
  /**
   * A campaign's rules document (`<sha256>.json`), exactly as hashed
   * @description The campaign file of one rules version as canonical JSON (keys sorted, no whitespace). `sha256sum` of the body equals the file name and the hash its `RulesPublished` log carries.
   */
  getRulesDocument: {
    parameters: {
      path: {
        slug: string;
        file: string;
      };
    };
    responses: {
      /** @description The document */
      200: {
        content: {
          "application/json": string;
        };
      };
      /** @description `validation_failed` (https://refmint.dev/problems/validation-failed): The request is invalid; `malformed_url` (https://refmint.dev/problems/malformed-url): The URL is not valid percent-encoding */
      400: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `campaign_not_found` (https://refmint.dev/problems/campaign-not-found): No such campaign; `not_found` (https://refmint.dev/problems/not-found): Not found */
      404: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `rate_limited` (https://refmint.dev/problems/rate-limited): Too many requests */
      429: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
      /** @description `internal` (https://refmint.dev/problems/internal): Internal error */
      500: {
        content: {
          "application/problem+json": components["schemas"]["Problem"];
        };
      };
    };
  };
}
