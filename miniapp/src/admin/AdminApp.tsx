/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The admin console under `/admin` (website mode only; its own lazy chunk, so members never
 * download it). Entered by the single-use link the bot's `/admin` sends (`/admin#token=…`),
 * which opens an admin session. What it shows comes from the caller's roles
 * (`GET /api/admin/console/campaigns`): sections without a permission anywhere are hidden,
 * and the API refuses them anyway.
 */

import type { Lang, Params } from "../i18n/translate.ts";
import type { TelegramLaunch } from "../platform.ts";
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import { AuditScreen } from "./Audit.tsx";
import {
  type AdminAction,
  type AdminApi,
  ApiError,
  adminApi,
  type ConsoleCampaigns,
  canSomewhere,
} from "./api.ts";
import { BroadcastScreen } from "./Broadcast.tsx";
import { CampaignsScreen } from "./Campaigns.tsx";
import { ExperimentsScreen } from "./Experiments.tsx";
import { INTEGRATION_ACTIONS, IntegrationsScreen } from "./Integrations.tsx";
import { MembersScreen } from "./Members.tsx";
import { OverviewScreen } from "./Overview.tsx";
import { ReviewScreen } from "./Review.tsx";
import { AppRoot, R, useLatest } from "./react.ts";
import "./admin.css";
import { adminText, pickAdminLanguage } from "./texts.ts";

export const SECTIONS = [
  "overview",
  "campaigns",
  "review",
  "members",
  "broadcast",
  "experiments",
  "integrations",
  "audit",
] as const;
export type Section = (typeof SECTIONS)[number];

/** What each section needs somewhere, any one of (the API checks it again per campaign). */
const NEEDS: Record<Section, readonly AdminAction[]> = {
  overview: ["campaign.view"],
  campaigns: ["campaign.view"],
  review: ["review.read"],
  members: ["member.read"],
  broadcast: ["broadcast.send"],
  experiments: ["analytics.read"],
  integrations: INTEGRATION_ACTIONS,
  audit: ["audit.read"],
};

export interface ConsoleEnv {
  api: AdminApi;
  lang: Lang;
  t: (key: string, params?: Params) => string;
  problem: (error: unknown) => string;
  campaigns: ConsoleCampaigns;
  explorer: string | null;
  /** Path under /admin, e.g. `members/12`. */
  path: string;
  go: (path: string) => void;
  openReviews: number;
  refreshBadge: () => void;
}

// Made on first use: React is handed over (react.ts) after this module has loaded.
let context: import("react").Context<ConsoleEnv | null> | undefined;
const consoleContext = () => {
  context ??= R.createContext<ConsoleEnv | null>(null);
  return context;
};
export function useConsole(): ConsoleEnv {
  const env = R.useContext(consoleContext());
  if (!env) throw new Error("outside the console");
  return env;
}

const LANG_KEY = "refmint:admin:lang";

/** The path under /admin (`members/12`). */
const readPath = () => location.pathname.replace(/^\/admin\/?/, "").replace(/\/+$/, "");

