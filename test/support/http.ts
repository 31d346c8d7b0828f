/**
 * A member's journey over a running service's real HTTP API, for the tests that start whole
 * services (`startService`, `npm start`): the calls, a wallet linked through SIWE, and one
 * referral qualified by the referee's wallet link.
 */
import assert from "node:assert/strict";
import type { LocalAccount } from "viem";
import { buildSiweMessage, signSiwe, testAccount } from "./siwe.ts";
import { tmaFor } from "./telegram.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, checked field by field
export type Json = any;

export interface ApiAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: Json;
  text: string;
  /** The `location` header (redirects are not followed). */
  location: string | null;
}

/** One API call with an `authorization` value and a JSON body when given. */
export async function callApi(
  method: string,
  url: string,
  auth?: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const res = await fetch(url, {
    method,
    redirect: "manual",
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, location: res.headers.get("location") };
}

/** Telegram user `user` links a new test wallet (`label`) through the SIWE endpoints. */
export async function linkWalletOverApi(
  base: string,
  user: number,
  label: string,
): Promise<{ account: LocalAccount; linked: Json }> {
  const account = testAccount(label);
  const nonce = await callApi("GET", `${base}/api/me/wallet/nonce`, tmaFor(user));
  assert.equal(nonce.status, 200, nonce.text);
  const message = buildSiweMessage({ ...nonce.body, address: account.address });
  const linked = await callApi("POST", `${base}/api/me/wallet`, tmaFor(user), {
    message,
    signature: await signSiwe(account, message),
  });
  assert.equal(linked.status, 200, linked.text);
  return { account, linked: linked.body };
}

/**
 * One referral over the API: the referrer opens the app and links a wallet, the referee opens
 * the referrer's link (`start_param`), then qualifies by linking theirs. Returns the
 * referrer's wallet (where the reward goes).
 */
export async function referAndQualifyOverApi(
  base: string,
  o: { referrer: number; referee: number; label: string },
): Promise<{ referrerWallet: LocalAccount }> {
  const referrer = await callApi("GET", `${base}/api/me`, tmaFor(o.referrer));
  assert.equal(referrer.status, 200, referrer.text);
  const { account: referrerWallet } = await linkWalletOverApi(
    base,
    o.referrer,
    `${o.label}-referrer`,
  );
  const attributed = await callApi(
    "POST",
    `${base}/api/me/attribution`,
    tmaFor(o.referee, { startParam: referrer.body.code }),
  );
  assert.equal(attributed.status, 201, attributed.text);
  const { linked } = await linkWalletOverApi(base, o.referee, `${o.label}-referee`);
  assert.equal(linked.qualification.status, "qualified");
  return { referrerWallet };
}
