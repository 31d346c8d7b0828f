/**
 * An ended campaign on Home: until when invitations made before the end still count, and the
 * clawback date (the final epoch's deadline) by which rewards must be claimed.
 */
import { Cell, Section } from "@telegram-apps/telegram-ui";
import type { CampaignLifecycle } from "../api/models.ts";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";

export function CampaignEnded({ slug }: { slug: string }) {
  const { api, t, lang } = useApp();
  const lifecycle = useResource(`lifecycle:${slug}`, () =>
    api.get<CampaignLifecycle>(`/api/campaigns/${encodeURIComponent(slug)}/lifecycle`),
  );
  const l = lifecycle.data;
  if (!l?.clawbackAt || !l.graceEndsAt) return null;
  const date = (iso: string) =>
    new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }).format(new Date(iso));
  return (
    <Section header={t("campaign.ended")} data-section="campaign-ended">
      <Cell multiline>{t("campaign.grace", { date: date(l.graceEndsAt) })}</Cell>
      <Cell multiline>
        <span data-testid="clawback-date">
          {t("campaign.claimBy", { date: date(l.clawbackAt) })}
        </span>
      </Cell>
    </Section>
  );
}
