/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * The broadcast composer: an audience by segment (campaign, tier, language, wallet, recent
 * activity) with its live count, the text in English and Russian with a preview of each as
 * Telegram shows it, now or at a time; below, the broadcasts with their progress, delivery
 * results (sent, failed by reason) and a stop button. The bot sends them (its throttled bulk
 * sender); the API checks `broadcast.send` and audits.
 */

import { useConsole } from "./AdminApp.tsx";
import { ApiError } from "./api.ts";
import { R, useLatest, usePoll } from "./react.ts";

interface BroadcastView {
  id: number;
  campaign: string | null;
  status: "draft" | "scheduled" | "running" | "done" | "cancelled";
  texts: Record<string, string>;
  audience: {
    tier: string | null;
    language: "en" | "ru" | null;
    hasWallet: boolean | null;
    activeDays: number | null;
  };
  scheduledAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  sent: number;
  failed: number;
  failures: Record<string, number>;
}

interface Audience {
  count: number;
  tiers: Array<{ id: string; name: Record<string, string> }>;
}

const LANGS = ["en", "ru"] as const;
const REASONS = ["blocked", "deactivated", "not_started", "telegram_error", "rejected"] as const;
/** The campaign select's value for every member (super-admins). */
const EVERYONE = "*";

/** The segment as the fields hold it ("" where any member will do). */
interface Segment {
  campaign: string;
  tier: string;
  language: string;
  wallet: string;
  days: string;
}

/** The audience the API takes for a segment: a field left at "any" is no condition. */
function audienceOf(s: Segment) {
  return {
    campaign: s.campaign === EVERYONE ? null : s.campaign,
    ...(s.tier !== "" && s.campaign !== EVERYONE ? { tier: s.tier } : {}),
    ...(s.language !== "" ? { language: s.language } : {}),
    ...(s.wallet !== "" ? { hasWallet: s.wallet === "yes" } : {}),
    ...(/^\d{1,3}$/.test(s.days) && Number(s.days) > 0 ? { activeDays: Number(s.days) } : {}),
  };
}

/** The audience count's query for a segment (the same conditions as {@link audienceOf}). */
function audienceQuery(s: Segment): string {
  const a = audienceOf(s);
  const q = new URLSearchParams();
  if (a.campaign !== null) q.set("campaign", a.campaign);
  if (a.tier !== undefined) q.set("tier", a.tier);
  if (a.language !== undefined) q.set("language", a.language);
  if (a.hasWallet !== undefined) q.set("wallet", a.hasWallet ? "yes" : "no");
  if (a.activeDays !== undefined) q.set("activeDays", String(a.activeDays));
  return q.toString();
}

/** `datetime-local`'s value for a date, in the browser's time zone. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The tags Telegram's HTML has, as the elements the preview draws them with. */
const PREVIEW_TAGS: Record<string, string> = {
  b: "b",
  strong: "b",
  i: "i",
  em: "i",
  u: "u",
  ins: "u",
  s: "s",
  strike: "s",
  del: "s",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
};

/**
 * The text as Telegram would show it: parsed by the browser (never inserted as HTML), and
 * only Telegram's tags kept; links only to http(s) and t.me; anything else shows its text.
 */
function preview(text: string): import("react").ReactNode[] {
  const doc = new DOMParser().parseFromString(`<body>${text}</body>`, "text/html");
  const walk = (nodes: NodeListOf<ChildNode>): import("react").ReactNode[] =>
    [...nodes].map((n, i) => {
      if (n.nodeType === Node.TEXT_NODE) return n.textContent;
      if (!(n instanceof Element)) return null;
      const name = n.tagName.toLowerCase();
      const children = walk(n.childNodes);
      if (name === "a") {
        const href = n.getAttribute("href") ?? "";
        return /^(https?:|tg:)/i.test(href)
          ? R.createElement("a", { key: i, href, target: "_blank", rel: "noreferrer" }, ...children)
          : R.createElement("span", { key: i }, ...children);
      }
      if (name === "tg-spoiler" || (name === "span" && n.classList.contains("tg-spoiler")))
        return R.createElement("span", { key: i, className: "admin-spoiler" }, ...children);
      const tag = PREVIEW_TAGS[name];
      return tag
        ? R.createElement(tag, { key: i }, ...children)
        : R.createElement(R.Fragment, { key: i }, ...children);
    });
  return walk(doc.body.childNodes);
}

