/**
 * What a badge looks like to wallets and marketplaces: the ERC-1155 metadata JSON served at the
 * URI `Badges.uri(id)` returns (`<PUBLIC_URL>/badges/<campaign>/<id>.json`, set by the deploy
 * and `campaign:version`) and its image, an SVG generated from the badge and its campaign (a
 * colour derived from both, an emblem for its kind, its name). Pure: the same badge always
 * gives the same bytes, so the responses can be cached.
 */
import { createHash } from "node:crypto";
import type { Campaign } from "./registry.ts";

type BadgeDef = Campaign["definition"]["badges"][number];

export interface BadgeInfo {
  badge: BadgeDef;
  /** The tier that carries it, if it is a tier badge. */
  tier?: Campaign["definition"]["tiers"][number];
}

export function badgeInfo(campaign: Campaign, id: number): BadgeInfo | undefined {
  const badge = campaign.definition.badges.find((b) => b.id === id);
  if (!badge) return undefined;
  return { badge, tier: campaign.definition.tiers.find((t) => t.badgeId === id) };
}

const ACHIEVEMENT_TEXT: Record<string, string> = {
  first_invite: "Invited a first friend",
  qualified_10: "10 friends qualified",
  streak_7: "Checked in 7 days in a row",
  first_perk: "Redeemed a first perk",
};

/** The ERC-1155 metadata document of a badge. */
export function badgeMetadata(campaign: Campaign, info: BadgeInfo, publicUrl: string) {
  const { badge, tier } = info;
  const base = publicUrl.replace(/\/$/, "");
  const kind = tier ? "tier" : (badge.achievement ?? "award");
  const what = tier
    ? `Reached the ${tier.name.en} tier`
    : (ACHIEVEMENT_TEXT[badge.achievement ?? ""] ?? "Awarded");
  return {
    name: badge.name.en,
    description: `${what} in ${campaign.definition.name.en}. ${badge.transferable ? "Transferable." : "Soulbound: it stays with the wallet it was given to."}`,
    image: `${base}/badges/${campaign.slug}/${badge.id}.svg`,
    external_url: `${base}/`,
    attributes: [
      { trait_type: "Campaign", value: campaign.definition.name.en },
      { trait_type: "Kind", value: kind },
      { trait_type: "Soulbound", value: badge.transferable ? "no" : "yes" },
    ],
    localization: { default: "en", locales: ["en", "ru"] },
    properties: { name_ru: badge.name.ru, campaign: campaign.slug },
  };
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );

/** The badge's image: a medal in a colour of its own, with its emblem and name. */
export function badgeSvg(campaign: Campaign, info: BadgeInfo): string {
  const { badge, tier } = info;
  const digest = createHash("sha256").update(`${campaign.slug}:${badge.id}`).digest();
  const hue = tier
    ? // Tiers climb from bronze through silver to gold-like hues, in their order.
      [30, 210, 48, 280, 0][campaign.definition.tiers.indexOf(tier) % 5]!
    : digest[0]! % 360;
  const emblem = tier
    ? "M100 52l12 25 27 4-20 19 5 27-24-13-24 13 5-27-20-19 27-4z"
    : badge.achievement === "streak_7"
      ? "M100 48c14 20 26 32 26 52a26 26 0 0 1-52 0c0-12 6-22 14-30 0 10 4 16 10 18-4-16 0-28 2-40z"
      : badge.achievement === "first_perk"
        ? "M70 80h60v44H70zM66 66h68v14H66zM100 66v58"
        : "M100 50a18 18 0 1 1 0 36a18 18 0 1 1 0-36zM66 130c4-22 18-34 34-34s30 12 34 34z";
  const name = escapeXml(badge.name.en);
  const camp = escapeXml(campaign.definition.name.en);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 240" role="img" aria-label="${name}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 62%)"/><stop offset="1" stop-color="hsl(${hue} 65% 38%)"/></linearGradient></defs>
<rect width="200" height="240" rx="24" fill="#10151f"/>
<circle cx="100" cy="92" r="66" fill="url(#g)" stroke="hsl(${hue} 80% 80%)" stroke-width="4"/>
<path d="${emblem}" fill="#fff" fill-opacity="0.92" stroke="#fff" stroke-width="2" stroke-linejoin="round"/>
<text x="100" y="190" text-anchor="middle" font-family="system-ui,sans-serif" font-size="16" font-weight="700" fill="#fff">${name}</text>
<text x="100" y="214" text-anchor="middle" font-family="system-ui,sans-serif" font-size="11" fill="#c8d0dc">${camp}</text>
</svg>`;
}
