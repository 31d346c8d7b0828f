/**
 * DEVELOPMENT ONLY (imported behind `import.meta.env.DEV`, so production builds drop it):
 * a mocked Telegram client for opening the Mini App in a normal browser. The init data is
 * not made up here: the dev server signs it with its bot token (GET /__dev/telegram-init-
 * data), so the API's real validation runs. Query: `?tgWebAppMock=1[&lang=ru][&theme=dark]
 * [&id=<telegram id>][&start_param=<code>]`; the choice survives reloads in this tab.
 */
import { emitEvent, mockTelegramEnv } from "@tma.js/sdk-react";
import { THEMES } from "./themes.ts";

const KEY = "refmint:dev-telegram-mock";

export async function mockTelegramIfAsked(): Promise<void> {
  const query = new URLSearchParams(location.search);
  let options = sessionStorage.getItem(KEY);
  if (query.has("tgWebAppMock")) {
    options = query.toString();
    sessionStorage.setItem(KEY, options);
  }
  if (options === null) return;
  const o = new URLSearchParams(options);
  const ask = new URLSearchParams();
  for (const [from, to] of [
    ["id", "id"],
    ["first_name", "first_name"],
    ["username", "username"],
    ["lang", "language_code"],
    ["start_param", "start_param"],
  ] as const) {
    const v = o.get(from);
    if (v) ask.set(to, v);
  }
  const res = await fetch(`/__dev/telegram-init-data?${ask}`);
  if (!res.ok) throw new Error(`the dev server refused init data (${res.status})`);
  const { initData } = (await res.json()) as { initData: string };
  const theme = o.get("theme") === "dark" ? THEMES.dark : THEMES.light;
  const startParam = o.get("start_param");
  mockTelegramEnv({
    resetPostMessage: true,
    launchParams: {
      tgWebAppData: initData,
      tgWebAppVersion: "8.0",
      tgWebAppPlatform: "tdesktop",
      tgWebAppThemeParams: theme,
      ...(startParam ? { tgWebAppStartParam: startParam } : {}),
    },
    onEvent(event) {
      // Answer what the SDK asks a real client for; everything else is acknowledged silently.
      if (event.name === "web_app_request_theme")
        emitEvent("theme_changed", { theme_params: theme });
      else if (event.name === "web_app_request_viewport")
        emitEvent("viewport_changed", {
          height: window.innerHeight,
          width: window.innerWidth,
          is_expanded: true,
          is_state_stable: true,
        });
      else if (event.name === "web_app_request_safe_area")
        emitEvent("safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
      else if (event.name === "web_app_request_content_safe_area")
        emitEvent("content_safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
      else if (event.name === "web_app_open_link") {
        const url = (event.params as { url?: string } | undefined)?.url;
        if (url) window.open(url, "_blank", "noopener");
      }
      console.debug("[mocked Telegram]", event.name, event.params);
    },
  });
}
