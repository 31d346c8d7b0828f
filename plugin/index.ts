/**
 * @refmint/grammy: Refmint's member features (codes, `/invite`, `/stats`, attribution from the
 * host's own `/start`) for a grammY bot that already exists, over Refmint's host API with one
 * campaign's API key. See README.md.
 */
export {
  type ActionResult,
  type Amount,
  type LevelStats,
  type Localized,
  type MemberStatus,
  RefmintApiError,
  RefmintClient,
  type RefmintClientOptions,
  type StartResult,
  type TelegramUserLike,
  type Tier,
} from "./client.ts";
export {
  isRefmintPayload,
  type RefmintControl,
  type RefmintFlavor,
  type RefmintOptions,
  refmint,
} from "./composer.ts";
export { DEFAULT_TEXTS, fill, type RefmintTexts, type TextOverrides, textsFor } from "./texts.ts";
