/**
 * Challenges and surveys over HTTP. Members: their challenges with reward, progress and state
 * (detection catches up on every read), and the daily check-in. Admins: surveys and votes,
 * created, listed, closed and counted (`survey.manage` / `survey.read`, audited); delivery is
 * the bot's (`/survey send <id>`), since it needs Telegram. The campaign's challenges with how
 * often each was completed (`campaign.view`: counts only, no member named), for the console;
 * granting and revoking one for a member are the member routes of admin.ts.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { challengeSummaries, memberChallenges } from "../../domain/challengeProgress.ts";
import { checkIn, currentStreak } from "../../domain/checkins.ts";
import type { DomainContext } from "../../domain/context.ts";
import type { Campaign } from "../../domain/registry.ts";
import type { AdminPrincipal } from "../../domain/roles.ts";
import {
  closeSurvey,
  createSurvey,
  listSurveys,
  SURVEY_KINDS,
  SURVEY_SEGMENTS,
  type SurveyView,
  surveyResults,
} from "../../domain/surveys.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { amount, amountSchema, iso, isoOrNull, localizedSchema } from "../schemas.ts";

const slug = z.string().regex(/^[a-z0-9-]{2,48}$/);
const campaignQuery = z.object({
  campaign: slug.optional().describe("Campaign slug (default: the current campaign)"),
});

const challengeKinds = z
  .enum(["manual", "join_chat", "invite", "wallet", "checkin", "survey", "partner_event"])
  .describe("How it is detected (`manual`: granted by an admin)");

const challengeSchema = z.object({
  id: z.string(),
  title: localizedSchema,
  kind: challengeKinds,
  token: z.string(),
  reward: amountSchema,
  state: z
    .enum(["open", "in_progress", "done", "paid"])
    .describe(
      "`done`: completed, the reward is in the ledger on its way on-chain (or nothing was left to pay); `paid`: settled on-chain. A daily check-in's state is today's",
    ),
  progress: z
    .object({ current: z.number().int(), target: z.number().int() })
    .nullable()
    .describe("Friends qualified, days stayed, or the check-in streak"),
  repeat: z.enum(["day"]).nullable().describe("`day`: pays once per UTC day"),
  chatId: z.number().int().nullable(),
  inviteLink: z
    .string()
    .nullable()
    .describe("The member's personal invite link to the chat, once the bot made one"),
  txHash: z.string().nullable(),
});

const challengeSummarySchema = z.object({
  id: z.string(),
  title: localizedSchema,
  kind: challengeKinds,
  token: z.string(),
  reward: amountSchema,
  repeat: z.enum(["day"]).nullable().describe("`day`: pays once per UTC day"),
  target: z
    .number()
    .int()
    .nullable()
    .describe("Friends to qualify (`invite`), streak days (`checkin`), days to stay (`join_chat`)"),
  partnerEvent: z.string().nullable().describe("`partner_event`: `<partner>:<event type>`"),
  completions: z
    .number()
    .int()
    .describe(
      "Members holding the completion now (a revoked one no longer counts); a daily check-in: the check-ins recorded, one per member and UTC day",
    ),
  revoked: z.number().int().describe("Completions taken back (left the chat too soon, an admin)"),
});

const challengesSchema = z.object({
  campaign: z.string(),
  checkin: z.object({
    available: z.boolean().describe("The campaign has a daily check-in"),
    streak: z.number().int().describe("Consecutive UTC days, 0 after a missed day"),
    today: z.boolean().describe("Checked in today (UTC)"),
  }),
  challenges: z.array(challengeSchema),
});

const checkinSchema = z.object({
  day: z.string().describe("The UTC day, YYYY-MM-DD"),
  streak: z.number().int(),
  already: z.boolean().describe("Already checked in today: nothing was written"),
  reward: amountSchema.nullable(),
  token: z.string().nullable(),
  completed: z.array(z.string()).describe("Streak challenges this check-in completed"),
});

const questionSchema = z.object({
  text: z.string().min(1).max(300),
  kind: z.enum(["choice", "text"]),
  options: z
    .array(
      z.object({
        text: z.string().min(1).max(100),
        budget: z
          .string()
          .regex(/^\d{1,30}(\.\d{1,18})?$/)
          .optional()
          .describe("A vote's option: the budget the next reward would have (whole tokens)"),
      }),
    )
    .min(2)
    .max(20)
    .optional(),
});

const surveySchema = z.object({
  id: z.number().int(),
  campaign: z.string(),
  kind: z.enum(SURVEY_KINDS),
  title: z.string(),
  questions: z.array(questionSchema),
  segment: z.enum(SURVEY_SEGMENTS),
  reward: z.object({ token: z.string(), amount: amountSchema }).nullable(),
  status: z.enum(["open", "closed"]),
  createdAt: iso,
  closesAt: iso.nullable(),
  closedAt: iso.nullable(),
});

const resultsSchema = z.object({
  survey: surveySchema,
  delivered: z.number().int(),
  respondents: z.number().int(),
  questions: z.array(
    z.object({
      text: z.string(),
      kind: z.enum(["choice", "text"]),
      answers: z.number().int(),
      options: z.array(
        z.object({ text: z.string(), budget: z.string().nullable(), count: z.number().int() }),
      ),
      texts: z.array(z.string()),
    }),
  ),
  segments: z.record(
    z.enum(SURVEY_SEGMENTS),
    z.object({
      respondents: z.number().int(),
      counts: z.array(z.array(z.number().int())).describe("Per question, per option"),
    }),
  ),
});

function memberId(req: Request): number {
  if (!req.member) throw new ProblemError("auth_required");
  return req.member.id;
}
function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function challengeRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;
  const decimals = (c: Campaign, token: string) => c.rules.tokens.get(token)?.decimals ?? 18;
  const surveyJson = (s: SurveyView) => {
    const campaign = domain.campaigns.byId(s.campaignId);
    return {
      id: s.id,
      campaign: campaign?.slug ?? String(s.campaignId),
      kind: s.kind,
      title: s.title,
      questions: s.questions,
      segment: s.segment,
      reward: s.reward
        ? {
            token: s.reward.token,
            amount: amount(s.reward.amount, campaign ? decimals(campaign, s.reward.token) : 18),
          }
        : null,
      status: s.status,
      createdAt: s.createdAt.toISOString(),
      closesAt: isoOrNull(s.closesAt),
      closedAt: isoOrNull(s.closedAt),
    };
  };

  table.add(router, {
    method: "get",
    path: "/api/me/challenges",
    operationId: "listChallenges",
    summary: "The campaign's challenges with the member's progress, state and reward",
    description:
      "Completion is detected by the system (a chat joined and stayed in, friends qualified, a wallet linked, check-ins, a survey answered, a partner event); reading this catches up anything not yet detected. Days are UTC days.",
    tags: ["member"],
    auth: "member",
    query: campaignQuery,
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The challenges", schema: challengesSchema },
    handler: async ({ req, query }) => {
      const me = memberId(req);
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const list = await memberChallenges(domain, me, campaign);
      const streak = await currentStreak(domain, campaign.id, me, domain.now());
      return {
        campaign: campaign.slug,
        checkin: {
          available: list.some((c) => c.kind === "checkin"),
          streak: streak.streak,
          today: streak.today,
        },
        challenges: list.map((c) => ({
          id: c.id,
          title: c.title,
          kind: c.kind,
          token: c.token,
          reward: amount(c.amount, decimals(campaign, c.token)),
          state: c.state,
          progress: c.progress,
          repeat: c.repeat,
          chatId: c.chatId,
          inviteLink: c.inviteLink,
          txHash: c.txHash,
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/me/checkin",
    operationId: "checkIn",
    summary: "The daily check-in (once per UTC day; a missed day resets the streak)",
    tags: ["member"],
    auth: "member",
    body: campaignQuery,
    problems: ["campaign_not_found", "checkin_unavailable", "member_banned"],
    response: { status: 200, description: "The check-in", schema: checkinSchema },
    handler: async ({ req, body }) => {
      const r = await checkIn(domain, { memberId: memberId(req), campaign: body.campaign });
      const campaign = domain.campaigns.byId(r.campaignId)!;
      return {
        day: r.day,
        streak: r.streak,
        already: r.already,
        reward: r.token && r.amount > 0n ? amount(r.amount, decimals(campaign, r.token)) : null,
        token: r.token,
        completed: r.completed,
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/challenges",
    operationId: "adminListChallenges",
    summary: "A campaign's challenges with how often each was completed",
    description:
      "Needs `campaign.view`. Counts only, no member named: a member's completions are in their record; `POST /api/admin/members/{id}/challenges/{challengeId}` grants one, `…/revoke` takes it back.",
    tags: ["admin"],
    auth: "admin",
    params: z.object({ slug }),
    problems: ["campaign_not_found", "forbidden"],
    response: {
      status: 200,
      description: "The challenges of the rules in effect",
      schema: z.object({ campaign: z.string(), items: z.array(challengeSummarySchema) }),
    },
    handler: async ({ req, params }) => {
      const campaign = domain.campaigns.bySlug(params.slug);
      if (!campaign) throw new ProblemError("campaign_not_found", `no campaign ${params.slug}`);
      const list = await challengeSummaries(domain, admin(req), campaign);
      return {
        campaign: campaign.slug,
        items: list.map((c) => ({
          id: c.id,
          title: c.title,
          kind: c.kind,
          token: c.token,
          reward: amount(c.amount, decimals(campaign, c.token)),
          repeat: c.repeat,
          target: c.target,
          partnerEvent: c.partnerEvent,
          completions: c.completions,
          revoked: c.revoked,
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/surveys",
    operationId: "createSurvey",
    summary: "Create a survey (questions with choices or free text) or a vote on the next reward",
    description:
      "Needs `survey.manage` (owners, managers) in the campaign; audited. A vote is one choice question whose options may carry a budget. The bot delivers it to its segment with `/survey send <id>`: native polls where they fit (2–10 options), buttons otherwise, a reply prompt for free text. `reward` is paid once per member who answers every question.",
    tags: ["admin"],
    auth: "admin",
    body: z.object({
      campaign: slug.optional(),
      kind: z.enum(SURVEY_KINDS),
      title: z.string().min(1).max(300),
      questions: z.array(questionSchema).min(1).max(20),
      segment: z.enum(SURVEY_SEGMENTS).default("all"),
      reward: z
        .object({
          token: z.string().regex(/^[A-Z][A-Z0-9]{1,10}$/),
          amount: z.string().regex(/^\d{1,30}(\.\d{1,18})?$/),
        })
        .optional(),
      closesAt: iso.optional(),
    }),
    problems: ["campaign_not_found", "answer_invalid", "forbidden"],
    response: { status: 201, description: "The survey", schema: surveySchema },
    handler: async ({ req, body }) =>
      surveyJson(
        await createSurvey(domain, admin(req), {
          ...body,
          closesAt: body.closesAt ? new Date(body.closesAt) : undefined,
        }),
      ),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/surveys",
    operationId: "listSurveys",
    summary: "A campaign's surveys and votes",
    description: "Needs `survey.read` (owners, managers, analysts).",
    tags: ["admin"],
    auth: "admin",
    query: campaignQuery,
    problems: ["campaign_not_found", "forbidden"],
    response: { status: 200, description: "The surveys", schema: z.array(surveySchema) },
    handler: async ({ req, query }) => {
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      return (await listSurveys(domain, admin(req), campaign)).map(surveyJson);
    },
  });

  const idParams = z.object({
    id: z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/surveys/:id/close",
    operationId: "closeSurvey",
    summary: "Close a survey: no more answers or changed votes",
    description: "Needs `survey.manage`; audited.",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["survey_not_found", "survey_closed", "forbidden"],
    response: { status: 200, description: "The survey", schema: surveySchema },
    handler: async ({ req, params }) =>
      surveyJson(await closeSurvey(domain, admin(req), params.id)),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/surveys/:id/results",
    operationId: "getSurveyResults",
    summary: "Results per option and per segment (and free-text answers)",
    description:
      "Needs `survey.read`; the read is audited. Segments: `all`, `referred` (attributed in the campaign), `inviters` (with a qualified referral), `wallet` (with a linked wallet).",
    tags: ["admin"],
    auth: "admin",
    params: idParams,
    problems: ["survey_not_found", "forbidden"],
    response: { status: 200, description: "The results", schema: resultsSchema },
    handler: async ({ req, params }) => {
      const r = await surveyResults(domain, admin(req), params.id);
      return { ...r, survey: surveyJson(r.survey) };
    },
  });
}
