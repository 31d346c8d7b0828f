/**
 * JSON-RPC access for the pipeline (clients come from evm/client.ts): the classification
 * of node errors the worker acts on (rate limits, nonce races, underpriced replacements,
 * missing funds), the decoding of our contracts' custom errors, and backoff with jitter.
 *
 * Node error texts differ between clients (geth, Erigon, Hardhat/EDR, hosted providers);
 * the patterns below cover the common phrasings.
 */
import {
  type Abi,
  BaseError,
  decodeErrorResult,
  type Hex,
  HttpRequestError,
  isHex,
  ResponseBodyTooLargeError,
  RpcRequestError,
  TimeoutError,
} from "viem";
import {
  badgesAbi,
  perkShopAbi,
  referralPayoutsAbi,
  rewardDistributorAbi,
  rewardTokenAbi,
} from "./abi.ts";

export type RpcErrorKind =
  | "rate_limited"
  | "transient"
  | "already_known"
  | "nonce_too_low"
  | "nonce_too_high"
  | "underpriced"
  | "insufficient_funds"
  | "reverted"
  | "unknown";

const PATTERNS: Array<[RpcErrorKind, RegExp]> = [
  ["already_known", /already known|known transaction|already imported|alreadyknown/i],
  ["nonce_too_low", /nonce too low|nonce has already been used|oldnonce|nonce is too low/i],
  ["nonce_too_high", /nonce too high|nonce gap|can't be queued/i],
  [
    "underpriced",
    /replacement (transaction|fee) (is )?(underpriced|too low)|underpriced|fee too low|feecap below/i,
  ],
  [
    "insufficient_funds",
    /insufficient funds|doesn't have enough funds|not enough funds|insufficient balance for transfer/i,
  ],
  ["rate_limited", /rate.?limit|too many requests|request limit exceeded|exceeded .*capacity/i],
];

/** All texts of an error chain (viem wraps node errors several levels deep). */
function errorTexts(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    if (e instanceof BaseError) parts.push(e.shortMessage, e.details ?? "");
    if (e instanceof Error) parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join("\n");
}

/** What kind of failure an RPC call (or a broadcast) ran into. */
export function classifyRpcError(error: unknown): RpcErrorKind {
  if (error instanceof BaseError) {
    const http = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null;
    if (http?.status === 429) return "rate_limited";
    const rpc = error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null;
    if (rpc?.code === -32005 || rpc?.code === 429) return "rate_limited";
  }
  const text = errorTexts(error);
  for (const [kind, re] of PATTERNS) if (re.test(text)) return kind;
  if (revertData(error) !== undefined || /execution reverted|reverted/i.test(text))
    return "reverted";
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof TimeoutError)) return "transient";
    const http = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null;
    if (http) return "transient";
    const rpc = error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null;
    if (rpc && (rpc.code === -32603 || rpc.code === -32000 || rpc.code <= -32099))
      return "transient";
  }
  if (/ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|network|timed? ?out/i.test(text))
    return "transient";
  return "unknown";
}

/**
 * Whether a node refused a log query as too big (too many results, too wide a block range, a
 * response over the size limit): the caller asks again for fewer blocks.
 */
export function isTooLarge(error: unknown): boolean {
  if (error instanceof BaseError && error.walk((e) => e instanceof ResponseBodyTooLargeError))
    return true;
  return /more than \d+ (results|logs)|response (size|is too big)|too (many|large)|block range|range (is )?too (large|wide|big)|exceeds? .*(range|results|logs|size)|query timeout/i.test(
    errorTexts(error),
  );
}

/** The first line of an error, for logs and the health report (never parameters). */
export function errorSummary(error: unknown): string {
  if (error instanceof BaseError) {
    const http = error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null;
    const status = http?.status !== undefined ? ` (HTTP ${http.status})` : "";
    const kind = classifyRpcError(error);
    const tag = kind === "rate_limited" ? " [rate limited]" : "";
    return `${error.shortMessage}${status}${tag}`;
  }
  if (error instanceof Error) {
    // Drizzle's "Failed query: … params: …" hides the reason in its cause; params stay out.
    const first = error.message.split("\n")[0] ?? error.name;
    const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0] : undefined;
    return cause && !first.includes(cause) ? `${first}: ${cause}` : first;
  }
  return String(error);
}

/** Every custom error of our contracts (OpenZeppelin's included). */
const ERRORS_ABI: Abi = (() => {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of [
    referralPayoutsAbi,
    rewardTokenAbi,
    rewardDistributorAbi,
    perkShopAbi,
    badgesAbi,
  ] as const) {
    for (const item of abi as Abi) {
      if (item.type !== "error") continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
})();

/** Revert data carried anywhere in an error chain. */
export function revertData(error: unknown): Hex | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && isHex(data) && data.length >= 10) return data;
    if (data && typeof data === "object") {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === "string" && isHex(inner) && inner.length >= 10) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface DecodedRevert {
  /** Error name, e.g. `ReferralPayoutsBudgetExceeded`. */
  name: string;
  /** `Name(arg, …)` with decimal numbers, for logs and the `error` column. */
  text: string;
}

/** Decodes revert data with our contracts' errors (and Solidity's Error/Panic). */
export function decodeRevert(data: Hex): DecodedRevert {
  try {
    const decoded = decodeErrorResult({ abi: ERRORS_ABI, data });
    const args = (decoded.args ?? []).map((a) => String(a)).join(", ");
    return { name: decoded.errorName, text: `${decoded.errorName}(${args})` };
  } catch {
    return { name: "UnknownError", text: `UnknownError(${data.slice(0, 10)})` };
  }
}

/** Exponential backoff with full jitter: a random delay in [base·2^n / 2, base·2^n], capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
