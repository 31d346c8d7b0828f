/**
 * "The rules changed" on Home: the campaign's newest rules version (when it is not the first)
 * with what it changed, a link to its public document (its SHA-256 is the one the campaign's
 * contract logged) and to the transaction that made it take effect. Shown until the member
 * dismisses that version (remembered in this browser).
 */
import { Button, Cell, Section } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import type { CampaignVersions } from "../api/models.ts";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { explorerTx } from "../shared/format.ts";
import { changeText, seenKey } from "../shared/rulesChanges.ts";
import { ExplorerLink } from "./ExplorerLink.tsx";

function seenVersion(slug: string): number {
  try {
    return Number(globalThis.localStorage?.getItem(seenKey(slug)) ?? 0) || 0;
  } catch {
    return 0; // Storage refused (private mode): show it again next time.
  }
}

export function RulesChanged({ slug }: { slug: string }) {
  const { api, t, lang, config, platform } = useApp();
  const [seen, setSeen] = useState(() => seenVersion(slug));
  const versions = useResource(`versions:${slug}`, () =>
    api.get<CampaignVersions>(`/api/campaigns/${encodeURIComponent(slug)}/versions`),
  );
  const latest = versions.data?.items[0];
  if (!latest || latest.version <= 1 || latest.version <= seen || latest.changes.length === 0)
    return null;
  const date = latest.effectiveAt
    ? new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", {
        dateStyle: "long",
        timeZone: "UTC",
      }).format(new Date(latest.effectiveAt))
    : "";
  const dismiss = () => {
    try {
      globalThis.localStorage?.setItem(seenKey(slug), String(latest.version));
    } catch {
      // Not remembered: the card comes back on the next visit.
    }
    setSeen(latest.version);
  };
  const document = latest.rulesUrl ?? latest.documentUrl;
  return (
    <Section
      header={t("rules.changed", { version: latest.version, date })}
      data-section="rules-changed"
      footer={
        <Section.Footer className="rules-proof">
          <a
            href={document}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(e) => {
              e.preventDefault();
              platform.openLink(document);
            }}
          >
            {t("rules.document")}
          </a>
          {latest.txHash ? (
            <>
              {" · "}
              {t("rules.onChain")}{" "}
              <ExplorerLink
                value={latest.txHash}
                link={explorerTx(config.chain.explorerUrl, latest.txHash)}
              />
            </>
          ) : null}
        </Section.Footer>
      }
    >
      {latest.changes.map((c) => (
        <Cell multiline key={`${c.subject}:${c.level ?? ""}:${c.token ?? ""}:${c.name?.en ?? ""}`}>
          <span data-testid="rules-change">{changeText(c, lang, t)}</span>
        </Cell>
      ))}
      <Cell
        after={
          <Button size="s" mode="bezeled" onClick={dismiss} data-testid="rules-dismiss">
            {t("rules.dismiss")}
          </Button>
        }
      />
    </Section>
  );
}
