/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * (`z.toJSONSchema`; OpenAPI 3.1 uses JSON Schema 2020-12 directly).
 */
import { z } from "zod";
import { PROBLEMS, type ProblemCode, problemSchema, problemType } from "./problem.ts";
import type { RouteDoc } from "./route.ts";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(doc: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", doc.params],
    ["query", doc.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input");
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries(props)) {
      out.push({
        name,
        in: where,
        required: where === "path" || required.has(name),
        schema: s,
        ...(typeof s.description === "string" ? { description: s.description } : {}),
      });
    }
  }
  return out;
}

const GENERIC_PROBLEMS: Record<string, ProblemCode[]> = {
  none: ["validation_failed", "rate_limited", "internal"],
  member: [
    "validation_failed",
    "auth_required",
    "init_data_invalid",
    "init_data_expired",
    "init_data_from_future",
    "member_banned",
    "rate_limited",
    "internal",
  ],
  admin: [
    "validation_failed",
    "auth_required",
    "admin_token_invalid",
    "forbidden",
    "rate_limited",
    "internal",
  ],
  partner: [
    "validation_failed",
    "webhook_signature_invalid",
    "webhook_timestamp_invalid",
    "rate_limited",
    "internal",
  ],
  host: ["validation_failed", "auth_required", "api_key_invalid", "rate_limited", "internal"],
};

function responses(doc: RouteDoc): JsonSchema {
  const out: JsonSchema = {};
  out[String(doc.response.status)] = doc.response.schema
    ? {
        description: doc.response.description,
        content: { "application/json": { schema: toSchema(doc.response.schema, "output") } },
      }
    : {
        description: doc.response.description,
        ...(doc.response.contentType
          ? { content: { [doc.response.contentType]: { schema: { type: "string" } } } }
          : {}),
      };
  const byStatus = new Map<number, ProblemCode[]>();
  // Path parameters are percent-decoded and bodies decompressed before validation.
  const reading: ProblemCode[] = [
    ...(doc.params ? (["malformed_url"] as const) : []),
    ...(doc.body ? (["malformed_json", "malformed_body"] as const) : []),
  ];
  for (const code of new Set([
    ...(GENERIC_PROBLEMS[doc.auth] ?? []),
    ...reading,
    ...doc.problems,
  ])) {
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: codes
        .map((c) => `\`${c}\` (${problemType(c)}): ${PROBLEMS[c].title}`)
        .join("; "),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  return out;
}

const SECURITY: Record<string, JsonSchema[]> = {
  none: [],
  member: [{ telegramInitData: [] }],
  admin: [{ telegramInitData: [] }, { adminToken: [] }],
  partner: [{ partnerSignature: [] }],
  host: [{ hostApiKey: [] }],
};

export function buildOpenApi(
  docs: RouteDoc[],
  info: { title: string; version: string; serverUrl: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of docs) {
    const path = doc.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[path] ??= {};
    const op: JsonSchema = {
      operationId: doc.operationId,
      summary: doc.summary,
      tags: doc.tags,
      security: SECURITY[doc.auth],
      parameters: parameters(doc),
      responses: responses(doc),
    };
    if (doc.description) op.description = doc.description;
    if (doc.body) {
      op.requestBody = {
        required: true,
        content: { "application/json": { schema: toSchema(doc.body, "input") } },
      };
    }
    paths[path][doc.method] = op;
  }
  const problem = toSchema(problemSchema, "output");
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "Refmint API. Mini App requests authenticate with `Authorization: tma <initDataRaw>`; admin scripts with `Authorization: Bearer <ADMIN_API_TOKEN>`. Errors are RFC 9457 problem details with a stable `type` and `code`.",
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: { Problem: problem },
      securitySchemes: {
        telegramInitData: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "`tma <initDataRaw>`: Telegram Mini App init data, HMAC-validated with the bot token and a maximum age.",
        },
        adminToken: {
          type: "http",
          scheme: "bearer",
          description: "ADMIN_API_TOKEN, for scripts.",
        },
        partnerSignature: {
          type: "apiKey",
          in: "header",
          name: "X-Refmint-Signature",
          description:
            '`sha256=<hex HMAC-SHA256 of "<X-Refmint-Timestamp>.<raw body>" with the partner secret>`, plus `X-Refmint-Partner` and `X-Refmint-Timestamp` (unix seconds).',
        },
        hostApiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "A campaign's host API key (`rmk_…`, created by its owner through `POST /api/admin/campaigns/{slug}/api-keys`), for bots that mount the grammY plugin.",
        },
      },
    },
  };
}
