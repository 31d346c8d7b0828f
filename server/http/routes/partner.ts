/**
 * Partner webhook: `POST /api/partner/events`.
 *
 * Headers: `X-Refmint-Partner: <id>`, `X-Refmint-Timestamp: <unix seconds>`,
 * `X-Refmint-Signature: sha256=<hex>` where the HMAC-SHA256 (key: the partner's secret)
 * covers `<timestamp>.<raw body>`. Requests outside the time window or with a bad
 * signature are refused before anything is parsed or written. Each event id is
 * processed once; a replay returns the original result.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { DomainContext } from "../../domain/context.ts";
import { handlePartnerEvent } from "../../domain/partner.ts";
import { ProblemError } from "../problem.ts";
import type { RouteTable } from "../route.ts";

export interface PartnerRouteDeps {
  domain: DomainContext;
  secrets: ReadonlyMap<string, string>;
  toleranceSeconds: number;
  bodyLimitBytes: number;
}

export const partnerEventSchema = z
  .object({
    eventId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.:-]+$/, "letters, digits, _ . : -"),
    type: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
    telegramUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    memberId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    amount: z.string().max(64).optional().describe("Informational, e.g. purchase total"),
  })
  .refine(
    (e) => (e.telegramUserId === undefined) !== (e.memberId === undefined),
    "give exactly one of telegramUserId and memberId",
  );

const resultSchema = z.object({
  eventId: z.string(),
  outcome: z.enum(["qualified", "review", "rejected", "ignored"]),
  reason: z.string().optional(),
  referralId: z.number().int().optional(),
  replayed: z.boolean(),
});

/** What a partner computes; exported for tests and partner SDK examples. */
export function signPartnerPayload(
  secret: string,
  timestamp: number | string,
  rawBody: string | Buffer,
): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex")}`;
}

/**
 * Checks a partner request's HMAC signature and timestamp window (before anything is parsed
 * or written); returns the partner and the raw body. Unknown partners get the same answer as
 * bad signatures: no partner enumeration.
 */
export function verifyPartnerRequest(
  req: Request,
  deps: Pick<PartnerRouteDeps, "domain" | "secrets" | "toleranceSeconds">,
): { partner: string; body: Buffer } {
  const partner = String(req.headers["x-refmint-partner"] ?? "");
  const timestamp = String(req.headers["x-refmint-timestamp"] ?? "");
  const signature = String(req.headers["x-refmint-signature"] ?? "");
  const secret = deps.secrets.get(partner);
  if (!/^\d{9,11}$/.test(timestamp))
    throw new ProblemError("webhook_timestamp_invalid", "X-Refmint-Timestamp must be unix seconds");
  const skew = Math.abs(deps.domain.now().getTime() / 1000 - Number(timestamp));
  if (skew > deps.toleranceSeconds)
    throw new ProblemError("webhook_timestamp_invalid", `timestamp is ${Math.round(skew)}s away`);
  const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const expected = Buffer.from(
    signPartnerPayload(secret ?? "unknown-partner-placeholder", timestamp, body),
  );
  const given = Buffer.from(signature);
  if (secret === undefined || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ProblemError("webhook_signature_invalid", "signature does not verify");
  return { partner, body };
}

export function partnerRoutes(table: RouteTable, router: Router, deps: PartnerRouteDeps): void {
  const raw = express.raw({ type: () => true, limit: deps.bodyLimitBytes });

  table.add(router, {
    method: "post",
    path: "/api/partner/events",
    operationId: "partnerEvent",
    summary: "Report a qualifying event (e.g. a purchase) for a member",
    description:
      "Signed with the partner's secret; 5-minute timestamp window; idempotent by `eventId` (a replay returns the original result and writes nothing). Body: JSON matching the schema below.",
    tags: ["partner"],
    auth: "partner",
    before: [raw],
    documentBody: partnerEventSchema,
    problems: ["partner_event_conflict", "malformed_json"],
    response: {
      status: 200,
      description: "The processing result",
      contentType: "application/json",
    },
    raw: async ({ req, res }) => {
      const { partner, body } = verifyPartnerRequest(req, deps);
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        throw new ProblemError("malformed_json", "the body is not JSON");
      }
      const parsed = partnerEventSchema.safeParse(json);
      if (!parsed.success) {
        throw new ProblemError("validation_failed", "invalid event", {
          errors: parsed.error.issues.map((i) => ({
            path: ["body", ...i.path].join("."),
            message: i.message,
          })),
        });
      }
      const e = parsed.data;
      const { result, replayed } = await handlePartnerEvent(deps.domain, {
        partner,
        eventId: e.eventId,
        type: e.type,
        payloadHash: createHash("sha256").update(body).digest("hex"),
        subject:
          e.memberId !== undefined
            ? { memberId: e.memberId }
            : { telegramUserId: e.telegramUserId as number },
      });
      res.status(200).json(resultSchema.parse({ ...result, replayed }));
    },
  });
}
