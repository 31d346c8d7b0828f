/**
 * The operator commands' endpoints on the running service (admins: `Authorization: Bearer
 * <ADMIN_API_TOKEN>` or an admin's Telegram init data). Each is `payouts.operate`
 * (server/domain/roles.ts): a campaign's owners for that campaign, super-admins for all of
 * them (a call naming no campaign, and the reconciliation, which covers every campaign).
 *
 * On PGlite the service is the only process that may open the database (see db/lock.ts), so
 * `npm run epoch:publish`, `reconcile` and `payouts:retry` run *through* the service that holds
 * it (`npm run dev` hands them its URL and token in `.data/dev/runtime.json`): the same
 * database, the same worker and indexer, so the epoch a command reports is the one the service
 * serves and the dashboard can claim. On PostgreSQL the commands may equally open the database
 * themselves.
 *
 * - `POST /api/operator/epochs`: build an epoch now for every distributor with something new
 *   (what the epoch job does on its schedule); the service's worker publishes it.
 * - `GET /api/operator/epochs/:id`: where that epoch is (pending, published, failed).
 * - `POST /api/operator/reconcile`: ledger against chain, with every difference.
 * - `POST /api/operator/payouts/retry`: requeue failed payouts.
 */
import { eq } from "drizzle-orm";
import type { Request, Router } from "express";
import { z } from "zod";
import type { ChainRoutesInput } from "../../chain/component.ts";
import { buildEpochs, epochOutcomeJson, rewardFilePath } from "../../chain/epochs.ts";
import { requeueFailed } from "../../chain/retry.ts";
import { chainEpochs, EPOCH_STATUSES } from "../../db/schema/chain.ts";
import { writeAudit } from "../../domain/audit.ts";
import { type AdminPrincipal, authorize } from "../../domain/roles.ts";
import type { AuthResolver } from "../auth.ts";
import { ProblemError } from "../problem.ts";
import { componentRoutes, type RouteTable } from "../route.ts";
import { perkAdminRoutes } from "./perkAdmin.ts";

/** What the chain component hands its routes (server/chain/component.ts), and admin auth. */
export interface OperatorDeps extends Omit<ChainRoutesInput, "localHealth"> {
  /** Admin resolvers: the admin token, then Telegram init data, then the website's session. */
  resolvers: AuthResolver[];
  bodyLimitBytes: number;
  validateResponses?: boolean;
  /** Base of public URLs (PUBLIC_URL): rules documents of versions the admin API makes. */
  publicUrl?: string;
}

const wei = z.string().regex(/^\d+$/);

const epochOutcome = z.object({
  campaign: z.string(),
  token: z.string(),
  outcome: z.enum(["built", "unchanged", "empty", "pending", "waiting", "not-indexed"]),
  epochId: z.number().int().nullable(),
  leaves: z.number().int().nullable(),
  expired: z.number().int(),
});

const epochStatus = z.object({
  id: z.number().int(),
  campaign: z.string(),
  token: z.string(),
  status: z.enum(EPOCH_STATUSES),
  epoch: z.number().int().nullable(),
  root: z.string(),
  txHash: z.string().nullable(),
  url: z.string().nullable().describe("Path of the public reward file once published"),
});

/** Who is acting: set by the admin guard. */
function adminOf(req: Request): AdminPrincipal {
  if (!req.admin) throw new ProblemError("auth_required");
  return req.admin;
}

