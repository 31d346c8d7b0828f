/**
 * Sends admins the alerts of server/domain/adminAlerts.ts (run with the bot's periodic jobs):
 * invitations that entered review, payouts held by screening, a budget 80 % spent. Each goes
 * to the super-admins and to the campaign's role holders whose roles cover it, in their
 * language, with the way to act (`/review`, `/admin` for the console).
 *
 * A review alert shows the items themselves (at most {@link ALERT_ITEMS_SHOWN}; the rest are
 * one `/review` away): each with the members' names and usernames and the evidence (signals,
 * shared IP/device/wallet, the referrer's chain and recent invitations) and approve/reject
 * buttons, then approve-all/reject-all for the items listed. The buttons are handled in
 * features/admin.ts, where each decision is role-checked (`review.decide`) and audited. Since
 * the alert names members, sending it is audited too (`review.alerted`: to how many admins).
 */
import { type Api, HttpError } from "grammy";
import {
  type AdminAlert,
  alertRecipients,
  recordReviewAlert,
  takeAdminAlerts,
} from "../server/domain/adminAlerts.ts";
import type { DomainContext } from "../server/domain/context.ts";
import { evidenceForAlert, type ReviewEvidence } from "../server/domain/reviewEvidence.ts";
import { type Locale, localeFromLanguageCode, type Translator } from "./i18n.ts";
import { HTML } from "./middleware.ts";
import { bulkButtons, reviewButtons, reviewEvidenceText } from "./reviewText.ts";
import { campaignName } from "./rulesText.ts";

/** Review items one alert shows with their evidence (the bulk buttons cover these). */
export const ALERT_ITEMS_SHOWN = 8;

export interface AdminAlertDeps {
  domain: DomainContext;
  api: Pick<Api, "sendMessage">;
  translator: Translator;
  superAdminTelegramIds: ReadonlySet<number>;
  logger?: { warn(o: object, msg: string): void };
}

function alertText(t: Translator, locale: Locale, alert: AdminAlert, campaign: string): string {
  if (alert.kind === "review")
    return t.t(locale, "admin-alert-review", { count: alert.reviewIds.length, campaign });
  if (alert.kind === "held")
    return t.t(locale, "admin-alert-held", { count: alert.entryIds.length, campaign });
  return t.t(locale, "admin-alert-budget", {
    percent: alert.percent,
    token: alert.token,
    campaign,
  });
}

type Message = { text: string; reply_markup?: ReturnType<typeof reviewButtons> };

/** The messages of a review alert in `locale`: the headline, one per item, the bulk buttons. */
function reviewMessages(
  t: Translator,
  locale: Locale,
  alert: Extract<AdminAlert, { kind: "review" }>,
  campaign: string,
  evidence: readonly ReviewEvidence[],
): Message[] {
  const out: Message[] = [{ text: alertText(t, locale, alert, campaign) }];
  for (const e of evidence)
    out.push({
      text: reviewEvidenceText(t.t, locale, e, campaign),
      reply_markup: reviewButtons(t.t, locale, e.reviewId),
    });
  if (evidence.length > 1) {
    const bulk = bulkButtons(
      t.t,
      locale,
      evidence.map((e) => e.reviewId),
    );
    out.push({
      text: t.t(locale, "admin-alert-bulk", { count: bulk.ids.length }),
      reply_markup: bulk.keyboard,
    });
  }
  const more = alert.reviewIds.length - evidence.length;
  if (more > 0) out.push({ text: t.t(locale, "admin-alert-more", { count: more }) });
  return out;
}

/** Takes the new alerts and sends them; returns how many messages went out. */
export async function sendAdminAlerts(d: AdminAlertDeps): Promise<number> {
  const alerts = await takeAdminAlerts(d.domain.db, d.domain.now());
  let sent = 0;
  for (const alert of alerts) {
    const campaign = d.domain.campaigns.byId(alert.campaignId);
    if (!campaign) continue;
    const to = await alertRecipients(
      d.domain.db,
      alert.kind,
      alert.campaignId,
      d.superAdminTelegramIds,
    );
    // Oldest first, as they entered review.
    const evidence =
      alert.kind === "review"
        ? await evidenceForAlert(d.domain.db, alert.reviewIds.slice(0, ALERT_ITEMS_SHOWN))
        : [];
    let reached = 0;
    for (const r of to) {
      const locale = localeFromLanguageCode(r.languageCode);
      const name = campaignName(campaign, locale);
      const messages =
        alert.kind === "review"
          ? reviewMessages(d.translator, locale, alert, name, evidence)
          : [{ text: alertText(d.translator, locale, alert, name) }];
      const send = (m: Message) =>
        d.api.sendMessage(r.telegramId, m.text, { ...HTML, reply_markup: m.reply_markup });
      try {
        for (const m of messages) {
          // A request that never reached Telegram (a reset connection) is sent once more.
          await send(m).catch((error: unknown) => {
            if (error instanceof HttpError) return send(m);
            throw error;
          });
          sent++;
        }
        reached++;
      } catch (error) {
        // Blocked the bot, never started it: the console still shows the queue.
        d.logger?.warn({ err: String(error), kind: alert.kind }, "admin alert not delivered");
      }
    }
    if (alert.kind === "review" && evidence.length > 0)
      await recordReviewAlert(d.domain.db, {
        campaignId: alert.campaignId,
        reviewIds: evidence.map((e) => e.reviewId),
        admins: reached,
        at: d.domain.now(),
      });
  }
  return sent;
}
