/**
 * The HTTP client of Refmint's host API (see the server's `server/http/routes/host.ts` and
 * the OpenAPI document at `<apiUrl>/openapi.json`, tag `host`). One client acts for one
 * campaign with that campaign's API key. Errors are RFC 9457 problem details; the client
 * throws them as {@link RefmintApiError} with the problem's stable `code`.
 */

export interface RefmintClientOptions {
  /** The Refmint server's base URL, e.g. `https://refmint.example.com`. */
  apiUrl: string;
  /** The campaign's host API key (`rmk_…`), from its owner (`POST /api/admin/campaigns/{slug}/api-keys`). */
  apiKey: string;
  /** The campaign's slug. */
  campaign: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A Telegram user as an update names them (`ctx.from`). */
export interface TelegramUserLike {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
}

export interface Amount {
  /** Exact, in the token's smallest unit. */
  wei: string;
  /** Decimal, for display. */
  tokens: string;
}

export interface Localized {
  en: string;
  ru: string;
}

export type QualificationStatus =
  | "no_referral"
  | "not_pending"
  | "not_matching"
  | "qualified"
  | "review"
  | "rejected"
  | "held";

export interface StartResult {
  outcome: "attributed" | "refused";
  /** Why not: `unknown_code`, `self_referral`, `already_attributed`, `not_new_member`, … */
  reason?: string;
  referralId?: number;
  /** The inviter's first name or username. */
  inviter?: string | null;
  /** Refmint saw this Telegram user for the first time. */
  memberCreated: boolean;
  /** The same attribution was recorded before (a redelivered update); nothing new was written. */
  replayed: boolean;
  qualification?: { status: QualificationStatus; referralId: number | null };
}

export interface LevelStats {
  level: number;
  pending: number;
  review: number;
  qualified: number;
  rejected: number;
}

export interface Tier {
  id: string;
  name: Localized;
  minQualified: number;
  multiplierBps: number;
}

export interface MemberStatus {
  campaign: { slug: string; name: Localized; active: boolean };
  member: {
    id: number;
    code: string;
    /** What the host bot's `/start` link carries. */
    startPayload: string;
    /** `https://t.me/<bot>?start=<startPayload>` when the request named the bot. */
    link: string | null;
    clicks: number;
    starts: number;
    banned: boolean;
    walletLinked: boolean;
  };
  referredBy: {
    referralId: number;
    status: "pending" | "review" | "qualified" | "rejected";
  } | null;
  levels: LevelStats[];
  tier: { current: Tier; next: Tier | null; qualified: number; toNext: number | null };
  rewards: Array<{ token: string; earned: Amount; byState: Partial<Record<string, Amount>> }>;
  /** What the campaign still needs from the member before rewards, or why they cannot take part. */
  eligibility: { ok: boolean; refused?: string; missing?: string[] };
}

export interface ActionResult {
  eventId: string;
  outcome: "qualified" | "review" | "rejected" | "ignored";
  reason?: string;
  referralId?: number;
  /** Challenges of the campaign the action completed. */
  challenges?: string[];
  /** The event id was processed before; this is the original result. */
  replayed: boolean;
}

/** A problem the Refmint server answered with (or `network` when it could not be reached). */
export class RefmintApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The problem's stable code (`api_key_invalid`, `rate_limited`, …), or `network`. */
  readonly code: string;
  readonly problem: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    message: string,
    problem: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "RefmintApiError";
    this.status = status;
    this.code = code;
    this.problem = problem;
  }
}

const userBody = (u: TelegramUserLike) => ({
  id: u.id,
  ...(u.username !== undefined ? { username: u.username } : {}),
  ...(u.first_name !== undefined ? { firstName: u.first_name } : {}),
  ...(u.last_name !== undefined ? { lastName: u.last_name } : {}),
  ...(u.language_code !== undefined ? { languageCode: u.language_code } : {}),
  ...(u.is_premium !== undefined ? { isPremium: u.is_premium === true } : {}),
});

export class RefmintClient {
  readonly campaign: string;
  readonly #base: string;
  readonly #key: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(o: RefmintClientOptions) {
    if (!/^https?:\/\//.test(o.apiUrl)) throw new TypeError("apiUrl must be an http(s) URL");
    if (!/^[a-z0-9-]{2,48}$/.test(o.campaign)) throw new TypeError("campaign must be a slug");
    if (o.apiKey.trim() === "") throw new TypeError("apiKey is empty");
    this.campaign = o.campaign;
    this.#base = `${o.apiUrl.replace(/\/+$/, "")}/api/host/campaigns/${o.campaign}`;
    this.#key = o.apiKey.trim();
    this.#timeoutMs = o.timeoutMs ?? 10_000;
    this.#fetch = o.fetch ?? fetch;
  }

  /** A host's `/start <payload>` for `user`: attributes them in the campaign. */
  start(user: TelegramUserLike, payload: string): Promise<StartResult> {
    return this.#call("POST", "/starts", { user: userBody(user), payload });
  }

  /** The member's status, creating the member on first sight; `bot` adds the link to share. */
  member(user: TelegramUserLike, bot?: string): Promise<MemberStatus> {
    return this.#call("POST", `/members${botQuery(bot)}`, { user: userBody(user) });
  }

  /** The status of a member Refmint knows (`member_not_found` otherwise); writes nothing. */
  status(telegramUserId: number, bot?: string): Promise<MemberStatus> {
    return this.#call("GET", `/members/${encodeURIComponent(telegramUserId)}${botQuery(bot)}`);
  }

  /** Reports a qualifying action (e.g. a purchase); the same `eventId` is processed once. */
  reportAction(input: {
    telegramUserId: number;
    type: string;
    eventId: string;
  }): Promise<ActionResult> {
    return this.#call("POST", "/actions", input);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#key}`,
          accept: "application/json",
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new RefmintApiError(0, "network", `Refmint is unreachable: ${String(error)}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const problem = (typeof json === "object" && json !== null ? json : {}) as Record<
        string,
        unknown
      >;
      const code = typeof problem.code === "string" ? problem.code : `http_${res.status}`;
      const detail = typeof problem.detail === "string" ? problem.detail : res.statusText;
      throw new RefmintApiError(
        res.status,
        code,
        `Refmint ${method} ${path}: ${code}: ${detail}`,
        problem,
      );
    }
    if (json === undefined)
      throw new RefmintApiError(res.status, "malformed_response", "Refmint answered without JSON");
    return json as T;
  }
}

const botQuery = (bot: string | undefined) =>
  bot === undefined ? "" : `?bot=${encodeURIComponent(bot)}`;
