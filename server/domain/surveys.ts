/**
 * Surveys and votes. An admin (`survey.manage`) creates one for a campaign: questions with
 * choices or free text, or a vote on the next reward (one question whose options carry a
 * budget), for a segment of members, optionally paying a small reward for answering. The bot
 * delivers it (native polls where they fit, buttons or a reply prompt otherwise) and reports
 * answers here. A member can change an answer until the survey closes (by an admin, or at
 * `closesAt`); the reward is paid once, when the member has answered every question, through
 * the ledger like a challenge (same caps, budget and idempotency), and completes the
 * campaign's `survey` challenges. Results per option and per segment need `survey.read`.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { parseUnits } from "viem";
import { queryRows, transaction } from "../db/index.ts";
import {
  SURVEY_KINDS,
  SURVEY_SEGMENTS,
  type SurveyQuestion,
  surveyAnswers,
  surveyDeliveries,
  surveys,
} from "../db/schema/challenges.ts";
import { members } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import type { CompiledChallenge } from "./campaign.ts";
import { completeChallenge, payChallengeInTx } from "./challenges.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import { lockBudgets, lockGrantees } from "./ledger.ts";
import type { Campaign } from "./registry.ts";
import { type AdminPrincipal, authorize } from "./roles.ts";

export { SURVEY_KINDS, SURVEY_SEGMENTS, type SurveyQuestion };
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export type SurveySegment = (typeof SURVEY_SEGMENTS)[number];

/** Native Telegram polls take 2..10 options of at most 100 characters, a question of 300. */
export function fitsNativePoll(q: SurveyQuestion): boolean {
  return (
    q.kind === "choice" &&
    q.text.length <= 300 &&
    (q.options?.length ?? 0) >= 2 &&
    (q.options?.length ?? 0) <= 10 &&
    (q.options ?? []).every((o) => o.text.length <= 100)
  );
}

export interface SurveyView {
  id: number;
  campaignId: number;
  kind: SurveyKind;
  title: string;
  questions: SurveyQuestion[];
  segment: SurveySegment;
  reward: { token: string; amount: bigint } | null;
  status: "open" | "closed";
  createdAt: Date;
  closesAt: Date | null;
  closedAt: Date | null;
}

export interface SurveyInput {
  campaign?: string;
  kind: SurveyKind;
  title: string;
  questions: SurveyQuestion[];
  segment?: SurveySegment;
  /** Whole tokens, e.g. `"1"`. */
  reward?: { token: string; amount: string };
  closesAt?: Date;
}

type Row = typeof surveys.$inferSelect;
const view = (r: Row): SurveyView => ({
  id: r.id,
  campaignId: r.campaignId,
  kind: r.kind,
  title: r.title,
  questions: r.questions,
  segment: r.segment,
  reward:
    r.rewardToken && r.rewardAmount !== null
      ? { token: r.rewardToken, amount: r.rewardAmount }
      : null,
  status: r.status,
  createdAt: r.createdAt,
  closesAt: r.closesAt,
  closedAt: r.closedAt,
});

function invalid(message: string): DomainError {
  return new DomainError("answer_invalid", message);
}

function checkQuestions(input: SurveyInput): void {
  if (input.questions.length === 0) throw invalid("a survey needs at least one question");
  if (input.kind === "vote") {
    const [q] = input.questions;
    if (input.questions.length !== 1 || q?.kind !== "choice")
      throw invalid("a vote is one question with options");
  }
  input.questions.forEach((q, i) => {
    if (q.kind === "choice" && (q.options?.length ?? 0) < 2)
      throw invalid(`question ${i + 1} needs at least two options`);
    if (q.kind === "text" && q.options !== undefined)
      throw invalid(`question ${i + 1} is free text: no options`);
    for (const o of q.options ?? [])
      if (o.budget !== undefined && !/^\d{1,30}(\.\d{1,18})?$/.test(o.budget))
        throw invalid(`question ${i + 1}: a budget is a decimal amount`);
  });
}

