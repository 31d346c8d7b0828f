/**
 * Compliance in the bot: `/terms` (the campaign's terms with an Accept button, and the age
 * confirmation when the campaign asks for one), `/country` (declared once, with buttons for the
 * allowed countries), `/export` (the member's data as a JSON document), `/delete` (after a
 * confirmation button: personal data erased, what stays on-chain explained), and for admins
 * `/exclude` and `/include` (the domain checks `member.exclude` and audits). After a `/start`
 * the start feature calls {@link compliancePrompt} so a new member sees what the campaign asks
 * before their first reward.
 */
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { type Campaign, type DomainErrorCode, isDomainError } from "../../server/domain/index.ts";
import {
  confirmAge,
  declareCountry,
  excludeMember,
  includeMember,
  participationStatus,
} from "../../server/domain/participation.ts";
import { deleteMemberData, exportMemberData } from "../../server/domain/privacy.ts";
import { acceptTerms, termsStatus } from "../../server/domain/terms.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatDate } from "../format.ts";
import { HTML } from "../middleware.ts";
import { campaignName } from "../rulesText.ts";

/** Domain refusals this feature answers with a text of their own (`compliance-problem-…`). */
const PROBLEMS: readonly DomainErrorCode[] = [
  "terms_not_required",
  "terms_version_mismatch",
  "country_invalid",
  "country_not_allowed",
  "language_not_allowed",
  "age_invalid",
  "member_excluded",
  "member_deleted",
  "member_not_found",
];

const problemKey = (code: string) => `compliance-problem-${code.replaceAll("_", "-")}`;

/** The answer to a refusal (rethrows what is not one of ours). */
function problemText(ctx: BotContext, error: unknown): string {
  if (isDomainError(error) && PROBLEMS.includes(error.code)) return ctx.tr(problemKey(error.code));
  throw error;
}

/**
 * What the campaign asks of the member and has not got yet: the terms (text and an Accept
 * button), the age (a button), the country (a pointer to /country). Sent after `/start` and
 * by `/terms`; nothing when nothing is asked. A refused member is told so.
 */
export async function compliancePrompt(
  s: BotServices,
  ctx: BotContext,
  campaign: Campaign,
  always = false,
): Promise<void> {
  const member = ctx.member;
  if (!member) return;
  // A campaign that asks nothing has nothing to prompt for, and a member created by this
  // very update cannot be excluded yet: skip the three reads. `/start` of new members is the
  // bot's hottest path, batched to a few statements per batch (bench:bot); these reads, one
  // set per update, had cut its throughput to a third.
  const asks =
    campaign.definition.terms !== undefined || campaign.definition.participation !== undefined;
  if (!asks && !always && ctx.memberIsNew) return;
  const [terms, status] = await Promise.all([
    termsStatus(s.domain.db, campaign, member.id),
    participationStatus(s.domain, campaign, member.id),
  ]);
  const name = campaignName(campaign, ctx.locale);
  if (!status.verdict.ok && status.verdict.refused !== undefined) {
    await ctx.reply(ctx.tr(problemKey(status.verdict.refused)), HTML);
    return;
  }
  const keyboard = new InlineKeyboard();
  const parts: string[] = [];
  if (terms.terms && !terms.accepted) {
    const text = ctx.locale === "ru" ? terms.terms.text.ru : terms.terms.text.en;
    parts.push(
      ctx.tr(terms.previousVersion ? "terms-changed" : "terms-ask", {
        campaign: name,
        version: terms.terms.version,
      }),
      ctx.tr("terms-text", { text }),
    );
    if (terms.terms.url) parts.push(ctx.tr("terms-link", { url: terms.terms.url }));
    keyboard.text(ctx.t("terms-accept-button"), `cmp:t:${terms.terms.version}`).row();
  } else if (terms.terms && always) {
    parts.push(
      ctx.tr("terms-accepted-already", {
        campaign: name,
        version: terms.terms.version,
        date: formatDate(terms.acceptedAt ?? new Date(), ctx.locale),
      }),
    );
  }
  const missing = status.verdict.ok ? [] : status.verdict.missing;
  if (missing.includes("age_not_confirmed") && status.minAge !== null) {
    parts.push(ctx.tr("age-ask", { age: status.minAge }));
    keyboard.text(ctx.t("age-button", { age: status.minAge }), `cmp:a:${status.minAge}`).row();
  }
  if (missing.includes("country_required")) parts.push(ctx.tr("country-ask-short"));
  if (parts.length === 0) {
    if (always) await ctx.reply(ctx.tr("terms-none", { campaign: name }), HTML);
    return;
  }
  await ctx.reply(parts.join("\n\n"), {
    ...HTML,
    ...(keyboard.inline_keyboard.flat().length > 0 ? { reply_markup: keyboard } : {}),
    link_preview_options: { is_disabled: true },
  });
}

