/**
 * Wallet: shows the linked address and links a new one. Connect an injected wallet (EIP-6963
 * or window.ethereum), then sign in with Ethereum against the server's nonce; the server
 * verifies the domain, URI, chain, nonce and signature. Members often sign in their wallet
 * app and come back by hand, so the profile reloads when the page regains focus.
 */
import { Button, Cell, List, Placeholder, Section, Text } from "@telegram-apps/telegram-ui";
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";
import { Toast, useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useClosingConfirmation, useToast } from "../hooks.ts";
import { explorerAddress } from "../shared/format.ts";
import { connectAccount, linkWallet, WalletError } from "../wallet/actions.ts";
import type { WalletOption } from "../wallet/providers.ts";
import { setConnected, useConnected, usePairingUri, useWalletOptions } from "../wallet/state.ts";

type Step = "idle" | "connecting" | "signing";

export default function Wallet() {
  const { profile, t, api, platform, config, refresh, navigate } = useApp();
  const options = useWalletOptions(config);
  const connected = useConnected();
  const pairingUri = usePairingUri();
  const problem = useProblemText();
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);
  const [toast, showToast, clearToast] = useToast();
  // Leaving mid-signature would strand a nonce and confuse the member: ask first.
  useClosingConfirmation(step !== "idle");
  if (!profile) return null;
  const linked = profile.member.wallet;

  const link = async (option: WalletOption) => {
    setError(null);
    setStep("connecting");
    try {
      const address = await connectAccount(option.provider);
      setConnected({ option, address });
      setStep("signing");
      const result = await linkWallet(api, option.provider, address);
      platform.haptic("success");
      showToast(t(result.relinked ? "wallet.relinkedToast" : "wallet.linkedToast"));
      refresh();
    } catch (e) {
      platform.haptic("error");
      setError(
        e instanceof WalletError
          ? t(`wallet.error.${e.code}`)
          : e instanceof ApiError
            ? problem(e)
            : t("problem.unknown"),
      );
    } finally {
      setStep("idle");
    }
  };

  const explorer = linked ? explorerAddress(config.chain.explorerUrl, linked) : null;
  return (
    <List>
      <Section header={t("wallet.linked")} data-section="linked">
        {linked ? (
          <Cell
            multiline
            subtitle={config.chain.name}
            after={
              explorer ? (
                <Button size="s" mode="plain" onClick={() => platform.openLink(explorer)}>
                  {t("action.explorer")}
                </Button>
              ) : undefined
            }
          >
            {/* One deliberate break point, in the middle, on a narrow screen: never a random
                character, and the text is still exactly the address (copy, screen readers). */}
            <code className="address" data-testid="linked-address">
              {linked.slice(0, 22)}
              <wbr />
              {linked.slice(22)}
            </code>
          </Cell>
        ) : (
          <Placeholder
            data-state="empty"
            header={t("wallet.none")}
            description={t("wallet.noneHint")}
          />
        )}
      </Section>
      <Section
        header={linked ? t("wallet.change") : t("wallet.connect")}
        footer={error ?? t("wallet.siweHint")}
        data-section="connect"
      >
        {options.length === 0 ? (
          <Cell multiline data-state="empty">
            <Text>
              {platform.kind === "telegram"
                ? t("wallet.noneInTelegram")
                : t("wallet.noneInBrowser")}
            </Text>
          </Cell>
        ) : (
          options.map((o) => (
            <Cell
              key={o.id}
              before={o.icon ? <img src={o.icon} alt="" width={28} height={28} /> : undefined}
              subtitle={
                connected?.option.id === o.id ? connected.address : t(`wallet.kind.${o.kind}`)
              }
              after={
                <Button
                  size="s"
                  data-testid={`connect-${o.id}`}
                  loading={step !== "idle"}
                  disabled={step !== "idle"}
                  onClick={() => void link(o)}
                >
                  {linked ? t("wallet.signInChange") : t("wallet.signIn")}
                </Button>
              }
            >
              {o.name}
            </Cell>
          ))
        )}
        {step !== "idle" ? (
          <Cell multiline data-testid="wallet-step">
            <span className="hint">{t(`wallet.step.${step}`)}</span>
          </Cell>
        ) : null}
      </Section>
      {pairingUri ? <Pairing uri={pairingUri} /> : null}
      <Toast text={toast} onClose={clearToast} />
      <Section data-section="privacy-link">
        <Cell
          multiline
          description={t("wallet.privacyHint")}
          after={
            <Button
              size="s"
              mode="bezeled"
              data-testid="open-privacy"
              onClick={() => navigate("/privacy")}
            >
              {t("wallet.privacyOpen")}
            </Button>
          }
        >
          {t("page.privacy")}
        </Cell>
      </Section>
    </List>
  );
}

/**
 * A WalletConnect pairing in progress: a QR code for a wallet on another device, and a plain
 * link for a wallet app on this one (a link, so the tap itself opens it, as wallets require).
 */
function Pairing({ uri }: { uri: string }) {
  const { t, platform } = useApp();
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then(async (QR) => {
      const svg = await QR.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [uri]);
  return (
    <Section header={t("wallet.pairing.title")} footer={t("wallet.pairing.hint")}>
      <div className="qr" data-testid="walletconnect-pairing">
        {qr ? <img src={qr} alt={t("wallet.pairing.title")} /> : <div className="qr-placeholder" />}
      </div>
      <Cell
        after={
          <Button size="s" mode="plain" onClick={() => void platform.copy(uri)}>
            {t("wallet.pairing.copy")}
          </Button>
        }
      >
        <a href={uri} target="_blank" rel="noreferrer">
          {t("wallet.pairing.open")}
        </a>
      </Cell>
    </Section>
  );
}
