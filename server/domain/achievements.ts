/**
 * Achievements: things a member did that a badge may reward later (a 7-day check-in streak).
 * Recorded once per (member, campaign, kind); whoever mints badges reads them from here.
 */

import type { Db } from "../db/index.ts";
import { achievements } from "../db/schema/challenges.ts";

export const ACHIEVEMENT_KINDS = ["streak-7"] as const;
export type AchievementKind = (typeof ACHIEVEMENT_KINDS)[number] | (string & {});

/** Records an achievement once; true when it is new. Runs in the caller's transaction. */
export async function recordAchievement(
  tx: Db,
  memberId: number,
  campaignId: number,
  kind: AchievementKind,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .insert(achievements)
    .values({ memberId, campaignId, kind, at })
    .onConflictDoNothing()
    .returning({ id: achievements.id });
  return rows.length > 0;
}
