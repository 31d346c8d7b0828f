/**
 * Headless Chromium (Debian's, driven by playwright-core) for the dashboard's browser tests,
 * and the two things a test plays around the page:
 *
 * - a Telegram client: the page is opened the way Telegram opens a Mini App (launch
 *   parameters in the URL fragment, including init data signed with the bot token) and the
 *   client side of the bridge is `window.TelegramWebviewProxy` (as Telegram's mobile apps
 *   inject it), which records every method the app calls and answers the requests a real
 *   client answers (theme, viewport, safe areas);
 * - an injected EIP-1193 wallet announced with EIP-6963, backed by a viem local account in
 *   the test process: real signatures, real transactions to the local chain.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type Hex, type LocalAccount, numberToHex } from "viem";
import { THEMES } from "../../../miniapp/src/dev/themes.ts";
import { evmWalletClient } from "../../../server/chain/evm/client.ts";
import { ROOT } from "./build.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "miniapp");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** One of Telegram's default palettes, as its clients send them in `tgWebAppThemeParams`. */
export type Theme = keyof typeof THEMES;

export interface TelegramLaunchOptions {
  initData: string;
  theme?: Theme;
  platform?: string;
  startParam?: string;
}

/** The URL Telegram would open: the app's address with the launch parameters in the fragment. */
export function telegramUrl(base: string, o: TelegramLaunchOptions): string {
  const p = new URLSearchParams();
  p.set("tgWebAppData", o.initData);
  p.set("tgWebAppVersion", "8.0");
  p.set("tgWebAppPlatform", o.platform ?? "android");
  p.set("tgWebAppThemeParams", JSON.stringify(THEMES[o.theme ?? "light"]));
  if (o.startParam) p.set("tgWebAppStartParam", o.startParam);
  return `${base}/#${p.toString()}`;
}

export interface TelegramEvent {
  type: string;
  params?: Record<string, unknown>;
}

/** Installs the Telegram client side of the bridge in every page of `context`. */
export async function playTelegramClient(context: BrowserContext, theme: Theme): Promise<void> {
  await context.addInitScript((palette) => {
    const w = window as unknown as {
      __tgEvents: Array<{ type: string; params?: unknown }>;
      TelegramWebviewProxy: { postEvent(type: string, data?: string): void };
      Telegram?: { WebView?: { receiveEvent?(type: string, data: unknown): void } };
    };
    w.__tgEvents = [];
    const reply = (type: string, data: unknown) =>
      setTimeout(() => w.Telegram?.WebView?.receiveEvent?.(type, data), 0);
    const insets = { top: 0, bottom: 0, left: 0, right: 0 };
    w.TelegramWebviewProxy = {
      postEvent(type, data) {
        const params = data ? JSON.parse(data) : undefined;
        w.__tgEvents.push({ type, params });
        if (type === "web_app_request_theme") reply("theme_changed", { theme_params: palette });
        else if (type === "web_app_request_viewport")
          reply("viewport_changed", {
            height: window.innerHeight,
            width: window.innerWidth,
            is_expanded: true,
            is_state_stable: true,
          });
        else if (type === "web_app_request_safe_area") reply("safe_area_changed", insets);
        else if (type === "web_app_request_content_safe_area")
          reply("content_safe_area_changed", insets);
      },
    };
  }, THEMES[theme]);
}

export async function telegramEvents(page: Page): Promise<TelegramEvent[]> {
  return page.evaluate(() => (window as unknown as { __tgEvents: TelegramEvent[] }).__tgEvents);
}

/** Tells the page (as Telegram would) that the main button was pressed. */
export async function pressMainButton(page: Page): Promise<void> {
  await page.evaluate(() =>
    (
      window as unknown as { Telegram: { WebView: { receiveEvent(t: string, d: unknown): void } } }
    ).Telegram.WebView.receiveEvent("main_button_pressed", undefined),
  );
}

export interface InjectedWallet {
  /** Every JSON-RPC method the page asked the wallet for, in order. */
  calls: string[];
}

