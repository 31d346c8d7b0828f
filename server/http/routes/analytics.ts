/**
 * Analytics endpoints for the admin console (Overview and Experiments screens) and CSV export:
 * `analytics.read` in the campaign (analysts and above, server/domain/roles.ts), read from the
 * rollups (server/domain/analytics/). Amounts are wei with their whole-token form. Also the
 * Overview's operational status (reviews, payout pipeline, chain jobs, reconciliation) and
 * "promote the winner" of an experiment (`campaign.edit`: a new rules version).
 */
import type { Request, Router } from "express";
import { z } from "zod";
import { campaignOperations, PIPELINE_STATUSES } from "../../domain/analytics/operations.ts";
import { promoteWinner } from "../../domain/analytics/promote.ts";
import {
  analyticsCsvPages,
  analyticsExperiments,
  analyticsFunnelByCode,
  analyticsOverview,
  CSV_TABLE_NAMES,
  CSV_TABLES,
  csvLine,
  dayRange,
} from "../../domain/analytics/queries.ts";
import type { DomainContext } from "../../domain/context.ts";
import type { AdminPrincipal } from "../../domain/roles.ts";
import { ProblemError } from "../problem.ts";
import { queryInt, type RouteTable } from "../route.ts";
import { amount, amountSchema, iso, isoOrNull } from "../schemas.ts";

const slugParams = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug"),
});
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a UTC day, YYYY-MM-DD")
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    "not a calendar day",
  );
