/**
 * One webhook POST, through the SSRF guard (server/domain/webhookReceivers.ts) at the moment
 * of the connection: the host is resolved by the socket's own `lookup`, which refuses the
 * connection when any address the name resolves to is not allowed, and the socket connects to
 * the address that was checked (no second look-up an attacker's DNS could answer differently:
 * DNS rebinding). A literal address in the URL is checked before connecting. Redirects are
 * not followed (node:http never follows them): a 3xx is a failed attempt like any other.
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import {
  addressRefusal,
  isIpLiteral,
  type ReceiverPolicy,
  resolvedRefusal,
} from "../domain/webhookReceivers.ts";

/** The guard refused the receiver: nothing was sent. */
export class ReceiverRefusedError extends Error {
  readonly code = "ERR_WEBHOOK_RECEIVER_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "ReceiverRefusedError";
  }
}

/** A socket `lookup` that resolves like the system does and refuses disallowed addresses. */
export function guardedLookup(policy: ReceiverPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", undefined);
      for (const a of addresses) {
        const why = resolvedRefusal(hostname, a.address, policy);
        if (why) return callback(new ReceiverRefusedError(why), "", undefined);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new Error(`${hostname} has no address`), "", undefined);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs `body` to `url` and answers the response status (the body is not read). Rejects with
 * {@link ReceiverRefusedError} when the guard refuses the receiver, with an `AbortError` after
 * `timeoutMs`, or with the network's error.
 */
export function postWebhook(
  url: string,
  o: {
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    policy: ReceiverPolicy;
  },
): Promise<number> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new ReceiverRefusedError("the URL is not valid"));
  }
  const https = u.protocol === "https:";
  if (!https && !(u.protocol === "http:" && o.policy.allowHttp))
    return Promise.reject(new ReceiverRefusedError(`${u.protocol} receivers are not allowed`));
  // A literal address connects without a look-up: judged here. A name (`localhost` too) is
  // judged on what it resolves to, in the socket's look-up.
  if (isIpLiteral(u.hostname)) {
    const refusal = addressRefusal(u.hostname.replace(/^\[(.*)\]$/, "$1"), o.policy);
    if (refusal) return Promise.reject(new ReceiverRefusedError(refusal));
  }
  const request = https ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(
      u,
      {
        method: "POST",
        headers: { ...o.headers, "content-length": String(Buffer.byteLength(o.body)) },
        lookup: guardedLookup(o.policy),
        // No keep-alive pool: every attempt connects, and so is checked, anew.
        agent: false,
        signal: AbortSignal.timeout(o.timeoutMs),
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        // The answer's body is not kept (nor read past what closing the connection needs).
        res.destroy();
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}