export function BroadcastScreen() {
  const { api, t, problem, campaigns, lang } = useConsole();
  const mine = campaigns.items.filter(
    (c) => campaigns.superAdmin || c.actions.includes("broadcast.send"),
  );
  const [segment, setSegment] = R.useState<Segment>({
    campaign: mine[0]?.slug ?? EVERYONE,
    tier: "",
    language: "",
    wallet: "",
    days: "",
  });
  const [texts, setTexts] = R.useState<Record<string, string>>({ en: "", ru: "" });
  const [when, setWhen] = R.useState<"now" | "later">("now");
  const [at, setAt] = R.useState(() => localInput(new Date(Date.now() + 3_600_000)));
  const [audience, setAudience] = R.useState<Audience | null>(null);
  // Kept while a new count loads, so the tier picked stays among the options.
  const [tiers, setTiers] = R.useState<Audience["tiers"]>([]);
  const [audienceError, setAudienceError] = R.useState<string | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [items, setItems] = R.useState<BroadcastView[] | null>(null);

  const query = R.useMemo(() => audienceQuery(segment), [segment]);

  // The live count: asked again whenever the segment changes (the last answer wins).
  const latestCount = useLatest();
  R.useEffect(() => {
    setAudience(null);
    void latestCount(
      (signal) => api.get<Audience>(`/api/admin/broadcasts/audience?${query}`, signal),
      (a) => {
        setAudience(a);
        setTiers(a.tiers);
        setAudienceError(null);
      },
      (e) => setAudienceError(problem(e)),
    );
  }, [api, query, problem, latestCount]);

  // Read on opening, by the poll and after a send or stop: an older list never replaces a newer.
  const latestList = useLatest();
  const load = R.useCallback(
    () =>
      latestList(
        (signal) => api.get<{ items: BroadcastView[] }>("/api/admin/broadcasts?limit=20", signal),
        (page) => setItems(page.items),
        (e) => setError(problem(e)),
      ),
    [api, problem, latestList],
  );
  R.useEffect(() => {
    void load();
  }, [load]);
  // While one is scheduled or under way, its progress is read again every two seconds.
  const live = (items ?? []).some((b) => b.status === "running" || b.status === "scheduled");
  usePoll(load, 2000, live);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const scheduledAt = when === "later" ? new Date(at).toISOString() : null;
      await api.send("POST", "/api/admin/broadcasts", {
        audience: audienceOf(segment),
        texts: Object.fromEntries(LANGS.filter((l) => texts[l]?.trim()).map((l) => [l, texts[l]])),
        scheduledAt,
        language: lang,
      });
      setTexts({ en: "", ru: "" });
      await load();
    } catch (e) {
      const detail =
        e instanceof ApiError && e.code === "broadcast_invalid" && e.message !== e.code
          ? ` ${e.message}`
          : "";
      setError(`${problem(e)}${detail}`);
    } finally {
      setBusy(false);
    }
  };

  const stop = async (id: number) => {
    try {
      await api.send("POST", `/api/admin/broadcasts/${id}/stop`);
    } catch (e) {
      setError(problem(e));
    }
    await load();
  };

  const name = (slug: string) => {
    const c = campaigns.items.find((i) => i.slug === slug);
    return c ? (c.name[lang] ?? c.name.en ?? slug) : slug;
  };
  const hasText = LANGS.some((l) => (texts[l] ?? "").trim() !== "");
  const at0 = new Date(at);
  const canSend =
    !busy &&
    hasText &&
    audience !== null &&
    audience.count > 0 &&
    (when === "now" || (!Number.isNaN(at0.getTime()) && at0.getTime() > Date.now()));

  return (
    <>
      <form
        className="admin-bulk"
        data-form="broadcast"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) void send();
        }}
      >
        <h2>{t("admin.broadcast.audience")}</h2>
        <SegmentFields
          segment={segment}
          onChange={setSegment}
          campaigns={[
            ...mine.map((c): [string, string] => [c.slug, name(c.slug)]),
            ...(campaigns.superAdmin
              ? [[EVERYONE, t("admin.broadcast.everyone")] as [string, string]]
              : []),
          ]}
          tiers={tiers.map((x): [string, string] => [x.id, x.name[lang] ?? x.name.en ?? x.id])}
        />
        <p className="admin-result" role="status" data-count={audience?.count ?? ""}>
          {audienceError ??
            (audience === null
              ? t("admin.loading")
              : t("admin.broadcast.count", { count: audience.count }))}
        </p>
        <h2>{t("admin.broadcast.text")}</h2>
        <p className="admin-muted">{t("admin.broadcast.html")}</p>
        {LANGS.map((l) => (
          <div key={l} className="admin-compose">
            <label>
              {t(`admin.broadcast.text.${l}`)}
              <textarea
                className="admin-input admin-textarea"
                data-text={l}
                rows={4}
                maxLength={4000}
                value={texts[l] ?? ""}
                onChange={(e) => setTexts((x) => ({ ...x, [l]: e.target.value }))}
              />
            </label>
            <div className="admin-preview" data-preview={l} lang={l}>
              <span className="admin-muted">{t(`admin.broadcast.preview.${l}`)}</span>
              <div className="admin-bubble">
                {(texts[l] ?? "").trim() !== ""
                  ? preview(texts[l]!.trim())
                  : l !== "en" && (texts.en ?? "").trim() !== ""
                    ? [
                        <span key="note" className="admin-muted" data-fallback={l}>
                          {t("admin.broadcast.fallback")}
                        </span>,
                        <div key="en">{preview(texts.en!.trim())}</div>,
                      ]
                    : (texts.en ?? "").trim() === "" && (texts.ru ?? "").trim() !== ""
                      ? preview(texts.ru!.trim())
                      : null}
              </div>
            </div>
          </div>
        ))}
        <h2>{t("admin.broadcast.when")}</h2>
        <div className="admin-row">
          {(
            [
              ["now", t("admin.broadcast.now")],
              ["later", t("admin.broadcast.later")],
            ] as const
          ).map(([w, label]) => (
            <label key={w}>
              <input
                type="radio"
                name="when"
                data-schedule={w}
                checked={when === w}
                onChange={() => setWhen(w)}
              />{" "}
              {label}
            </label>
          ))}
          {when === "later" ? (
            <input
              type="datetime-local"
              className="admin-input"
              data-input="at"
              aria-label={t("admin.broadcast.later")}
              value={at}
              onChange={(e) => setAt(e.target.value)}
            />
          ) : null}
        </div>
        {error ? (
          <p className="admin-error" role="alert" data-error="broadcast">
            {error}
          </p>
        ) : null}
        <div className="admin-row">
          <button type="submit" className="admin-button" data-action="send" disabled={!canSend}>
            {when === "now"
              ? t("admin.broadcast.sendNow", { count: audience?.count ?? 0 })
              : t("admin.broadcast.schedule", { count: audience?.count ?? 0 })}
          </button>
        </div>
      </form>
      <h2>{t("admin.broadcast.history")}</h2>
      {items === null ? <p>{t("admin.loading")}</p> : null}
      {items?.length === 0 ? <p>{t("admin.none")}</p> : null}
      <ul className="admin-cards">
        {(items ?? []).map((b) => (
          <BroadcastCard key={b.id} b={b} name={name} onStop={() => void stop(b.id)} />
        ))}
      </ul>
    </>
  );
}

