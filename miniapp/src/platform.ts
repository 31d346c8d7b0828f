/**
 * Where the dashboard runs, behind one interface the screens use: inside Telegram (the
 * @tma.js SDK: back and main buttons, haptics, closing confirmation, Telegram's share and
 * link opening) or as a plain website (browser equivalents, or nothing).
 */
import {
  backButton,
  closingBehavior,
  copyTextToClipboard,
  hapticFeedback,
  init,
  mainButton,
  miniApp,
  openLink,
  openTelegramLink,
  retrieveLaunchParams,
  retrieveRawInitData,
  shareURL,
  swipeBehavior,
  themeParams,
  viewport,
} from "@tma.js/sdk-react";

export type Haptic = "success" | "error" | "warning" | "select" | "tap";

export interface MainButtonSpec {
  text: string;
  onClick: () => void;
  loading?: boolean;
  enabled?: boolean;
}

export interface Platform {
  kind: "telegram" | "web";
  /** Telegram's client platform (`ios`, `android`, `tdesktop`, …) or `web`. */
  clientPlatform: string;
  /** Language code from Telegram's user data (or the browser). */
  languageCode: string | null;
  isDark(): boolean;
  onThemeChange(fn: () => void): () => void;
  haptic(kind: Haptic): void;
  copy(text: string): Promise<void>;
  /** Shares a link; false when the environment cannot (the caller copies instead). */
  share(url: string, text: string): Promise<boolean>;
  /** Opens an external link: must be called synchronously in a tap handler. */
  openLink(url: string): void;
  openTelegramLink(url: string): void;
  setBackButton(onBack: (() => void) | null): void;
  setMainButton(spec: MainButtonSpec | null): void;
  confirmClosing(enabled: boolean): void;
}

export interface TelegramLaunch {
  initDataRaw: string;
  startParam: string | null;
}

/** The init data of a Telegram launch, or null outside Telegram. */
export function detectTelegram(): TelegramLaunch | null {
  try {
    const initDataRaw = retrieveRawInitData();
    if (!initDataRaw) return null;
    const lp = retrieveLaunchParams();
    return { initDataRaw, startParam: lp.tgWebAppStartParam ?? null };
  } catch {
    return null;
  }
}

export function telegramPlatform(): Platform {
  // One init() for the whole app: it wires the SDK to the Telegram client. Telegram Web's
  // custom styles would need an inline <style> element, which the page's CSP refuses.
  init({ acceptCustomStyles: false });
  const lp = retrieveLaunchParams();
  backButton.mount.ifAvailable();
  mainButton.mount.ifAvailable();
  closingBehavior.mount.ifAvailable();
  swipeBehavior.mount.ifAvailable();
  themeParams.mount.ifAvailable();
  miniApp.mount.ifAvailable();
  if (!themeParams.isCssVarsBound()) themeParams.bindCssVars.ifAvailable();
  if (!miniApp.isCssVarsBound()) miniApp.bindCssVars.ifAvailable();
  const mounted = viewport.mount.ifAvailable();
  if (mounted.ok)
    void Promise.resolve(mounted.data)
      .then(() => {
        if (!viewport.isCssVarsBound()) viewport.bindCssVars.ifAvailable();
        viewport.expand.ifAvailable();
      })
      .catch(() => {
        // A client that never answers the viewport request keeps the page's own size.
      });
  // Scrolling the dashboard must not swipe the Mini App closed.
  swipeBehavior.disableVertical.ifAvailable();
  // The page renders at once (the profile streams in): Telegram can drop its placeholder.
  miniApp.ready.ifAvailable();

  let backHandler: (() => void) | null = null;
  const onBack = () => backHandler?.();
  backButton.onClick.ifAvailable(onBack);
  let mainHandler: (() => void) | null = null;
  const onMain = () => mainHandler?.();
  mainButton.onClick.ifAvailable(onMain);

  return {
    kind: "telegram",
    clientPlatform: lp.tgWebAppPlatform,
    languageCode: lp.tgWebAppData?.user?.language_code ?? null,
    isDark: () => themeParams.isDark(),
    onThemeChange: (fn) => themeParams.state.sub(fn),
    haptic: (kind) => {
      if (kind === "select") hapticFeedback.selectionChanged.ifAvailable();
      else if (kind === "tap") hapticFeedback.impactOccurred.ifAvailable("light");
      else hapticFeedback.notificationOccurred.ifAvailable(kind);
    },
    copy: (text) => copyTextToClipboard(text),
    share: async (url, text) => shareURL.ifAvailable(url, text).ok,
    openLink: (url) => {
      if (!openLink.ifAvailable(url).ok) window.open(url, "_blank", "noopener");
    },
    openTelegramLink: (url) => {
      if (!openTelegramLink.ifAvailable(url).ok) window.open(url, "_blank", "noopener");
    },
    setBackButton: (fn) => {
      backHandler = fn;
      if (fn) backButton.show.ifAvailable();
      else backButton.hide.ifAvailable();
    },
    setMainButton: (spec) => {
      mainHandler = spec?.onClick ?? null;
      if (!spec) {
        mainButton.setParams.ifAvailable({ isVisible: false, isLoaderVisible: false });
        return;
      }
      mainButton.setParams.ifAvailable({
        text: spec.text,
        isVisible: true,
        isEnabled: spec.enabled !== false,
        isLoaderVisible: spec.loading === true,
      });
    },
    confirmClosing: (enabled) => {
      if (enabled) closingBehavior.enableConfirmation.ifAvailable();
      else closingBehavior.disableConfirmation.ifAvailable();
    },
  };
}

export function webPlatform(): Platform {
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  let confirm = false;
  window.addEventListener("beforeunload", (e) => {
    if (confirm) e.preventDefault();
  });
  return {
    kind: "web",
    clientPlatform: "web",
    languageCode: navigator.language ?? null,
    isDark: () => media.matches,
    onThemeChange: (fn) => {
      media.addEventListener("change", fn);
      return () => media.removeEventListener("change", fn);
    },
    haptic: () => {},
    copy: (text) => navigator.clipboard.writeText(text),
    share: async (url, text) => {
      if (typeof navigator.share !== "function") return false;
      try {
        await navigator.share({ url, text });
        return true;
      } catch (error) {
        // The member closed the share sheet: that is an answer, not a failure to share.
        return error instanceof DOMException && error.name === "AbortError";
      }
    },
    openLink: (url) => {
      window.open(url, "_blank", "noopener");
    },
    openTelegramLink: (url) => {
      window.open(url, "_blank", "noopener");
    },
    setBackButton: () => {},
    setMainButton: () => {},
    confirmClosing: (enabled) => {
      confirm = enabled;
    },
  };
}
