/**
 * The campaign switcher: shown only to members with several campaigns (a community can run a
 * standing program and a launch push at once). Every screen shows the chosen campaign's data.
 * A native select: no library, a few hundred bytes in the member's bundle; its texts are
 * `home.` keys, which ship with the first screen (i18n/shell.ts on main).
 */
import { useApp } from "../context.ts";

export function CampaignSwitcher() {
  const { profile, t, lang, selectCampaign, platform } = useApp();
  if (!profile || profile.campaigns.length < 2) return null;
  return (
    <label className="campaign-switcher" data-section="campaign-switcher">
      <span>{t("home.campaignSwitch")}</span>
      <select
        value={profile.campaign.slug}
        onChange={(e) => {
          platform.haptic("select");
          selectCampaign(e.target.value);
        }}
      >
        {profile.campaigns.map((c) => (
          <option key={c.slug} value={c.slug}>
            {c.name[lang]}
            {c.active ? "" : ` (${t("home.campaignInactive")})`}
          </option>
        ))}
      </select>
    </label>
  );
}
