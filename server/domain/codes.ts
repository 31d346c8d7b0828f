/**
 * Referral codes and deep links.
 *
 * Random codes are 10 characters from a 31-letter alphabet without look-alikes (~49 bits):
 * unguessable in practice, short enough to type, and valid Telegram start parameters
 * (`[A-Za-z0-9_-]{1,64}`). Codes are case-insensitive: stored and matched lower-case.
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

/** Why a vanity code is refused, or `null` when it is acceptable. */
export function vanityCodeProblem(code: string): string | null {
  if (!VANITY_RE.test(code))
    return "3–32 characters: lower-case letters, digits, _ and -, starting with a letter or digit";
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

export function deepLinks(s: LinkSettings, code: string): DeepLinks {
  const c = encodeURIComponent(code);
  return {
    bot: botLink(s, code),
    miniApp: `https://t.me/${s.botUsername}/${s.miniAppShortName}?startapp=${c}`,
    redirect: `${s.publicUrl}/r/${c}`,
  };
}
