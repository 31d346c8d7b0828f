/**
 * A review item as the bot shows it to admins (the alert when items enter review, and
 * `/review`): who invited whom by name and username, the fraud signals that fired, what the
 * invited member shares with others (IP, device, wallet), the referrer's recent invitations,
 * with approve/reject buttons; and the bulk buttons for several items at once.
 *
 * Bulk buttons carry the items' ids in their data (base 36, dot-separated; Telegram allows 64
 * bytes), so a tap decides exactly the items that message listed, nothing that arrived since.
 */
import { InlineKeyboard } from "grammy";
import type { ReviewEvidence } from "../server/domain/reviewEvidence.ts";
import type { Locale, Translator } from "./i18n.ts";

type EvidencePerson = ReviewEvidence["referrer"];

/** `First (@username, #12)`: name, username and member number. */
export function personLabel(p: EvidencePerson): string {
  const inner = [p.username ? `@${p.username}` : null, `#${p.id}`].filter((x) => x !== null);
  return `${p.firstName ?? "?"} (${inner.join(", ")})`;
}

/** The signals in the admin's language (the code itself when a text is missing). */
export function signalsText(t: Translator["t"], locale: Locale, reasons: readonly string[]) {
  return reasons
    .map((r) => {
      const key = `reason-${r.replaceAll("_", "-")}`;
      const text = t(locale, key);
      return text === key ? r : text;
    })
    .join(", ");
}

/** One item's message (HTML; names escaped by the translator). */
export function reviewEvidenceText(
  t: Translator["t"],
  locale: Locale,
  e: ReviewEvidence,
  campaign: string,
): string {
  return t(locale, "admin-review-evidence", {
    id: String(e.reviewId),
    campaign,
    referee: personLabel(e.referee),
    referrer: personLabel(e.referrer),
    signals: signalsText(t, locale, e.reasons),
    ip: e.sharedIp,
    device: e.sharedDevice,
    wallets:
      e.sharedWalletMembers.length === 0
        ? "0"
        : e.sharedWalletMembers.map((id) => `#${id}`).join(", "),
    burst: e.referrerBurst24h,
    chain:
      e.chain.length === 0
        ? t(locale, "admin-review-chain-none")
        : e.chain.map(personLabel).join(" ← "),
  });
}

/** Approve/reject buttons of one item (handled in features/admin.ts, role-checked there). */
export function reviewButtons(t: Translator["t"], locale: Locale, id: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(locale, "admin-review-approve"), `rv:a:${id}`)
    .text(t(locale, "admin-review-reject"), `rv:r:${id}`);
}

/** `rv:ba:` and `rv:br:` alike. */
const BULK_PREFIX_LENGTH = "rv:ba:".length;
const CALLBACK_MAX = 64;

/** The ids as a bulk button carries them; the ids that fit (all, normally: at most 8 items). */
export function packIds(ids: readonly number[]): { data: string; ids: number[] } {
  const kept: number[] = [];
  let data = "";
  for (const id of ids) {
    const next = data === "" ? id.toString(36) : `${data}.${id.toString(36)}`;
    if (BULK_PREFIX_LENGTH + next.length > CALLBACK_MAX) break;
    data = next;
    kept.push(id);
  }
  return { data, ids: kept };
}

/** The ids of a bulk button's data; undefined when it is not one we could have made. */
export function unpackIds(data: string): number[] | undefined {
  if (!/^[0-9a-z]{1,11}(\.[0-9a-z]{1,11}){0,15}$/.test(data)) return undefined;
  const ids = data.split(".").map((p) => Number.parseInt(p, 36));
  return ids.every((id) => Number.isSafeInteger(id) && id > 0) ? [...new Set(ids)] : undefined;
}

/** "Approve all" / "Reject all" for the items listed (`rv:ba:` / `rv:br:` + packed ids). */
export function bulkButtons(
  t: Translator["t"],
  locale: Locale,
  ids: readonly number[],
): { keyboard: InlineKeyboard; ids: number[] } {
  const packed = packIds(ids);
  return {
    ids: packed.ids,
    keyboard: new InlineKeyboard()
      .text(
        t(locale, "admin-review-approve-all", { count: packed.ids.length }),
        `rv:ba:${packed.data}`,
      )
      .text(
        t(locale, "admin-review-reject-all", { count: packed.ids.length }),
        `rv:br:${packed.data}`,
      ),
  };
}
