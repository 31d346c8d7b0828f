/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The Loyalty screen's Surveys and votes tab: the campaign's surveys with their state, a new
 * one (questions, a vote's options with budgets, segment, reward, closing time), closing one,
 * and its results per option and per segment.
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import type { ApiBody } from "./api.ts";
import { Field, Messages } from "./CampaignTabs.tsx";
import { count, moment, percent, tokens } from "./format.ts";
import {
  AMOUNT,
  drop,
  fromLocalInput,
  type NewSurvey,
  ReadOnly,
  type Results,
  SEGMENTS,
  type Segment,
  type Survey,
  useFailure,
  useRules,
} from "./loyaltyKit.tsx";
import { R, useLatest } from "./react.ts";

interface QuestionDraft {
  text: string;
  kind: "choice" | "text";
  options: Array<{ text: string; budget: string }>;
}
const blankOption = () => ({ text: "", budget: "" });
const blankQuestion = (): QuestionDraft => ({
  text: "",
  kind: "choice",
  options: [blankOption(), blankOption()],
});

export function SurveysPanel(p: { slug: string; canManage: boolean }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const [items, setItems] = R.useState<Survey[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [confirming, setConfirming] = R.useState<number | null>(null);
  const [shown, setShown] = R.useState<{
    id: number;
    data: Results | null;
    error: string | null;
  } | null>(null);
  const latestList = useLatest();
  const latestResults = useLatest();

  const load = R.useCallback(
    () =>
      latestList(
        (signal) =>
          api.get<ApiBody<"listSurveys", 200>>(
            `/api/admin/surveys?campaign=${encodeURIComponent(p.slug)}`,
            signal,
          ),
        setItems,
        (e) => setError(failure(e)),
      ),
    [latestList, api, p.slug, failure],
  );
  R.useEffect(() => {
    void load();
  }, [load]);

  /** One survey's results; only the latest one asked for is shown. */
  const showResults = (id: number) => {
    setShown({ id, data: null, error: null });
    return latestResults(
      (signal) => api.get<Results>(`/api/admin/surveys/${id}/results`, signal),
      (data) => setShown({ id, data, error: null }),
      (e) => setShown({ id, data: null, error: failure(e) }),
    );
  };
  const hideResults = () => {
    void drop(latestResults);
    setShown(null);
  };
  const close = async (s: Survey) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await api.send<ApiBody<"closeSurvey", 200>>("POST", `/api/admin/surveys/${s.id}/close`);
      setConfirming(null);
      setNote(t("admin.loy.surveys.closedDone", { title: s.title }));
      await load();
      if (shown?.id === s.id) void showResults(s.id);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="admin-muted">{t("admin.loy.surveys.intro")}</p>
      {p.canManage ? (
        <NewSurveyForm
          slug={p.slug}
          onCreated={async (s) => {
            setError(null);
            setNote(t("admin.loy.surveys.created", { title: s.title, id: s.id }));
            await load();
          }}
        />
      ) : (
        <ReadOnly />
      )}
      <Messages error={error} note={note} />
      {items === null ? (
        error ? null : (
          <p className="admin-muted">{t("admin.loading")}</p>
        )
      ) : items.length === 0 ? (
        <p className="admin-muted">{t("admin.loy.surveys.none")}</p>
      ) : (
        <ul className="admin-cards admin-loy-list" data-list="surveys">
          {[...items].reverse().map((s) => (
            <li key={s.id} className="admin-card" data-survey={s.id} data-status={s.status}>
              <div className="admin-card-head">
                <strong>{s.title}</strong>
                <span
                  className={`admin-state-tag ${s.status === "open" ? "admin-state-active" : "admin-state-ended"}`}
                >
                  {t(`admin.loy.surveys.state.${s.status}`)}
                </span>
              </div>
              <div className="admin-muted">
                #{s.id} · {t(`admin.loy.surveys.kind.${s.kind}`)} ·{" "}
                {t(`admin.loy.segment.${s.segment}`)} ·{" "}
                {t("admin.loy.surveys.questions", { count: s.questions.length })}
                {s.reward
                  ? ` · ${t("admin.loy.surveys.rewardOf", { amount: tokens(lang, s.reward.amount.tokens), token: s.reward.token })}`
                  : ""}
              </div>
              <dl className="admin-facts">
                <dt>{t("admin.loy.surveys.createdAt")}</dt>
                <dd>{moment(lang, s.createdAt)}</dd>
                {s.closedAt ? (
                  <>
                    <dt>{t("admin.loy.surveys.closedAt")}</dt>
                    <dd>{moment(lang, s.closedAt)}</dd>
                  </>
                ) : s.closesAt ? (
                  <>
                    <dt>{t("admin.loy.surveys.closes")}</dt>
                    <dd>{moment(lang, s.closesAt)}</dd>
                  </>
                ) : null}
              </dl>
              {s.status === "open" && p.canManage ? (
                <p className="admin-muted" data-send-hint>
                  {t("admin.loy.surveys.send", { id: s.id })}
                </p>
              ) : null}
              {confirming === s.id ? (
                <div className="admin-confirm" data-confirm>
                  <p>{t("admin.loy.surveys.confirmClose", { title: s.title })}</p>
                  <div className="admin-row">
                    <button
                      type="button"
                      className="admin-button admin-danger"
                      data-action="confirm"
                      disabled={busy}
                      onClick={() => void close(s)}
                    >
                      {t("admin.loy.surveys.close")}
                    </button>
                    <button
                      type="button"
                      className="admin-link"
                      data-action="cancel"
                      onClick={() => setConfirming(null)}
                    >
                      {t("admin.loy.cancel")}
                    </button>
                  </div>
                </div>
              ) : (
                <div className="admin-row">
                  {shown?.id === s.id ? (
                    <button
                      type="button"
                      className="admin-link"
                      data-action="survey-hide-results"
                      onClick={hideResults}
                    >
                      {t("admin.loy.surveys.hideResults")}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="admin-button"
                      data-action="survey-results"
                      onClick={() => void showResults(s.id)}
                    >
                      {t("admin.loy.surveys.results")}
                    </button>
                  )}
                  {s.status === "open" && p.canManage ? (
                    <button
                      type="button"
                      className="admin-button admin-danger"
                      data-action="survey-close"
                      onClick={() => setConfirming(s.id)}
                    >
                      {t("admin.loy.surveys.close")}
                    </button>
                  ) : null}
                </div>
              )}
              {shown?.id === s.id ? (
                shown.data ? (
                  <SurveyResults results={shown.data} />
                ) : shown.error ? (
                  <p className="admin-error" role="alert">
                    {shown.error}
                  </p>
                ) : (
                  <p className="admin-muted">{t("admin.loading")}</p>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Per question: each option's count overall and per segment (with its respondents). */
function SurveyResults({ results }: { results: Results }) {
  const { t, lang } = useConsole();
  return (
    <div className="admin-results" data-results={results.survey.id}>
      <p data-results-summary>
        {t("admin.loy.results.summary", {
          delivered: count(lang, results.delivered),
          respondents: count(lang, results.respondents),
        })}
      </p>
      {results.questions.map((q, qi) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a survey's questions never change order
        <div key={qi} data-question={qi}>
          <h3>
            {q.text}{" "}
            <span className="admin-muted">
              {t("admin.loy.results.answers", { count: q.answers })}
            </span>
          </h3>
          {q.kind === "choice" ? (
            <section
              className="admin-table-wrap"
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls in its frame, which the keyboard must reach
              tabIndex={0}
              aria-label={q.text}
            >
              <table className="admin-table admin-results-table">
                <thead>
                  <tr>
                    <th scope="col">{t("admin.loy.results.option")}</th>
                    {SEGMENTS.map((seg) => (
                      <th key={seg} scope="col" data-seg-head={seg}>
                        {t("admin.loy.results.segmentHead", {
                          segment: t(`admin.loy.segment.${seg}`),
                          count: count(lang, results.segments[seg]?.respondents ?? 0),
                        })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {q.options.map((o, oi) => {
                    const share = q.answers > 0 ? o.count / q.answers : 0;
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: nor do their options
                      <tr key={oi} data-option={`${qi}-${oi}`}>
                        <th scope="row">
                          {o.text}
                          {o.budget ? (
                            <div className="admin-muted">
                              {t("admin.loy.results.budget", { budget: tokens(lang, o.budget) })}
                            </div>
                          ) : null}
                        </th>
                        {SEGMENTS.map((seg) => {
                          const n = results.segments[seg]?.counts[qi]?.[oi] ?? 0;
                          return (
                            <td key={seg} data-seg={seg} data-count={n}>
                              {count(lang, n)}
                              {seg === "all" ? (
                                <>
                                  {" "}
                                  <span className="admin-muted">{percent(lang, share, 0)}</span>
                                  <span className="admin-loy-meter" aria-hidden="true">
                                    <span style={{ width: `${Math.round(share * 100)}%` }} />
                                  </span>
                                </>
                              ) : null}
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          ) : q.texts.length === 0 ? (
            <p className="admin-muted">{t("admin.loy.results.noTexts")}</p>
          ) : (
            <>
              <div className="admin-muted">{t("admin.loy.results.texts")}</div>
              <ul className="admin-list" data-texts={qi}>
                {q.texts.map((text, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the same answer may come twice
                  <li key={i}>{text}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ))}
    </div>
  );
}

function NewSurveyForm(p: { slug: string; onCreated: (s: Survey) => Promise<void> }) {
  const { api, t } = useConsole();
  const failure = useFailure();
  const rules = useRules(p.slug);
  const [kind, setKind] = R.useState<NewSurvey["kind"]>("survey");
  const [title, setTitle] = R.useState("");
  const [segment, setSegment] = R.useState<Segment>("all");
  const [questions, setQuestions] = R.useState<QuestionDraft[]>([blankQuestion()]);
  const [rewardToken, setRewardToken] = R.useState("");
  const [rewardAmount, setRewardAmount] = R.useState("");
  const [closesAt, setClosesAt] = R.useState("");
  const [busy, setBusy] = R.useState(false);
  const [error, setError] = R.useState<string | null>(null);
  const vote = kind === "vote";

  const edit = (qi: number, change: (q: QuestionDraft) => QuestionDraft) =>
    setQuestions((qs) => qs.map((q, i) => (i === qi ? change(q) : q)));
  const chooseKind = (next: NewSurvey["kind"]) => {
    setKind(next);
    // A vote is one question with options.
    if (next === "vote")
      setQuestions((qs) => {
        const q = qs[0] ?? blankQuestion();
        const options = q.options.length >= 2 ? q.options : [blankOption(), blankOption()];
        return [{ ...q, kind: "choice", options }];
      });
  };
  const questionOk = (q: QuestionDraft) =>
    q.text.trim() !== "" &&
    (q.kind === "text" ||
      (q.options.length >= 2 &&
        q.options.every(
          (o) => o.text.trim() !== "" && (o.budget.trim() === "" || AMOUNT.test(o.budget.trim())),
        )));
  const rewardOk = rewardToken === "" || AMOUNT.test(rewardAmount.trim());
  const ok = title.trim() !== "" && questions.length > 0 && questions.every(questionOk) && rewardOk;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ok) return;
    const body: NewSurvey = {
      campaign: p.slug,
      kind,
      title: title.trim(),
      segment,
      questions: questions.map((q) =>
        q.kind === "text"
          ? { text: q.text.trim(), kind: "text" }
          : {
              text: q.text.trim(),
              kind: "choice",
              options: q.options.map((o) =>
                vote && o.budget.trim() !== ""
                  ? { text: o.text.trim(), budget: o.budget.trim() }
                  : { text: o.text.trim() },
              ),
            },
      ),
    };
    if (rewardToken !== "") body.reward = { token: rewardToken, amount: rewardAmount.trim() };
    const closes = fromLocalInput(closesAt);
    if (closes) body.closesAt = closes;
    setBusy(true);
    setError(null);
    try {
      const created = await api.send<ApiBody<"createSurvey", 201>>(
        "POST",
        "/api/admin/surveys",
        body,
      );
      setTitle("");
      setQuestions([blankQuestion()]);
      setRewardToken("");
      setRewardAmount("");
      setClosesAt("");
      await p.onCreated(created);
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="admin-form-box">
      <summary data-action="survey-new">{t("admin.loy.surveys.new")}</summary>
      <form className="admin-form" onSubmit={submit} data-form="survey">
        <label>
          {t("admin.loy.surveys.kind")}
          <select
            className="admin-input"
            value={kind}
            data-input="survey-kind"
            onChange={(e) => chooseKind(e.target.value as NewSurvey["kind"])}
          >
            <option value="survey">{t("admin.loy.surveys.kind.survey")}</option>
            <option value="vote">{t("admin.loy.surveys.kind.vote")}</option>
          </select>
        </label>
        <Field
          label={t("admin.loy.surveys.title")}
          value={title}
          onValue={setTitle}
          input="survey-title"
          required
          maxLength={300}
        />
        <label>
          {t("admin.loy.surveys.segment")}
          <select
            className="admin-input"
            value={segment}
            data-input="survey-segment"
            onChange={(e) => setSegment(e.target.value as Segment)}
          >
            {SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {t(`admin.loy.segment.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {questions.map((q, qi) => (
          <fieldset
            // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place
            key={qi}
            className="admin-question"
            data-question-draft={qi}
          >
            <legend>{t("admin.loy.surveys.question", { n: qi + 1 })}</legend>
            <input
              className="admin-input"
              aria-label={t("admin.loy.surveys.question", { n: qi + 1 })}
              value={q.text}
              maxLength={300}
              data-input={`q-${qi}-text`}
              onChange={(e) => edit(qi, (x) => ({ ...x, text: e.target.value }))}
            />
            {vote ? null : (
              <label>
                {t("admin.loy.surveys.questionKind")}
                <select
                  className="admin-input"
                  value={q.kind}
                  data-input={`q-${qi}-kind`}
                  onChange={(e) =>
                    edit(qi, (x) => ({ ...x, kind: e.target.value as QuestionDraft["kind"] }))
                  }
                >
                  <option value="choice">{t("admin.loy.surveys.choice")}</option>
                  <option value="text">{t("admin.loy.surveys.text")}</option>
                </select>
              </label>
            )}
            {q.kind === "choice"
              ? q.options.map((o, oi) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place
                  <div key={oi} className="admin-row admin-option">
                    <input
                      className="admin-input"
                      aria-label={t("admin.loy.surveys.option", { n: oi + 1 })}
                      placeholder={t("admin.loy.surveys.option", { n: oi + 1 })}
                      value={o.text}
                      maxLength={100}
                      data-input={`q-${qi}-opt-${oi}`}
                      onChange={(e) =>
                        edit(qi, (x) => ({
                          ...x,
                          options: x.options.map((y, j) =>
                            j === oi ? { ...y, text: e.target.value } : y,
                          ),
                        }))
                      }
                    />
                    {vote ? (
                      <input
                        className="admin-input admin-loy-narrow"
                        inputMode="decimal"
                        aria-label={t("admin.loy.surveys.budget")}
                        placeholder={t("admin.loy.surveys.budget")}
                        value={o.budget}
                        aria-invalid={o.budget.trim() !== "" && !AMOUNT.test(o.budget.trim())}
                        data-input={`q-${qi}-budget-${oi}`}
                        onChange={(e) =>
                          edit(qi, (x) => ({
                            ...x,
                            options: x.options.map((y, j) =>
                              j === oi ? { ...y, budget: e.target.value } : y,
                            ),
                          }))
                        }
                      />
                    ) : null}
                    {q.options.length > 2 ? (
                      <button
                        type="button"
                        className="admin-link"
                        aria-label={t("admin.loy.surveys.removeOption", { n: oi + 1 })}
                        onClick={() =>
                          edit(qi, (x) => ({ ...x, options: x.options.filter((_, j) => j !== oi) }))
                        }
                      >
                        ×
                      </button>
                    ) : null}
                  </div>
                ))
              : null}
            <div className="admin-row">
              {q.kind === "choice" && q.options.length < 20 ? (
                <button
                  type="button"
                  className="admin-link"
                  data-action={`add-option-${qi}`}
                  onClick={() =>
                    edit(qi, (x) => ({ ...x, options: [...x.options, blankOption()] }))
                  }
                >
                  {t("admin.loy.surveys.addOption")}
                </button>
              ) : null}
              {questions.length > 1 ? (
                <button
                  type="button"
                  className="admin-link"
                  onClick={() => setQuestions((qs) => qs.filter((_, i) => i !== qi))}
                >
                  {t("admin.loy.surveys.removeQuestion", { n: qi + 1 })}
                </button>
              ) : null}
            </div>
          </fieldset>
        ))}
        {vote || questions.length >= 20 ? null : (
          <div>
            <button
              type="button"
              className="admin-link"
              data-action="add-question"
              onClick={() => setQuestions((qs) => [...qs, blankQuestion()])}
            >
              {t("admin.loy.surveys.addQuestion")}
            </button>
          </div>
        )}
        <fieldset className="admin-question">
          <legend>{t("admin.loy.surveys.reward")}</legend>
          <div className="admin-row">
            <select
              className="admin-input"
              aria-label={t("admin.loy.perks.token")}
              value={rewardToken}
              data-input="reward-token"
              onChange={(e) => setRewardToken(e.target.value)}
            >
              <option value="">{t("admin.loy.surveys.noReward")}</option>
              {(rules?.tokens ?? []).map((x) => (
                <option key={x.symbol} value={x.symbol}>
                  {x.symbol}
                </option>
              ))}
            </select>
            {rewardToken !== "" ? (
              <input
                className="admin-input admin-loy-narrow"
                inputMode="decimal"
                aria-label={t("admin.loy.surveys.rewardAmount")}
                placeholder={t("admin.loy.surveys.rewardAmount")}
                value={rewardAmount}
                aria-invalid={!rewardOk}
                data-input="reward-amount"
                onChange={(e) => setRewardAmount(e.target.value)}
              />
            ) : null}
          </div>
        </fieldset>
        <Field
          label={t("admin.loy.surveys.closesAt")}
          value={closesAt}
          onValue={setClosesAt}
          input="survey-closes"
          type="datetime-local"
        />
        <div>
          <button
            type="submit"
            className="admin-button"
            data-action="survey-create"
            disabled={busy || !ok}
          >
            {t("admin.loy.surveys.create")}
          </button>
        </div>
        {error ? (
          <p className="admin-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </details>
  );
}
