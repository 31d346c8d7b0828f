/**
 * A member's notification preferences (`/notifications` in the bot): which kinds they want,
 * and quiet hours in their own time zone. Muted kinds are skipped by the sender; quiet hours
 * only delay (a notification due inside them goes out when they end, never dropped).
 *
 * Time zone: an IANA name (`Europe/Moscow`, `America/New_York`: daylight saving followed) or
 * a fixed offset from UTC (`+3`, `+03:00`, `UTC-5`, `-05:30`), stored normalized (`+03:00`).
 * Without a choice: UTC.
 *
 * Digest of "a friend joined": `window` (the first at once, more within the service's
 * `BOT_DIGEST_MINUTES` of the last one sent come together) or `daily` (one message per calendar
 * day of the member's time zone, after that day ends: "12 friends joined on 7 Dec"). Without a
 * choice: the service's `BOT_DIGEST_MODE`.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { botNotificationSettings } from "../db/schema/bot.ts";
import type { NotificationKind } from "../db/schema.ts";

/**
 * The kinds a member may turn off (a coupon they bought, a review of their own invitation and
 * rules changes that affect their rewards always reach them).
 */
export const MUTABLE_KINDS = [
  "referee_joined",
  "referral_qualified",
  "reward_paid",
  "reward_expiring",
  "tier_reached",
  "friend_reminder",
] as const satisfies readonly NotificationKind[];
export type MutableKind = (typeof MUTABLE_KINDS)[number];

export const DIGEST_MODES = ["window", "daily"] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

export interface NotificationSettings {
  muted: MutableKind[];
  /** The member's digest of friends joining; null: the service's default. */
  digest: DigestMode | null;
  /** Minutes after local midnight, or null (no quiet hours). */
  quietFrom: number | null;
  quietTo: number | null;
  timeZone: string;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  muted: [],
  digest: null,
  quietFrom: null,
  quietTo: null,
  timeZone: "UTC",
};

const isMutable = (k: string): k is MutableKind => (MUTABLE_KINDS as readonly string[]).includes(k);

/** The member's settings (defaults without a row). */
export async function notificationSettings(
  db: Db,
  memberId: number,
): Promise<NotificationSettings> {
  const [row] = await db
    .select()
    .from(botNotificationSettings)
    .where(eq(botNotificationSettings.memberId, memberId));
  return row ? fromRow(row) : { ...DEFAULT_NOTIFICATION_SETTINGS };
}

export function fromRow(row: {
  muted: string[] | null;
  digest?: string | null;
  quietFrom: number | null;
  quietTo: number | null;
  timeZone: string | null;
}): NotificationSettings {
  return {
    muted: (row.muted ?? []).filter(isMutable),
    digest: (DIGEST_MODES as readonly (string | null | undefined)[]).includes(row.digest)
      ? (row.digest as DigestMode)
      : null,
    quietFrom: row.quietFrom,
    quietTo: row.quietTo,
    timeZone: row.timeZone ?? "UTC",
  };
}

/** Saves a change to the member's settings; returns the settings now in force. */
export async function updateNotificationSettings(
  db: Db,
  memberId: number,
  change: Partial<NotificationSettings>,
): Promise<NotificationSettings> {
  const next = { ...(await notificationSettings(db, memberId)), ...change };
  if ((next.quietFrom === null) !== (next.quietTo === null))
    throw new RangeError("quiet hours need both a start and an end");
  for (const m of [next.quietFrom, next.quietTo])
    if (m !== null && !(Number.isInteger(m) && m >= 0 && m < 1440))
      throw new RangeError(`quiet hours minute out of range: ${m}`);
  if (parseTimeZone(next.timeZone) !== next.timeZone)
    throw new RangeError(`not a time zone: ${next.timeZone}`);
  if (next.digest !== null && !DIGEST_MODES.includes(next.digest))
    throw new RangeError(`not a digest mode: ${next.digest}`);
  const values = {
    muted: [...new Set(next.muted.filter(isMutable))].sort(),
    digest: next.digest,
    quietFrom: next.quietFrom,
    quietTo: next.quietTo,
    timeZone: next.timeZone,
  };
  await db
    .insert(botNotificationSettings)
    .values({ memberId, ...values })
    .onConflictDoUpdate({
      target: botNotificationSettings.memberId,
      set: { ...values, updatedAt: sql`now()` },
    });
  return { ...values, muted: values.muted as MutableKind[] };
}

