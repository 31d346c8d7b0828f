/**
 * Invite: the member's code and links (bot, Mini App, and the tracked link that counts
 * clicks), share through Telegram (or the browser's share sheet), copy, and a QR code. Also
 * a form to enter the code of whoever invited the member, for those who came without a link.
 */
import { Button, Cell, Input, List, Section, Text } from "@telegram-apps/telegram-ui";
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";
import type { Invitation } from "../api/models.ts";
import { Toast, useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useClosingConfirmation, useMainButton, useResource, useToast } from "../hooks.ts";

export default function Invite() {
  const { profile, t, platform, config, campaign, lang } = useApp();
  const [toast, showToast, clearToast] = useToast();
  const [qr, setQr] = useState<string | null>(null);
  const share = profile?.links.redirect ?? "";

  useEffect(() => {
    if (!share) return;
    let live = true;
    void import("qrcode").then(async (QR) => {
      const svg = await QR.toString(share, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [share]);

  const shareText = t("invite.shareText", { campaign: campaign?.name[lang] ?? "" });
  const doShare = async () => {
    platform.haptic("tap");
    if (await platform.share(share, shareText)) return;
    await copy(share);
  };
  const copy = async (text: string) => {
    try {
      await platform.copy(text);
      platform.haptic("success");
      showToast(t("invite.copied"));
    } catch {
      platform.haptic("error");
      showToast(t("invite.copyFailed"));
    }
  };
  useMainButton(profile ? { text: t("invite.share"), onClick: () => void doShare() } : null);
  if (!profile) return null;

  const links: Array<{ id: string; label: string; url: string }> = [
    { id: "redirect", label: t("invite.linkTracked"), url: profile.links.redirect },
    { id: "bot", label: t("invite.linkBot"), url: profile.links.bot },
    ...(config.mode === "miniapp"
      ? [{ id: "miniapp", label: t("invite.linkMiniApp"), url: profile.links.miniApp }]
      : []),
  ];
  return (
    <List>
      <Section header={t("invite.code")} data-section="code">
        <Cell
          after={
            <Button size="s" mode="bezeled" onClick={() => void copy(profile.code)}>
              {t("action.copy")}
            </Button>
          }
        >
          <span className="code" data-testid="invite-code">
            {profile.code}
          </span>
        </Cell>
      </Section>
      <Section header={t("invite.links")} footer={t("invite.linksHint")} data-section="links">
        {links.map((l) => (
          <Cell
            key={l.id}
            multiline
            subhead={l.label}
            data-link={l.id}
            after={
              <Button
                size="s"
                mode="bezeled"
                data-testid={`copy-${l.id}`}
                onClick={() => void copy(l.url)}
              >
                {t("action.copy")}
              </Button>
            }
          >
            <span className="link-text">{l.url}</span>
          </Cell>
        ))}
      </Section>
      <Section data-section="share">
        <div className="actions">
          <Button stretched size="l" data-testid="share" onClick={() => void doShare()}>
            {t("invite.share")}
          </Button>
        </div>
        <div className="qr">
          {qr ? (
            <img src={qr} alt={t("invite.qrAlt")} width={200} height={200} data-testid="qr" />
          ) : (
            <div className="qr-placeholder" />
          )}
          <Text className="hint">{t("invite.qrHint")}</Text>
        </div>
      </Section>
      <EnterCode onDone={showToast} />
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}

function EnterCode({ onDone }: { onDone: (text: string) => void }) {
  const { api, t, platform, refresh, profile } = useApp();
  const slug = profile?.campaign.slug ?? "";
  // Once someone's invitation is recorded the question is answered: the form goes away.
  const invitation = useResource(
    slug ? `invitation:${slug}:${profile?.member.wallet ?? ""}` : null,
    () => api.get<Invitation>(`/api/me/invitation?campaign=${encodeURIComponent(slug)}`),
  );
  const problem = useProblemText();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The half-typed code would be lost if Telegram closed the Mini App now.
  useClosingConfirmation(code.trim() !== "");
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/me/attribution", { code: code.trim() });
      platform.haptic("success");
      setCode("");
      onDone(t("invite.codeAccepted"));
      invitation.reload();
      refresh();
    } catch (e) {
      platform.haptic("error");
      setError(e instanceof ApiError ? problem(e) : t("problem.unknown"));
    } finally {
      setBusy(false);
    }
  };
  if (invitation.status !== "ready" || invitation.data.invitation !== null) return null;
  return (
    <Section
      header={t("invite.enterCode")}
      footer={error ?? t("invite.enterCodeHint")}
      data-section="enter-code"
    >
      <form
        className="code-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim() !== "") void submit();
        }}
      >
        <Input
          header={t("invite.friendCode")}
          aria-label={t("invite.friendCode")}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder={t("invite.codePlaceholder")}
          value={code}
          maxLength={64}
          status={error ? "error" : "default"}
          onChange={(e) => setCode(e.target.value)}
          data-testid="code-input"
        />
        <Button type="submit" size="m" mode="bezeled" loading={busy} disabled={code.trim() === ""}>
          {t("invite.apply")}
        </Button>
      </form>
    </Section>
  );
}
