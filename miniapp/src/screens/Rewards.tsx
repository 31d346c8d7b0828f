/**
 * Rewards: what can be claimed from the Merkle distributor (proof from the API, the claim
 * transaction sent from the member's wallet, shown pending → confirmed), and the history of
 * every reward with its state and transaction link.
 */
import { Button, Cell, List, Section } from "@telegram-apps/telegram-ui";
import { useEffect, useState } from "react";
import { ApiError } from "../api/client.ts";
import type { Page, ProofItem, RewardItem } from "../api/models.ts";
import { loadProofs } from "../api/proofs.ts";
import { ExplorerLink } from "../components/ExplorerLink.tsx";
import {
  Empty,
  ErrorState,
  MoreButton,
  SkeletonRows,
  Toast,
  useProblemText,
} from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useClosingConfirmation, useResource, useToast } from "../hooks.ts";
import { explorerTx, formatAmount, shortAddress } from "../shared/format.ts";
import { stateTone } from "../shared/status.ts";
import { sendClaim, WalletError } from "../wallet/actions.ts";
import { useConnected, useWalletOptions } from "../wallet/state.ts";

export default function Rewards() {
  const { t } = useApp();
  const [toast, showToast, clearToast] = useToast();
  return (
    <List>
      <Claims onDone={showToast} />
      <Section header={t("rewards.history")} data-section="history">
        <History />
      </Section>
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}

type ClaimState =
  | { phase: "idle" }
  | { phase: "signing"; key: string }
  | { phase: "pending"; key: string; hash: string }
  | { phase: "confirmed"; key: string; hash: string }
  | { phase: "failed"; key: string; message: string; hash?: string };

function Claims({ onDone }: { onDone: (text: string) => void }) {
  const { api, t, lang, config, campaign, platform, refresh, navigate } = useApp();
  const problem = useProblemText();
  const proofs = useResource("proofs", () => loadProofs(api));
  const connected = useConnected();
  const injected = useWalletOptions(config).filter((o) => o.kind === "injected");
  const [claim, setClaim] = useState<ClaimState>({ phase: "idle" });
  useClosingConfirmation(claim.phase === "signing" || claim.phase === "pending");

  if (proofs.status === "loading") return <SkeletonRows rows={1} />;
  if (proofs.status === "error")
    return (
      <Section header={t("rewards.claimable")}>
        <ErrorState error={proofs.error} onRetry={proofs.reload} />
      </Section>
    );
  const open = proofs.data.filter((p) => BigInt(p.claimable) > 0n);
  const shownHash = claim.phase === "pending" || claim.phase === "confirmed" ? claim.hash : null;
  if (open.length === 0 && claim.phase === "idle") return null;

  const run = async (item: ProofItem) => {
    const key = `${item.token}:${item.epoch}`;
    // The wallet connected on the Wallet screen, else the first injected one (WalletConnect
    // pairs on the Wallet screen, which shows its QR code and link).
    const wallet = connected ?? null;
    const option = wallet?.option ?? injected[0];
    if (!option) {
      setClaim({ phase: "failed", key, message: t("rewards.needWallet") });
      return;
    }
    setClaim({ phase: "signing", key });
    try {
      const { connectAccount } = await import("../wallet/actions.ts");
      const from = wallet?.address ?? (await connectAccount(option.provider));
      const hash = await sendClaim(option.provider, config.chain, from, item);
      setClaim({ phase: "pending", key, hash });
      const { waitForReceipt } = await import("../chain/reads.ts");
      const receipt = await waitForReceipt(config.chain, hash);
      if (receipt.status !== "success") {
        setClaim({ phase: "failed", key, hash, message: t("rewards.reverted") });
        platform.haptic("error");
        return;
      }
      setClaim({ phase: "confirmed", key, hash });
      platform.haptic("success");
      onDone(t("rewards.claimed"));
      proofs.reload();
      refresh();
    } catch (e) {
      platform.haptic("error");
      setClaim({
        phase: "failed",
        key,
        message:
          e instanceof WalletError
            ? t(`wallet.error.${e.code}`)
            : e instanceof ApiError
              ? problem(e)
              : t("problem.unknown"),
      });
    }
  };

  return (
    <Section header={t("rewards.claimable")} footer={t("rewards.claimHint")} data-section="claims">
      {open.map((item) => {
        const key = `${item.token}:${item.epoch}`;
        const decimals = campaign?.tokens.find((x) => x.symbol === item.token)?.decimals ?? 18;
        const busy =
          claim.phase !== "idle" && claim.phase !== "confirmed" && claim.phase !== "failed";
        return (
          <Cell
            key={key}
            multiline
            data-claim={item.token}
            subtitle={t("rewards.deadline", {
              date: new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(
                new Date(item.deadline * 1000),
              ),
            })}
            description={t("rewards.to", { address: shortAddress(item.account) })}
            after={
              <Button
                size="s"
                data-testid={`claim-${item.token}`}
                loading={busy && "key" in claim && claim.key === key}
                disabled={busy}
                onClick={() => void run(item)}
              >
                {t("rewards.claim")}
              </Button>
            }
          >
            {formatAmount(item.claimable, decimals, lang)} {item.token}
          </Cell>
        );
      })}
      {claim.phase !== "idle" ? (
        <Cell
          multiline
          data-testid="claim-status"
          data-phase={claim.phase}
          subtitle={
            shownHash ? (
              <TxLink hash={shownHash} />
            ) : claim.phase === "failed" ? (
              claim.message
            ) : undefined
          }
          after={
            claim.phase === "failed" && injected.length === 0 ? (
              <Button size="s" mode="plain" onClick={() => navigate("/wallet")}>
                {t("tab.wallet")}
              </Button>
            ) : undefined
          }
        >
          {t(`rewards.phase.${claim.phase}`)}
        </Cell>
      ) : null}
    </Section>
  );
}

function TxLink({ hash }: { hash: string }) {
  const { config } = useApp();
  return <ExplorerLink value={hash} link={explorerTx(config.chain.explorerUrl, hash)} />;
}

function History() {
  const { api, t, lang, campaign, profile } = useApp();
  const slug = encodeURIComponent(profile?.campaign.slug ?? "");
  const first = useResource(`rewards:${slug}`, () =>
    api.get<Page<RewardItem>>(`/api/me/rewards?limit=20&campaign=${slug}`),
  );
  const [items, setItems] = useState<RewardItem[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    if (first.status === "ready") {
      setItems(first.data.items);
      setCursor(first.data.nextBefore);
    }
  }, [first.status, first.data]);
  if (first.status === "loading") return <SkeletonRows rows={3} />;
  if (first.status === "error") return <ErrorState error={first.error} onRetry={first.reload} />;
  if (items.length === 0)
    return <Empty title={t("rewards.empty")} description={t("rewards.emptyHint")} />;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
  const loadMore = async () => {
    if (cursor === null) return;
    setMore(true);
    try {
      const next = await api.get<Page<RewardItem>>(
        `/api/me/rewards?limit=20&before=${cursor}&campaign=${slug}`,
      );
      setItems((list) => [...list, ...next.items]);
      setCursor(next.nextBefore);
    } finally {
      setMore(false);
    }
  };
  return (
    <>
      {items.map((r) => {
        const decimals = campaign?.tokens.find((x) => x.symbol === r.token)?.decimals ?? 18;
        return (
          <Cell
            key={r.id}
            multiline
            data-reward={r.id}
            data-state={r.state}
            subhead={date.format(new Date(r.createdAt))}
            subtitle={
              r.kind === "referral" && r.level !== null
                ? t("rewards.kind.referral", { level: r.level })
                : t(`rewards.kind.${r.kind}`)
            }
            description={r.txHash ? <TxLink hash={r.txHash} /> : undefined}
            after={
              <span className={`status status-${stateTone(r.state)}`}>{t(`state.${r.state}`)}</span>
            }
          >
            +{formatAmount(r.amount.wei, decimals, lang)} {r.token}
          </Cell>
        );
      })}
      <MoreButton cursor={cursor} loading={more} onMore={() => void loadMore()} />
    </>
  );
}
