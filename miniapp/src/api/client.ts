/**
 * The API client. Inside Telegram every request carries `Authorization: tma <initDataRaw>`
 * (the server validates it; the member is whoever it says). On the website the session
 * cookie travels by itself (same origin); the server also checks the Origin of posts.
 * Errors become {@link ApiError} with the problem's stable `code`, which screens localize.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = "ApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export type ApiAuth = { kind: "tma"; initDataRaw: string } | { kind: "cookie" };

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
  /** Called with every 401 (the website then shows the login page). */
  onUnauthorized?: (error: ApiError) => void;
}

async function toProblem(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Partial<Problem>;
    if (typeof body.code === "string") return { ...body, status: res.status, code: body.code };
  } catch {
    // Not problem+json (a proxy's error page): fall through.
  }
  return { status: res.status, code: res.status >= 500 ? "internal" : "unknown" };
}

export function createApi(auth: ApiAuth, base = ""): ApiClient {
  const client: ApiClient = {
    get: (path) => send("GET", path),
    post: (path, body) => send("POST", path, body),
    patch: (path, body) => send("PATCH", path, body),
    delete: (path, body) => send("DELETE", path, body),
  };
  async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (auth.kind === "tma") headers.authorization = `tma ${auth.initDataRaw}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
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
      const error = new ApiError(await toProblem(res));
      if (res.status === 401) client.onUnauthorized?.(error);
      throw error;
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  return client;
}
