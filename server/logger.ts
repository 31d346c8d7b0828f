/**
 * Structured logs (pino). Authorization headers, init data, signatures and secrets are
 * redacted wherever they appear; Telegram ids are never logged at info level (member
 * numbers are used instead).
 *
 * No SQL bound parameters and no database error details ever reach a log line: they carry
 * what members typed or Telegram told us (ids, names, usernames) and admins' reasons.
 * Drizzle's `DrizzleQueryError` repeats the parameters in its message (`…\nparams: …`),
 * hence in its stack and in `String(error)`; PostgreSQL errors carry the row in `detail`
 * ("Failing row contains (…)") and quote input values in some messages. So every call's
 * arguments pass through {@link scrubLogArgument}: errors become {@link describeError}
 * (name, SQLSTATE, constraint/table/column, message without parameters or quoted values,
 * stack frames without the message), and strings lose everything from `\nparams:` on.
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

export const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "headers.cookie",
  "initData",
  "*.initData",
  "signature",
  "*.signature",
  "botToken",
  "*.botToken",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "telegramId",
  "*.telegramId",
];

/** What a log line may say about an error. */
export interface SafeError {
  name: string;
  message: string;
  /** SQLSTATE (database errors) or Node's error code (e.g. `ECONNREFUSED`, `Z_DATA_ERROR`). */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** Stack frames only (`at …` lines): the first stack line repeats the message. */
  stack?: string;
  cause?: SafeError;
}

const PARAMS_MARKER = "\nparams:";

/** Cuts Drizzle's parameter list (and anything after it) off a string. */
export function scrubText(s: string): string {
  const at = s.indexOf(PARAMS_MARKER);
  return at === -1 ? s : `${s.slice(0, at)} [params withheld]`;
}

// PostgreSQL quotes the offending input in messages like `invalid input syntax for type
// bigint: "abc"` or `value "…" is out of range`: quoted parts are dropped from database
// messages (the constraint, table and column are logged as fields instead).
const quoted = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

/** pg's and PGlite's `DatabaseError`: a five-character SQLSTATE and the server's fields. */
function isDatabaseError(e: Record<string, unknown>): boolean {
  return (
    typeof e.code === "string" &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    ("severity" in e || "routine" in e || "detail" in e)
  );
}

/** A log-safe description of any thrown value (see the module comment). */
export function describeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) {
    return { name: typeof error, message: scrubText(String(error)).slice(0, 500) };
  }
  const e = error as Error & Record<string, unknown>;
  const db = isDatabaseError(e);
  const out: SafeError = {
    name: e.name,
    message: db ? e.message.replace(quoted, '"…"') : scrubText(e.message),
  };
  if (typeof e.code === "string" || typeof e.code === "number") out.code = String(e.code);
  if (db) {
    for (const k of ["constraint", "table", "column"] as const)
      if (typeof e[k] === "string") out[k] = e[k] as string;
  }
  const frames = e.stack
    ?.split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 6)
    .join("\n");
  if (frames) out.stack = frames;
  if (e.cause !== undefined && depth < 3) out.cause = describeError(e.cause, depth + 1);
  return out;
}

/**
 * Makes one logged value safe: errors described, strings scrubbed, plain objects and
 * arrays walked (a few levels; deeper values are logged as `[depth]`).
 */
export function scrubLogArgument(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.includes(PARAMS_MARKER) ? scrubText(value) : value;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return describeError(value);
  if (depth >= 5) return "[depth]";
  if (Array.isArray(value)) return value.map((v) => scrubLogArgument(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // Dates, Buffers, …
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const safe = scrubLogArgument(v, depth + 1);
    if (safe !== v) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[k] = safe;
    }
  }
  return copy ?? value;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "refmint-api" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // `err` objects are already safe descriptions (see hooks): logged as they are.
      serializers: { err: (e: unknown) => (e instanceof Error ? describeError(e) : e) },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // `logger.error(error)`: pino would take the message (with its parameters) as msg.
          const head =
            first instanceof Error ? { err: describeError(first) } : scrubLogArgument(first);
          const tail = rest.map((r) => scrubLogArgument(r));
          if (first instanceof Error && tail.length === 0) tail.push(describeError(first).message);
          return method.apply(this, [head, ...tail] as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
