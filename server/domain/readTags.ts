/**
 * Tags of the per-process read cache (see `ReadCache` in server/db/index.ts): what a cached
 * read depends on. A domain function that changes one of these calls `invalidateReads` with
 * its tag right after the write.
 */

/** A member's row as the profile shows it: profile fields, codes, wallet, ban, counters of clicks and starts (and reads derived from them). */
export const memberTag = (memberId: number) => `member:${memberId}`;

/** A member's stats: referral counters and ledger sums. */
export const statsTag = (memberId: number) => `stats:${memberId}`;

/** A member's campaign roles as displayed (`/api/me`, `/help`); decisions read the table. */
export const rolesTag = (memberId: number) => `roles:${memberId}`;
