/**
 * Who may call the API and how often, built once per process by the composition root
 * (app/assemble.ts) and handed to the API and to every component that mounts routes.
 *
 * One instance each matters: a member's per-minute limit is one window whatever route
 * (API, chain, website) a request goes to, and Telegram init data validated on one route is
 * not validated again on another (one cache of validated strings).
 */
import type { RequestHandler } from "express";
import type { Config } from "../config.ts";
import type { DomainContext } from "../domain/context.ts";
import { type AuthResolver, adminTokenResolver, tmaResolver } from "./auth.ts";
import { rateLimit, WindowCounter } from "./rate-limit.ts";

export interface Access {
  /** `Authorization: tma <initData>`: the Mini App's members (admins among them). */
  tma: AuthResolver;
  /** `Authorization: Bearer <ADMIN_API_TOKEN>`: operator scripts. */
  adminToken: AuthResolver;
  /** Per-member limit (`RATE_LIMIT_MEMBER_PER_MINUTE`), after a resolver set `req.member`. */
  perMember: RequestHandler;
  /** Per-IP window (`RATE_LIMIT_IP_PER_MINUTE`); the API decides which paths it applies to. */
  ipLimiter: WindowCounter;
}

/**
 * Builds the resolvers and limiters from the configuration. The limiters follow the domain's
 * clock (`ctx.now`), so tests that control time control the windows too.
 */
export function createAccess(config: Config, ctx: Pick<DomainContext, "db" | "now">): Access {
  const clock = () => ctx.now().getTime();
  const memberLimiter = new WindowCounter(config.http.rateLimitMemberPerMinute, 60_000, clock);
  return {
    tma: tmaResolver(ctx, {
      botToken: config.telegram.botToken,
      maxAgeSeconds: config.telegram.initDataMaxAgeSeconds,
      adminTelegramIds: config.admin.telegramIds,
    }),
    adminToken: adminTokenResolver(config.admin.apiToken),
    perMember: rateLimit(
      memberLimiter,
      (req) => (req.member ? `m${req.member.id}` : undefined),
      "member",
    ),
    ipLimiter: new WindowCounter(config.http.rateLimitIpPerMinute, 60_000, clock),
  };
}