/** Injects a wallet backed by `account` into every page of `context`. */
export async function injectWallet(
  context: BrowserContext,
  account: LocalAccount,
  rpcUrl: string,
  chainId = 31337,
): Promise<InjectedWallet> {
  const wallet = evmWalletClient(account, { rpcUrl, chainId, profile: "test" });
  const calls: string[] = [];
  await context.exposeFunction("__refmintTestWallet", async (json: string) => {
    const { method, params = [] } = JSON.parse(json) as { method: string; params?: unknown[] };
    calls.push(method);
    try {
      let result: unknown;
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          result = [account.address];
          break;
        case "eth_chainId":
          result = numberToHex(chainId);
          break;
        case "wallet_switchEthereumChain":
          result = null;
          break;
        case "wallet_watchAsset": {
          // EIP-747: a wallet answers true once the member accepts tracking the token.
          const asset = params as unknown as { type?: string; options?: { address?: string } };
          if (asset.type !== "ERC20" || !asset.options?.address)
            throw new Error("wallet_watchAsset needs an ERC20 type and an address");
          result = true;
          break;
        }
        case "personal_sign": {
          if (!account.signMessage) throw new Error("account cannot sign");
          result = await account.signMessage({ message: { raw: params[0] as Hex } });
          break;
        }
        case "eth_signTypedData_v4": {
          // EIP-712 (perk orders and ERC-2612 permits): params are [address, JSON typed data].
          if (!account.signTypedData) throw new Error("account cannot sign typed data");
          const typed = JSON.parse(String(params[1]));
          const { EIP712Domain: _domain, ...types } = typed.types;
          result = await account.signTypedData({
            domain: typed.domain,
            types,
            primaryType: typed.primaryType,
            message: typed.message,
          });
          break;
        }
        case "eth_sendTransaction": {
          const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
          result = await wallet.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : undefined,
          });
          break;
        }
        default: {
          const res = await fetch(rpcUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
          });
          const body = (await res.json()) as { result?: unknown; error?: unknown };
          if (body.error) return JSON.stringify({ __error: body.error });
          result = body.result;
        }
      }
      return JSON.stringify({ result });
    } catch (error) {
      return JSON.stringify({ __error: { code: -32603, message: String(error) } });
    }
  });
  await context.addInitScript(() => {
    const call = (window as unknown as { __refmintTestWallet(json: string): Promise<string> })
      .__refmintTestWallet;
    const provider = {
      async request(args: { method: string; params?: unknown[] }) {
        const out = JSON.parse(await call(JSON.stringify(args))) as {
          result?: unknown;
          __error?: { code: number; message: string };
        };
        if (out.__error) throw Object.assign(new Error(out.__error.message), out.__error);
        return out.result;
      },
      on() {},
      removeListener() {},
    };
    const info = {
      uuid: "5f0a4d2e-6b7c-4e0e-9a53-7d0f8c1b2a11",
      name: "Test Wallet",
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'%3E%3Crect width='1' height='1' fill='%23f6851b'/%3E%3C/svg%3E",
      rdns: "dev.refmint.test-wallet",
    };
    const announce = () =>
      window.dispatchEvent(
        new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
      );
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  });
  return { calls };
}

export interface PageWatch {
  /** Console errors, uncaught exceptions and CSP violations (with where they came from). */
  errors: string[];
  /** `<status> <path>` of every response of 400 or more. */
  failed: string[];
}

/** Watches a page for errors (a strict CSP must not break anything) and failed responses. */
export async function watchPage(page: Page): Promise<PageWatch> {
  const w: PageWatch = { errors: [], failed: [] };
  page.on("console", (m) => {
    // Failed responses are logged by the browser itself; they are recorded below with their path.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
      w.errors.push(m.text());
  });
  page.on("pageerror", (e) => w.errors.push(String(e)));
  page.on("response", (r) => {
    if (r.status() >= 400) w.failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await page.exposeFunction("__refmintCspViolation", (text: string) => w.errors.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __refmintCspViolation(t: string): void }).__refmintCspViolation(
        `CSP ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      );
    });
  });
  return w;
}

/** Saves a screenshot under test-artifacts/miniapp/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (the package's browser build, injected) in the page (WCAG 2 A and AA) and returns the serious and critical findings. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(" ")}${n.failureSummary ? ` [${n.failureSummary}]` : ""}`)
          .join("; ")}`,
    );
}
