/**
 * Entry point. Inside Telegram (launch parameters present) the SDK is initialised once and
 * every API call carries the init data; anywhere else the page is the website, signed in by
 * a login link from the bot. In development only, `?tgWebAppMock=1` first fakes a Telegram
 * client around init data really signed by the dev server (absent from production builds).
 */
// First: asks for the profile before the rest of the app is evaluated.
import "./earlyProfile.ts";
import "@telegram-apps/telegram-ui/dist/styles.css";
import "./styles.css";
import { AppRoot } from "@telegram-apps/telegram-ui";
import * as React from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { readRuntimeConfig } from "./config.ts";
import { detectTelegram, telegramPlatform, webPlatform } from "./platform.ts";

async function start(): Promise<void> {
  const element = document.getElementById("root");
  if (!element) throw new Error("no #root element");
  const root = createRoot(element);
  if (import.meta.env.DEV) {
    const { mockTelegramIfAsked } = await import("./dev/mockTelegram.ts");
    await mockTelegramIfAsked();
  }
  let config: ReturnType<typeof readRuntimeConfig>;
  try {
    config = readRuntimeConfig();
  } catch (error) {
    element.textContent = error instanceof Error ? error.message : String(error);
    return;
  }
  const telegram = detectTelegram();
  // Inside Telegram the client owns gestures (a pinch would fight its swipe-to-close); the
  // website keeps the browser's zoom, which low-vision visitors rely on.
  if (telegram) {
    document
      .querySelector('meta[name="viewport"]')
      ?.setAttribute(
        "content",
        "width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no, viewport-fit=cover",
      );
  }
  // The admin console: its own lazy chunk, never part of the member's first download; it
  // gets React from here (see admin/react.ts).
  if (/^\/admin(\/|$)/.test(location.pathname)) {
    const admin = await import("./admin/AdminApp.tsx");
    admin.share({ React, AppRoot });
    root.render(React.createElement(admin.default, { config, telegram }));
    return;
  }
  const platform = telegram ? telegramPlatform() : webPlatform();
  root.render(<App config={config} platform={platform} telegram={telegram} />);
}

void start();
