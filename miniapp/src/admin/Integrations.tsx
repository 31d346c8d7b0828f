/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * Integrations: what a campaign's owners manage for systems outside Refmint, per campaign.
 *
 * - **API keys** of the host API (a bot that already exists, through the grammY plugin):
 *   list, create (the key is shown once, copyable, with a warning), revoke (confirmed).
 * - **Webhooks**: the endpoints subscribed to the campaign's events (the signing secret shown
 *   once when subscribed), disable (confirmed); the API has no secret rotation, so the screen
 *   says how to rotate: subscribe again, then disable the old endpoint.
 * - **Delivery log**: each delivery with its attempts (status, response code, latency), filters,
 *   and replay (same event id and body, a new round of retries).
 * - **Partner**: the campaign partner's API keys (issue: shown once; revoke), when the campaign
 *   file names a partner; the partner's own endpoints (their secrets are the partner's) are in
 *   the webhook list with its name.
 *
 * Each tab shows only where the caller's roles allow its action (`apikey.manage`,
 * `webhook.manage`, `partner.manage`; owners and super-admins); the API checks and audits
 * every call again. Types are the generated API types (miniapp/src/api/types.ts).
 */

import type { FormEvent } from "react";
import { useConsole } from "./AdminApp.tsx";
import type { AdminAction, ApiBody, ApiInput } from "./api.ts";
import { CampaignTabBar, Messages, useCampaignTab, useDetailedFailure } from "./CampaignTabs.tsx";
import { moment } from "./format.ts";
import { R, useLatest } from "./react.ts";
import "./integrations.css";

/** The actions this screen serves; the section shows where the caller holds any of them. */
export const INTEGRATION_ACTIONS: readonly AdminAction[] = [
  "apikey.manage",
  "webhook.manage",
  "partner.manage",
];

type Tab = "keys" | "webhooks" | "deliveries" | "partner";
const TAB_NEEDS: Record<Tab, AdminAction> = {
  keys: "apikey.manage",
  webhooks: "webhook.manage",
  deliveries: "webhook.manage",
  partner: "partner.manage",
};

type ApiKey = ApiBody<"listApiKeys", 200>["items"][number];
type CreatedKey = ApiBody<"createApiKey", 201>;
type Endpoint = ApiBody<"listWebhooks", 200>["items"][number];
type CreatedEndpoint = ApiBody<"createWebhook", 201>;
type Delivery = ApiBody<"webhookDeliveries", 200>["items"][number];
type EventType = Endpoint["events"][number];
type DeliveryStatus = Delivery["status"];
type PartnerKeys = ApiBody<"listPartnerKeys", 200>;
type PartnerKey = PartnerKeys["items"][number];
type IssuedPartnerKey = ApiBody<"issuePartnerKey", 201>;

/** Every event type, checked complete against the generated types at compile time. */
const EVENT_TYPES = Object.keys({
  "member.joined": 1,
  "referral.qualified": 1,
  "reward.paid": 1,
  "perk.redeemed": 1,
  "badge.minted": 1,
} satisfies Record<EventType, 1>) as EventType[];
const STATUSES = Object.keys({ pending: 1, delivered: 1, failed: 1 } satisfies Record<
  DeliveryStatus,
  1
>) as DeliveryStatus[];
const PAGE = 50;
const PARTNER_RE = /^[a-z0-9_-]{1,64}$/;

/** Problem codes whose server detail helps fix the input (it names the field or the rule). */
const DETAILED = new Set(["webhook_invalid", "validation_failed"]);

const useFailure = () => useDetailedFailure(DETAILED);