/** One labelled choice of the segment; its first option is "any" unless `options` says. */
function Choice(p: {
  label: string;
  input: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<[value: string, text: string]>;
}) {
  return (
    <label>
      {p.label}{" "}
      <select
        className="admin-input"
        data-input={p.input}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
      >
        {p.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The segment's fields: campaign, tier (within a campaign), language, wallet, recent activity. */
function SegmentFields(p: {
  segment: Segment;
  onChange: (s: Segment) => void;
  campaigns: Array<[slug: string, name: string]>;
  tiers: Array<[id: string, name: string]>;
}) {
  const { t } = useConsole();
  const s = p.segment;
  const set = (field: keyof Segment) => (value: string) =>
    // A tier belongs to its campaign: another campaign starts from any tier.
    p.onChange({ ...s, [field]: value, ...(field === "campaign" ? { tier: "" } : {}) });
  const any: [string, string] = ["", t("admin.broadcast.any")];
  return (
    <div className="admin-filters">
      <Choice
        label={t("admin.broadcast.campaign")}
        input="campaign"
        value={s.campaign}
        onChange={set("campaign")}
        options={p.campaigns}
      />
      {s.campaign !== EVERYONE ? (
        <Choice
          label={t("admin.broadcast.tier")}
          input="tier"
          value={s.tier}
          onChange={set("tier")}
          options={[any, ...p.tiers]}
        />
      ) : null}
      <Choice
        label={t("admin.broadcast.language")}
        input="language"
        value={s.language}
        onChange={set("language")}
        options={[any, ["en", "English"], ["ru", "Русский"]]}
      />
      <Choice
        label={t("admin.broadcast.wallet")}
        input="wallet"
        value={s.wallet}
        onChange={set("wallet")}
        options={[
          any,
          ["yes", t("admin.broadcast.walletYes")],
          ["no", t("admin.broadcast.walletNo")],
        ]}
      />
      <label>
        {t("admin.broadcast.activeDays")}{" "}
        <input
          className="admin-input"
          data-input="active-days"
          inputMode="numeric"
          placeholder={t("admin.broadcast.any")}
          value={s.days}
          onChange={(e) => set("days")(e.target.value.replace(/\D/g, "").slice(0, 3))}
        />
      </label>
    </div>
  );
}

function BroadcastCard(p: {
  b: BroadcastView;
  name: (slug: string) => string;
  onStop: () => void;
}) {
  const { t, lang } = useConsole();
  const { b } = p;
  const date = (iso: string) => new Date(iso).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB");
  const done = b.sent + b.failed;
  const percent = b.total > 0 ? Math.min(100, Math.round((done * 100) / b.total)) : 0;
  const audience = [
    b.campaign === null ? t("admin.broadcast.everyone") : p.name(b.campaign),
    b.audience.tier ? `${t("admin.broadcast.tier")}: ${b.audience.tier}` : null,
    b.audience.language ? `${t("admin.broadcast.language")}: ${b.audience.language}` : null,
    b.audience.hasWallet === null
      ? null
      : t(b.audience.hasWallet ? "admin.broadcast.walletYes" : "admin.broadcast.walletNo"),
    b.audience.activeDays === null
      ? null
      : t("admin.broadcast.activeWithin", { count: b.audience.activeDays }),
  ].filter((x) => x !== null);
  return (
    <li className="admin-card" data-broadcast={b.id} data-status={b.status}>
      <div className="admin-card-head">
        <strong>#{b.id}</strong>
        <span className={`admin-state-tag admin-bc-${b.status}`}>
          {t(`admin.broadcast.status.${b.status}`)}
        </span>
        <span className="admin-muted">
          {b.scheduledAt && b.status === "scheduled"
            ? t("admin.broadcast.at", { date: date(b.scheduledAt) })
            : date(b.startedAt ?? b.createdAt)}
        </span>
      </div>
      <div className="admin-muted">{audience.join(" · ")}</div>
      <div className="admin-bubble admin-bubble-small">
        {preview(b.texts[lang] ?? b.texts.en ?? "")}
      </div>
      <progress max={100} value={percent} aria-label={t("admin.broadcast.progress")} />
      <div data-results={b.id}>
        {t("admin.broadcast.results", { sent: b.sent, failed: b.failed, total: b.total })}
      </div>
      {b.failed > 0 ? (
        <ul className="admin-list">
          {REASONS.filter((r) => (b.failures[r] ?? 0) > 0).map((r) => (
            <li key={r} data-failure={r}>
              {t(`admin.broadcast.reason.${r}`)}: {b.failures[r]}
            </li>
          ))}
        </ul>
      ) : null}
      {b.status === "running" || b.status === "scheduled" ? (
        <button
          type="button"
          className="admin-button admin-danger"
          data-action="stop"
          onClick={p.onStop}
        >
          {t("admin.broadcast.stop")}
        </button>
      ) : null}
    </li>
  );
}
