/**
 * The web component: the member dashboard on the API's origin.
 *
 * - Serves the dashboard: the production build (miniapp/dist) with a strict CSP, or in
 *   development Vite's dev middleware with hot reload. Either way index.html carries the
 *   runtime config (mode, bot, public RPC, explorer).
 * - Website mode: `POST /api/web/login` exchanges a login-link token from the bot for a
 *   session cookie, `POST /api/web/logout` ends it, and the cookie authenticates member API
 *   requests (an {@link AuthResolver} beside Telegram init data), with an Origin check
 *   against cross-site requests.
 * - `GET /api/me/network`: the member's referrals by level for the Referrals screen.
 * - Development only: signed init data for the mocked Telegram environment and a demo login.
 */

import {
  RUNTIME_CONFIG_PLACEHOLDER,
  type RuntimeConfig,
  runtimeConfigElement,
} from "../../miniapp/src/shared/runtimeConfig.ts";
import type { ComponentFactory } from "../component.ts";
import { ensureMember } from "../domain/members.ts";
import { issueLoginToken, loginLink } from "../domain/webLogin.ts";
import { loadWebSettings } from "./config.ts";
import { contentSecurityPolicy, type PageSecurity, setPageHeaders } from "./csp.ts";
import { DEMO_USER, devRouter } from "./devtools.ts";
import { webRoutes } from "./routes.ts";
import { sessionResolver } from "./session.ts";
import { staticSite } from "./static.ts";
import { type ViteDev, viteDev } from "./vite.ts";

export const webComponent: ComponentFactory = async ({ config, logger, runtime, env, access }) => {
  const settings = loadWebSettings(config, env);
  const log = logger.child({ component: "web" });
  const domain = runtime.domain;

  const origins = new Set([settings.origin, new URL(config.http.publicUrl).origin]);
  const cookie = { secure: settings.secureCookie };
  const session = sessionResolver(domain, {
    ...cookie,
    origins,
    adminTelegramIds: config.admin.telegramIds,
  });
  const decimals = new Map<string, number>();
  for (const c of domain.campaigns.all())
    for (const t of c.definition.tokens) decimals.set(t.symbol, t.decimals);
  const api = webRoutes({
    domain,
    cookie,
    origins,
    resolvers: [access.tma, session],
    perMember: access.perMember,
    bodyLimitBytes: config.http.bodyLimitBytes,
    validateResponses: config.env === "test",
    decimals: (token) => decimals.get(token) ?? 18,
  });

  const runtimeConfig: RuntimeConfig = {
    mode: settings.mode,
    botUsername: config.telegram.botUsername,
    miniAppShortName: config.telegram.miniAppShortName,
    chain: {
      id: settings.chainId,
      name: settings.chainName,
      rpcUrl: settings.rpcUrl ?? null,
      explorerUrl: settings.explorerUrl ?? null,
    },
    walletConnectProjectId: settings.walletConnectProjectId ?? null,
  };
  const render = (template: string) =>
    template.replace(RUNTIME_CONFIG_PLACEHOLDER, runtimeConfigElement(runtimeConfig));
  const security: PageSecurity = {
    mode: settings.mode,
    rpcUrl: settings.rpcUrl,
    walletConnect: settings.walletConnectProjectId !== undefined,
    dev: settings.vite,
  };
  const csp = contentSecurityPolicy(security);
  const headers = (res: Parameters<typeof setPageHeaders>[0]) => setPageHeaders(res, csp, security);

  const routers = [{ path: "/", router: api.router }];
  if (settings.devTools) {
    routers.push({
      path: "/",
      router: devRouter({
        domain,
        botToken: config.telegram.botToken,
        dashboardUrl: config.dashboard.url,
      }),
    });
  }
  let vite: ViteDev | undefined;
  if (settings.vite) {
    vite = viteDev({ render, headers });
    routers.push({ path: "/", router: vite.router });
  } else {
    const site = staticSite({ distDir: settings.distDir, render, headers });
    if (site) routers.push({ path: "/", router: site });
    else
      log.warn(
        { distDir: settings.distDir },
        "no dashboard build: run `npm run build:miniapp` to serve the dashboard (the API runs without it)",
      );
  }
  if (!settings.rpcUrl)
    log.warn("no DASHBOARD_RPC_URL or RPC_URL: the dashboard cannot show on-chain balances");

  let banner: string[] = [];
  return {
    name: "web",
    routers,
    authResolvers: [session],
    routeDocs: api.table.docs,
    async start({ server }) {
      await vite?.start(server);
      const base = config.dashboard.url;
      banner = [`dashboard (${settings.mode} mode, ${vite ? "Vite, hot reload" : "built"})`];
      if (!settings.devTools) {
        banner.push(`  website   ${base}/`);
        return;
      }
      // A fresh single-use link for the demo member, as the bot's /login would send it.
      const { member } = await ensureMember(domain, {
        id: DEMO_USER.id,
        firstName: DEMO_USER.first_name,
        username: DEMO_USER.username,
        languageCode: DEMO_USER.language_code,
      });
      const { token } = await issueLoginToken(domain, member.id);
      banner.push(
        `  Mini App  ${base}/?tgWebAppMock=1   (mocked Telegram, init data signed by this server; add &lang=ru&theme=dark)`,
        `  website   ${loginLink(base, token)}   (single use, 10 minutes; a new one: ${base}/__dev/login)`,
      );
    },
    async stop() {
      await vite?.stop();
    },
    banner: () => banner,
  };
};