export function IntegrationsScreen() {
  const { campaigns, t } = useConsole();
  const usable = campaigns.items.filter((c) =>
    INTEGRATION_ACTIONS.some((a) => c.actions.includes(a)),
  );
  const choice = useCampaignTab<Tab>(usable, TAB_NEEDS, "keys");
  const { campaign, current, setTab } = choice;
  // The delivery log opened from an endpoint's card shows that endpoint's deliveries.
  const [logEndpoint, setLogEndpoint] = R.useState<number | null>(null);
  if (!campaign) return <p>{t("admin.int.none")}</p>;
  const open = (next: Tab) => {
    if (next === "deliveries") setLogEndpoint(null);
    setTab(next);
  };
  return (
    <>
      <CampaignTabBar
        usable={usable}
        choice={{ ...choice, campaign }}
        prefix="admin.int"
        onTab={open}
      />
      <section data-panel={current} data-campaign={campaign.slug}>
        {current === "keys" ? (
          <KeysPanel key={`k-${campaign.slug}`} slug={campaign.slug} />
        ) : current === "webhooks" ? (
          <WebhooksPanel
            key={`w-${campaign.slug}`}
            slug={campaign.slug}
            onDeliveries={(id) => {
              setLogEndpoint(id);
              setTab("deliveries");
            }}
          />
        ) : current === "deliveries" ? (
          <DeliveriesPanel
            key={`d-${campaign.slug}-${logEndpoint ?? ""}`}
            slug={campaign.slug}
            endpoint={logEndpoint}
          />
        ) : (
          <PartnerPanel key={`p-${campaign.slug}`} slug={campaign.slug} />
        )}
      </section>
    </>
  );
}

/**
 * A secret the API returns once (an API key, a signing secret, a partner key): shown with a
 * warning and a copy button until the admin hides it; it lives in this component's state
 * only, so leaving the tab or the campaign drops it for good.
 */
function SecretOnce(p: {
  kind: "api-key" | "webhook" | "partner-key";
  label: string;
  value: string;
  warning: string;
  onDone: () => void;
}) {
  const { t } = useConsole();
  const [copied, setCopied] = R.useState<"ok" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.value);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };
  const id = `secret-${p.kind}`;
  return (
    <div className="admin-secret" data-secret={p.kind}>
      <strong>{t("admin.int.secret.title")}</strong>
      <p>{p.warning}</p>
      <label htmlFor={id}>{p.label}</label>
      <input
        id={id}
        className="admin-input admin-secret-value"
        readOnly
        value={p.value}
        data-secret-value
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="admin-row">
        <button type="button" className="admin-button" data-action="copy" onClick={copy}>
          {t("admin.int.secret.copy")}
        </button>
        <button type="button" className="admin-link" data-action="secret-done" onClick={p.onDone}>
          {t("admin.int.secret.done")}
        </button>
      </div>
      {copied ? (
        <p className={copied === "ok" ? "admin-muted" : "admin-error"} role="status">
          {copied === "ok" ? t("admin.int.secret.copied") : t("admin.int.secret.copyFailed")}
        </p>
      ) : null}
    </div>
  );
}

