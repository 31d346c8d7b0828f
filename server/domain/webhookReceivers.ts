/**
 * Where outbound webhooks may go (the SSRF guard). A receiver URL is whatever an owner or a
 * partner typed, and the delivery worker POSTs to it from inside the operator's network, so an
 * unchecked URL reaches the service's own ports, the database, other hosts of the private
 * network and the cloud metadata endpoint (169.254.169.254). Receivers must be public
 * addresses: loopback, private (RFC 1918), shared (CGNAT), link-local, unique-local IPv6,
 * IPv4-mapped IPv6 and every other special-purpose range are refused.
 *
 * Checked twice: when an endpoint is subscribed ({@link checkWebhookReceiver}: the URL, and
 * every address its host resolves to then) and again by the delivery worker on every attempt
 * (server/webhooks/send.ts) on the addresses the connection actually uses, so a name that
 * resolved to a public address at subscription and to an internal one later (DNS rebinding)
 * still reaches nothing. Loopback is allowed only when the operator sets
 * `WEBHOOK_ALLOW_LOOPBACK` outside production (local receivers in development and tests).
 */
import { lookup } from "node:dns/promises";
import { DomainError } from "./errors.ts";

export interface ReceiverPolicy {
  /** Plain `http://` receivers (development and tests; production wants https). */
  allowHttp: boolean;
  /** Loopback receivers (127.0.0.0/8, ::1, localhost): `WEBHOOK_ALLOW_LOOPBACK`, never production. */
  allowLoopback: boolean;
}

/** A range: its first address's bytes, its prefix length, and what it is called in refusals. */
type Range = readonly [bytes: readonly number[], bits: number, name: string];

const v4 = (text: string, bits: number, name: string): Range => [parseIpv4(text)!, bits, name];
const v6 = (text: string, bits: number, name: string): Range => [parseIpv6(text)!, bits, name];

const LOOPBACK = "loopback";

/** IANA's IPv4 special-purpose ranges that are not globally reachable (RFC 6890 and later). */
const IPV4_REFUSED: readonly Range[] = [
  v4("0.0.0.0", 8, "'this network' (0.0.0.0/8)"),
  v4("10.0.0.0", 8, "private (RFC 1918)"),
  v4("100.64.0.0", 10, "shared address space (CGNAT)"),
  v4("127.0.0.0", 8, LOOPBACK),
  v4("169.254.0.0", 16, "link-local (cloud metadata)"),
  v4("172.16.0.0", 12, "private (RFC 1918)"),
  v4("192.0.0.0", 24, "IETF protocol assignments"),
  v4("192.0.2.0", 24, "documentation"),
  v4("192.88.99.0", 24, "6to4 relay anycast"),
  v4("192.168.0.0", 16, "private (RFC 1918)"),
  v4("198.18.0.0", 15, "benchmarking"),
  v4("198.51.100.0", 24, "documentation"),
  v4("203.0.113.0", 24, "documentation"),
  v4("224.0.0.0", 4, "multicast"),
  v4("240.0.0.0", 4, "reserved"),
];

/**
 * IPv6: only global unicast (2000::/3) is public, minus the special ranges inside it; the
 * named ranges outside it come first so a refusal says what the address is.
 */
