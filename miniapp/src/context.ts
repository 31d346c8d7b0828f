/** What every screen reaches through React context: config, platform, API, language. */
import { createContext, useContext } from "react";
import type { ApiClient } from "./api/client.ts";
import type { CampaignRules, Profile } from "./api/models.ts";
import type { Lang, Params } from "./i18n/translate.ts";
import type { Platform } from "./platform.ts";
import type { RuntimeConfig } from "./shared/runtimeConfig.ts";

export interface AppEnv {
  config: RuntimeConfig;
  platform: Platform;
  api: ApiClient;
  lang: Lang;
  t: (key: string, params?: Params) => string;
  /** Changes whenever the page regains focus (resources reload then). */
  epoch: number;
  /** Reloads every resource now (after a wallet link, a claim, …). */
  refresh: () => void;
  navigate: (path: string) => void;
  /** The member's profile (GET /api/me), shared by every screen; null while loading. */
  profile: Profile | null;
  /** The campaign's public rules and contracts; null while loading or unavailable. */
  campaign: CampaignRules | null;
  /**
   * Shows another of the member's campaigns (the switcher): the profile and every screen's
   * data are then that campaign's. Remembered on this device.
   */
  selectCampaign: (slug: string) => void;
  /** The website's logout (absent inside Telegram). */
  logout?: () => Promise<void>;
}

export const AppContext = createContext<AppEnv | null>(null);

export function useApp(): AppEnv {
  const env = useContext(AppContext);
  if (!env) throw new Error("useApp outside AppContext");
  return env;
}
