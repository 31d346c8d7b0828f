/**
 * What the plugin says, in English and Russian. Every text is a template: `{name}` is
 * replaced by the value of that name (values are plain text; the plugin sends no parse mode,
 * so nothing a user chose as their name can format the message). A host overrides any of
 * them per language, or adds a language (missing texts then come from English); an empty
 * `attributed` keeps the plugin silent on `/start`.
 *
 * Russian: a campaign's name is whatever its owner wrote, so it cannot be declined; it always
 * stands in the nominative after «кампания» and in quotes («Кампания «{campaign}»: …»), as in
 * the bot's own texts (bot/locales/ru.ftl), never after a preposition («в {campaign}»).
 */

export interface RefmintTexts {
  /** After `/start` with a link that counted: `{inviter}`. Empty: say nothing. */
  attributed: string;
  /** `/invite`: `{campaign}`, `{code}`, `{link}`. */
  invite: string;
  /** The share button under `/invite`. */
  shareButton: string;
  /** The text the share dialog suggests: `{campaign}`. */
  shareText: string;
  /** `/stats`, first line: `{campaign}`. */
  statsTitle: string;
  /** `/stats`: `{clicks}`, `{starts}`. */
  statsLink: string;
  /** `/stats`, one line per level with referrals: `{level}`, `{qualified}`, `{pending}`, `{review}`. */
  statsLevel: string;
  /** `/stats` without any referral. */
  statsNone: string;
  /** `/stats`: `{tier}`, `{multiplier}` (e.g. `×1.5`). */
  statsTier: string;
  /** `/stats`: `{next}`, `{left}` (friends to go), `{multiplier}`. */
  statsNextTier: string;
  statsTopTier: string;
  /** `/stats`, one line per token: `{amount}`, `{token}`. */
  statsReward: string;
  /** The campaign needs the member to accept its terms (or declare country or age) first. */
  needsSomething: string;
  /** The member is banned or excluded from the campaign. */
  notAllowed: string;
  /** The campaign has ended or not started. */
  inactive: string;
  /** Refmint could not be reached or refused the request. */
  unavailable: string;
}

const en: RefmintTexts = {
  attributed: "🤝 You joined through {inviter}'s invitation.",
  invite:
    "📨 Your invitation to {campaign}\n\nYour code: {code}\nYour link: {link}\n\nShare the link: every friend who joins through it counts for you.",
  shareButton: "📤 Share",
  shareText: "Join me in {campaign}!",
  statsTitle: "📈 Your invitations · {campaign}",
  statsLink: "Link opened: {clicks} · started through it: {starts}",
  statsLevel: "Level {level}: {qualified} counted · {pending} waiting · {review} under review",
  statsNone: "No invitations yet — send /invite to get your link.",
  statsTier: "🏅 Tier: {tier} ({multiplier} rewards)",
  statsNextTier: "Friends to go until {next} ({multiplier}): {left}",
  statsTopTier: "You are at the top tier. 🎉",
  statsReward: "🎁 Earned: {amount} {token}",
  needsSomething:
    "ℹ️ Before your first reward the campaign asks you to accept its terms (or confirm your country or age) in the Refmint bot.",
  notAllowed: "⛔ You cannot take part in this campaign.",
  inactive: "ℹ️ The campaign is not running right now.",
  unavailable: "⚠️ Invitations are unavailable right now. Please try again later.",
};

const ru: RefmintTexts = {
  attributed: "🤝 Вы пришли по приглашению: {inviter}.",
  invite:
    "📨 Кампания «{campaign}»: ваше приглашение\n\nВаш код: {code}\nВаша ссылка: {link}\n\nПоделитесь ссылкой: каждый друг, который придёт по ней, засчитается вам.",
  shareButton: "📤 Поделиться",
  shareText: "Присоединяйтесь ко мне: кампания «{campaign}»!",
  statsTitle: "📈 Ваши приглашения · кампания «{campaign}»",
  statsLink: "Ссылку открыли: {clicks} · запустили бота по ней: {starts}",
  statsLevel: "Уровень {level}: засчитано {qualified} · ждут {pending} · на проверке {review}",
  statsNone: "Приглашений пока нет — отправьте /invite, чтобы получить ссылку.",
  statsTier: "🏅 Уровень: {tier} (награды {multiplier})",
  statsNextTier: "До уровня {next} ({multiplier}) осталось друзей: {left}",
  statsTopTier: "У вас высший уровень. 🎉",
  statsReward: "🎁 Заработано: {amount} {token}",
  needsSomething:
    "ℹ️ Перед первой наградой кампания просит принять её условия (или подтвердить страну или возраст) в боте Refmint.",
  notAllowed: "⛔ Вы не можете участвовать в этой кампании.",
  inactive: "ℹ️ Кампания сейчас не проводится.",
  unavailable: "⚠️ Приглашения сейчас недоступны. Попробуйте позже.",
};

export const DEFAULT_TEXTS: Readonly<Record<"en" | "ru", RefmintTexts>> = { en, ru };

/** Overrides per language code (`en`, `ru`, or any other the host adds). */
export type TextOverrides = Record<string, Partial<RefmintTexts>>;

/**
 * The texts for `language`: its overrides over its defaults; a language without defaults
 * takes what it does not override from English (with the host's English overrides).
 */
export function textsFor(language: string, overrides: TextOverrides = {}): RefmintTexts {
  if (language === "ru") return { ...ru, ...overrides.ru };
  return { ...en, ...overrides.en, ...(language === "en" ? {} : overrides[language]) };
}

/** Fills `{name}` placeholders; unknown names stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
