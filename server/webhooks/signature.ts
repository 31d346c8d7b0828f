/**
 * How outbound webhooks are signed (the same scheme as the inbound partner webhook,
 * server/http/routes/partner.ts): `X-Refmint-Signature: sha256=<hex>` where the HMAC-SHA256,
 * keyed with the endpoint's secret, covers `<X-Refmint-Timestamp>.<raw body>`. Receivers
 * recompute it over the raw bytes, compare in constant time and refuse old timestamps.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`;
}

/**
 * A receiver's check (exported for tests and as the README's example): the signature
 * matches and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