export async function createSurvey(
  ctx: DomainContext,
  by: AdminPrincipal,
  input: SurveyInput,
): Promise<SurveyView> {
  const now = ctx.now();
  const campaign = ctx.campaigns.resolve(input.campaign, now);
  await authorize(ctx, by, "survey.manage", campaign.id);
  checkQuestions(input);
  let reward: { token: string; amount: bigint } | null = null;
  if (input.reward) {
    const token = campaign.rules.tokens.get(input.reward.token);
    if (!token) throw invalid(`unknown token ${input.reward.token}`);
    reward = { token: token.symbol, amount: parseUnits(input.reward.amount, token.decimals) };
    if (reward.amount <= 0n) throw invalid("a reward must be positive");
  }
  if (input.closesAt && input.closesAt <= now) throw invalid("closesAt must be in the future");
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(surveys)
      .values({
        campaignId: campaign.id,
        kind: input.kind,
        title: input.title,
        questions: input.questions,
        segment: input.segment ?? "all",
        rewardToken: reward?.token ?? null,
        rewardAmount: reward?.amount ?? null,
        status: "open",
        createdBy: by.actor,
        createdAt: now,
        closesAt: input.closesAt ?? null,
      })
      .returning();
    await writeAudit(tx, {
      actor: by.actor,
      action: "survey.created",
      subjectType: "survey",
      subjectId: row!.id,
      campaignId: campaign.id,
      before: null,
      after: {
        kind: input.kind,
        title: input.title,
        questions: input.questions.length,
        segment: row!.segment,
        reward: reward ? `${input.reward?.amount} ${reward.token}` : null,
      },
      at: now,
    });
    return view(row!);
  });
}

export async function getSurvey(ctx: Pick<DomainContext, "db">, id: number): Promise<SurveyView> {
  const [row] = await ctx.db.select().from(surveys).where(eq(surveys.id, id));
  if (!row) throw new DomainError("survey_not_found", `no survey ${id}`);
  return view(row);
}

export async function listSurveys(
  ctx: DomainContext,
  by: AdminPrincipal,
  campaign: Campaign,
): Promise<SurveyView[]> {
  await authorize(ctx, by, "survey.read", campaign.id);
  const rows = await ctx.db
    .select()
    .from(surveys)
    .where(eq(surveys.campaignId, campaign.id))
    .orderBy(asc(surveys.id));
  return rows.map(view);
}

const isOpen = (s: SurveyView, now: Date) =>
  s.status === "open" && (s.closesAt === null || s.closesAt > now);

export async function closeSurvey(
  ctx: DomainContext,
  by: AdminPrincipal,
  id: number,
): Promise<SurveyView> {
  const s = await getSurvey(ctx, id);
  await authorize(ctx, by, "survey.manage", s.campaignId, { type: "survey", id });
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const [row] = await tx
      .update(surveys)
      .set({ status: "closed", closedAt: now })
      .where(and(eq(surveys.id, id), eq(surveys.status, "open")))
      .returning();
    if (!row) throw new DomainError("survey_closed", `survey ${id} is already closed`);
    await writeAudit(tx, {
      actor: by.actor,
      action: "survey.closed",
      subjectType: "survey",
      subjectId: id,
      campaignId: s.campaignId,
      before: { status: "open" },
      after: { status: "closed" },
      at: now,
    });
    return view(row);
  });
}

/** SQL: whether member `m` is in the segment of campaign `campaignId`. */
function inSegment(segment: SurveySegment, campaignId: number) {
  switch (segment) {
    case "all":
      return sql`true`;
    case "referred":
      return sql`exists (select 1 from referrals r where r.campaign_id = ${campaignId}
        and r.referee_id = m.id)`;
    case "inviters":
      return sql`exists (select 1 from referrals r where r.campaign_id = ${campaignId}
        and r.referrer_id = m.id and r.status = 'qualified')`;
    case "wallet":
      return sql`exists (select 1 from member_wallets w where w.member_id = m.id)`;
  }
}

export interface SurveyRecipient {
  memberId: number;
  telegramId: number;
  languageCode: string | null;
}

/**
 * Who a delivery goes to (`survey.manage`, audited): the segment's members, not banned, who
 * were not sent it yet (a second delivery reaches only the members who joined since).
 */
