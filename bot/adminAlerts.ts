/**
 * Sends admins the alerts of server/domain/adminAlerts.ts (run with the bot's periodic jobs):
 * invitations that entered review, payouts held by screening, a budget 80 % spent. Each goes
 * to the super-admins and to the campaign's role holders whose roles cover it, in their
 * language, with the way to act (`/review`, `/admin` for the console).
 */
import type { Api } from "grammy";
import { type AdminAlert, alertRecipients, takeAdminAlerts } from "../server/domain/adminAlerts.ts";
import type { DomainContext } from "../server/domain/context.ts";
import { type Locale, localeFromLanguageCode, type Translator } from "./i18n.ts";
import { HTML } from "./middleware.ts";
import { campaignName } from "./rulesText.ts";

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
    for (const r of to) {
      const locale = localeFromLanguageCode(r.languageCode);
      try {
        await d.api.sendMessage(
          r.telegramId,
          alertText(d.translator, locale, alert, campaignName(campaign, locale)),
          HTML,
        );
        sent++;
      } catch (error) {
        // Blocked the bot, never started it: the console still shows the queue.
        d.logger?.warn({ err: String(error), kind: alert.kind }, "admin alert not delivered");
      }
    }
  }
  return sent;
}