const IPV6_REFUSED: readonly Range[] = [
  v6("::", 128, "unspecified"),
  v6("::1", 128, LOOPBACK),
  v6("::ffff:0:0", 96, "IPv4-mapped IPv6"),
  v6("::", 96, "IPv4-compatible IPv6"),
  v6("100::", 64, "discard-only"),
  v6("fc00::", 7, "unique-local IPv6"),
  v6("fe80::", 10, "link-local IPv6"),
  v6("fec0::", 10, "site-local IPv6"),
  v6("ff00::", 8, "multicast"),
  v6("2001::", 23, "IETF protocol assignments (Teredo, ORCHID, …)"),
  v6("2001:db8::", 32, "documentation"),
  v6("2002::", 16, "6to4"),
  v6("3fff::", 20, "documentation"),
];
const IPV6_GLOBAL: Range = v6("2000::", 3, "global unicast");
/** NAT64's well-known prefix: the last 32 bits are an IPv4 address, judged as such. */
const NAT64: Range = v6("64:ff9b::", 96, "NAT64");

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : 256));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function parseIpv6(input: string): number[] | undefined {
  let text = input.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes two groups.
  const last = text.lastIndexOf(":");
  if (last >= 0 && text.includes(".", last)) {
    const tail = parseIpv4(text.slice(last + 1));
    if (!tail) return undefined;
    text = `${text.slice(0, last + 1)}${((tail[0]! << 8) | tail[1]!).toString(16)}:${((tail[2]! << 8) | tail[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function within(bytes: readonly number[], [start, bits]: Range): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i / 8]! & mask) !== (start[i / 8]! & mask)) return false;
  }
  return true;
}

/**
 * What a non-public address is (`"loopback"`, `"private (RFC 1918)"`, …); undefined for a
 * public address. Throws nothing: text that is no IP address is `"not an IP address"`.
 */
export function nonPublicRange(address: string): string | undefined {
  const a4 = parseIpv4(address);
  if (a4) return IPV4_REFUSED.find((r) => within(a4, r))?.[2];
  const a6 = parseIpv6(address);
  if (!a6) return "not an IP address";
  if (within(a6, NAT64)) {
    const inner = nonPublicRange(a6.slice(12).join("."));
    return inner ? `NAT64 of ${inner}` : undefined;
  }
  const named = IPV6_REFUSED.find((r) => within(a6, r));
  if (named) return named[2];
  return within(a6, IPV6_GLOBAL) ? undefined : "not global unicast IPv6";
}

/** Whether `host` (a URL's hostname, brackets allowed) is an IP address literal. */
export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return parseIpv4(bare) !== undefined || (bare.includes(":") && parseIpv6(bare) !== undefined);
}

/** The range for which the policy refuses a receiver at `address`; undefined: allowed. */
export function refusedRange(address: string, policy: ReceiverPolicy): string | undefined {
  const range = nonPublicRange(address);
  if (range === undefined || (range === LOOPBACK && policy.allowLoopback)) return undefined;
  return range;
}

/** Why the policy refuses a receiver at `address` (`"10.0.0.5 is private (RFC 1918)"`). */
export function addressRefusal(address: string, policy: ReceiverPolicy): string | undefined {
  const range = refusedRange(address, policy);
  return range === undefined ? undefined : `${address} is ${range}`;
}

/** Why the policy refuses a name that resolved to `address`; undefined: allowed. */
export function resolvedRefusal(
  host: string,
  address: string,
  policy: ReceiverPolicy,
): string | undefined {
  const range = refusedRange(address, policy);
  return range === undefined ? undefined : `${host} resolves to ${address}, which is ${range}`;
}

/** `localhost` and `*.localhost` always mean this machine (RFC 6761), whatever DNS says. */
const isLocalhostName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/**
 * The checks a URL passes without a DNS look-up: http(s) only (plain http only when allowed),
 * no credentials, and a literal address or `localhost` only when the policy allows it.
 * Returns the normalised URL.
 */
export function checkWebhookUrl(url: string, policy: ReceiverPolicy): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DomainError("webhook_invalid", "the URL is not valid");
  }
  if (u.protocol !== "https:" && !(policy.allowHttp && u.protocol === "http:"))
    throw new DomainError(
      "webhook_invalid",
      policy.allowHttp ? "the URL must be http(s)" : "the URL must be https",
    );
  if (u.username || u.password)
    throw new DomainError("webhook_invalid", "the URL must not carry credentials");
  const refusal = hostRefusal(u.hostname, policy);
  if (refusal) throw refused(u.hostname, refusal);
  return u.toString();
}

/** The policy's verdict on a URL's host without resolving it (literal addresses, localhost). */
export function hostRefusal(hostname: string, policy: ReceiverPolicy): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (isIpLiteral(host))
    return addressRefusal(host.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, ""), policy);
  if (isLocalhostName(host) && !policy.allowLoopback) return `${host} is ${LOOPBACK}`;
  return undefined;
}

const refused = (host: string, why: string) =>
  new DomainError(
    "webhook_invalid",
    `the receiver must be a public address: ${why}; webhooks are not sent to loopback, private, link-local or other internal addresses`,
    { host, refused: why },
  );

/** Every address a name resolves to (A and AAAA), as the operating system resolves it. */
export async function resolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * {@link checkWebhookUrl}, then every address the host resolves to now must be allowed. A name
 * that does not resolve (yet) is accepted: the worker checks the addresses it connects to on
 * every attempt anyway, and refuses then.
 */
export async function checkWebhookReceiver(
  url: string,
  policy: ReceiverPolicy,
  resolve: (host: string) => Promise<string[]> = resolveHost,
  timeoutMs = 3000,
): Promise<string> {
  const normalised = checkWebhookUrl(url, policy);
  const host = new URL(normalised).hostname;
  if (isIpLiteral(host)) return normalised;
  let addresses: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      resolve(host),
      new Promise<string[]>((r) => {
        timer = setTimeout(() => r([]), timeoutMs);
      }),
    ]);
  } catch {
    addresses = [];
  } finally {
    clearTimeout(timer);
  }
  for (const address of addresses) {
    const why = resolvedRefusal(host, address, policy);
    if (why) throw refused(host, why);
  }
  return normalised;
}
