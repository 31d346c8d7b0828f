/**
 * Referral codes and deep links.
 *
 * Random codes are 10 characters from a 31-letter alphabet without look-alikes (~49 bits):
 * unguessable in practice, short enough to type, and valid Telegram start parameters
 * (`[A-Za-z0-9_-]{1,64}`). Codes are case-insensitive: stored and matched lower-case.
 *
 * One code per member, valid in every campaign. A link names its campaign after the code:
 * `<code>__<slug>` in a Telegram `start`/`startapp` payload, `/r/<code>?c=<slug>` on the web.
 * Slugs and random codes never contain `_` and vanity codes never contain `__`, so the last
 * `__` of a payload is the separator; a payload whose slug is no known campaign is a code
 * as a whole, and a payload without one goes to the default (current) campaign.
 */
import { randomInt } from "node:crypto";

const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
export const RANDOM_CODE_LENGTH = 10;
/** Anything a member may type or a link may carry; vanity codes are a stricter subset. */
const CODE_RE = /^[A-Za-z0-9_-]{3,64}$/;
const VANITY_RE = /^[a-z0-9][a-z0-9_-]{2,31}$/;
/** Vanity codes that would confuse people or collide with routes and commands. */
const RESERVED = new Set([
  "admin",
  "api",
  "app",
  "bot",
  "help",
  "start",
  "settings",
  "support",
  "refmint",
]);

export function generateCode(): string {
  let code = "";
  for (let i = 0; i < RANDOM_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Normalizes user input to the stored form, or `null` when it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const trimmed = input.trim();
  return CODE_RE.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** Separates the code from the campaign's slug in a start payload. */
export const CAMPAIGN_SEPARATOR = "__";

export interface StartPayload {
  code: string;
  /** The campaign the link names; absent: the default campaign. */
  campaign?: string;
}

/**
 * Splits a `start`/`startapp` payload into code and campaign. `isCampaign` says whether a
 * slug is a known campaign: an unknown one makes the whole payload the code (so a code is
 * never lost to a slug that looked like one).
 */
export function parseStartPayload(
  payload: string,
  isCampaign: (slug: string) => boolean,
): StartPayload {
  const trimmed = payload.trim();
  const at = trimmed.lastIndexOf(CAMPAIGN_SEPARATOR);
  if (at > 0) {
    const slug = trimmed.slice(at + CAMPAIGN_SEPARATOR.length).toLowerCase();
    if (slug !== "" && isCampaign(slug)) return { code: trimmed.slice(0, at), campaign: slug };
  }
  return { code: trimmed };
}

/** The start payload of a member's link in a campaign (`undefined`: the default campaign). */
export function startPayload(code: string, campaign?: string): string {
  return campaign === undefined ? code : `${code}${CAMPAIGN_SEPARATOR}${campaign}`;
}

/** Why a vanity code is refused, or `null` when it is acceptable. */
export function vanityCodeProblem(code: string): string | null {
  if (!VANITY_RE.test(code))
    return "3–32 characters: lower-case letters, digits, _ and -, starting with a letter or digit";
  if (code.includes(CAMPAIGN_SEPARATOR))
    return "must not contain __ (it separates the code from a campaign in links)";
  if (RESERVED.has(code)) return "reserved word";
  // Random codes live in their own shape; a vanity code must never shadow a future one.
  if (code.length === RANDOM_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c))) {
    return "looks like a generated code";
  }
  return null;
}

export interface DeepLinks {
  /** Opens the bot with `/start <code>`. */
  bot: string;
  /** Opens the Mini App with `start_param = <code>`. */
  miniApp: string;
  /** Public redirect that counts the click, then goes to the bot link. */
  redirect: string;
}

export interface LinkSettings {
  botUsername: string;
  miniAppShortName: string;
  publicUrl: string;
}

export function botLink(s: Pick<LinkSettings, "botUsername">, code?: string): string {
  const base = `https://t.me/${s.botUsername}`;
  return code === undefined ? base : `${base}?start=${encodeURIComponent(code)}`;
}

/** A member's links; with `campaign`, links that attribute in that campaign. */
export function deepLinks(s: LinkSettings, code: string, campaign?: string): DeepLinks {
  const payload = startPayload(code, campaign);
  const c = encodeURIComponent(code);
  return {
    bot: botLink(s, payload),
    miniApp: `https://t.me/${s.botUsername}/${s.miniAppShortName}?startapp=${encodeURIComponent(payload)}`,
    redirect: `${s.publicUrl}/r/${c}${campaign === undefined ? "" : `?c=${encodeURIComponent(campaign)}`}`,
  };
}