/** Country buttons: the campaign's allowed countries (at most 24, four a row). */
function countryKeyboard(countries: readonly string[]): InlineKeyboard {
  const k = new InlineKeyboard();
  countries.slice(0, 24).forEach((c, i) => {
    k.text(c, `cmp:c:${c}`);
    if (i % 4 === 3) k.row();
  });
  return k;
}

export function complianceFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const pm = c.chatType("private");
  const current = () => s.domain.campaigns.current(s.domain.now());

  pm.command("terms", async (ctx) => {
    const campaign = current();
    if (!campaign) return void (await ctx.reply(ctx.tr("no-campaign"), HTML));
    await compliancePrompt(s, ctx, campaign, true);
  });

  c.callbackQuery(/^cmp:t:([A-Za-z0-9._-]{1,32})$/, async (ctx) => {
    const campaign = current();
    if (!ctx.member || !campaign) return void (await ctx.answerCallbackQuery());
    try {
      const r = await acceptTerms(s.domain, campaign, ctx.member.id, ctx.match[1]!);
      await ctx.answerCallbackQuery({ text: ctx.t("terms-accepted-toast") });
      await ctx.editMessageReplyMarkup({ reply_markup: undefined });
      await ctx.reply(
        ctx.tr(r.qualification?.status === "qualified" ? "terms-accepted-paid" : "terms-accepted", {
          version: ctx.match[1]!,
        }),
        HTML,
      );
    } catch (error) {
      await ctx.answerCallbackQuery();
      await ctx.reply(problemText(ctx, error), HTML);
      // A newer version: show it at once.
      if (isDomainError(error, "terms_version_mismatch")) await compliancePrompt(s, ctx, campaign);
    }
  });

  c.callbackQuery(/^cmp:a:(\d{1,3})$/, async (ctx) => {
    const campaign = current();
    if (!ctx.member || !campaign) return void (await ctx.answerCallbackQuery());
    try {
      await confirmAge(s.domain, campaign, ctx.member.id, Number(ctx.match[1]));
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: undefined });
      await ctx.reply(ctx.tr("age-confirmed"), HTML);
    } catch (error) {
      await ctx.answerCallbackQuery();
      await ctx.reply(problemText(ctx, error), HTML);
    }
  });

  const declare = async (ctx: BotContext, campaign: Campaign, country: string) => {
    if (!ctx.member) return;
    try {
      const r = await declareCountry(s.domain, campaign, ctx.member.id, country);
      const v = r.status.verdict;
      if (!v.ok && v.refused !== undefined) {
        await ctx.reply(ctx.tr(problemKey(v.refused)), HTML);
        return;
      }
      await ctx.reply(ctx.tr("country-set", { country: r.status.country ?? country }), HTML);
    } catch (error) {
      await ctx.reply(problemText(ctx, error), HTML);
    }
  };

  pm.command("country", async (ctx) => {
    const campaign = current();
    if (!campaign || !ctx.member) return void (await ctx.reply(ctx.tr("no-campaign"), HTML));
    const arg = ctx.match.trim();
    if (arg !== "") return declare(ctx, campaign, arg);
    const status = await participationStatus(s.domain, campaign, ctx.member.id);
    if (status.country !== null)
      return void (await ctx.reply(ctx.tr("country-known", { country: status.country }), HTML));
    await ctx.reply(ctx.tr("country-ask"), {
      ...HTML,
      ...(status.countries ? { reply_markup: countryKeyboard(status.countries) } : {}),
    });
  });

  c.callbackQuery(/^cmp:c:([A-Z]{2})$/, async (ctx) => {
    const campaign = current();
    await ctx.answerCallbackQuery();
    if (!campaign) return;
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await declare(ctx, campaign, ctx.match[1]!);
  });

  pm.command("export", async (ctx) => {
    if (!ctx.member) return;
    const data = await exportMemberData(s.domain, ctx.member.id);
    const file = new InputFile(
      Buffer.from(JSON.stringify(data, null, 2), "utf8"),
      `refmint-data-${data.member.memberNumber}.json`,
    );
    await ctx.replyWithDocument(file, { caption: ctx.t("export-caption") });
  });

  pm.command("delete", async (ctx) => {
    if (!ctx.member) return;
    const keyboard = new InlineKeyboard()
      .text(ctx.t("delete-confirm-button"), "cmp:del:yes")
      .row()
      .text(ctx.t("delete-cancel-button"), "cmp:del:no");
    await ctx.reply(ctx.tr("delete-ask", { member: ctx.member.id }), {
      ...HTML,
      reply_markup: keyboard,
    });
  });

  c.callbackQuery(/^cmp:del:(yes|no)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.member) return;
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    if (ctx.match[1] === "no") return void (await ctx.reply(ctx.tr("delete-cancelled"), HTML));
    try {
      const r = await deleteMemberData(s.domain, ctx.member.id, true);
      // The last message this chat gets from us: the member is never messaged again.
      await ctx.reply(
        ctx.tr("delete-done", {
          member: r.memberNumber,
          kept: r.ledgerEntriesKept,
          onchain: r.onChainEntries,
        }),
        HTML,
      );
    } catch (error) {
      await ctx.reply(problemText(ctx, error), HTML);
    }
  });

  // Admins (the admin feature's guard ran first and set ctx.admin).
  const exclusion = (action: "exclude" | "include") =>
    pm.command(action, async (ctx) => {
      const admin = ctx.admin;
      if (!admin) return;
      const m = /^#?(\d{1,15})(?:\s+([a-z0-9-]{2,48}))?\s+(.{3,500})$/s.exec(ctx.match.trim());
      if (!m) return void (await ctx.reply(ctx.tr(`admin-${action}-usage`), HTML));
      const named = m[2] !== undefined ? s.domain.campaigns.bySlug(m[2]) : undefined;
      // A second word that is no campaign's slug is the start of the reason.
      const campaign = named ?? current();
      const reason = named ? m[3]! : [m[2], m[3]].filter(Boolean).join(" ");
      if (!campaign) return void (await ctx.reply(ctx.tr("no-campaign"), HTML));
      try {
        const run = action === "exclude" ? excludeMember : includeMember;
        const r = await run(s.domain, campaign, Number(m[1]), reason, admin);
        await ctx.reply(
          ctx.tr(`admin-${action}-${r.changed ? "done" : "unchanged"}`, {
            member: Number(m[1]),
            campaign: campaignName(campaign, ctx.locale),
          }),
          HTML,
        );
      } catch (error) {
        if (isDomainError(error, "forbidden"))
          return void (await ctx.reply(
            ctx.tr("admin-forbidden", { campaign: campaignName(campaign, ctx.locale) }),
            HTML,
          ));
        await ctx.reply(problemText(ctx, error), HTML);
      }
    });
  exclusion("exclude");
  exclusion("include");
  return c;
}
