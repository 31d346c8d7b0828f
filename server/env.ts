/**
 * Reading settings from the environment, once for every component: {@link parseEnv} and the
 * zod primitives the configs (server/config.ts, bot/config.ts, server/chain/config.ts,
 * server/web/config.ts) and the operator scripts build their schemas from.
 *
 * Schema keys are the variable names, so every issue names its variable; only the keys of the
 * schema are read (unrelated environment noise never matters). Empty strings count as unset
 * for the optional primitives (`FOO=` in a `.env` file or a compose file means "no value").
 */
import { z } from "zod";

export type Environment = Record<string, string | undefined>;

/** Where a setting came from: set by the operator, or a documented fallback. */
export interface ConfigWarning {
  variable: string;
  message: string;
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown when the environment is invalid; `message` lists every bad variable by name. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/**
 * Validates the variables `schema` names, read from `env`. Throws one {@link ConfigError}
 * listing every bad variable (in the schema's order) with zod's or the primitive's message.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Environment,
): z.output<z.ZodObject<Shape>> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/** The variable names a schema reads (README tables, tests). */
export const variablesOf = (schema: z.ZodObject<z.ZodRawShape>): string[] =>
  Object.keys(schema.shape);

/** A trimmed string; empty means unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** `schema` when the variable has a value, `undefined` when it is unset or empty. */
export const optional = <Out>(schema: z.ZodType<Out, string>) =>
  optionalString.pipe(schema.optional());

/** A whole number in `[min, max]` (no sign, no exponent, no fraction). */
export const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A TCP port; `0` asks for any free one. */
export const port = int(0, 65_535);

/** `1/0`, `true/false`, `yes/no` (any case). */
export const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["1", "0", "true", "false", "yes", "no"]))
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** An http(s) URL (RPC endpoints, API roots, public URLs). */
export const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), "expected an http(s):// URL");

/** A secret of at least `min` characters (tokens, HMAC keys). */
export const secret = (min: number) =>
  z.string().trim().min(min, `must be at least ${min} characters`);

/** A 32-byte hex private key, with or without `0x`, normalised to `0x…`. */
export const privateKey = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, "expected a 32-byte hex private key")
  .transform((v) => (v.startsWith("0x") ? v : `0x${v}`) as `0x${string}`);

/**
 * A comma-separated list: each non-empty, trimmed item goes through `item`, which returns the
 * parsed value or a message naming what is wrong with it (the first bad item stops the list).
 * Unset or empty: an empty list.
 */
export const commaList = <T>(item: (s: string) => T | { error: string }) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const out: T[] = [];
      for (const part of v.split(",")) {
        const s = part.trim();
        if (s === "") continue;
        const parsed = item(s);
        if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        out.push(parsed as T);
      }
      return out;
    })
    .prefault("");

/** One of `values`, for a {@link commaList} item. */
export const oneOf =
  <const V extends string>(values: readonly V[]) =>
  (s: string): V | { error: string } =>
    (values as readonly string[]).includes(s)
      ? (s as V)
      : { error: `"${s}" is not one of ${values.join(", ")}` };
