/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The head of a per-campaign screen with tabs (Loyalty, Integrations): a campaign select over
 * the campaigns the caller may use there, and the tabs the caller's roles in the chosen
 * campaign allow (a tab whose action the caller lacks is not offered; the API refuses it
 * anyway). The screen keeps its panels; this keeps the choice. Also what their panels share:
 * the error and result lines, and problem texts with the server's detail where it helps.
 */

import { useConsole } from "./AdminApp.tsx";
import { type AdminAction, ApiError, type ConsoleCampaign } from "./api.ts";
import { R } from "./react.ts";

export interface CampaignTab<T extends string> {
  /** The chosen campaign, or undefined when the caller may use none here. */
  campaign: ConsoleCampaign | undefined;
  /** The tabs the caller may open in that campaign, in `needs`' order. */
  tabs: T[];
  /** The open tab: the one chosen, or the first allowed when that one is not. */
  current: T;
  setTab: (tab: T) => void;
  setSlug: (slug: string) => void;
}

/** The campaign and tab chosen among `usable`; `needs` names the action each tab requires. */
export function useCampaignTab<T extends string>(
  usable: readonly ConsoleCampaign[],
  needs: Readonly<Record<T, AdminAction>>,
  first: T,
): CampaignTab<T> {
  const [slug, setSlug] = R.useState(usable[0]?.slug ?? "");
  const [tab, setTab] = R.useState<T>(first);
  const campaign = usable.find((c) => c.slug === slug) ?? usable[0];
  const tabs = campaign
    ? (Object.keys(needs) as T[]).filter((x) => campaign.actions.includes(needs[x]))
    : [];
  const current = tabs.includes(tab) ? tab : (tabs[0] ?? first);
  return { campaign, tabs, current, setTab, setSlug };
}

/** The campaign select and the tab bar of {@link useCampaignTab}'s choice. */
export function CampaignTabBar<T extends string>(props: {
  usable: readonly ConsoleCampaign[];
  choice: CampaignTab<T> & { campaign: ConsoleCampaign };
  /** Text keys: `${prefix}.campaign`, `${prefix}.tabs` and `${prefix}.tab.<tab>`. */
  prefix: string;
  /** Called instead of `choice.setTab` when a tab is clicked (to reset a panel's filter). */
  onTab?: (tab: T) => void;
}) {
  const { t, lang } = useConsole();
  const { usable, choice, prefix } = props;
  const open = props.onTab ?? choice.setTab;
  return (
    <>
      <div className="admin-filters">
        <select
          className="admin-input"
          aria-label={t(`${prefix}.campaign`)}
          value={choice.campaign.slug}
          data-input="campaign"
          onChange={(e) => choice.setSlug(e.target.value)}
        >
          {usable.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name[lang] ?? c.name.en ?? c.slug}
            </option>
          ))}
        </select>
      </div>
      <div className="admin-tabs admin-int-tabs" role="tablist" aria-label={t(`${prefix}.tabs`)}>
        {choice.tabs.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={x === choice.current}
            data-tab={x}
            onClick={() => open(x)}
          >
            {t(`${prefix}.tab.${x}`)}
          </button>
        ))}
      </div>
    </>
  );
}

/** A panel's error (an alert) and result (a status) lines, each shown when set. */
export function Messages(p: { error: string | null; note: string | null }) {
  return (
    <>
      {p.error ? (
        <p className="admin-error" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.note ? (
        <p className="admin-result" role="status" data-note>
          {p.note}
        </p>
      ) : null}
    </>
  );
}

/**
 * The text for a failed call: the console's problem text, plus the server's detail for the
 * codes in `detailed` (those whose detail names the field or the rule to fix).
 */
export function useDetailedFailure(detailed: ReadonlySet<string>): (e: unknown) => string {
  const { problem } = useConsole();
  return R.useCallback(
    (e: unknown) =>
      e instanceof ApiError && detailed.has(e.code) && e.message !== e.code
        ? `${problem(e)} (${e.message})`
        : problem(e),
    [problem, detailed],
  );
}

/**
 * A labelled text input of the console's forms, with an optional hint under it; `input` names
 * it for the tests (`data-input`), `invalid` marks it for assistive technology.
 */
export function Field(p: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  input: string;
  invalid?: boolean;
  required?: boolean;
  maxLength?: number;
  inputMode?: "decimal" | "numeric";
  type?: "datetime-local";
  hint?: string;
}) {
  return (
    <label>
      {p.label}
      <input
        className="admin-input"
        type={p.type}
        inputMode={p.inputMode}
        value={p.value}
        maxLength={p.maxLength}
        required={p.required}
        aria-invalid={p.invalid}
        data-input={p.input}
        onChange={(e) => p.onValue(e.target.value)}
      />
      {p.hint ? <span className="admin-muted">{p.hint}</span> : null}
    </label>
  );
}