/** A second, explicit step before what cannot be undone. */
function Confirm(p: {
  text: string;
  button: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useConsole();
  return (
    <div className="admin-confirm" data-confirm>
      <p>{p.text}</p>
      <div className="admin-row">
        <button
          type="button"
          className="admin-button admin-danger"
          data-action="confirm"
          disabled={p.busy}
          onClick={p.onConfirm}
        >
          {p.button}
        </button>
        <button type="button" className="admin-link" data-action="cancel" onClick={p.onCancel}>
          {t("admin.int.cancel")}
        </button>
      </div>
    </div>
  );
}

/** A key's Revoke button, then its confirmation (the host API's keys and the partner's). */
interface RevokeKeyProps {
  confirming: boolean;
  text: string;
  action: string;
  busy: boolean;
  onAsk: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A key's card body (host API keys and partner keys): when and by whom it was made and
 * revoked, and, while it is live, its revoke control.
 */
function KeyFacts(p: {
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  /** Shown when the list says who revoked (partner keys do not). */
  revokedBy?: string | null;
  revoke: RevokeKeyProps;
}) {
  const { t, lang } = useConsole();
  return (
    <>
      <dl className="admin-facts">
        <dt>{t("admin.int.created")}</dt>
        <dd>
          {moment(lang, p.createdAt)} · <code>{p.createdBy}</code>
        </dd>
        {p.revokedAt ? (
          <>
            <dt>{t("admin.int.revokedAt")}</dt>
            <dd>
              {moment(lang, p.revokedAt)}
              {p.revokedBy ? (
                <>
                  {" "}
                  · <code>{p.revokedBy}</code>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {p.revokedAt !== null ? null : <RevokeKey {...p.revoke} />}
    </>
  );
}

function RevokeKey(p: RevokeKeyProps) {
  const { t } = useConsole();
  return p.confirming ? (
    <Confirm
      text={p.text}
      button={t("admin.int.keys.confirmButton")}
      busy={p.busy}
      onConfirm={p.onConfirm}
      onCancel={p.onCancel}
    />
  ) : (
    <div className="admin-row">
      <button
        type="button"
        className="admin-button admin-danger"
        data-action={p.action}
        onClick={p.onAsk}
      >
        {t("admin.int.keys.revoke")}
      </button>
    </div>
  );
}

// ---- host API keys ----------------------------------------------------------------------

function KeysPanel({ slug }: { slug: string }) {
  const { api, t } = useConsole();
  const failure = useFailure();
  const [items, setItems] = R.useState<ApiKey[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [name, setName] = R.useState("");
  const [partner, setPartner] = R.useState("");
  const [busy, setBusy] = R.useState(false);
  const [secret, setSecret] = R.useState<CreatedKey | null>(null);
  const [confirming, setConfirming] = R.useState<number | null>(null);
  const base = `/api/admin/campaigns/${slug}/api-keys`;

  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) => api.get<ApiBody<"listApiKeys", 200>>(base, signal),
        (r) => setItems(r.items),
        (e) => setError(failure(e)),
      ),
    [api, base, failure, latest],
  );
  R.useEffect(() => {
    void load();
  }, [load]);

  const partnerOk = partner.trim() === "" || PARTNER_RE.test(partner.trim());
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === "" || !partnerOk) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const body: ApiInput<"createApiKey"> = { name: name.trim() };
      if (partner.trim() !== "") body.partner = partner.trim();
      const created = await api.send<CreatedKey>("POST", base, body);
      setSecret(created);
      setNote(t("admin.int.keys.created", { name: created.name }));
      setName("");
      setPartner("");
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (k: ApiKey) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await api.send<ApiBody<"revokeApiKey", 200>>("DELETE", `${base}/${k.id}`);
      setConfirming(null);
      setNote(t("admin.int.keys.revokedDone", { name: k.name }));
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="admin-muted">{t("admin.int.keys.intro", { slug })}</p>
      <form className="admin-form" onSubmit={create} data-form="api-key">
        <label>
          {t("admin.int.keys.name")}
          <input
            className="admin-input"
            value={name}
            maxLength={64}
            required
            data-input="key-name"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          {t("admin.int.keys.partner")}
          <input
            className="admin-input"
            value={partner}
            maxLength={64}
            aria-invalid={!partnerOk}
            data-input="key-partner"
            onChange={(e) => setPartner(e.target.value)}
          />
          <span className="admin-muted">{t("admin.int.keys.partnerHint")}</span>
        </label>
        <div>
          <button
            type="submit"
            className="admin-button"
            data-action="create-key"
            disabled={busy || name.trim() === "" || !partnerOk}
          >
            {t("admin.int.keys.create")}
          </button>
        </div>
      </form>
      <Messages error={error} note={note} />
      {secret ? (
        <SecretOnce
          kind="api-key"
          label={t("admin.int.keys.label")}
          value={secret.key}
          warning={t("admin.int.secret.keyWarning")}
          onDone={() => setSecret(null)}
        />
      ) : null}
      {items === null ? (
        <p className="admin-muted">{t("admin.loading")}</p>
      ) : items.length === 0 ? (
        <p className="admin-muted">{t("admin.int.keys.none")}</p>
      ) : (
        <ul className="admin-cards" data-list="api-keys">
          {[...items].reverse().map((k) => (
            <li
              key={k.id}
              className="admin-card"
              data-key={k.id}
              data-revoked={String(k.revokedAt !== null)}
            >
              <div className="admin-card-head">
                <strong>{k.name}</strong>
                <StateTag on={k.revokedAt === null} off={t("admin.int.revoked")} />
              </div>
              <div className="admin-muted">
                <code data-prefix>{k.prefix}…</code> ·{" "}
                {t("admin.int.keys.partnerOf", { partner: k.partner })}
              </div>
              <KeyFacts
                createdAt={k.createdAt}
                createdBy={k.createdBy}
                revokedAt={k.revokedAt}
                revokedBy={k.revokedBy}
                revoke={{
                  confirming: confirming === k.id,
                  text: t("admin.int.keys.confirm", { name: k.name }),
                  action: "revoke-key",
                  busy,
                  onAsk: () => setConfirming(k.id),
                  onConfirm: () => void revoke(k),
                  onCancel: () => setConfirming(null),
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function StateTag(p: { on: boolean; off: string }) {
  const { t } = useConsole();
  return (
    <span
      className={`admin-state-tag ${p.on ? "admin-state-active" : "admin-state-ended"}`}
      data-active={String(p.on)}
    >
      {p.on ? t("admin.int.active") : p.off}
    </span>
  );
}

// ---- webhook endpoints ------------------------------------------------------------------

function useEndpoints(slug: string) {
  const { api } = useConsole();
  const failure = useFailure();
  const [items, setItems] = R.useState<Endpoint[] | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) =>
          api.get<ApiBody<"listWebhooks", 200>>(`/api/admin/campaigns/${slug}/webhooks`, signal),
        (r) => setItems(r.items),
        (e) => setError(failure(e)),
      ),
    [api, slug, failure, latest],
  );
  R.useEffect(() => {
    void load();
  }, [load]);
  return { items, error, load };
}

function WebhooksPanel(p: { slug: string; onDeliveries: (endpointId: number) => void }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const endpoints = useEndpoints(p.slug);
  const [url, setUrl] = R.useState("");
  const [description, setDescription] = R.useState("");
  const [events, setEvents] = R.useState<ReadonlySet<EventType>>(new Set());
  const [busy, setBusy] = R.useState(false);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [secret, setSecret] = R.useState<CreatedEndpoint | null>(null);
  const [confirming, setConfirming] = R.useState<number | null>(null);
  const base = `/api/admin/campaigns/${p.slug}/webhooks`;

  const urlOk = /^https?:\/\/\S+$/i.test(url.trim());
  const toggle = (e: EventType, on: boolean) =>
    setEvents((s) => {
      const next = new Set(s);
      if (on) next.add(e);
      else next.delete(e);
      return next;
    });
  const subscribe = async (e: FormEvent) => {
    e.preventDefault();
    if (!urlOk || events.size === 0) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const body: ApiInput<"createWebhook"> = {
        url: url.trim(),
        events: EVENT_TYPES.filter((x) => events.has(x)),
      };
      if (description.trim() !== "") body.description = description.trim();
      const created = await api.send<CreatedEndpoint>("POST", base, body);
      setSecret(created);
      setNote(t("admin.int.hooks.created"));
      setUrl("");
      setDescription("");
      setEvents(new Set());
      await endpoints.load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const disable = async (id: number) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await api.send<ApiBody<"disableWebhook", 200>>("DELETE", `${base}/${id}`);
      setConfirming(null);
      setNote(t("admin.int.hooks.disabledDone"));
      await endpoints.load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="admin-muted">{t("admin.int.hooks.intro")}</p>
      <form className="admin-form" onSubmit={subscribe} data-form="webhook">
        <label>
          {t("admin.int.hooks.url")}
          <input
            className="admin-input"
            type="url"
            inputMode="url"
            value={url}
            maxLength={2000}
            required
            data-input="hook-url"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <label>
          {t("admin.int.hooks.description")}
          <input
            className="admin-input"
            value={description}
            maxLength={200}
            data-input="hook-description"
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <fieldset className="admin-events">
          <legend>{t("admin.int.hooks.events")}</legend>
          {EVENT_TYPES.map((x) => (
            <label key={x} className="admin-check">
              <input
                type="checkbox"
                checked={events.has(x)}
                data-event={x}
                onChange={(e) => toggle(x, e.target.checked)}
              />
              {t(`admin.int.event.${x}`)}
            </label>
          ))}
        </fieldset>
        {events.size === 0 ? (
          <span className="admin-muted">{t("admin.int.hooks.noEvents")}</span>
        ) : null}
        <div>
          <button
            type="submit"
            className="admin-button"
            data-action="subscribe"
            disabled={busy || !urlOk || events.size === 0}
          >
            {t("admin.int.hooks.subscribe")}
          </button>
        </div>
      </form>
      <Messages error={error ?? endpoints.error} note={note} />
      {secret ? (
        <SecretOnce
          kind="webhook"
          label={t("admin.int.hooks.secretLabel")}
          value={secret.secret}
          warning={t("admin.int.secret.webhookWarning")}
          onDone={() => setSecret(null)}
        />
      ) : null}
      {endpoints.items === null ? (
        <p className="admin-muted">{t("admin.loading")}</p>
      ) : endpoints.items.length === 0 ? (
        <p className="admin-muted">{t("admin.int.hooks.none")}</p>
      ) : (
        <ul className="admin-cards" data-list="webhooks">
          {endpoints.items.map((ep) => (
            <li
              key={ep.id}
              className="admin-card"
              data-endpoint={ep.id}
              data-active={String(ep.active)}
            >
              <div className="admin-card-head">
                <code className="admin-url">{ep.url}</code>
                <StateTag on={ep.active} off={t("admin.int.hooks.disabled")} />
              </div>
              {ep.description ? <div>{ep.description}</div> : null}
              {ep.partner ? (
                <div className="admin-muted" data-partner-endpoint>
                  {t("admin.int.hooks.partner", { partner: ep.partner })}
                </div>
              ) : null}
              <div>
                {ep.events.map((x) => (
                  <span key={x} className="admin-chip" title={x}>
                    {t(`admin.int.event.${x}`)}
                  </span>
                ))}
              </div>
              <div className="admin-muted">
                {t("admin.int.created")}: {moment(lang, ep.createdAt)} · <code>{ep.createdBy}</code>
              </div>
              {confirming === ep.id ? (
                <Confirm
                  text={t("admin.int.hooks.confirm", { url: ep.url })}
                  button={t("admin.int.hooks.confirmButton")}
                  busy={busy}
                  onConfirm={() => void disable(ep.id)}
                  onCancel={() => setConfirming(null)}
                />
              ) : (
                <div className="admin-row">
                  <button
                    type="button"
                    className="admin-link"
                    data-action="deliveries"
                    onClick={() => p.onDeliveries(ep.id)}
                  >
                    {t("admin.int.hooks.deliveries")}
                  </button>
                  {ep.active ? (
                    <button
                      type="button"
                      className="admin-button admin-danger"
                      data-action="disable-hook"
                      onClick={() => setConfirming(ep.id)}
                    >
                      {t("admin.int.hooks.disable")}
                    </button>
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="admin-muted">{t("admin.int.hooks.rotate")}</p>
    </>
  );
}

// ---- the delivery log -------------------------------------------------------------------

function DeliveriesPanel(p: { slug: string; endpoint: number | null }) {
  const { api, t, lang } = useConsole();
  const failure = useFailure();
  const endpoints = useEndpoints(p.slug);
  const [endpoint, setEndpoint] = R.useState(p.endpoint === null ? "" : String(p.endpoint));
  const [status, setStatus] = R.useState<DeliveryStatus | "">("");
  const [eventId, setEventId] = R.useState("");
  const [items, setItems] = R.useState<Delivery[] | null>(null);
  const [more, setMore] = R.useState<number | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [replayed, setReplayed] = R.useState<number | null>(null);
  const [busy, setBusy] = R.useState(false);

  const query = R.useCallback(
    (before?: number) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (endpoint) q.set("endpoint", endpoint);
      if (status) q.set("status", status);
      if (eventId.trim()) q.set("eventId", eventId.trim());
      if (before !== undefined) q.set("before", String(before));
      return `/api/admin/campaigns/${p.slug}/webhooks/deliveries?${q}`;
    },
    [p.slug, endpoint, status, eventId],
  );
  // The first load answered after a filter was submitted (or after a replay's reload) is
  // dropped: the rows shown are the last asked for.
  const latest = useLatest();
  const load = R.useCallback(
    (before?: number) =>
      latest(
        (signal) => api.get<ApiBody<"webhookDeliveries", 200>>(query(before), signal),
        (page) => {
          setItems((old) => (before === undefined ? page.items : [...(old ?? []), ...page.items]));
          const last = page.items[page.items.length - 1];
          setMore(page.items.length === PAGE && last ? last.deliveryId : null);
          setError(null);
        },
        (e) => setError(failure(e)),
      ),
    [api, query, failure, latest],
  );
  // Loads once with the filter it was opened with; the form and Refresh reload.
  R.useEffect(() => {
    void load();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setReplayed(null);
    void load();
  };
  const replay = async (d: Delivery) => {
    setBusy(true);
    setError(null);
    try {
      await api.send<ApiBody<"replayWebhookDelivery", 202>>(
        "POST",
        `/api/admin/campaigns/${p.slug}/webhooks/deliveries/${d.deliveryId}/replay`,
      );
      setReplayed(d.deliveryId);
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const byId = new Map((endpoints.items ?? []).map((e) => [e.id, e]));

  return (
    <>
      <form className="admin-filters" onSubmit={submit}>
        <select
          className="admin-input"
          aria-label={t("admin.int.log.endpoint")}
          value={endpoint}
          data-input="log-endpoint"
          onChange={(e) => setEndpoint(e.target.value)}
        >
          <option value="">{t("admin.int.log.allEndpoints")}</option>
          {(endpoints.items ?? []).map((e) => (
            <option key={e.id} value={String(e.id)}>
              #{e.id} {e.url}
            </option>
          ))}
        </select>
        <select
          className="admin-input"
          aria-label={t("admin.int.log.status")}
          value={status}
          data-input="log-status"
          onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}
        >
          <option value="">{t("admin.int.log.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`admin.int.status.${s}`)}
            </option>
          ))}
        </select>
        <input
          className="admin-input"
          aria-label={t("admin.int.log.eventId")}
          placeholder={t("admin.int.log.eventId")}
          value={eventId}
          maxLength={300}
          data-input="log-event"
          onChange={(e) => setEventId(e.target.value)}
        />
        <button type="submit" className="admin-button" data-action="filter-log">
          {t("admin.int.log.filter")}
        </button>
        <button
          type="button"
          className="admin-link"
          data-action="refresh-log"
          onClick={() => {
            setReplayed(null);
            void load();
          }}
        >
          {t("admin.int.log.refresh")}
        </button>
      </form>
      <Messages error={error ?? endpoints.error} note={null} />
      {items === null ? (
        <p className="admin-muted">{t("admin.loading")}</p>
      ) : items.length === 0 ? (
        <p className="admin-muted">{t("admin.int.log.none")}</p>
      ) : (
        <ul className="admin-cards" data-list="deliveries">
          {items.map((d) => {
            const ep = byId.get(d.endpointId);
            return (
              <li
                key={d.deliveryId}
                className="admin-card"
                data-delivery={d.deliveryId}
                data-status={d.status}
                data-attempts={d.attempts}
              >
                <div className="admin-card-head">
                  <strong>{t(`admin.int.event.${d.type}`)}</strong>
                  <span className={`admin-state-tag admin-dl-${d.status}`}>
                    {t(`admin.int.status.${d.status}`)}
                  </span>
                </div>
                <div className="admin-muted">
                  <code data-event-id>{d.eventId}</code> →{" "}
                  <code className="admin-url">{ep ? ep.url : `#${d.endpointId}`}</code>
                </div>
                <dl className="admin-facts">
                  <dt>{t("admin.int.log.attempts")}</dt>
                  <dd data-field="attempts">{d.attempts}</dd>
                  <dt>{t("admin.int.log.response")}</dt>
                  <dd data-field="response">{d.lastStatusCode ?? t("admin.int.log.noResponse")}</dd>
                  {d.lastError ? (
                    <>
                      <dt>{t("admin.int.log.error")}</dt>
                      <dd data-field="error">{d.lastError}</dd>
                    </>
                  ) : null}
                  {d.nextAttemptAt ? (
                    <>
                      <dt>{t("admin.int.log.next")}</dt>
                      <dd data-field="next">{moment(lang, d.nextAttemptAt)}</dd>
                    </>
                  ) : null}
                  <dt>{t("admin.int.log.queued")}</dt>
                  <dd>{moment(lang, d.createdAt)}</dd>
                  {d.deliveredAt ? (
                    <>
                      <dt>{t("admin.int.log.deliveredAt")}</dt>
                      <dd>{moment(lang, d.deliveredAt)}</dd>
                    </>
                  ) : null}
                </dl>
                {d.log.length > 0 ? (
                  <details>
                    <summary>{t("admin.int.log.history", { count: d.log.length })}</summary>
                    <ol className="admin-list" data-log>
                      {d.log.map((a) => (
                        <li key={a.attempt} data-attempt={a.attempt} data-replay={String(a.replay)}>
                          {moment(lang, a.at)} · {a.statusCode ?? "—"} ·{" "}
                          {t("admin.int.log.ms", { ms: a.latencyMs })}
                          {a.replay ? (
                            <span className="admin-chip"> {t("admin.int.log.replayMark")}</span>
                          ) : null}
                          {a.error ? <span className="admin-muted"> {a.error}</span> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
                {replayed === d.deliveryId ? (
                  <p className="admin-result" role="status" data-replayed>
                    {t("admin.int.log.replayed")}
                  </p>
                ) : null}
                {ep && !ep.active ? (
                  <p className="admin-muted" data-inactive>
                    {t("admin.int.log.inactive")}
                  </p>
                ) : ep ? (
                  <div className="admin-row">
                    <button
                      type="button"
                      className="admin-button"
                      data-action="replay"
                      disabled={busy}
                      onClick={() => void replay(d)}
                    >
                      {t("admin.int.log.replay")}
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {more !== null ? (
        <button type="button" className="admin-link" onClick={() => void load(more)}>
          {t("admin.int.log.more")}
        </button>
      ) : null}
    </>
  );
}

// ---- the campaign's partner ---------------------------------------------------------------

function PartnerPanel({ slug }: { slug: string }) {
  const { api, t } = useConsole();
  const failure = useFailure();
  const [data, setData] = R.useState<PartnerKeys | null>(null);
  const [error, setError] = R.useState<string | null>(null);
  const [note, setNote] = R.useState<string | null>(null);
  const [busy, setBusy] = R.useState(false);
  const [secret, setSecret] = R.useState<IssuedPartnerKey | null>(null);
  const [confirming, setConfirming] = R.useState<number | null>(null);
  const base = `/api/admin/campaigns/${slug}/partner/keys`;

  const latest = useLatest();
  const load = R.useCallback(
    () =>
      latest(
        (signal) => api.get<PartnerKeys>(base, signal),
        setData,
        (e) => setError(failure(e)),
      ),
    [api, base, failure, latest],
  );
  R.useEffect(() => {
    void load();
  }, [load]);

  const issue = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      setSecret(await api.send<IssuedPartnerKey>("POST", base));
      setNote(t("admin.int.partner.issued"));
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (k: PartnerKey) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await api.send<ApiBody<"revokePartnerKey", 200>>("DELETE", `${base}/${k.id}`);
      setConfirming(null);
      setNote(t("admin.int.partner.revokedDone"));
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  if (data === null)
    return error ? (
      <Messages error={error} note={null} />
    ) : (
      <p className="admin-muted">{t("admin.loading")}</p>
    );
  if (data.partner === null)
    return (
      <p className="admin-coming" data-partner="none">
        {t("admin.int.partner.none")}
      </p>
    );
  return (
    <>
      <p>
        <strong data-partner-name>{data.partner.name}</strong>
      </p>
      <p className="admin-muted">{t("admin.int.partner.intro", { partner: data.partner.name })}</p>
      <p className="admin-muted">{t("admin.int.partner.hooks")}</p>
      <div className="admin-row">
        <button
          type="button"
          className="admin-button"
          data-action="issue-partner-key"
          disabled={busy}
          onClick={() => void issue()}
        >
          {t("admin.int.partner.issue")}
        </button>
      </div>
      <Messages error={error} note={note} />
      {secret ? (
        <SecretOnce
          kind="partner-key"
          label={t("admin.int.partner.label")}
          value={secret.key}
          warning={t("admin.int.secret.keyWarning")}
          onDone={() => setSecret(null)}
        />
      ) : null}
      {data.items.length === 0 ? (
        <p className="admin-muted">{t("admin.int.partner.noKeys")}</p>
      ) : (
        <ul className="admin-cards" data-list="partner-keys">
          {data.items.map((k) => (
            <li
              key={k.id}
              className="admin-card"
              data-partner-key={k.id}
              data-revoked={String(k.revokedAt !== null)}
            >
              <div className="admin-card-head">
                <code data-prefix>{k.prefix}…</code>
                <StateTag on={k.revokedAt === null} off={t("admin.int.revoked")} />
              </div>
              <KeyFacts
                createdAt={k.createdAt}
                createdBy={k.createdBy}
                revokedAt={k.revokedAt}
                revoke={{
                  confirming: confirming === k.id,
                  text: t("admin.int.partner.confirm", { prefix: k.prefix }),
                  action: "revoke-partner-key",
                  busy,
                  onAsk: () => setConfirming(k.id),
                  onConfirm: () => void revoke(k),
                  onCancel: () => setConfirming(null),
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
