/**
 * The console's API calls: the website's session cookie (an admin session from the bot's
 * `/admin` link) travels by itself; errors are the dashboard's {@link ApiError}.
 */

import type { operations } from "../api/types.ts";

/**
 * An API problem (the console keeps its own small copy of the dashboard's error type: a
 * module shared with the member app would be split into a chunk members load first).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** A refused document's problems, each at its field (`rules_invalid`). */
  readonly errors?: Array<{ path: string; message: string }>;
  constructor(p: {
    status: number;
    code: string;
    detail?: string;
    errors?: Array<{ path: string; message: string }>;
  }) {
    super(p.detail ?? p.code);
    this.name = "ApiError";
    this.status = p.status;
    this.code = p.code;
    this.errors = p.errors;
  }
}

export interface AdminApi {
  /** `signal` aborts the request (a screen's newer request superseded it: see useLatest). */
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  send<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function adminApi(onUnauthorized: () => void): AdminApi {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
        signal,
      });
    } catch {
      // An aborted request (superseded) is never shown: its answer is dropped.
      throw new ApiError({ status: 0, code: "network" });
    }
    if (!res.ok) {
      let code = res.status >= 500 ? "internal" : "unknown";
      let detail: string | undefined;
      let errors: Array<{ path: string; message: string }> | undefined;
      try {
        const p = (await res.json()) as { code?: string; detail?: string; errors?: unknown };
        if (typeof p.code === "string") code = p.code;
        detail = p.detail;
        if (Array.isArray(p.errors)) errors = p.errors as typeof errors;
      } catch {
        // not problem+json
      }
      if (res.status === 401) onUnauthorized();
      throw new ApiError({ status: res.status, code, detail, errors });
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  return {
    get: (path, signal) => call("GET", path, undefined, signal),
    send: (method, path, body) => call(method, path, body),
  };
}

/**
 * What an admin may do, as `GET /api/admin/console/campaigns` names it (server/domain/roles.ts
 * `ADMIN_ACTIONS`, through the generated types: a new action needs no edit here).
 */
export type AdminAction =
  operations["consoleCampaigns"]["responses"][200]["content"]["application/json"]["items"][number]["actions"][number];

/** The JSON body of an operation's `status` answer (types generated from /openapi.json). */
export type ApiBody<
  Op extends keyof operations,
  Status extends keyof operations[Op]["responses"],
> = operations[Op]["responses"][Status] extends { content: { "application/json": infer T } }
  ? T
  : never;

/** The JSON request body of an operation. */
export type ApiInput<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { "application/json": infer T } };
}
  ? T
  : operations[Op] extends { requestBody?: { content: { "application/json": infer T } } }
    ? T
    : never;

export interface ConsoleCampaign {
  slug: string;
  name: Record<string, string>;
  state: "scheduled" | "active" | "paused" | "ended";
  startsAt: string;
  endsAt: string | null;
  deployed: boolean;
  /** The lifecycle state (server/domain/campaignTransitions.ts). */
  lifecycle: "draft" | "validated" | "deploying" | "active" | "paused" | "ended" | "archived";
  roles: string[];
  actions: AdminAction[];
}

export interface ConsoleCampaigns {
  superAdmin: boolean;
  items: ConsoleCampaign[];
}

/** Whether the caller may do `action` in some campaign (super-admins: everywhere). */
export function canSomewhere(c: ConsoleCampaigns, action: AdminAction): boolean {
  return c.superAdmin || c.items.some((i) => i.actions.includes(action));
}