export async function startSurveyDelivery(
  ctx: DomainContext,
  by: AdminPrincipal,
  id: number,
): Promise<{ survey: SurveyView; recipients: SurveyRecipient[] }> {
  const s = await getSurvey(ctx, id);
  await authorize(ctx, by, "survey.manage", s.campaignId, { type: "survey", id });
  if (!isOpen(s, ctx.now())) throw new DomainError("survey_closed", `survey ${id} is closed`);
  const rows = await queryRows<{ id: string; telegram_id: string; language_code: string | null }>(
    ctx.db,
    sql`select m.id, m.telegram_id, m.language_code from members m
        where m.banned_at is null and ${inSegment(s.segment, s.campaignId)}
          and not exists (select 1 from survey_deliveries d
            where d.survey_id = ${id} and d.member_id = m.id)
        order by m.id`,
  );
  const recipients = rows.map((r) => ({
    memberId: Number(r.id),
    telegramId: Number(r.telegram_id),
    languageCode: r.language_code,
  }));
  await writeAudit(ctx.db, {
    actor: by.actor,
    action: "survey.delivered",
    subjectType: "survey",
    subjectId: id,
    campaignId: s.campaignId,
    details: { recipients: recipients.length, segment: s.segment },
    at: ctx.now(),
  });
  return { survey: s, recipients };
}

/** Records what the bot sent for one question (a native poll's id maps its answers back). */
export async function recordDelivery(
  ctx: Pick<DomainContext, "db" | "now">,
  d: {
    surveyId: number;
    question: number;
    memberId: number;
    chatId: number;
    messageId?: number;
    pollId?: string;
  },
): Promise<void> {
  await ctx.db
    .insert(surveyDeliveries)
    .values({
      ...d,
      messageId: d.messageId ?? null,
      pollId: d.pollId ?? null,
      sentAt: ctx.now(),
    })
    .onConflictDoNothing();
}

/** The delivery a native poll's answer is about. */
export async function deliveryByPoll(ctx: Pick<DomainContext, "db">, pollId: string) {
  const [row] = await ctx.db
    .select()
    .from(surveyDeliveries)
    .where(eq(surveyDeliveries.pollId, pollId));
  return row;
}

/** The delivery (a free-text prompt) a reply answers. */
export async function deliveryByMessage(
  ctx: Pick<DomainContext, "db">,
  chatId: number,
  messageId: number,
) {
  const [row] = await ctx.db
    .select()
    .from(surveyDeliveries)
    .where(and(eq(surveyDeliveries.chatId, chatId), eq(surveyDeliveries.messageId, messageId)));
  return row;
}

export interface AnswerResult {
  survey: SurveyView;
  /** False for a first answer, true when it replaced an earlier one. */
  changed: boolean;
  /** Every question answered now (and the first time: the reward was decided). */
  complete: boolean;
  /** What the answer paid (once per member and survey). */
  amount: bigint;
}

/**
 * Records (or changes) a member's answer. `choices` for a choice question (indexes; empty
 * withdraws the answer, as a retracted poll vote does), `text` for a free-text one.
 */
