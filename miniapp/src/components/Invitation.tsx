/**
 * The invited member's first screen (on Home, until the invitation counts): who invited them,
 * what each of the two gets, and the next step with a short checklist of the campaign's
 * qualifying action (GET /api/me/invitation). Nothing for a member nobody invited.
 */
import { Button, Section } from "@telegram-apps/telegram-ui";
import type { Invitation as InvitationData } from "../api/models.ts";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { formatAmount } from "../shared/format.ts";

export function Invitation({ slug }: { slug: string }) {
  const { api, t, lang, campaign, navigate, profile } = useApp();
  const data = useResource(`invitation:${slug}:${profile?.member.wallet ?? ""}`, () =>
    api.get<InvitationData>(`/api/me/invitation?campaign=${encodeURIComponent(slug)}`),
  );
  const inv = data.data?.invitation;
  if (!inv || inv.status === "qualified" || inv.status === "rejected") return null;
  const amount = (a: { token: string; amount: { wei: string } } | null) => {
    if (!a) return null;
    const decimals = campaign?.tokens.find((x) => x.symbol === a.token)?.decimals ?? 18;
    return `${formatAmount(a.amount.wei, decimals, lang)} ${a.token}`;
  };
  const name = inv.referrerName ?? t("invited.someone");
  const mine = amount(inv.welcome);
  const theirs = amount(inv.referrerReward);
  const challenge = campaign?.challenges.find((c) => c.id === inv.challengeId) as
    | { title?: Record<string, string> }
    | undefined;
  const stepText = (id: string) =>
    id === "hold"
      ? t("invited.step.hold", { hours: inv.holdHours ?? 0 })
      : id === "challenge"
        ? t("invited.step.challenge", {
            title: challenge?.title?.[lang] ?? inv.challengeId ?? "",
          })
        : t(`invited.step.${id}`);
  const next = inv.steps.find((s) => !s.done);
  return (
    <Section data-section="invitation" data-status={inv.status}>
      <div className="invitation">
        <h2 className="card-title" data-testid="invited-by">
          {t("invited.title", { name })}
        </h2>
        <p className="invitation-offer" data-testid="invitation-offer">
          {[
            mine ? t("invited.youGet", { amount: mine }) : null,
            theirs ? t("invited.theyGet", { name, amount: theirs }) : null,
          ]
            .filter(Boolean)
            .join(" ")}
        </p>
        {inv.status === "review" ? <p className="hint">{t("invited.review")}</p> : null}
        <ol className="checklist" aria-label={t("invited.checklist")}>
          {inv.steps.map((s) => (
            <li
              key={s.id}
              data-step={s.id}
              data-done={s.done}
              aria-current={s === next ? "step" : undefined}
            >
              <span className="check" aria-hidden="true">
                {s.done ? "✓" : s === next ? "→" : "○"}
              </span>
              <span>
                {stepText(s.id)}
                <span className="visually-hidden">
                  {" "}
                  {s.done ? t("invited.done") : t("invited.todo")}
                </span>
              </span>
            </li>
          ))}
        </ol>
        {next?.id === "wallet" ? (
          <Button
            size="m"
            stretched
            data-testid="invitation-next"
            onClick={() => navigate("/wallet")}
          >
            {t("invited.next.wallet")}
          </Button>
        ) : next?.id === "challenge" ? (
          <Button
            size="m"
            stretched
            data-testid="invitation-next"
            onClick={() => navigate("/challenges")}
          >
            {t("invited.next.challenge")}
          </Button>
        ) : null}
      </div>
    </Section>
  );
}
