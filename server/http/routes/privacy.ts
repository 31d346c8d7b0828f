/**
 * Compliance endpoints. Members: a campaign's terms (read, accept), what its participation
 * rules ask (country, age), the export of their data and its deletion. Admins: exclude a
 * member from a campaign or lift it (`member.exclude` in that campaign, audited by the domain).
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../../domain/context.ts";
import type { MemberView } from "../../domain/members.ts";
import {
  confirmAge,
  declareCountry,
  excludeMember,
  includeMember,
  type ParticipationStatus,
  participationStatus,
} from "../../domain/participation.ts";
import { deleteMemberData, exportMemberData } from "../../domain/privacy.ts";
import type { Campaign } from "../../domain/registry.ts";
import { acceptTerms, type TermsStatus, termsStatus } from "../../domain/terms.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { qualificationOutcomeSchema } from "../schemas.ts";
import { outcomeJson } from "./shared.ts";

const slug = z
  .string()
  .regex(/^[a-z0-9-]{2,48}$/)
  .optional()
  .describe("Campaign slug (default: the current campaign)");

const termsSchema = z.object({
  campaign: z.string(),
  required: z.boolean(),
  version: z.string().nullable(),
  url: z.string().nullable(),
  text: z.object({ en: z.string(), ru: z.string() }).nullable(),
  accepted: z.boolean(),
  acceptedAt: z.string().nullable(),
  previousVersion: z.string().nullable(),
});

const participationSchema = z.object({
  campaign: z.string(),
  allowed: z.boolean(),
  refused: z.string().nullable().describe("A problem code: the member does not take part"),
  missing: z.array(z.string()).describe("Problem codes of what the member has yet to do"),
  countries: z.array(z.string()).nullable(),
  minAge: z.number().int().nullable(),
  country: z.string().nullable(),
  ageConfirmed: z.number().int().nullable(),
});

const termsJson = (s: TermsStatus) => ({
  campaign: s.campaign,
  required: s.terms !== null,
  version: s.terms?.version ?? null,
  url: s.terms?.url ?? null,
  text: s.terms?.text ?? null,
  accepted: s.accepted,
  acceptedAt: s.acceptedAt?.toISOString() ?? null,
  previousVersion: s.previousVersion,
});

const participationJson = (s: ParticipationStatus) => ({
  campaign: s.campaign,
  allowed: s.verdict.ok,
  refused: !s.verdict.ok && s.verdict.refused !== undefined ? s.verdict.refused : null,
  missing: !s.verdict.ok && s.verdict.refused === undefined ? s.verdict.missing : [],
  countries: s.countries,
  minAge: s.minAge,
  country: s.country,
  ageConfirmed: s.ageConfirmed,
});

function me(req: Request): MemberView {
  const m = req.member;
  if (!m) throw new ProblemError("auth_required");
  return m;
}

export function privacyRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;
  const campaignOf = (s: string | undefined): Campaign => domain.campaigns.resolve(s, domain.now());

  table.add(router, {
    method: "get",
    path: "/api/me/terms",
    operationId: "getTerms",
    summary: "The campaign's terms and whether this member accepted their current version",
    tags: ["compliance"],
    auth: "member",
    query: z.object({ campaign: slug }),
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The terms", schema: termsSchema },
    handler: async ({ req, query }) =>
      termsJson(await termsStatus(domain.db, campaignOf(query.campaign), me(req).id)),
  });

  table.add(router, {
    method: "post",
    path: "/api/me/terms",
    operationId: "acceptTerms",
    summary: "Accept the campaign's terms in the version shown",
    description:
      "Until the member accepts the current version, their qualifying referral is held and nothing is paid to them. Accepting qualifies a referral whose action was already done.",
    tags: ["compliance"],
    auth: "member",
    body: z.object({ campaign: slug, version: z.string().min(1).max(32) }),
    problems: ["campaign_not_found", "terms_not_required", "terms_version_mismatch"],
    response: {
      status: 200,
      description: "The terms after acceptance",
      schema: termsSchema.extend({ qualification: qualificationOutcomeSchema.nullable() }),
    },
    handler: async ({ req, body }) => {
      const r = await acceptTerms(domain, campaignOf(body.campaign), me(req).id, body.version);
      return {
        ...termsJson(r.status),
        qualification: r.qualification ? outcomeJson(r.qualification) : null,
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/participation",
    operationId: "getParticipation",
    summary: "What the campaign's participation rules ask of this member, and their verdict",
    tags: ["compliance"],
    auth: "member",
    query: z.object({ campaign: slug }),
    problems: ["campaign_not_found"],
    response: { status: 200, description: "The verdict", schema: participationSchema },
    handler: async ({ req, query }) =>
      participationJson(await participationStatus(domain, campaignOf(query.campaign), me(req).id)),
  });

  table.add(router, {
    method: "post",
    path: "/api/me/participation",
    operationId: "declareParticipation",
    summary: "Declare the member's country (once) and/or confirm the campaign's minimum age",
    tags: ["compliance"],
    auth: "member",
    body: z
      .object({
        campaign: slug,
        country: z.string().min(2).max(2).optional(),
        ageConfirmed: z.number().int().min(1).max(120).optional(),
      })
      .refine((b) => b.country !== undefined || b.ageConfirmed !== undefined, {
        message: "give country or ageConfirmed",
      }),
    problems: ["campaign_not_found", "country_invalid", "age_invalid"],
    response: {
      status: 200,
      description: "The verdict after the declaration",
      schema: participationSchema.extend({ qualification: qualificationOutcomeSchema.nullable() }),
    },
    handler: async ({ req, body }) => {
      const campaign = campaignOf(body.campaign);
      const id = me(req).id;
      let r =
        body.country !== undefined
          ? await declareCountry(domain, campaign, id, body.country)
          : undefined;
      if (body.ageConfirmed !== undefined)
        r = await confirmAge(domain, campaign, id, body.ageConfirmed);
      return {
        ...participationJson(r!.status),
        qualification: r?.qualification ? outcomeJson(r.qualification) : null,
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/export",
    operationId: "exportMyData",
    summary: "Everything the service keeps about this member, as a JSON document",
    tags: ["compliance"],
    auth: "member",
    response: {
      status: 200,
      description: "The export (format refmint.member-export.v1)",
      schema: z.object({ format: z.string() }).catchall(z.unknown()),
    },
    handler: async ({ req, res }) => {
      const data = await exportMemberData(domain, me(req).id);
      res.setHeader(
        "Content-Disposition",
        `attachment; filename="refmint-member-${data.member.memberNumber}.json"`,
      );
      res.setHeader("Cache-Control", "no-store");
      return data;
    },
  });

  table.add(router, {
    method: "delete",
    path: "/api/me",
    operationId: "deleteMyData",
    summary: "Delete this member's personal data (on-chain facts stay: a public chain)",
    description:
      "Erases or pseudonymises names, username, language, the Telegram id, clicks, IP and device hashes, wallet link history, declarations, settings, sessions, chat memberships, check-ins, survey answers, roles. Referrals, ledger entries, payouts and reported actions stay under the member number; payouts already on-chain are public and cannot be erased. The member is never messaged again.",
    tags: ["compliance"],
    auth: "member",
    body: z.object({ confirm: z.literal(true).describe("Must be true") }),
    problems: ["deletion_not_confirmed", "member_deleted"],
    response: {
      status: 200,
      description: "What was erased and what stays",
      schema: z.object({
        memberNumber: z.number().int(),
        erased: z.record(z.string(), z.number().int()),
        ledgerEntriesKept: z.number().int(),
        onChainEntries: z.number().int(),
        walletKept: z.boolean(),
      }),
    },
    handler: async ({ req, body }) => deleteMemberData(domain, me(req).id, body.confirm),
  });

  const exclusionParams = z.object({
    slug: z.string().regex(/^[a-z0-9-]{2,48}$/, "expected a campaign slug"),
    id: z
      .string()
      .regex(/^\d{1,15}$/, "expected a number")
      .transform(Number),
  });
  const exclusionResponse = {
    status: 200,
    description: "Whether anything changed",
    schema: z.object({ changed: z.boolean() }),
  };
  const reason = z.string().trim().min(3).max(500);
  const admin = (req: Request) => {
    if (!req.admin) throw new ProblemError("auth_required");
    return req.admin;
  };
  const bySlug = (s: string) => domain.campaigns.resolve(s, domain.now());

  table.add(router, {
    method: "post",
    path: "/api/admin/campaigns/:slug/exclusions/:id",
    operationId: "excludeMember",
    summary: "Exclude a member from the campaign: nothing attributed to or paid for them there",
    tags: ["admin", "compliance"],
    auth: "admin",
    params: exclusionParams,
    body: z.object({ reason }),
    problems: ["campaign_not_found", "member_not_found", "forbidden"],
    response: exclusionResponse,
    handler: async ({ req, params, body }) =>
      excludeMember(domain, bySlug(params.slug), params.id, body.reason, admin(req)),
  });

  table.add(router, {
    method: "delete",
    path: "/api/admin/campaigns/:slug/exclusions/:id",
    operationId: "includeMember",
    summary: "Lift a member's exclusion from the campaign",
    tags: ["admin", "compliance"],
    auth: "admin",
    params: exclusionParams,
    body: z.object({ reason }),
    problems: ["campaign_not_found", "forbidden"],
    response: exclusionResponse,
    handler: async ({ req, params, body }) =>
      includeMember(domain, bySlug(params.slug), params.id, body.reason, admin(req)),
  });
}