export function operatorRoutes(deps: OperatorDeps): { router: Router; table: RouteTable } {
  const { table, router } = componentRoutes({
    ...deps,
    admin: { resolvers: deps.resolvers, db: deps.domain.db },
  });
  /** The campaign named by slug (`campaign_not_found`), or undefined when none was named. */
  const campaignNamed = (slug: string | undefined) => {
    if (slug === undefined) return undefined;
    const campaign = deps.domain.campaigns.bySlug(slug);
    if (!campaign) throw new ProblemError("campaign_not_found", `no campaign ${slug}`);
    return campaign;
  };
  const needDriver = () => {
    if (!deps.driver)
      throw new ProblemError("not_ready", "this service has no RPC_URL: no payout pipeline here");
    return deps.driver;
  };

  table.add(router, {
    method: "post",
    path: "/api/operator/epochs",
    operationId: "operatorBuildEpochs",
    summary: "Build a Merkle epoch now (npm run epoch:publish)",
    description:
      "For every distributor (or the one named) with something new to claim, builds the cumulative tree and queues its root; the service's payout worker publishes it and the indexer marks it published. Poll `GET /api/operator/epochs/{id}`.",
    tags: ["operator"],
    auth: "admin",
    body: z.object({
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
      token: z
        .string()
        .regex(/^[A-Z][A-Z0-9]{1,10}$/)
        .optional(),
    }),
    problems: [
      "not_ready",
      "auth_required",
      "forbidden",
      "admin_token_invalid",
      "campaign_not_found",
    ],
    response: {
      status: 200,
      description: "One outcome per distributor",
      schema: z.object({ items: z.array(epochOutcome) }),
    },
    handler: async ({ req, body }) => {
      const by = adminOf(req);
      const campaign = campaignNamed(body.campaign);
      await authorize(deps.domain, by, "payouts.operate", campaign?.id ?? null, {
        type: "epoch",
        id: "new",
      });
      needDriver();
      const signer = deps.driver?.addressFor("rootPublisher");
      if (!signer)
        throw new ProblemError(
          "not_ready",
          "this service has no root publisher key: it cannot publish",
        );
      const outcomes = await buildEpochs(
        {
          db: deps.db,
          contracts: deps.contracts,
          settings: deps.settings,
          chainId: deps.chainId,
          logger: deps.logger,
          metrics: deps.metrics,
          now: deps.domain.now,
          signer,
        },
        { campaign: body.campaign, token: body.token },
      );
      for (const o of outcomes)
        if (o.outcome === "built" && o.epochId !== undefined)
          await writeAudit(deps.db, {
            actor: by.actor,
            action: "epoch.built",
            subjectType: "epoch",
            subjectId: o.epochId,
            campaignId: deps.domain.campaigns.bySlug(o.campaign)?.id ?? null,
            details: { token: o.token, leaves: o.leaves ?? null, expired: o.expired },
            after: { status: "pending" },
            at: deps.domain.now(),
          });
      return {
        items: outcomes.map(epochOutcomeJson),
      };
    },
  });

  table.add(router, {
    method: "get",
    path: "/api/operator/epochs/:id",
    operationId: "operatorEpochStatus",
    summary: "Where an epoch built by the service is",
    tags: ["operator"],
    auth: "admin",
    params: z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/, "expected an epoch id") }),
    problems: ["not_found", "auth_required", "forbidden", "admin_token_invalid"],
    response: { status: 200, description: "The epoch", schema: epochStatus },
    handler: async ({ req, params }) => {
      const id = Number(params.id);
      const [row] = await deps.db.select().from(chainEpochs).where(eq(chainEpochs.id, id));
      if (!row) throw new ProblemError("not_found", `no epoch ${id}`);
      await authorize(deps.domain, adminOf(req), "payouts.operate", row.campaignId, {
        type: "epoch",
        id,
      });
      const slug = deps.contracts.byId(row.campaignId)?.slug ?? String(row.campaignId);
      return {
        id: row.id,
        campaign: slug,
        token: row.token,
        status: row.status,
        epoch: row.epoch,
        root: row.root,
        txHash: row.txHash,
        url:
          row.status === "published" && row.epoch !== null
            ? rewardFilePath(slug, row.token, row.epoch)
            : null,
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/operator/reconcile",
    operationId: "operatorReconcile",
    summary: "Compare the ledger with the chain (npm run reconcile)",
    tags: ["operator"],
    auth: "admin",
    problems: ["not_ready", "auth_required", "forbidden", "admin_token_invalid"],
    response: {
      status: 200,
      description:
        "Per campaign and token, the ledger's and the chain's figures, and every difference",
      schema: z.object({
        block: z.number().int().nullable(),
        lines: z.array(
          z.object({
            campaign: z.string(),
            token: z.string(),
            ledgerPaid: wei,
            chainSpent: wei,
            indexedPayouts: wei,
            supply: wei,
            indexedBalances: wei,
          }),
        ),
        differences: z.array(z.string()),
      }),
    },
    handler: async ({ req }) => {
      // The report covers every campaign: super-admins only.
      await authorize(deps.domain, adminOf(req), "payouts.operate", null);
      const report = await needDriver().reconcile(deps.db, deps.contracts);
      return {
        block: report.block,
        lines: report.lines.map((l) => ({
          campaign: l.campaign,
          token: l.token,
          ledgerPaid: l.ledgerPaid.toString(),
          chainSpent: l.chainSpent.toString(),
          indexedPayouts: l.indexedPayouts.toString(),
          supply: l.supply.toString(),
          indexedBalances: l.indexedBalances.toString(),
        })),
        differences: report.differences,
      };
    },
  });

  table.add(router, {
    method: "post",
    path: "/api/operator/payouts/retry",
    operationId: "operatorRetryPayouts",
    summary: "Requeue failed payouts (npm run payouts:retry)",
    description: "Same payout ids, so nothing can be paid twice.",
    tags: ["operator"],
    auth: "admin",
    body: z.object({
      entryIds: z
        .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
        .max(10_000)
        .optional(),
      campaign: z
        .string()
        .regex(/^[a-z0-9-]{2,48}$/)
        .optional(),
    }),
    problems: ["campaign_not_found", "auth_required", "forbidden", "admin_token_invalid"],
    response: {
      status: 200,
      description: "The ledger entries requeued",
      schema: z.object({ requeued: z.array(z.number().int()) }),
    },
    handler: async ({ req, body }) => {
      const by = adminOf(req);
      const campaign = campaignNamed(body.campaign);
      await authorize(deps.domain, by, "payouts.operate", campaign?.id ?? null, {
        type: "ledger_entry",
        id: "failed",
      });
      const requeued = await requeueFailed(
        deps.db,
        {
          entryIds: body.entryIds?.length ? body.entryIds : undefined,
          campaignId: campaign?.id,
        },
        deps.domain.now(),
        by.actor,
      );
      return { requeued };
    },
  });

  perkAdminRoutes(table, router, { ...deps, publicUrl: deps.publicUrl ?? "" });
  return { router, table };
}
