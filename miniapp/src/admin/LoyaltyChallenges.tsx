/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/** The Loyalty screen's Challenges tab: the campaign's challenges with their completion counts. */

import { useConsole } from "./AdminApp.tsx";
import { Messages } from "./CampaignTabs.tsx";
import { count, tokens } from "./format.ts";
import { type Challenges, useFailure } from "./loyaltyKit.tsx";
import { R, useLatest } from "./react.ts";

export function ChallengesPanel({ slug }: { slug: string }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const [data, setData] = R.useState<Challenges | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) =>
          api.get<Challenges>(
            `/api/admin/campaigns/${encodeURIComponent(slug)}/challenges`,
            signal,
          ),
        (d) => {
          setData(d);
          setError(null);
        },
        (e) => setError(failure(e)),
      ),
    [latest, api, slug, failure],
  );
  R.useEffect(() => {
    void load();
  }, [load]);
  const how = (c: Challenges["items"][number]) => {
    if (c.kind === "join_chat" && c.target)
      return t("admin.loy.ch.kind.join_chat_days", { count: c.target });
    if (c.kind === "invite") return t("admin.loy.ch.kind.invite", { count: c.target ?? 1 });
    if (c.kind === "checkin" && c.target)
      return t("admin.loy.ch.kind.checkin_streak", { count: c.target });
    if (c.kind === "partner_event")
      return t("admin.loy.ch.kind.partner_event", { event: c.partnerEvent ?? "" });
    return t(`admin.loy.ch.kind.${c.kind}`);
  };
  return (
    <>
      <p className="admin-muted">{t("admin.loy.ch.intro")}</p>
      <div className="admin-row">
        <button
          type="button"
          className="admin-link"
          data-action="challenges-refresh"
          onClick={() => void load()}
        >
          {t("admin.loy.refresh")}
        </button>
      </div>
      <Messages error={error} note={null} />
      {data === null ? (
        error ? null : (
          <p className="admin-muted">{t("admin.loading")}</p>
        )
      ) : data.items.length === 0 ? (
        <p className="admin-muted">{t("admin.loy.ch.none")}</p>
      ) : (
        <section
          className="admin-table-wrap"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls in its frame, which the keyboard must reach
          tabIndex={0}
          aria-label={t("admin.loy.tab.challenges")}
        >
          <table className="admin-table admin-results-table" data-list="challenges">
            <thead>
              <tr>
                <th scope="col">{t("admin.loy.ch.challenge")}</th>
                <th scope="col">{t("admin.loy.ch.reward")}</th>
                <th scope="col">{t("admin.loy.ch.completions")}</th>
                <th scope="col">{t("admin.loy.ch.revoked")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id} data-challenge={c.id}>
                  <th scope="row">
                    {c.title[lang] || c.title.en}
                    <div className="admin-muted">
                      <code>{c.id}</code> · {how(c)}
                      {c.repeat === "day" ? ` · ${t("admin.loy.ch.daily")}` : ""}
                    </div>
                  </th>
                  <td>
                    {tokens(lang, c.reward.tokens)} {c.token}
                  </td>
                  <td data-field="completions" data-count={c.completions}>
                    {c.repeat === "day"
                      ? t("admin.loy.ch.checkins", { count: c.completions })
                      : count(lang, c.completions)}
                  </td>
                  <td data-field="revoked" data-count={c.revoked}>
                    {count(lang, c.revoked)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
