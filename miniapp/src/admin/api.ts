/**
 * The console's API calls: the website's session cookie (an admin session from the bot's
 * `/admin` link) travels by itself; errors are the dashboard's {@link ApiError}.
 */

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
  get<T>(path: string): Promise<T>;
  send<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function adminApi(onUnauthorized: () => void): AdminApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
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
      });
    } catch {
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
    get: (path) => call("GET", path),
    send: (method, path, body) => call(method, path, body),
  };
}

export type AdminAction =
  | "campaign.view"
  | "campaign.edit"
  | "campaign.pause"
  | "campaign.lifecycle"
  | "broadcast.send"
  | "review.read"
  | "review.decide"
  | "member.read"
  | "member.reward"
  | "member.moderate"
  | "analytics.read"
  | "payouts.operate"
  | "role.manage"
  | "audit.read"
  | "screening.manage";

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
