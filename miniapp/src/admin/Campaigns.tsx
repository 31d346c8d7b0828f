/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/** Campaigns: the ones the admin may see, with state, dates, their roles and links. */

import { useConsole } from "./AdminApp.tsx";
// biome-ignore lint/correctness/noUnusedImports: the JSX pragma above compiles to R.createElement
import { R } from "./react.ts";

export function CampaignsScreen() {
  const { t, campaigns, lang, go } = useConsole();
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "medium" });
  if (campaigns.items.length === 0) return <p>{t("admin.none")}</p>;
  return (
    <ul className="admin-cards">
      {campaigns.items.map((c) => (
        <li key={c.slug} className="admin-card" data-campaign={c.slug}>
          <div className="admin-card-head">
            <strong>{c.name[lang] ?? c.name.en ?? c.slug}</strong>
            <span className={`admin-state-tag admin-state-${c.state}`} data-state={c.state}>
              {t(`admin.state.${c.state}`)}
            </span>
          </div>
          <div className="admin-muted">
            <code>{c.slug}</code> · {date(c.startsAt)}
            {c.endsAt ? ` – ${date(c.endsAt)}` : ""}
          </div>
          <div>
            {t("admin.campaigns.roles")}:{" "}
            {campaigns.superAdmin
              ? t("admin.super")
              : c.roles.map((r) => t(`admin.role.${r}`)).join(", ")}
          </div>
          <div className="admin-row">
            {c.actions.includes("review.read") ? (
              <button type="button" className="admin-link" onClick={() => go("review")}>
                {t("admin.campaigns.review")}
              </button>
            ) : null}
            {c.actions.includes("audit.read") ? (
              <button type="button" className="admin-link" onClick={() => go("audit")}>
                {t("admin.campaigns.audit")}
              </button>
            ) : null}
            <a className="admin-link" href={`/api/campaigns/${c.slug}`}>
              {t("admin.campaigns.link")}
            </a>
          </div>
        </li>
      ))}
    </ul>
  );
}
