/**
 * Typed routes: one declaration gives the Express handler, request validation (zod) and
 * the OpenAPI operation, so the published document can never drift from what is enforced.
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from "express";
import { z } from "zod";
import type { DomainContext } from "../domain/context.ts";
import { type AuthResolver, authenticate, requireAdmin, requireMember } from "./auth.ts";
import { type ProblemCode, ProblemError } from "./problem.ts";

/** `host`: a campaign's host API key (routes/host.ts). */
export type AuthRequirement = "none" | "member" | "admin" | "partner" | "host";
type Method = "get" | "post" | "put" | "patch" | "delete";

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  req: Request;
  res: Response;
}

interface BaseSpec<P, Q, B> {
  method: Method;
  /** Express path (`/api/x/:id`); OpenAPI gets `{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: AuthRequirement;
  params?: P;
  query?: Q;
  body?: B;
  /** Body schema for the document only (the route parses its own body, e.g. to verify a signature over the raw bytes). */
  documentBody?: z.ZodType;
  /** Problems this operation documents besides the generic ones. */
  problems?: ProblemCode[];
  /** Middleware run after authentication and before validation (e.g. rate limits). */
  before?: RequestHandler[];
  /** The handler reads the member's stats: let authentication load them in the same query. */
  memberStats?: boolean;
}

/** A JSON route: the handler returns the body, validated against `response.schema` in tests. */
export interface JsonRouteSpec<P, Q, B, R extends z.ZodType> extends BaseSpec<P, Q, B> {
  response: { status: number; description: string; schema: R };
  handler: (ctx: RouteContext<P, Q, B>) => Promise<z.input<R>> | z.input<R>;
}

/** A route that writes its own response (redirects, text, metrics). */
export interface RawRouteSpec<P, Q, B> extends BaseSpec<P, Q, B> {
  response: { status: number; description: string; contentType?: string };
  raw: (ctx: RouteContext<P, Q, B>) => Promise<void> | void;
}

export interface RouteDoc {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: AuthRequirement;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  problems: ProblemCode[];
}

export interface RouteOptions {
  /** Check every JSON response against its schema (tests turn this on). */
  validateResponses: boolean;
  /** Guards per auth requirement, installed in front of each route. */
  guards: Record<AuthRequirement, RequestHandler[]>;
  jsonBodyLimit: number;
}

function zodProblem(error: z.ZodError, where: string): ProblemError {
  return new ProblemError("validation_failed", `invalid ${where}`, {
    errors: error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message })),
  });
}

/** Collects routes for one app; `docs` feeds the OpenAPI document. */
export class RouteTable {
  readonly docs: RouteDoc[] = [];
  readonly #options: RouteOptions;
  readonly #json: RequestHandler;

  constructor(options: RouteOptions) {
    this.#options = options;
    this.#json = express.json({
      limit: options.jsonBodyLimit,
      strict: true,
      type: ["application/json", "application/*+json"],
    });
  }

  add<
    P extends z.ZodType | undefined,
    Q extends z.ZodType | undefined,
    B extends z.ZodType | undefined,
    R extends z.ZodType,
  >(router: Router, spec: JsonRouteSpec<P, Q, B, R> | RawRouteSpec<P, Q, B>): void {
    this.docs.push({
      method: spec.method,
      path: spec.path,
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      auth: spec.auth,
      params: spec.params,
      query: spec.query,
      body: spec.body ?? spec.documentBody,
      response: spec.response,
      problems: spec.problems ?? [],
    });
    const validateResponses = this.#options.validateResponses;
    const handlers: RequestHandler[] = [
      ...(spec.memberStats ? [wantsMemberStats] : []),
      ...this.#options.guards[spec.auth],
      ...(spec.before ?? []),
    ];
    if (spec.body !== undefined) handlers.push(this.#requireJson, this.#json);
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      try {
        const ctx = {
          params: parsePart(spec.params, req.params, "params"),
          query: parsePart(spec.query, req.query, "query"),
          body: parsePart(spec.body, req.body, "body"),
          req,
          res,
        } as RouteContext<P, Q, B>;
        if ("raw" in spec) {
          await spec.raw(ctx);
          return;
        }
        const body = await spec.handler(ctx);
        if (validateResponses) {
          const checked = spec.response.schema.safeParse(body);
          if (!checked.success)
            throw new Error(
              `response of ${spec.operationId} breaks its schema: ${checked.error.message}`,
            );
        }
        // Serialised directly: Express's res.json adds content negotiation work we do not need.
        res.statusCode = spec.response.status;
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.end(JSON.stringify(body));
      } catch (error) {
        next(error);
      }
    });
    router[spec.method](spec.path, ...handlers);
  }

  readonly #requireJson: RequestHandler = (req, _res, next) => {
    // A body-less POST is fine (treated as {}); a body in another format is not.
    if (
      req.headers["content-length"] === "0" ||
      (req.headers["content-length"] === undefined &&
        req.headers["transfer-encoding"] === undefined)
    ) {
      req.body = {};
      return next();
    }
    if (!req.is(["application/json", "application/*+json"])) {
      return next(new ProblemError("unsupported_media_type", "send application/json"));
    }
    next();
  };
}

/**
 * The table and router of a component that mounts its own routes (the chain pipeline's, the
 * operator endpoints, the website's). Member routes authenticate with `member.resolvers` and
 * count against the per-member limit shared with every other route (server/http/access.ts);
 * admin routes authenticate with `admin.resolvers`. A requirement the component does not
 * serve refuses every request (403), so a route declared with it by mistake is never open.
 */
export function componentRoutes(options: {
  member?: { resolvers: AuthResolver[]; perMember: RequestHandler };
  admin?: { resolvers: AuthResolver[]; db: DomainContext["db"] };
  bodyLimitBytes: number;
  validateResponses?: boolean;
}): { table: RouteTable; router: Router } {
  const refused =
    (what: string): RequestHandler =>
    (_req, _res, next) =>
      next(new ProblemError("forbidden", `no ${what} routes here`));
  const { member, admin } = options;
  const table = new RouteTable({
    validateResponses: options.validateResponses === true,
    guards: {
      none: [],
      member: member
        ? [authenticate(member.resolvers), requireMember, member.perMember]
        : [refused("member")],
      admin: admin ? [authenticate(admin.resolvers), requireAdmin(admin.db)] : [refused("admin")],
      partner: [refused("partner")],
      host: [refused("host")],
    },
    jsonBodyLimit: options.bodyLimitBytes,
  });
  return { table, router: express.Router() };
}

const wantsMemberStats: RequestHandler = (req, _res, next) => {
  req.wantsMemberStats = true;
  next();
};

/** Where in `value` a string (or key) holds U+0000, as a path; undefined when none does. */
export function findNul(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (value === null || typeof value !== "object" || depth > 32) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\u0000")) return [...path, k];
    const found = findNul(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (schema === undefined) return undefined;
  // PostgreSQL text cannot hold U+0000 (the write would fail as a 500): no string any
  // route accepts may carry it, whatever its own schema says.
  const nul = findNul(value);
  if (nul !== undefined)
    throw new ProblemError("validation_failed", `invalid ${where}`, {
      errors: [{ path: [where, ...nul].join("."), message: "must not contain U+0000 (NUL)" }],
    });
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw zodProblem(parsed.error, where);
  return parsed.data;
}

/** Query-string integer with bounds (query values arrive as strings). */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