/** Toggles one kind; returns the settings now in force. */
export async function toggleNotificationKind(
  db: Db,
  memberId: number,
  kind: MutableKind,
): Promise<NotificationSettings> {
  const current = await notificationSettings(db, memberId);
  const muted = current.muted.includes(kind)
    ? current.muted.filter((k) => k !== kind)
    : [...current.muted, kind];
  return updateNotificationSettings(db, memberId, { muted });
}

const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * A time zone as the member typed it, normalized: IANA names as Intl spells them, offsets as
 * `±HH:MM` (`UTC`/`GMT`/`Z` alone are `UTC`); undefined when it is neither.
 */
export function parseTimeZone(input: string): string | undefined {
  const text = input.trim();
  if (/^(utc|gmt|z)$/i.test(text)) return "UTC";
  const m = OFFSET.exec(text);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? 0);
    if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
    if (hours === 0 && minutes === 0) return "UTC";
    return `${m[1]}${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  }
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(text)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight at `at` in `timeZone` (normalized by {@link parseTimeZone}). */
export function localMinutes(at: Date, timeZone: string): number {
  const utc = at.getUTCHours() * 60 + at.getUTCMinutes();
  if (timeZone === "UTC") return utc;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (m) {
    const offset = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return (((utc + offset) % 1440) + 1440) % 1440;
  }
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    formats.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return (hour % 24) * 60 + minute;
}

/** The calendar day (`YYYY-MM-DD`) `at` falls on in `timeZone` (normalized). */
export function localDay(at: Date, timeZone: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (timeZone === "UTC" || m) {
    const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    return new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 10);
  }
  let f = dayFormats.get(timeZone);
  if (!f) {
    // en-CA writes dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The first minute of the member's next calendar day after `at` (local midnight in
 * `timeZone`): where a daily digest's day ends. Found from the local clock and checked, so a
 * daylight-saving change on the way moves it as the member's clock does.
 */
export function nextLocalMidnight(at: Date, timeZone: string): Date {
  const day = localDay(at, timeZone);
  const start = Math.floor(at.getTime() / 60_000) * 60_000;
  let end = start + (1440 - localMinutes(new Date(start), timeZone)) * 60_000;
  // A clock change between now and midnight moves it (by an hour at most): step onto the
  // first minute of the next day.
  for (let i = 0; i < 240 && localDay(new Date(end - 60_000), timeZone) !== day; i++) end -= 60_000;
  for (let i = 0; i < 240 && localDay(new Date(end), timeZone) === day; i++) end += 60_000;
  return new Date(end);
}

/**
 * When the member's quiet hours end, if `at` falls inside them; null otherwise. A window may
 * wrap midnight (23:00–07:00). The end is found minute by minute from `at`'s local time, so a
 * daylight-saving change inside the window moves it as the member's clock does.
 */
export function quietUntil(s: NotificationSettings, at: Date): Date | null {
  if (s.quietFrom === null || s.quietTo === null || s.quietFrom === s.quietTo) return null;
  const local = localMinutes(at, s.timeZone);
  const inside =
    s.quietFrom < s.quietTo
      ? local >= s.quietFrom && local < s.quietTo
      : local >= s.quietFrom || local < s.quietTo;
  if (!inside) return null;
  const wait = (s.quietTo - local + 1440) % 1440;
  // Whole minutes: the end is at the start of the `quietTo` minute.
  const start = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  let end = new Date(start.getTime() + wait * 60_000);
  // Across a daylight-saving change the local clock jumps: step to the first minute outside.
  for (let i = 0; i < 180 && localMinutes(end, s.timeZone) !== s.quietTo; i++) {
    const m = localMinutes(end, s.timeZone);
    const stillInside =
      s.quietFrom < s.quietTo
        ? m >= s.quietFrom && m < s.quietTo
        : m >= s.quietFrom || m < s.quietTo;
    if (!stillInside) break;
    end = new Date(end.getTime() + 60_000);
  }
  return end;
}

/** `HH:MM` → minutes after midnight, or undefined. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** Minutes after midnight → `HH:MM`. */
export function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
