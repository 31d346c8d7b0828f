/**
 * `/start [code]`: the welcome. With a code it records the attribution through the domain
 * (the first valid start of a new member in a campaign wins; the refusals are the API's), then
 * shows the rules in short and the way into the dashboard (and, in Mini App mode, sets the
 * menu button). A payload `<code>__<slug>` attributes in that campaign and the welcome is
 * about it; a bare code means the current campaign.
 */
import { Composer } from "grammy";
import {
  type DomainErrorCode,
  getMember,
  isDomainError,
  parseStartPayload,
  referralOf,
} from "../../server/domain/index.ts";
import { asAnswer } from "../answer.ts";
import type { BotContext, BotServices } from "../context.ts";
import { buttonUrlAllowed, dashboardEntry } from "../dashboard.ts";
import { earningsOf } from "../earnings.ts";
import { formatAmount } from "../format.ts";
import { HTML } from "../middleware.ts";
import { campaignName, decimalsOf, qualificationText, shortRules } from "../rulesText.ts";
import { compliancePrompt } from "./compliance.ts";

/** Locale key explaining each refusal of an attribution. */
const REFUSALS: Partial<Record<DomainErrorCode, string>> = {
  invalid_code: "start-refused-invalid-code",
  unknown_code: "start-refused-unknown-code",
  self_referral: "start-refused-self-referral",
  already_attributed: "start-refused-already-attributed",
  not_new_member: "start-refused-not-new-member",
  referral_loop: "start-refused-referral-loop",
  referrer_banned: "start-refused-referrer-banned",
  campaign_inactive: "start-refused-campaign-inactive",
  not_in_pilot: "start-refused-not-in-pilot",
  member_excluded: "compliance-problem-member-excluded",
  referrer_excluded: "start-refused-referrer-banned",
  country_not_allowed: "compliance-problem-country-not-allowed",
  language_not_allowed: "compliance-problem-language-not-allowed",
  campaign_not_found: "no-campaign",
};

// What a member typed after /start can be anything; show a bounded piece of it.
const shown = (payload: string) => (payload.length > 40 ? `${payload.slice(0, 40)}…` : payload);

export function startFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("start", async (ctx) => {
    const member = ctx.member;
    if (!member) return;
    const payload = ctx.match.trim();
    const named = parseStartPayload(
      payload,
      (slug) => s.domain.campaigns.bySlug(slug) !== undefined,
    );
    const campaign =
      named.campaign !== undefined
        ? s.domain.campaigns.bySlug(named.campaign)
        : s.domain.campaigns.current(s.domain.now());
    if (!campaign) {
      await asAnswer(() => ctx.reply(ctx.tr("no-campaign"), HTML));
      return;
    }
    const name = member.firstName ?? member.username ?? ctx.tr("someone");
    const parts: string[] = [
      ctx.tr(ctx.memberIsNew ? "start-welcome" : "start-welcome-back", {
        name,
        campaign: campaignName(campaign, ctx.locale),
      }),
    ];

    // With several campaigns the answer says which one it is about (the new member's welcome
    // names it already).
    if (!ctx.memberIsNew && s.domain.campaigns.all().length > 1)
      parts.push(ctx.tr("stats-campaign", { campaign: campaignName(campaign, ctx.locale) }));
    const invited = async (
      referrerId: number,
      known?: { firstName: string | null; username: string | null },
    ) => {
      const inviter = known ?? (await getMember(s.domain.db, referrerId));
      parts.push(
        ctx.tr("start-invited", {
          inviter: inviter?.firstName ?? inviter?.username ?? ctx.tr("someone"),
        }),
      );
      const bonus = campaign.rules.welcomeBonus;
      if (bonus) {
        parts.push(
          ctx.tr("start-welcome-bonus", {
            amount: formatAmount(
              bonus.amount,
              bonus.token,
              ctx.locale,
              decimalsOf(campaign, bonus.token),
            ),
            qualification: qualificationText(s.translator.t, campaign, ctx.locale, "self"),
          }),
        );
      }
    };
    if (payload !== "") {
      try {
        // Batched with the other attributions in flight (bot/members.ts).
        const attributed = await s.attributions.call({
          refereeId: member.id,
          code: named.code,
          campaign: campaign.slug,
          source: "start",
        });
        if ("error" in attributed) throw attributed.error;
        await invited(attributed.ok.referral.referrerId, attributed.ok.referrer);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        // The same invitation again (the link opened twice, or this update handled again
        // after a crash before its answer went out): the member hears what it did.
        const same =
          error.code === "already_attributed"
            ? await referralOf(s.domain.db, member.id, campaign.id)
            : undefined;
        if (same && same.code.toLowerCase() === named.code.toLowerCase()) {
          await invited(same.referrerId);
        } else {
          const paused = error.code === "campaign_inactive" && error.details.paused === true;
          const key = paused ? "start-refused-campaign-paused" : REFUSALS[error.code];
          if (key === undefined) throw error;
          parts.push(ctx.tr(key, { code: shown(payload) }));
        }
      }
    }

    // The member's own numbers (variant, tier); no read for a member created just now.
    const earnings = await earningsOf(s, member, campaign, ctx.memberIsNew);
    parts.push(shortRules(s.translator.t, campaign, ctx.locale, earnings).html);
    parts.push(ctx.tr("start-next-steps"));
    const entry = await dashboardEntry(s, member, ctx.locale, "home", ctx.t("dashboard-button"));
    if (entry.fallback) parts.push(entry.fallback.html);
    // The answer: in webhook mode it goes back in the webhook's response (bot/answer.ts).
    await asAnswer(() => ctx.reply(parts.join("\n\n"), { ...HTML, reply_markup: entry.keyboard }));
    // What the campaign asks before the first reward (terms, age, country), if anything.
    await compliancePrompt(s, ctx, campaign);

    if (s.config.dashboard.mode === "miniapp" && buttonUrlAllowed(s.config.dashboard.url, true)) {
      // The menu button in the member's own language (the default one is English).
      await ctx.api.setChatMenuButton({
        chat_id: ctx.chat.id,
        menu_button: {
          type: "web_app",
          text: ctx.t("menu-button"),
          web_app: { url: s.config.dashboard.url },
        },
      });
    }
  });
  return c;
}
