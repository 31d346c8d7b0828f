/**
 * The bot's typed context and the services every feature is built with. Features are
 * Composers made by factories that receive {@link BotServices}; the context carries only
 * what belongs to one update (the member, their locale, the translate function).
 */
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Api, Context } from "grammy";
import type { ChainReads } from "../server/chain/driver.ts";
import type { Config } from "../server/config.ts";
import type { AttributeInput, AttributeResult } from "../server/domain/attribution.ts";
import type {
  AdminPrincipal,
  DomainContext,
  LinkSettings,
  MemberView,
  TelegramUserInput,
} from "../server/domain/index.ts";
import type { Logger } from "../server/logger.ts";
import type { Coalescer } from "./batch.ts";
import type { BotSettings } from "./config.ts";
import type { Explorer } from "./format.ts";
import type { Locale, TextVars, Translator } from "./i18n.ts";
import type { LoadedMember } from "./members.ts";
import type { Scheduler, Throttle } from "./throttle.ts";

export interface BotFlavor {
  /** The member behind the update (created on first sight); absent for updates without a user. */
  member?: MemberView;
  /** Whether this update created the member (their very first contact). */
  memberIsNew: boolean;
  /** The member's language: their `/language` choice, else their Telegram client's. */
  locale: Locale;
  /** `ctx.t` with every variable HTML-escaped (Html fragments kept): what replies use. */
  tr(key: string, vars?: TextVars): string;
  /** Set by the admin guard for admin commands and buttons: who acts, with their roles. */
  admin?: AdminPrincipal;
}

export type BotContext = Context & I18nFlavor & BotFlavor;

export interface BotServices {
  config: Config;
  settings: BotSettings;
  logger: Logger;
  domain: DomainContext;
  /** On-chain reads (balances, escrow claims); absent without `RPC_URL`. */
  chain?: ChainReads;
  translator: Translator;
  explorer?: Explorer;
  /** Deep-link settings with the bot's real username once it is known (getMe). */
  links(): LinkSettings;
  /** A bootstrap super-admin (`ADMIN_TELEGRAM_IDS`); campaign roles are in the database. */
  isSuperAdmin(telegramId: number): boolean;
  /** The API for bulk sends (notifications, broadcasts): throttled to Telegram's limits. */
  bulkApi: Api;
  /** The throttler behind `bulkApi`. */
  bulkThrottle: Throttle;
  /** The clock the bot's waits run on (retries, throttling, broadcasts). */
  scheduler: Scheduler;
  /** The member behind an update, loaded together with the other updates in flight. */
  members: Coalescer<TelegramUserInput, LoadedMember>;
  /** Attributions (`/start <code>`), decided together for the updates handled at once. */
  attributions: Coalescer<AttributeInput, { ok: AttributeResult } | { error: unknown }>;
  /** Web-mode login tokens, issued together for the replies being built at once. */
  loginTokens: Coalescer<number, { token: string; expiresAt: Date }>;
}