export async function answerSurvey(
  ctx: DomainContext,
  input: {
    memberId: number;
    surveyId: number;
    question: number;
    choices?: number[];
    text?: string;
  },
): Promise<AnswerResult> {
  const now = ctx.now();
  const s = await getSurvey(ctx, input.surveyId);
  if (!isOpen(s, now)) throw new DomainError("survey_closed", `survey ${s.id} is closed`);
  const q = s.questions[input.question];
  if (!q) throw invalid(`no question ${input.question}`);
  if (q.kind === "choice") {
    const choices = input.choices ?? [];
    if (
      input.text !== undefined ||
      choices.length > 1 ||
      choices.some((c) => !Number.isInteger(c) || c < 0 || c >= (q.options?.length ?? 0))
    )
      throw invalid("choose one of the options");
  } else {
    const text = input.text?.trim() ?? "";
    if (input.choices !== undefined || text.length === 0 || text.length > 2000)
      throw invalid("an answer of 1 to 2000 characters");
  }
  const campaign = ctx.campaigns.byId(s.campaignId);
  const out = await transaction(ctx.db, async (tx) => {
    const [member] = await tx
      .select({ bannedAt: members.bannedAt })
      .from(members)
      .where(eq(members.id, input.memberId));
    if (!member) throw new DomainError("member_not_found", `no member ${input.memberId}`);
    if (member.bannedAt !== null) throw new DomainError("member_banned", "member is banned");
    await lockGrantees(tx, [input.memberId]);
    const key = and(
      eq(surveyAnswers.surveyId, s.id),
      eq(surveyAnswers.question, input.question),
      eq(surveyAnswers.memberId, input.memberId),
    );
    const [before] = await tx.select().from(surveyAnswers).where(key);
    if (q.kind === "choice" && (input.choices ?? []).length === 0) {
      await tx.delete(surveyAnswers).where(key);
      return { changed: before !== undefined, complete: false, amount: 0n };
    }
    const values = {
      choices: q.kind === "choice" ? (input.choices ?? []) : null,
      text: q.kind === "text" ? (input.text?.trim() ?? null) : null,
    };
    if (before)
      await tx
        .update(surveyAnswers)
        .set({ ...values, changedAt: now })
        .where(key);
    else
      await tx.insert(surveyAnswers).values({
        surveyId: s.id,
        question: input.question,
        memberId: input.memberId,
        ...values,
        answeredAt: now,
        changedAt: now,
      });
    const [answered] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(surveyAnswers)
      .where(and(eq(surveyAnswers.surveyId, s.id), eq(surveyAnswers.memberId, input.memberId)));
    const complete = Number(answered?.n ?? 0) >= s.questions.length;
    let amount = 0n;
    if (complete && s.reward && campaign) {
      const pseudo: CompiledChallenge = {
        id: `survey-${s.id}`,
        token: s.reward.token,
        amount: s.reward.amount,
        title: { en: s.title, ru: s.title },
      };
      const budget = await lockBudgets(tx, campaign.id, [s.reward.token]);
      amount = (
        await payChallengeInTx(tx, campaign, pseudo, {
          memberId: input.memberId,
          idempotencyKey: `survey:${s.id}:${input.memberId}`,
          budget,
          now,
        })
      ).amount;
    }
    return { changed: before !== undefined, complete, amount };
  });
  if (out.amount > 0n) ctx.events?.entriesWritten?.({ campaignId: s.campaignId, count: 1 });
  if (out.complete && campaign)
    for (const ch of campaign.rules.challenges.values())
      if (ch.detect?.type === "survey")
        await completeChallenge(ctx, {
          memberId: input.memberId,
          challengeId: ch.id,
          campaign: campaign.slug,
          source: `survey:${s.id}`,
        });
  return { survey: s, ...out };
}

export interface SurveyResults {
  survey: SurveyView;
  delivered: number;
  respondents: number;
  questions: Array<{
    text: string;
    kind: "choice" | "text";
    answers: number;
    options: Array<{ text: string; budget: string | null; count: number }>;
    /** Free-text answers, newest first (at most 100). */
    texts: string[];
  }>;
  /** Per segment: respondents and each question's option counts. */
  segments: Record<SurveySegment, { respondents: number; counts: number[][] }>;
}

export async function surveyResults(
  ctx: DomainContext,
  by: AdminPrincipal,
  id: number,
): Promise<SurveyResults> {
  const s = await getSurvey(ctx, id);
  await authorize(ctx, by, "survey.read", s.campaignId, { type: "survey", id });
  const answers = await ctx.db
    .select()
    .from(surveyAnswers)
    .where(eq(surveyAnswers.surveyId, id))
    .orderBy(asc(surveyAnswers.changedAt));
  const [delivered] = await ctx.db
    .select({ n: sql<number>`count(distinct ${surveyDeliveries.memberId})::int` })
    .from(surveyDeliveries)
    .where(eq(surveyDeliveries.surveyId, id));
  const memberIds = [...new Set(answers.map((a) => a.memberId))];
  const inSeg = new Map<SurveySegment, Set<number>>();
  for (const seg of SURVEY_SEGMENTS) {
    if (memberIds.length === 0) {
      inSeg.set(seg, new Set());
      continue;
    }
    const rows = await queryRows<{ id: string }>(
      ctx.db,
      sql`select m.id from members m where m.id in (${sql.join(
        memberIds.map((m) => sql`${m}`),
        sql`, `,
      )}) and ${inSegment(seg, s.campaignId)}`,
    );
    inSeg.set(seg, new Set(rows.map((r) => Number(r.id))));
  }
  const questions = s.questions.map((q, qi) => {
    const mine = answers.filter((a) => a.question === qi);
    return {
      text: q.text,
      kind: q.kind,
      answers: mine.length,
      options: (q.options ?? []).map((o, oi) => ({
        text: o.text,
        budget: o.budget ?? null,
        count: mine.filter((a) => a.choices?.includes(oi)).length,
      })),
      texts: mine
        .flatMap((a) => (a.text ? [a.text] : []))
        .reverse()
        .slice(0, 100),
    };
  });
  const segments = {} as SurveyResults["segments"];
  for (const seg of SURVEY_SEGMENTS) {
    const set = inSeg.get(seg)!;
    segments[seg] = {
      respondents: set.size,
      counts: s.questions.map((q, qi) =>
        (q.options ?? []).map(
          (_, oi) =>
            answers.filter(
              (a) => a.question === qi && set.has(a.memberId) && a.choices?.includes(oi),
            ).length,
        ),
      ),
    };
  }
  await writeAudit(ctx.db, {
    actor: by.actor,
    action: "survey.results_read",
    subjectType: "survey",
    subjectId: id,
    campaignId: s.campaignId,
    at: ctx.now(),
  });
  return {
    survey: s,
    delivered: Number(delivered?.n ?? 0),
    respondents: memberIds.length,
    questions,
    segments,
  };
}

