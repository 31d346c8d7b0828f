/**
 * The web component's API: website login and logout, and the member's referral network by
 * level. Declared through the shared {@link RouteTable}, so requests are validated by the
 * same zod schemas the OpenAPI operations are generated from.
 */
import type { RequestHandler, Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../domain/context.ts";
import { memberDeliveries } from "../domain/delivery.ts";
import { MAX_LEVELS } from "../domain/tree.ts";
import { exchangeLoginToken, revokeSession } from "../domain/webLogin.ts";
import type { AuthResolver } from "../http/auth.ts";
import { ProblemError } from "../http/problem.ts";
import { componentRoutes, type RouteTable } from "../http/route.ts";
import {
  amount,
  amountSchema,
  deliveryJson,
  deliverySchema,
  entryStateSchema,
  iso,
  isoOrNull,
  page,
  pageSchema,
  pagingQuery,
} from "../http/schemas.ts";
import { listNetwork } from "./network.ts";
import {
  type CookieSettings,
  clearedCookie,
  readSessionCookie,
  requireAllowedOrigin,
  sessionCookie,
} from "./session.ts";

export interface WebRouteDeps {
  domain: DomainContext;
  cookie: CookieSettings;
  /** Origins allowed to post to the login and logout endpoints. */
  origins: ReadonlySet<string>;
  /** Resolvers for member routes, in order (Telegram init data, then the session cookie). */
  resolvers: AuthResolver[];
  /** The per-member limit shared with every other route (see server/http/access.ts). */
  perMember: RequestHandler;
  bodyLimitBytes: number;
  validateResponses?: boolean;
  /** Decimals per token symbol, for display amounts (18 when unknown). */
  decimals?: (token: string) => number;
}

const networkItemSchema = z.object({
  id: z.number().int().describe("Referral id (page cursor)"),
  level: z.number().int(),
  refereeId: z.number().int().describe("Public member number of the referred member"),
  firstName: z.string().nullable().describe("Only for direct (level 1) referrals"),
  status: z.enum(["pending", "review", "qualified", "rejected"]),
  attributedAt: iso,
  qualifiedAt: iso.nullable(),
  reward: z
    .object({
      token: z.string(),
      amount: amountSchema,
      state: entryStateSchema,
      txHash: z.string().nullable(),
      delivery: deliverySchema
        .nullable()
        .describe("Where the settled reward went (in the wallet, reserved on-chain, …)"),
    })
    .nullable()
    .describe("The member's own reward for this referral at this level"),
});

export function webRoutes(deps: WebRouteDeps): { router: Router; table: RouteTable } {
  const { domain } = deps;
  const { table, router } = componentRoutes({ ...deps, member: deps });
  const originCheck: RequestHandler = (req, _res, next) => {
    try {
      requireAllowedOrigin(req, deps.origins);
      next();
    } catch (error) {
      next(error);
    }
  };

  table.add(router, {
    method: "post",
    path: "/api/web/login",
    operationId: "webLogin",
    summary: "Exchange a single-use login link token from the bot for a website session",
    description:
      "The bot sends `<dashboard>/login#token=<token>`; the page posts the token here. On success the session secret is set as an HttpOnly, SameSite=Strict cookie (Secure over https). A token works once, for ten minutes. Must come from the dashboard's origin.",
    tags: ["website"],
    auth: "none",
    before: [originCheck],
    body: z.object({
      token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "expected the token from the login link"),
    }),
    problems: [
      "login_link_invalid",
      "login_link_used",
      "login_link_expired",
      "member_banned",
      "forbidden",
    ],
    response: {
      status: 200,
      description: "Logged in; the session cookie is set",
      schema: z.object({ memberId: z.number().int(), expiresAt: iso }),
    },
    handler: async ({ req, res, body }) => {
      const session = await exchangeLoginToken(domain, body.token);
      // Logging in on a browser that already had a session replaces it.
      const previous = readSessionCookie(req, deps.cookie);
      if (previous !== undefined) await revokeSession(domain, previous);
      res.append(
        "Set-Cookie",
        sessionCookie(deps.cookie, session.secret ?? "", session.expiresAt, domain.now()),
      );
      return { memberId: session.memberId, expiresAt: session.expiresAt.toISOString() };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/web/logout",
    operationId: "webLogout",
    summary: "End this browser's website session",
    description: "Revokes the session of the cookie (if any) and clears the cookie.",
    tags: ["website"],
    auth: "none",
    before: [originCheck],
    problems: ["forbidden"],
    response: { status: 204, description: "Logged out" },
    raw: async ({ req, res }) => {
      const secret = readSessionCookie(req, deps.cookie);
      if (secret !== undefined) await revokeSession(domain, secret);
      res.append("Set-Cookie", clearedCookie(deps.cookie));
      res.status(204).end();
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/me/network",
    operationId: "listNetwork",
    summary: "The member's referrals at one level, with their status and the member's reward",
    tags: ["member"],
    auth: "member",
    query: pagingQuery.extend({
      level: z
        .string()
        .regex(/^\d{1,2}$/)
        .transform(Number)
        .pipe(z.number().int().min(1).max(MAX_LEVELS))
        .optional()
        .describe(`Referral level, 1 (direct) to ${MAX_LEVELS}; default 1`),
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional()
        .describe("Campaign slug (default: the current campaign); each has its own tree"),
    }),
    problems: ["campaign_not_found"],
    response: {
      status: 200,
      description: "A page of referrals at that level, newest first",
      schema: pageSchema(networkItemSchema),
    },
    handler: async ({ req, query }) => {
      const member = req.member;
      if (!member) throw new ProblemError("auth_required");
      const limit = query.limit ?? 20;
      const campaign = domain.campaigns.resolve(query.campaign, domain.now());
      const rows = await listNetwork(domain.db, member.id, {
        level: query.level ?? 1,
        limit,
        before: query.before,
        campaignId: campaign.id,
      });
      // A settled reward may sit in escrow: "paid" only once it reached the wallet.
      const deliveries = rows.some((r) => r.reward?.state === "settled")
        ? (await memberDeliveries(domain.db, campaign, member.id, domain.now())).byEntry
        : undefined;
      return page(
        rows.map((r) => ({
          ...r,
          attributedAt: r.attributedAt.toISOString(),
          qualifiedAt: isoOrNull(r.qualifiedAt),
          reward: r.reward && {
            token: r.reward.token,
            state: r.reward.state,
            txHash: r.reward.txHash,
            amount: amount(r.reward.amount, deps.decimals?.(r.reward.token) ?? 18),
            delivery: deliveryJson(deliveries?.get(r.reward.entryId)),
          },
        })),
        limit,
      );
    },
  });

  return { router, table };
}
