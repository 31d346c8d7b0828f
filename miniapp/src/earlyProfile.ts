/**
 * Imported first by main.tsx, so it runs before React, the UI kit and the screens are
 * evaluated: inside Telegram the init data is already in the URL, so the profile (Home's
 * data) is requested now and arrives while the rest of the app starts (api/prefetch.ts).
 */
import { createApi } from "./api/client.ts";
import { prefetch } from "./api/prefetch.ts";
import { initialCampaign, profilePath } from "./campaignChoice.ts";
import { detectTelegram } from "./platform.ts";

const telegram = detectTelegram();
if (telegram && !/^\/admin(\/|$)/.test(location.pathname)) {
  const path = profilePath(initialCampaign(telegram.startParam ?? null));
  const api = createApi({ kind: "tma", initDataRaw: telegram.initDataRaw });
  prefetch(path, () => api.get(path));
}