/** A member's current answers to a survey (question → answer). */
export async function answersOf(
  ctx: Pick<DomainContext, "db">,
  surveyId: number,
  memberId: number,
) {
  return ctx.db
    .select()
    .from(surveyAnswers)
    .where(and(eq(surveyAnswers.surveyId, surveyId), eq(surveyAnswers.memberId, memberId)));
}

/** A delivered native poll of a closed survey, to be stopped (`stopPoll`). */
export interface PollToStop {
  surveyId: number;
  question: number;
  memberId: number;
  chatId: number;
  messageId: number;
}

/**
 * The native polls of closed surveys (closed by an admin, or past `closesAt` on the domain's
 * clock) not stopped yet, at most `limit`, leased to the caller for `leaseSeconds` so that
 * processes running this together never stop the same poll twice; a caller that dies
 * mid-call leaves its polls to be taken again once the lease runs out.
 */
export async function claimPollsToStop(
  ctx: Pick<DomainContext, "db" | "now">,
  o: { limit: number; leaseSeconds: number },
): Promise<PollToStop[]> {
  const now = ctx.now();
  const until = new Date(now.getTime() + o.leaseSeconds * 1000);
  const rows = await queryRows<{
    survey_id: string | number;
    question: number;
    member_id: string | number;
    chat_id: string | number;
    message_id: number;
  }>(
    ctx.db,
    sql`update survey_deliveries d set poll_stop_lease_until = ${until.toISOString()}::timestamptz
        from (select d2.survey_id, d2.question, d2.member_id from survey_deliveries d2
              join surveys s on s.id = d2.survey_id
              where d2.poll_id is not null and d2.message_id is not null
                and d2.poll_stopped_at is null
                and (d2.poll_stop_lease_until is null
                  or d2.poll_stop_lease_until <= ${now.toISOString()}::timestamptz)
                and (s.status = 'closed' or s.closes_at <= ${now.toISOString()}::timestamptz)
              order by d2.survey_id, d2.member_id, d2.question
              limit ${o.limit}
              for update of d2 skip locked) due
        where d.survey_id = due.survey_id and d.question = due.question
          and d.member_id = due.member_id
        returning d.survey_id, d.question, d.member_id, d.chat_id, d.message_id`,
  );
  return rows.map((r) => ({
    surveyId: Number(r.survey_id),
    question: Number(r.question),
    memberId: Number(r.member_id),
    chatId: Number(r.chat_id),
    messageId: Number(r.message_id),
  }));
}

/** The poll is stopped (or can never be: the chat or the message is gone): never tried again. */
export async function markPollStopped(
  ctx: Pick<DomainContext, "db" | "now">,
  p: Pick<PollToStop, "surveyId" | "question" | "memberId">,
): Promise<void> {
  await ctx.db
    .update(surveyDeliveries)
    .set({ pollStoppedAt: ctx.now(), pollStopLeaseUntil: null })
    .where(
      and(
        eq(surveyDeliveries.surveyId, p.surveyId),
        eq(surveyDeliveries.question, p.question),
        eq(surveyDeliveries.memberId, p.memberId),
      ),
    );
}
