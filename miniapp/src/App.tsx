/**
 * The dashboard shell: picks the API credentials (Telegram init data or the website's
 * session cookie), loads the profile every screen shares, follows Telegram's (or the
 * member's) language and theme, and renders the current page with the tab bar. Pages other
 * than Home are loaded lazily.
 */
import { AppRoot, Tabbar } from "@telegram-apps/telegram-ui";
import {
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { ApiError, createApi } from "./api/client.ts";
import type { CampaignRules, Profile } from "./api/models.ts";
import { takePrefetched } from "./api/prefetch.ts";
import { initialCampaign, profilePath, rememberCampaign } from "./campaignChoice.ts";
import { CampaignSwitcher } from "./components/CampaignSwitcher.tsx";
import { HomeIcon, InviteIcon, PeopleIcon, RewardsIcon, WalletIcon } from "./components/Icons.tsx";
import { ErrorState, Loading } from "./components/States.tsx";
import { AppContext, type AppEnv, useApp } from "./context.ts";
import { useResource } from "./hooks.ts";
import { currentDictionaries, dictionariesReady, lazyScreen } from "./i18n/load.ts";
import { type Lang, pickLanguage, translate } from "./i18n/translate.ts";
import type { Platform, TelegramLaunch } from "./platform.ts";
import { PAGES, type Page, pathOf, TABS, type Tab, useRoute } from "./router.ts";
import { FatalError } from "./screens/FatalError.tsx";
import { Home } from "./screens/Home.tsx";
import type { RuntimeConfig } from "./shared/runtimeConfig.ts";
import { guardContrast } from "./theme/contrast.ts";

const Invite = lazyScreen(() => import("./screens/Invite.tsx"));
const Referrals = lazyScreen(() => import("./screens/Referrals.tsx"));
const Rewards = lazyScreen(() => import("./screens/Rewards.tsx"));
const Wallet = lazyScreen(() => import("./screens/Wallet.tsx"));
const Login = lazyScreen(() => import("./screens/Login.tsx"));
const Leaderboard = lazyScreen(() => import("./screens/Leaderboard.tsx"));
const Privacy = lazyScreen(() => import("./screens/Privacy.tsx"));
const Shop = lazyScreen(() => import("./screens/Shop.tsx"));
const Challenges = lazyScreen(() => import("./screens/Challenges.tsx"));
const Rules = lazyScreen(() => import("./screens/Rules.tsx"));

const TAB_ICONS: Record<Tab, () => ReactNode> = {
  home: HomeIcon,
  invite: InviteIcon,
  referrals: PeopleIcon,
  rewards: RewardsIcon,
  wallet: WalletIcon,
};

/** Codes that mean Telegram's launch data cannot be trusted: nothing else will work. */
const FATAL_TMA = new Set([
  "init_data_invalid",
  "init_data_expired",
  "init_data_from_future",
  "member_banned",
]);

function useEpoch(): [number, () => void] {
  const [epoch, setEpoch] = useState(0);
  const bump = useCallback(() => setEpoch((e) => e + 1), []);
  useEffect(() => {
    // Members switch to their wallet (or back to Telegram) and return: pick up what changed.
    const onVisible = () => {
      if (document.visibilityState === "visible") bump();
    };
    window.addEventListener("focus", bump);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("focus", bump);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [bump]);
  return [epoch, bump];
}

function useDark(platform: Platform): boolean {
  const [theme, setTheme] = useState(() => ({ dark: platform.isDark(), version: 0 }));
  useEffect(
    () =>
      platform.onThemeChange(() =>
        setTheme((t) => ({ dark: platform.isDark(), version: t.version + 1 })),
      ),
    [platform],
  );
  // After every palette change (Telegram may change it without changing light or dark), once
  // the new colours are on the page: lift text colours that fall short of 4.5:1.
  useLayoutEffect(() => {
    if (theme.version < 0) return; // (the dependency that re-runs it)
    const guard = () => {
      const root = document.querySelector<HTMLElement>(".app");
      if (root) guardContrast(root);
    };
    guard();
    const frame = requestAnimationFrame(guard);
    return () => cancelAnimationFrame(frame);
  }, [theme]);
  return theme.dark;
}

export function App(props: {
  config: RuntimeConfig;
  platform: Platform;
  telegram: TelegramLaunch | null;
}) {
  const { config, platform, telegram } = props;
  const [route, navigate] = useRoute();
  const [epoch, refresh] = useEpoch();
  const dark = useDark(platform);
  // The website learns it is logged out from a 401; "unknown" until the first answer.
  const [session, setSession] = useState<"unknown" | "in" | "out">(telegram ? "in" : "unknown");
  const api = useMemo(() => {
    const client = createApi(
      telegram ? { kind: "tma", initDataRaw: telegram.initDataRaw } : { kind: "cookie" },
    );
    if (!telegram) client.onUnauthorized = () => setSession("out");
    return client;
  }, [telegram]);

  const onLoginPage = !telegram && route === "login";
  const profileKey = onLoginPage || session === "out" ? null : "profile";
  const [profileState, setProfileState] = useState<{
    data?: Profile;
    error?: ApiError;
  }>({});
  const [campaign, setCampaign] = useState<CampaignRules | null>(null);
  // The campaign the member chose in the switcher; null: the server's current one.
  // A Mini App link `startapp=<code>__<slug>` opens on the campaign it invites to.
  const [chosen, setChosen] = useState<string | null>(() =>
    initialCampaign(telegram?.startParam ?? null),
  );
  const selectCampaign = useCallback((slug: string) => {
    rememberCampaign(slug);
    setChosen(slug);
  }, []);
  const [lang, setLang] = useState<Lang>(() => pickLanguage(platform.languageCode));
  // Home renders with the shell's messages; the rest arrive with the full dictionaries.
  const [dictionaries, setDictionaries] = useState(currentDictionaries);
  useEffect(() => {
    let live = true;
    void dictionariesReady.then((full) => live && setDictionaries(full));
    return () => {
      live = false;
    };
  }, []);
  // Screen readers and hyphenation follow the page's language, not only the app's texts.
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const env: AppEnv = useMemo(
    () => ({
      config,
      platform,
      api,
      lang,
      t: (key, params) => translate(dictionaries, lang, key, params),
      epoch,
      refresh,
      navigate,
      profile: profileState.data ?? null,
      campaign,
      selectCampaign,
      logout: telegram
        ? undefined
        : async () => {
            await api.post("/api/web/logout");
            setSession("out");
            setProfileState({});
          },
    }),
    [
      config,
      platform,
      api,
      lang,
      dictionaries,
      epoch,
      refresh,
      navigate,
      profileState.data,
      campaign,
      selectCampaign,
      telegram,
    ],
  );

  return (
    <AppContext.Provider value={env}>
      <AppRoot
        appearance={dark ? "dark" : "light"}
        platform={
          platform.clientPlatform === "ios" || platform.clientPlatform === "macos" ? "ios" : "base"
        }
        className="app"
        data-mode={platform.kind}
        data-lang={lang}
      >
        {onLoginPage || session === "out" ? (
          <Suspense fallback={<Loading />}>
            <Login
              onLoggedIn={() => {
                setSession("in");
                navigate("/");
                refresh();
              }}
            />
          </Suspense>
        ) : (
          <ProfileLoader
            key={profileKey ?? "none"}
            onProfile={(p) => {
              setProfileState({ data: p });
              setSession("in");
              if (!telegram) setLang(pickLanguage(p.member.languageCode, navigator.language));
            }}
            onError={(error) => {
              // A remembered campaign that is gone: back to the current one.
              if (error.code === "campaign_not_found" && chosen !== null) {
                rememberCampaign(null);
                setChosen(null);
                return;
              }
              setProfileState((s) => ({ ...s, error }));
            }}
            onCampaign={setCampaign}
            chosen={chosen}
            startParam={telegram?.startParam ?? null}
            route={route}
          >
            <Shell route={route} error={profileState.error} hasProfile={!!profileState.data} />
          </ProfileLoader>
        )}
      </AppRoot>
    </AppContext.Provider>
  );
}

/** Loads the profile (again on focus) and the campaign; records a start_param once. */
function ProfileLoader(props: {
  onProfile: (p: Profile) => void;
  onError: (e: ApiError) => void;
  onCampaign: (c: CampaignRules | null) => void;
  /** The campaign the switcher chose (null: the current one). */
  chosen: string | null;
  startParam: string | null;
  /** The current page: the shared profile (stats, wallet) is refreshed on every page change. */
  route: string;
  children: ReactNode;
}) {
  const { api } = useApp();
  const { chosen } = props;
  const profile = useResource(chosen === null ? "profile" : `profile:${chosen}`, () => {
    const path = profilePath(chosen);
    // The first load takes the request main.tsx started before the first render.
    return takePrefetched<Profile>(path) ?? api.get<Profile>(path);
  });
  const { route } = props;
  const reloadProfile = profile.reload;
  const seenRoute = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: route is the trigger
  useEffect(() => {
    if (seenRoute.current) reloadProfile();
    seenRoute.current = true;
  }, [route, reloadProfile]);
  const slug = profile.data?.campaign.slug ?? null;
  const campaign = useResource(slug, () =>
    api.get<CampaignRules>(`/api/campaigns/${encodeURIComponent(slug ?? "")}`),
  );
  // Callbacks through a ref: the effects below run on new data, not on every render.
  const handlers = useRef(props);
  handlers.current = props;
  useEffect(() => {
    if (profile.status === "ready") handlers.current.onProfile(profile.data);
    else if (profile.status === "error") handlers.current.onError(profile.error);
  }, [profile.status, profile.data, profile.error]);
  useEffect(() => {
    handlers.current.onCampaign(campaign.status === "ready" ? campaign.data : null);
  }, [campaign.status, campaign.data]);

  // A Mini App link (`startapp=<code>`) attributes like the bot's /start: once, server rules.
  const { startParam } = props;
  useEffect(() => {
    if (!startParam) return;
    const key = `refmint:attributed:${startParam}`;
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
    api.post("/api/me/attribution", {}).catch((error: unknown) => {
      // Already referred, own code, not new: the server's rules decided; nothing to show.
      if (!(error instanceof ApiError)) throw error;
    });
  }, [api, startParam]);
  return <>{props.children}</>;
}

function Shell({
  route,
  error,
  hasProfile,
}: {
  route: string;
  error?: ApiError;
  hasProfile: boolean;
}) {
  const env = useApp();
  const { t, platform, navigate } = env;
  const tab: Page = ([...TABS, ...PAGES] as readonly string[]).includes(route)
    ? (route as Page)
    : "home";

  const isTab = (TABS as readonly string[]).includes(tab);

  useEffect(() => {
    platform.setBackButton(tab === "home" ? null : () => navigate("/"));
  }, [platform, tab, navigate]);

  if (error && !hasProfile) {
    if (platform.kind === "telegram" && FATAL_TMA.has(error.code))
      return <FatalError error={error} />;
    return <ErrorState error={error} onRetry={env.refresh} />;
  }
  if (!hasProfile) return <Loading />;

  const page =
    tab === "home" ? (
      <Home />
    ) : tab === "invite" ? (
      <Invite />
    ) : tab === "referrals" ? (
      <Referrals />
    ) : tab === "rewards" ? (
      <Rewards />
    ) : tab === "top" ? (
      <Leaderboard />
    ) : tab === "privacy" ? (
      <Privacy />
    ) : tab === "shop" ? (
      <Shop />
    ) : tab === "challenges" ? (
      <Challenges />
    ) : tab === "rules" ? (
      <Rules />
    ) : (
      <Wallet />
    );
  return (
    <>
      <main
        className="screen"
        data-screen={tab}
        id="screen"
        aria-labelledby={isTab ? `tab-${tab}` : "screen-title"}
      >
        {/* Home's greeting is its heading; the other screens are named by their tab, and the
            pages reached from a screen (no tab of their own) by their title. */}
        {tab === "home" ? null : (
          <h1 className="screen-title" id="screen-title">
            {t(isTab ? `tab.${tab}` : `page.${tab}`)}
          </h1>
        )}
        <CampaignSwitcher />
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
      <Tabbar className="tabbar" role="tablist" aria-label={t("tab.label")}>
        {TABS.map((id) => {
          const Icon = TAB_ICONS[id];
          return (
            <Tabbar.Item
              key={id}
              id={`tab-${id}`}
              text={t(`tab.${id}`)}
              selected={id === tab}
              role="tab"
              aria-selected={id === tab}
              aria-controls="screen"
              onClick={() => {
                if (id !== tab) platform.haptic("select");
                navigate(pathOf(id));
              }}
            >
              <Icon />
            </Tabbar.Item>
          );
        })}
      </Tabbar>
    </>
  );
}

/** The campaign chosen on this device before (storage may be unavailable: then none). */
