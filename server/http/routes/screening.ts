/**
 * Address screening for admins: import a deny list, see what screening holds, and decide:
 * let held payouts or releases go (refused while the address is still listed) or reject
 * payouts (their amounts back to the budget). Every change is audited in its transaction.
 *
 * Screening applies to every campaign: each endpoint is `screening.manage` across campaigns,
 * i.e. super-admins only (server/domain/roles.ts); campaign role holders get a 403.
 */
import type { Request, Router } from "express";
import { z } from "zod";
import type { Actor, DomainContext } from "../../domain/context.ts";
import { authorize } from "../../domain/roles.ts";
import {
  importScreeningList,
  listHeldPayouts,
  listHeldReleases,
  parseScreeningFile,
  rejectHeldPayouts,
  releaseHeldPayouts,
  releaseHeldReleases,
} from "../../domain/screening.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";
import { iso } from "../schemas.ts";

/** The acting super-admin, after the domain's check (`screening.manage` across campaigns). */
async function actor(domain: DomainContext, req: Request): Promise<Actor> {
  if (!req.admin) throw new ProblemError("auth_required");
  await authorize(domain, req.admin, "screening.manage", null);
  return req.admin.actor;
}

const reason = z.string().trim().min(3).max(500);
const ids = z.array(z.number().int().positive()).min(1).max(500);

export function screeningRoutes(
  table: RouteTable,
  router: Router,
  deps: { domain: DomainContext },
): void {
  const { domain } = deps;

  table.add(router, {
    method: "post",
    path: "/api/admin/screening/lists",
    operationId: "importScreeningList",
    summary:
      "Import (or replace) a screening list: its source, its date and its file's text (one address per line, or CSV)",
    tags: ["admin"],
    auth: "admin",
    body: z.object({
      source: z.string().trim().min(1).max(200),
      listedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD"),
      text: z.string().max(20_000_000),
    }),
    problems: ["screening_list_invalid", "forbidden"],
    response: {
      status: 200,
      description: "The list as imported",
      schema: z.object({
        listId: z.number().int(),
        entries: z.number().int(),
        added: z.number().int(),
        removed: z.number().int(),
      }),
    },
    handler: async ({ req, body }) =>
      importScreeningList(domain, {
        source: body.source,
        listedOn: body.listedOn,
        addresses: parseScreeningFile(body.text),
        actor: await actor(domain, req),
      }),
  });

  table.add(router, {
    method: "get",
    path: "/api/admin/screening/held",
    operationId: "listHeld",
    summary: "Payouts and escrow releases held because their address is on a screening list",
    tags: ["admin"],
    auth: "admin",
    response: {
      status: 200,
      description: "What screening holds",
      schema: z.object({
        payouts: z.array(
          z.object({
            entryId: z.number().int(),
            memberId: z.number().int(),
            campaignId: z.number().int(),
            token: z.string(),
            amount: z.string(),
            wallet: z.string().nullable(),
            reason: z.string(),
            heldAt: iso,
          }),
        ),
        releases: z.array(
          z.object({
            memberId: z.number().int(),
            token: z.string(),
            wallet: z.string(),
            amount: z.string(),
            reason: z.string().nullable(),
          }),
        ),
      }),
    },
    handler: async ({ req }) => {
      await actor(domain, req);
      const [payouts, releases] = await Promise.all([
        listHeldPayouts(domain.db),
        listHeldReleases(domain.db),
      ]);
      return {
        payouts: payouts.map((p) => ({ ...p, heldAt: p.heldAt.toISOString() })),
        releases: releases.map((r) => ({
          memberId: Number(r.member_id),
          token: r.token,
          wallet: r.wallet,
          amount: r.amount,
          reason: r.error,
        })),
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/screening/held/release",
    operationId: "releaseHeld",
    summary:
      "Let held payouts (by entry id) and held escrow releases (by member) go again; refused while an address is still listed",
    tags: ["admin"],
    auth: "admin",
    body: z
      .object({ entryIds: ids.optional(), memberIds: ids.optional(), reason })
      .refine((b) => b.entryIds || b.memberIds, "name entryIds or memberIds"),
    problems: ["address_screened", "not_found", "forbidden"],
    response: {
      status: 200,
      description: "How many went back to the queue",
      schema: z.object({ payouts: z.number().int(), releases: z.number().int() }),
    },
    handler: async ({ req, body }) => {
      const who = await actor(domain, req);
      const payouts = body.entryIds
        ? await releaseHeldPayouts(domain, {
            entryIds: body.entryIds,
            actor: who,
            reason: body.reason,
          })
        : 0;
      const releases = body.memberIds
        ? await releaseHeldReleases(domain, {
            memberIds: body.memberIds,
            actor: who,
            reason: body.reason,
          })
        : 0;
      return { payouts, releases };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/admin/screening/held/reject",
    operationId: "rejectHeld",
    summary: "Reject held payouts: never paid, their amounts back to the campaign's budget",
    tags: ["admin"],
    auth: "admin",
    body: z.object({ entryIds: ids, reason }),
    problems: ["not_found", "forbidden"],
    response: {
      status: 200,
      description: "How many were rejected",
      schema: z.object({ rejected: z.number().int() }),
    },
    handler: async ({ req, body }) => ({
      rejected: await rejectHeldPayouts(domain, {
        entryIds: body.entryIds,
        actor: await actor(domain, req),
        reason: body.reason,
      }),
    }),
  });
}
