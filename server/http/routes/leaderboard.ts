/**
 * Leaderboards for members: a campaign's board (qualified referrals or activity points, this
 * ISO week in UTC or all time) with the caller's own place, and the member's choice to show
 * their name there instead of a pseudonym.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../../domain/context.ts";
import {
  activityToken,
  type BoardName,
  LEADERBOARD_BOARDS,
  LEADERBOARD_PERIODS,
  type LeaderboardBoard,
  pseudonymKey,
  readBoard,
  setShowName,
} from "../../domain/leaderboards.ts";
import { ProblemError } from "../problem.ts";
import { queryInt, type RouteTable } from "../route.ts";
import { iso } from "../schemas.ts";

export interface LeaderboardRouteDeps {
  domain: DomainContext;
  /** The service's hash secret: pseudonyms are keyed with a key derived from it. */
  hashSecret: string;
}

const nameSchema = z
  .object({
    kind: z.enum(["name", "pseudonym"]),
    text: z
      .string()
      .describe("The member's first name (only when they opted in) or their pseudonym (#K7Q2X9)"),
  })
  .describe("How a member appears on boards");

const boardStatus = z
  .enum(["ranked", "unranked", "hidden"])
  .describe(
    "`ranked`: on the board; `unranked`: no score in this period yet; `hidden`: left out while banned or while a referral of theirs is in review",
  );

export const leaderboardSchema = z.object({
  campaign: z.string(),
  board: z.enum(LEADERBOARD_BOARDS),
  period: z.object({
    kind: z.enum(LEADERBOARD_PERIODS),
    key: z.string().describe("`all`, or the ISO week in UTC (`2026-W07`)"),
    startsAt: iso.nullable(),
    endsAt: iso.nullable(),
  }),
  unit: z.object({
    kind: z.enum(["referrals", "points"]),
    token: z.string().nullable().describe("For points: the activity token (1 point = 1 token)"),
  }),
  total: z.number().int().describe("Members on the board"),
  entries: z.array(
    z.object({
      rank: z.number().int().describe("Competition rank: equal scores share a rank"),
      name: nameSchema,
      score: z.number(),
      me: z.boolean(),
    }),
  ),
  me: z.object({
    status: boardStatus,
    rank: z.number().int().nullable(),
    score: z.number(),
    tiedWith: z.number().int().describe("Other members with the same score"),
    name: nameSchema,
    showName: z.boolean(),
  }),
});

const settingsSchema = z.object({
  showNameOnLeaderboards: z
    .boolean()
    .describe("Show the member's first name on leaderboards instead of a pseudonym (default no)"),
});

function memberId(req: Request): number {
  const m = req.member;
  if (!m) throw new ProblemError("auth_required");
  return m.id;
}

export function leaderboardRoutes(
  table: RouteTable,
  router: Router,
  deps: LeaderboardRouteDeps,
): void {
  const { domain } = deps;
  const key = pseudonymKey(deps.hashSecret);
  // Activity points are stored in hundredths of a token.
  const scoreOf = (board: LeaderboardBoard, score: number) =>
    board === "activity" ? score / 100 : score;
  const nameJson = (n: BoardName) => ({ kind: n.kind, text: n.text });

  table.add(router, {
    method: "get",
    path: "/api/campaigns/:slug/leaderboard",
    operationId: "getLeaderboard",
    summary: "A campaign's leaderboard (top N) and the caller's own rank",
    description:
      "Boards: `referrals` (qualified referrals) and `activity` (activity points: the campaign's activity token granted for challenges and other activities). Periods: `week` (the current ISO week in UTC, from Monday 00:00) and `all`. Equal scores share a rank; within a tie, whoever reached the score first is listed first. Banned members and members with a referral in review are left out. Names are shown only for members who opted in (`PATCH /api/me/settings`); everyone else appears under a stable pseudonym.",
    tags: ["member"],
    auth: "member",
    params: z.object({ slug: z.string().regex(/^[a-z0-9-]{2,48}$/) }),
    query: z.object({
      board: z.enum(LEADERBOARD_BOARDS).default("referrals"),
      period: z.enum(LEADERBOARD_PERIODS).default("week"),
      limit: queryInt(1, 100)
        .optional()
        .describe("How many from the top (default 20, at most 100)"),
    }),
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The board", schema: leaderboardSchema },
    handler: async ({ req, params, query }) => {
      const me = memberId(req);
      const campaign = domain.campaigns.bySlug(params.slug);
      if (!campaign) throw new ProblemError("campaign_not_found", `no campaign ${params.slug}`);
      const board = await readBoard(domain.db, {
        campaignId: campaign.id,
        board: query.board,
        period: query.period,
        now: domain.now(),
        memberId: me,
        limit: query.limit ?? 20,
        key,
      });
      return {
        campaign: campaign.slug,
        board: query.board,
        period: {
          kind: board.period.kind,
          key: board.period.key,
          startsAt: board.period.startsAt?.toISOString() ?? null,
          endsAt: board.period.endsAt?.toISOString() ?? null,
        },
        unit:
          query.board === "activity"
            ? { kind: "points" as const, token: activityToken(campaign.rules) }
            : { kind: "referrals" as const, token: null },
        total: board.me.total,
        entries: board.top.map((e) => ({
          rank: e.rank,
          name: nameJson(e.name),
          score: scoreOf(query.board, e.score),
          me: e.memberId === me,
        })),
        me: {
          status: board.me.status,
          rank: board.me.rank,
          score: scoreOf(query.board, board.me.score),
          tiedWith: board.me.tiedWith,
          name: nameJson(board.me.name),
          showName: board.me.showName,
        },
      };
    },
  });

  table.add(router, {
    method: "patch",
    path: "/api/me/settings",
    operationId: "updateSettings",
    summary: "Change the member's settings (whether leaderboards show their name)",
    tags: ["member"],
    auth: "member",
    body: settingsSchema,
    response: { status: 200, description: "The settings now", schema: settingsSchema },
    handler: async ({ req, body }) => {
      await setShowName(domain.db, memberId(req), body.showNameOnLeaderboards);
      return { showNameOnLeaderboards: body.showNameOnLeaderboards };
    },
  });
}
