/**
 * Terms and your data (a page of its own, loaded when opened): the campaign's terms with an
 * accept button (asked again for a new version), what its participation rules ask (country,
 * minimum age) or why the member is refused, the export of everything kept about them (a JSON
 * file) and the deletion of their personal data, after a confirmation that says what stays
 * on-chain.
 */
import { Button, Cell, List, Section, Text } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import type { Participation, TermsStatus } from "../api/models.ts";
import { ErrorState, SkeletonRows, Toast, useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useResource, useToast } from "../hooks.ts";

export default function Privacy() {
  const { api, t, lang, profile } = useApp();
  const problemText = useProblemText();
  const [toast, showToast, clearToast] = useToast();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [country, setCountry] = useState("");
  const slug = profile?.campaign.slug ?? null;
  const query = `?campaign=${encodeURIComponent(slug ?? "")}`;
  const terms = useResource(slug === null ? null : `terms:${slug}`, () =>
    api.get<TermsStatus>(`/api/me/terms${query}`),
  );
  const rules = useResource(slug === null ? null : `participation:${slug}`, () =>
    api.get<Participation>(`/api/me/participation${query}`),
  );
  if (!profile) return null;

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await action();
      if (done) showToast(done);
      terms.reload();
      rules.reload();
    } catch (error) {
      showToast(problemText(error as { code: string }));
    } finally {
      setBusy(false);
    }
  };

  const accept = (version: string) =>
    run(() => api.post("/api/me/terms", { campaign: slug, version }), t("privacy.termsAccepted"));
  const declare = (body: { country?: string; ageConfirmed?: number }) =>
    run(() => api.post("/api/me/participation", { campaign: slug, ...body }));

  const download = async () => {
    await run(async () => {
      const data = await api.get<{ member: { memberNumber: number } }>("/api/me/export");
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `refmint-data-${data.member.memberNumber}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }, t("privacy.exported"));
  };

  const erase = () =>
    run(async () => {
      await api.delete("/api/me", { confirm: true });
      setDeleted(true);
    });

  if (deleted)
    return (
      <List>
        <Section data-section="deleted">
          <Cell multiline>{t("privacy.deletedDone")}</Cell>
        </Section>
      </List>
    );

  const status = terms.data;
  const verdict = rules.data;
  return (
    <List>
      <div className="hero">
        <Text className="hint">{profile.campaign.name[lang]}</Text>
      </div>
      {terms.error ? <ErrorState error={terms.error} onRetry={terms.reload} /> : null}
      {!status ? (
        <SkeletonRows rows={2} />
      ) : status.required && status.text ? (
        <Section
          header={t("privacy.termsTitle", { version: status.version ?? "" })}
          data-section="terms"
        >
          <Cell multiline data-testid="terms-text">
            {status.text[lang]}
          </Cell>
          {status.url ? (
            <Cell>
              <a href={status.url} target="_blank" rel="noreferrer">
                {t("privacy.termsLink")}
              </a>
            </Cell>
          ) : null}
          <Cell
            multiline
            data-testid="terms-state"
            after={
              status.accepted ? null : (
                <Button
                  size="s"
                  data-testid="accept-terms"
                  disabled={busy}
                  onClick={() => void accept(status.version ?? "")}
                >
                  {t("privacy.accept")}
                </Button>
              )
            }
          >
            {status.accepted
              ? t("privacy.termsAcceptedOn", {
                  date: new Date(status.acceptedAt ?? Date.now()).toLocaleDateString(lang),
                })
              : t(status.previousVersion ? "privacy.termsChanged" : "privacy.termsAsk")}
          </Cell>
        </Section>
      ) : null}
      {verdict && (verdict.refused || verdict.missing.length > 0) ? (
        <Section header={t("privacy.participation")} data-section="participation">
          {verdict.refused ? (
            <Cell multiline data-testid="refused">
              {t(`problem.${verdict.refused}`)}
            </Cell>
          ) : null}
          {verdict.missing.includes("country_required") ? (
            <Cell
              multiline
              after={
                <Button
                  size="s"
                  data-testid="save-country"
                  disabled={busy || country.length !== 2}
                  onClick={() => void declare({ country })}
                >
                  {t("privacy.save")}
                </Button>
              }
            >
              <label htmlFor="privacy-country">{t("privacy.country")}</label>{" "}
              {verdict.countries ? (
                <select
                  id="privacy-country"
                  data-testid="country"
                  value={country}
                  onChange={(e) => setCountry(e.target.value)}
                >
                  <option value="">—</option>
                  {verdict.countries.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : null}
            </Cell>
          ) : null}
          {verdict.missing.includes("age_not_confirmed") && verdict.minAge !== null ? (
            <Cell
              multiline
              after={
                <Button
                  size="s"
                  data-testid="confirm-age"
                  disabled={busy}
                  onClick={() => void declare({ ageConfirmed: verdict.minAge ?? 0 })}
                >
                  {t("privacy.ageButton", { age: verdict.minAge })}
                </Button>
              }
            >
              {t("privacy.ageAsk", { age: verdict.minAge })}
            </Cell>
          ) : null}
        </Section>
      ) : null}
      <Section header={t("privacy.dataTitle")} data-section="data">
        <Cell
          multiline
          description={t("privacy.exportHint")}
          after={
            <Button
              size="s"
              mode="bezeled"
              data-testid="export"
              disabled={busy}
              onClick={() => void download()}
            >
              {t("privacy.export")}
            </Button>
          }
        >
          {t("privacy.exportTitle")}
        </Cell>
        <Cell
          multiline
          description={t("privacy.deleteHint")}
          after={
            confirming ? null : (
              <Button
                size="s"
                mode="gray"
                data-testid="delete"
                disabled={busy}
                onClick={() => setConfirming(true)}
              >
                {t("privacy.delete")}
              </Button>
            )
          }
        >
          {t("privacy.deleteTitle")}
        </Cell>
        {confirming ? (
          <Cell
            multiline
            data-testid="delete-confirm"
            after={
              <span className="row-buttons">
                <Button
                  size="s"
                  mode="gray"
                  data-testid="delete-yes"
                  disabled={busy}
                  onClick={() => void erase()}
                >
                  {t("privacy.deleteYes")}
                </Button>{" "}
                <Button size="s" mode="plain" onClick={() => setConfirming(false)}>
                  {t("privacy.cancel")}
                </Button>
              </span>
            }
          >
            {t("privacy.deleteConfirm")}
          </Cell>
        ) : null}
      </Section>
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}