const rangeQuery = z
  .object({
    from: day.optional().describe("First UTC day (inclusive); default: 29 days before `to`"),
    to: day.optional().describe("Last UTC day (inclusive); default: today"),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "`from` is after `to`",
    path: ["from"],
  })
  .refine(
    (q) =>
      q.from === undefined ||
      q.to === undefined ||
      Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`) <= 731 * 86_400_000,
    { message: "at most two years at once", path: ["to"] },
  );

const rate = z.number().nullable().describe("A share between 0 and 1; null without a denominator");
const funnelShape = {
  clicks: z.number().int(),
  starts: z.number().int(),
  attributed: z.number().int(),
  reviews: z.number().int(),
  qualified: z.number().int(),
  paid: z.number().int(),
};

const overviewSchema = z.object({
  campaign: z.string(),
  from: z.string(),
  to: z.string(),
  lag: z.number().int().describe("Events not yet folded into the rollups when read"),
  funnel: z.object(funnelShape),
  conversion: z.object({
    clickToStart: rate,
    startToAttributed: rate,
    attributedToQualified: rate,
    qualifiedToPaid: rate,
  }),
  members: z.number().int().describe("Members taking part (referred or referring), all time"),
  referrers: z.number().int().describe("Members who referred someone, all time"),
  kFactor: z.object({
    invitesPerMember: z.number().nullable(),
    conversion: rate,
    value: z.number().nullable(),
  }),
  timeToQualify: z.object({
    count: z.number().int(),
    meanSeconds: z.number().nullable(),
    p50Seconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
  }),
  retention: z.object({
    cohorts: z.array(
      z.object({
        week: z.string(),
        members: z.number().int(),
        d1: z.number().int(),
        d7: z.number().int(),
        d30: z.number().int(),
      }),
    ),
    d1: rate,
    d7: rate,
    d30: rate,
  }),
  engagementScore: z.number().int().min(0).max(100),
  reviewShare: rate,
  gas: amountSchema,
  gasPerQualified: amountSchema.nullable(),
  tokens: z.array(
    z.object({
      token: z.string(),
      earned: amountSchema,
      paid: amountSchema,
      expired: amountSchema,
      escrowed: amountSchema,
      claimed: amountSchema,
      redeemed: amountSchema,
      redemptionRate: rate,
      budget: amountSchema,
      granted: amountSchema,
      burned: rate,
      pacePerDay: amountSchema,
      runwayDays: z.number().nullable(),
      costPerQualified: amountSchema.nullable(),
    }),
  ),
  topReferrers: z.array(
    z.object({
      memberId: z.number().int(),
      username: z.string().nullable(),
      invited: z.number().int(),
      qualified: z.number().int(),
    }),
  ),
  series: z.array(
    z.object({
      day: z.string(),
      ...funnelShape,
      earned: z.record(z.string(), z.string().describe("wei")),
    }),
  ),
});

const experimentsSchema = z.object({
  campaign: z.string(),
  method: z.string(),
  control: z.string().nullable(),
  mde: z.number(),
  alpha: z.number(),
  alphaPerComparison: z.number(),
  power: z.number(),
  confidence: z.number(),
  winner: z.string().nullable().describe("Only an arm significantly better than control"),
  arms: z.array(
    z.object({
      variant: z.string(),
      members: z.number().int(),
      reviews: z.number().int(),
      qualified: z.number().int(),
      paid: z.number().int(),
      conversion: rate,
      verdict: z.enum(["control", "better", "worse", "not_significant", "insufficient_data"]),
      comparison: z
        .object({
          difference: z.number(),
          lift: z.number().nullable(),
          z: z.number(),
          pValue: z.number(),
          ciLow: z.number(),
          ciHigh: z.number(),
          probabilityToBeatControl: z.number(),
          sampleNeededPerArm: z.number().int().nullable(),
          sampleRemaining: z.number().int().nullable(),
        })
        .nullable(),
    }),
  ),
});

const METHOD =
  "Two-proportion z-test (pooled, two-sided) with a Wald interval of the difference; " +
  "Bonferroni over the treatment arms; Beta(1+qualified, 1+not qualified) posteriors for the " +
  "probability to beat control; sample per arm by Fleiss' formula for the minimum detectable effect.";

function admin(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

const operationsSchema = z.object({
  campaign: z.string(),
  openReviews: z.number().int().describe("Review items of the campaign waiting for a decision"),
  payouts: z
    .object({
      ...Object.fromEntries(PIPELINE_STATUSES.map((s) => [s, z.number().int()])),
      oldestWaitingAt: iso.nullable().describe("The oldest payout queued, sending, sent or held"),
    })
    .describe("Outbox rows not yet settled, by status"),
  jobs: z.array(
    z.object({
      job: z.enum(["worker", "indexer", "epochs"]),
      status: z.enum(["ok", "degraded", "starting", "stopped", "down"]),
      lastSuccessAt: iso.nullable(),
      consecutiveFailures: z.number().int(),
      alerts: z.number().int(),
      lagBlocks: z.number().nullable().describe("Indexer: blocks behind the chain head"),
      cursor: z.number().nullable().describe("Indexer: the last block processed"),
      lastError: z.string().nullable().describe("Super-admins only (it may name other campaigns)"),
    }),
  ),
  reconciliation: z.object({
    last: z
      .object({
        at: iso,
        blockNumber: z.number().int().nullable(),
        differences: z.array(z.string()),
        lines: z.array(
          z.object({
            token: z.string(),
            ledgerPaid: z.string(),
            chainSpent: z.string(),
            indexedPayouts: z.string(),
            supply: z.string(),
            indexedBalances: z.string(),
          }),
        ),
      })
      .nullable()
      .describe("The last run that compared this campaign (null: none yet)"),
    lastDifference: z
      .object({
        at: iso,
        blockNumber: z.number().int().nullable(),
        differences: z.array(z.string()),
      })
      .nullable()
      .describe("The last run that found a difference in this campaign"),
  }),
});

export function analyticsRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext; publicUrl: string },
): void {
  const { domain } = deps;
  const campaignOf = (slug: string) => domain.campaigns.resolve(slug, domain.now());

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/analytics/overview",
    operationId: "analyticsOverview",
    summary: "A campaign's KPIs and daily series over a range of days (from the rollups)",
    description:
      "Needs `analytics.read` in the campaign. Funnel, conversion, K-factor, time to qualify, retention cohorts, engagement score, review share, tokens and budget runway, gas, top referrers. Definitions: docs/ANALYTICS.md.",
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams,
    query: rangeQuery,
    problems: ["forbidden", "campaign_not_found"],
    response: { status: 200, description: "The Overview", schema: overviewSchema },
    handler: async ({ req, params, query }) => {
      const campaign = campaignOf(params.slug);
      const o = await analyticsOverview(
        domain,
        admin(req),
        campaign,
        dayRange(domain.now(), query.from, query.to),
      );
      return {
        campaign: campaign.slug,
        from: o.range.from,
        to: o.range.to,
        lag: o.lag,
        funnel: o.funnel,
        conversion: o.conversion,
        members: o.members,
        referrers: o.referrers,
        kFactor: o.kFactor,
        timeToQualify: o.timeToQualify,
        retention: o.retention,
        engagementScore: o.engagementScore,
        reviewShare: o.reviewShare,
        gas: amount(o.gasWei),
        gasPerQualified: o.gasPerQualifiedWei === null ? null : amount(o.gasPerQualifiedWei),
        tokens: o.tokens.map((t) => ({
          token: t.token,
          earned: amount(t.earned, t.decimals),
          paid: amount(t.paid, t.decimals),
          expired: amount(t.expired, t.decimals),
          escrowed: amount(t.escrowed, t.decimals),
          claimed: amount(t.claimed, t.decimals),
          redeemed: amount(t.redeemed, t.decimals),
          redemptionRate: t.redemptionRate,
          budget: amount(t.budget, t.decimals),
          granted: amount(t.granted, t.decimals),
          burned: t.burned,
          pacePerDay: amount(t.pacePerDay, t.decimals),
          runwayDays: t.runwayDays,
          costPerQualified:
            t.costPerQualified === null ? null : amount(t.costPerQualified, t.decimals),
        })),
        topReferrers: o.topReferrers,
        series: o.series.map((s) => ({
          ...s,
          earned: Object.fromEntries(
            Object.entries(s.earned).map(([token, wei]) => [token, wei.toString()]),
          ),
        })),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/analytics/funnel",
    operationId: "analyticsFunnel",
    summary: "The funnel (clicks → starts → attributed → qualified → paid) per referral code",
    description:
      "Needs `analytics.read` in the campaign. Best codes first; the whole table: `codes.csv`.",
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams,
    query: z.intersection(
      rangeQuery,
      z.object({
        by: z.enum(["code"]).optional().describe("Grouping; `code` (the only one so far)"),
        limit: queryInt(1, 1000).optional().describe("Default 100"),
      }),
    ),
    problems: ["forbidden", "campaign_not_found"],
    response: {
      status: 200,
      description: "Codes with their funnel",
      schema: z.object({
        campaign: z.string(),
        from: z.string(),
        to: z.string(),
        by: z.literal("code"),
        items: z.array(
          z.object({
            code: z.string(),
            memberId: z.number().int().nullable(),
            clicks: z.number().int(),
            starts: z.number().int(),
            attributed: z.number().int(),
            qualified: z.number().int(),
            paid: z.number().int(),
          }),
        ),
      }),
    },
    handler: async ({ req, params, query }) => {
      const campaign = campaignOf(params.slug);
      const range = dayRange(domain.now(), query.from, query.to);
      const items = await analyticsFunnelByCode(
        domain,
        admin(req),
        campaign,
        range,
        query.limit ?? 100,
      );
      return {
        campaign: campaign.slug,
        from: range.from,
        to: range.to,
        by: "code" as const,
        items,
      };
    },
  });

  const share = (min: number, max: number) =>
    z
      .string()
      .regex(/^\d*\.?\d+$/, "expected a number")
      .transform(Number)
      .pipe(z.number().gt(min).lt(max));

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/analytics/experiments",
    operationId: "analyticsExperiments",
    summary: "A/B variants: conversion per arm and the difference to control with its statistics",
    description: `Needs \`analytics.read\` in the campaign. ${METHOD} A winner is named only when significant.`,
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams,
    query: z.object({
      mde: share(0, 1)
        .optional()
        .describe("Minimum detectable effect, absolute (0.02 = 2 points); default 0.02"),
      control: z.string().max(64).optional().describe("Control arm; default the first variant"),
    }),
    problems: ["forbidden", "campaign_not_found"],
    response: { status: 200, description: "The arms", schema: experimentsSchema },
    handler: async ({ req, params, query }) => {
      const campaign = campaignOf(params.slug);
      const e = await analyticsExperiments(domain, admin(req), campaign, {
        mde: query.mde ?? 0.02,
        control: query.control,
      });
      return { campaign: campaign.slug, method: METHOD, ...e };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/analytics/operations",
    operationId: "analyticsOperations",
    summary:
      "What waits now: open reviews, the payout pipeline, the chain jobs' health and the last reconciliation",
    description:
      "Needs `analytics.read` in the campaign. The reconciliation is the campaign's part of the last `npm run reconcile` (or `POST /api/operator/reconcile`), with the last run that found a difference.",
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams,
    problems: ["forbidden", "campaign_not_found"],
    response: { status: 200, description: "The status", schema: operationsSchema },
    handler: async ({ req, params }) => {
      const campaign = campaignOf(params.slug);
      const o = await campaignOperations(domain, admin(req), campaign);
      return {
        campaign: campaign.slug,
        openReviews: o.openReviews,
        payouts: { ...o.payouts, oldestWaitingAt: isoOrNull(o.payouts.oldestWaitingAt) },
        jobs: o.jobs.map((j) => ({
          ...j,
          job: j.job as "worker" | "indexer" | "epochs",
          lastSuccessAt: isoOrNull(j.lastSuccessAt),
        })),
        reconciliation: {
          last: o.reconciliation.last
            ? { ...o.reconciliation.last, at: o.reconciliation.last.at.toISOString() }
            : null,
          lastDifference: o.reconciliation.lastDifference
            ? {
                ...o.reconciliation.lastDifference,
                at: o.reconciliation.lastDifference.at.toISOString(),
              }
            : null,
        },
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/analytics/experiments/promote",
    operationId: "promoteExperimentWinner",
    summary: "Promote the experiment's winner: a new rules version with its rewards for everyone",
    description:
      "Needs `campaign.edit` in the campaign (managers, owners; not analysts). Only the arm the statistics name as winner (recomputed now) is accepted, else 409 `experiment_no_winner`. Creates the next rules version (pending) with the winner's level amounts and no variants; `npm run campaign:version` publishes it on-chain, where it takes effect. Audited (`experiment.promoted`, with the numbers). Promoting the same winner again returns the same version.",
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams,
    body: z.object({
      variant: z.string().min(1).max(64),
      mde: z.number().gt(0).lt(1).optional().describe("The minimum effect the page used"),
    }),
    problems: [
      "forbidden",
      "campaign_not_found",
      "experiment_no_winner",
      "rules_version_pending",
      "rules_invalid",
      "not_found",
    ],
    response: {
      status: 200,
      description: "The version created (or the same one again)",
      schema: z.object({
        campaign: z.string(),
        variant: z.string(),
        version: z.number().int(),
        hash: z.string(),
        outcome: z.enum(["created", "replaced", "resumed", "publishing-effective"]),
        rulesUrl: z.string(),
      }),
    },
    handler: async ({ req, params, body }) => {
      const campaign = campaignOf(params.slug);
      const r = await promoteWinner(domain, admin(req), campaign, {
        variant: body.variant,
        mde: body.mde ?? 0.02,
        publicUrl: deps.publicUrl,
      });
      return {
        campaign: campaign.slug,
        variant: body.variant,
        version: r.version,
        hash: r.hash,
        outcome: r.outcome,
        rulesUrl: r.rulesUrl,
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/campaigns/:slug/analytics/:table.csv",
    operationId: "analyticsCsv",
    summary: "One analytics table of the campaign as CSV, streamed",
    description: `Needs \`analytics.read\` in the campaign. Tables: ${CSV_TABLE_NAMES.join(", ")}. Day-based tables honour \`from\`/\`to\`.`,
    tags: ["admin", "analytics"],
    auth: "admin",
    params: slugParams.extend({ table: z.enum(CSV_TABLE_NAMES) }),
    query: rangeQuery,
    problems: ["forbidden", "campaign_not_found"],
    response: { status: 200, description: "CSV with a header line", contentType: "text/csv" },
    raw: async ({ req, res, params, query }) => {
      const campaign = campaignOf(params.slug);
      const range = dayRange(domain.now(), query.from, query.to);
      const pages = analyticsCsvPages(domain, admin(req), campaign, params.table, range);
      // The first page authorizes: a refusal becomes a problem response, not a cut stream.
      let next = await pages.next();
      res.statusCode = 200;
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader(
        "Content-Disposition",
        `attachment; filename="${campaign.slug}-${params.table}.csv"`,
      );
      res.write(csvLine(CSV_TABLES[params.table].columns));
      try {
        while (!next.done) {
          const chunk = next.value.map(csvLine).join("");
          if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
          next = await pages.next();
        }
        res.end();
      } catch (error) {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
}
