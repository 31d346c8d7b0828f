/**
 * Which campaign the app shows: the one a Mini App start parameter names (`<code>__<slug>`),
 * else the one the member last chose in the switcher (remembered in this browser), else the
 * server's current one. A small module of its own: main.tsx asks for the profile with it
 * before the rest of the app is evaluated (api/prefetch.ts).
 */
const CAMPAIGN_KEY = "refmint:campaign";

/** The campaign the app opens on: the one a start parameter names, else the remembered one. */
export function initialCampaign(startParam: string | null): string | null {
  return campaignOfStartParam(startParam) ?? readChosenCampaign();
}

/** The profile's API path for a chosen campaign (null: the server's current one). */
export function profilePath(chosen: string | null): string {
  return chosen === null ? "/api/me" : `/api/me?campaign=${encodeURIComponent(chosen)}`;
}

function readChosenCampaign(): string | null {
  try {
    return localStorage.getItem(CAMPAIGN_KEY);
  } catch {
    return null;
  }
}

export function rememberCampaign(slug: string | null): void {
  try {
    if (slug === null) localStorage.removeItem(CAMPAIGN_KEY);
    else localStorage.setItem(CAMPAIGN_KEY, slug);
  } catch {
    // Private mode and the like: the choice lasts for this visit only.
  }
}

/** The slug a `<code>__<slug>` start parameter names (the server checks that it exists). */
function campaignOfStartParam(param: string | null): string | null {
  const at = param?.lastIndexOf("__") ?? -1;
  return param && at > 0 ? param.slice(at + 2).toLowerCase() || null : null;
}