function usePath(): [string, (p: string) => void] {
  const read = readPath;
  const [path, setPath] = R.useState(read);
  R.useEffect(() => {
    const onPop = () => setPath(read());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const go = R.useCallback((p: string) => {
    history.pushState(null, "", p === "" ? "/admin" : `/admin/${p}`);
    setPath(p);
    window.scrollTo(0, 0);
  }, []);
  return [path, go];
}

function useDark(): boolean {
  const [dark, setDark] = R.useState(() => matchMedia("(prefers-color-scheme: dark)").matches);
  R.useEffect(() => {
    const m = matchMedia("(prefers-color-scheme: dark)");
    const on = () => setDark(m.matches);
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, []);
  return dark;
}

function takeToken(): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  // Never leave a login token in the address bar, history or a screenshot.
  if (token !== null) history.replaceState(null, "", location.pathname);
  return token;
}

type Session =
  | { kind: "loading" }
  | { kind: "out"; error?: ApiError }
  | { kind: "not-admin" }
  | { kind: "in"; campaigns: ConsoleCampaigns };

export default function AdminApp(props: {
  config: RuntimeConfig;
  telegram: TelegramLaunch | null;
}) {
  const { config, telegram } = props;
  const dark = useDark();
  const [lang, setLang] = R.useState<Lang>(() =>
    pickAdminLanguage(localStorage.getItem(LANG_KEY), navigator.language),
  );
  R.useEffect(() => {
    document.documentElement.lang = lang;
    document.title = adminText(lang, "admin.title");
  }, [lang]);
  const t = R.useCallback((key: string, params?: Params) => adminText(lang, key, params), [lang]);
  const [session, setSession] = R.useState<Session>({ kind: "loading" });
  const api = R.useMemo(() => adminApi(() => setSession({ kind: "out" })), []);
  const [path, go] = usePath();
  const [openReviews, setOpenReviews] = R.useState(0);

  const load = R.useCallback(async () => {
    try {
      const campaigns = await api.get<ConsoleCampaigns>("/api/admin/console/campaigns");
      setSession({ kind: "in", campaigns });
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) setSession({ kind: "not-admin" });
      else if (error instanceof ApiError && error.status === 401) setSession({ kind: "out" });
      else setSession({ kind: "out", error: error as ApiError });
    }
  }, [api]);

  R.useEffect(() => {
    if (telegram) return;
    const token = takeToken();
    if (token === null) {
      void load();
      return;
    }
    api.send("POST", "/api/web/login", { token }).then(
      () => load(),
      (error: unknown) => setSession({ kind: "out", error: error as ApiError }),
    );
  }, [api, load, telegram]);

  // Asked by the timer and after each review decision: the count shown is the last asked for.
  const latestBadge = useLatest();
  const refreshBadge = R.useCallback(() => {
    void latestBadge(
      (signal) => api.get<{ openReviews: number }>("/api/admin/console/badges", signal),
      (b) => setOpenReviews(b.openReviews),
      () => {},
    );
  }, [api, latestBadge]);
  R.useEffect(() => {
    if (session.kind !== "in") return;
    refreshBadge();
    const timer = setInterval(refreshBadge, 30_000);
    return () => clearInterval(timer);
  }, [session.kind, refreshBadge]);

  const problem = R.useCallback(
    (error: unknown) => {
      const code = error instanceof ApiError ? error.code : "unknown";
      const text = t(`admin.problem.${code}`);
      return text === `admin.problem.${code}` ? t("admin.problem.unknown") : text;
    },
    [t],
  );
  const switchLang = () => {
    const next: Lang = lang === "en" ? "ru" : "en";
    localStorage.setItem(LANG_KEY, next);
    setLang(next);
  };

  let body: import("react").ReactNode;
  if (telegram) {
    body = (
      <Notice title={t("admin.miniapp.title")} text={t("admin.miniapp.text")} data="miniapp" />
    );
  } else if (session.kind === "loading") {
    body = <p className="admin-state">{t("admin.loading")}</p>;
  } else if (session.kind === "out") {
    body = (
      <Notice
        title={t("admin.login.title")}
        text={t("admin.login.text", { bot: config.botUsername })}
        error={session.error ? problem(session.error) : undefined}
        data="login"
      />
    );
  } else if (session.kind === "not-admin") {
    body = <Notice title={t("admin.login.title")} text={t("admin.notAdmin")} data="not-admin" />;
  } else {
    const env: ConsoleEnv = {
      api,
      lang,
      t,
      problem,
      campaigns: session.campaigns,
      explorer: config.chain.explorerUrl,
      path,
      go,
      openReviews,
      refreshBadge,
    };
    const Provider = consoleContext().Provider;
    body = (
      <Provider value={env}>
        <Console
          onLogout={async () => {
            await api.send("POST", "/api/web/logout").catch(() => {});
            setSession({ kind: "out" });
          }}
        />
      </Provider>
    );
  }
  return (
    <AppRoot
      appearance={dark ? "dark" : "light"}
      platform="base"
      className="admin"
      data-lang={lang}
    >
      <header className="admin-header">
        <strong className="admin-brand">{t("admin.title")}</strong>
        <button type="button" className="admin-link" onClick={switchLang} data-action="lang">
          {t("admin.lang")}
        </button>
      </header>
      {body}
    </AppRoot>
  );
}

function Notice(p: { title: string; text: string; error?: string; data: string }) {
  return (
    <main className="admin-main admin-notice" data-screen={p.data}>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      {p.error ? (
        <p className="admin-error" role="alert">
          {p.error}
        </p>
      ) : null}
    </main>
  );
}

function Console({ onLogout }: { onLogout: () => void }) {
  const env = useConsole();
  const { t, campaigns, path, go, openReviews } = env;
  const allowed = SECTIONS.filter((s) => NEEDS[s].some((a) => canSomewhere(campaigns, a)));
  const first = path.split("/")[0] ?? "";
  const section: Section = (allowed as readonly string[]).includes(first)
    ? (first as Section)
    : "overview";
  return (
    <>
      <nav className="admin-nav" aria-label={t("admin.nav.label")}>
        {allowed.map((s) => (
          <a
            key={s}
            href={`/admin/${s}`}
            data-nav={s}
            aria-current={s === section ? "page" : undefined}
            onClick={(e) => {
              e.preventDefault();
              go(s);
            }}
          >
            {t(`admin.nav.${s}`)}
            {s === "review" && openReviews > 0 ? (
              <span className="admin-badge" data-badge="review">
                {openReviews}
              </span>
            ) : null}
          </a>
        ))}
        <button type="button" className="admin-link" onClick={onLogout}>
          {t("admin.logout")}
        </button>
      </nav>
      <main className="admin-main" data-screen={section}>
        <h1>{t(`admin.nav.${section}`)}</h1>
        {section === "campaigns" ? (
          <CampaignsScreen />
        ) : section === "review" ? (
          <ReviewScreen />
        ) : section === "members" ? (
          <MembersScreen />
        ) : section === "audit" ? (
          <AuditScreen />
        ) : section === "broadcast" ? (
          <BroadcastScreen />
        ) : section === "experiments" ? (
          <ExperimentsScreen />
        ) : section === "integrations" ? (
          <IntegrationsScreen />
        ) : (
          <OverviewScreen />
        )}
      </main>
    </>
  );
}

export { share } from "./react.ts";
