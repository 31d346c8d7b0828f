/**
 * The dashboard's few pages as paths (so a refresh, a shared link or the browser's back
 * button land on the same page), with the History API; no router library needed.
 */
import { useCallback, useEffect, useState } from "react";

export const TABS = ["home", "invite", "referrals", "rewards", "wallet"] as const;
export type Tab = (typeof TABS)[number];
/** Pages reached from a screen rather than the tab bar (the back button returns home). */
export const PAGES = ["top", "privacy", "shop", "challenges", "rules"] as const;
export type Page = Tab | (typeof PAGES)[number];
export type Route = Page | "login";

export function routeOf(pathname: string): Route {
  const name = pathname.replace(/^\/+|\/+$/g, "").split("/")[0] ?? "";
  if (name === "" || name === "home") return "home";
  if (name === "login") return "login";
  if ((PAGES as readonly string[]).includes(name)) return name as Page;
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : "home";
}

export function pathOf(route: Route): string {
  return route === "home" ? "/" : `/${route}`;
}

export function useRoute(): [Route, (path: string) => void] {
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((path: string) => {
    if (path === location.pathname) return;
    history.pushState(null, "", path);
    setRoute(routeOf(path));
  }, []);
  return [route, navigate];
}
