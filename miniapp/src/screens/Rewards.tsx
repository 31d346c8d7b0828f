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
import { type AppEnv, useApp } from "../context.ts";
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
      // Claimed meanwhile (another tab, another device): the server reads the distributor.
      const fresh = await loadProofs(api);
      if (
        !fresh.some(
          (p) => p.token === item.token && p.epoch === item.epoch && BigInt(p.claimable) > 0n,
        )
      )
        throw new WalletError("already_claimed", "nothing left to claim");
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
      if (e instanceof WalletError && e.code === "already_claimed") {
        proofs.reload();
        refresh();
      }
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
              date: new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(
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

/** Where a reward is, in the member's words: the state line under it and the short pill. */
function deliveryTexts(
  r: RewardItem,
  t: AppEnv["t"],
  date: Intl.DateTimeFormat,
  hasWallet: boolean,
): { line: string | null; pill: string; tone: "good" | "wait" | "bad"; tx: string | null } {
  const on = (iso: string | null) => (iso ? date.format(new Date(iso)) : "");
  const d = r.delivery;
  if (d) {
    switch (d.state) {
      case "wallet":
        return {
          line: t("delivery.wallet"),
          pill: t("delivery.pill.wallet"),
          tone: "good",
          tx: d.txHash,
        };
      case "released":
        return {
          line: t("delivery.released", { date: on(d.at) }),
          pill: t("delivery.pill.wallet"),
          tone: "good",
          tx: d.txHash,
        };
      case "releasing":
        return {
          line: t(d.held ? "delivery.releasingHeld" : "delivery.releasing"),
          pill: t("delivery.pill.releasing"),
          tone: "wait",
          tx: null,
        };
      case "claimable":
        return {
          line: t("delivery.claimable", { since: on(d.at), until: on(d.until) }),
          pill: t("delivery.pill.claimable"),
          tone: "wait",
          tx: null,
        };
      case "claimed":
        return {
          line: t("delivery.claimed"),
          pill: t("delivery.pill.claimed"),
          tone: "good",
          tx: null,
        };
      default:
        return {
          line: t(hasWallet ? "delivery.reservedWallet" : "delivery.reservedLink"),
          pill: t("delivery.pill.reserved"),
          tone: "wait",
          tx: r.txHash,
        };
    }
  }
  const waiting = r.state === "pending" || r.state === "queued";
  return {
    line:
      waiting && r.expiresAt
        ? t("delivery.expiresOn", { date: on(r.expiresAt) })
        : r.state === "expired" && r.expiresAt
          ? t("delivery.expiredOn", { date: on(r.expiresAt) })
          : null,
    pill: t(`state.${r.state}`),
    tone: stateTone(r.state),
    tx: r.txHash,
  };
}

/** Whose invitation a referral reward came from (names only where the member knows them). */
function sourceText(r: RewardItem, t: AppEnv["t"]): string {
  if (r.kind !== "referral" || r.level === null) return t(`rewards.kind.${r.kind}`);
  const s = r.source;
  if (r.level === 1)
    return t("rewards.source.friend", {
      name: s?.friend ?? t("referrals.member", { id: s?.refereeId ?? 0 }),
    });
  if (r.level === 2 && s?.via) return t("rewards.source.via", { name: s.via });
  return t("rewards.source.network", { level: r.level });
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
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "long" });
  const hasWallet = (profile?.member.wallet ?? null) !== null;
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
        const where = deliveryTexts(r, t, date, hasWallet);
        const level =
          r.kind === "referral" && r.level !== null
            ? ` · ${t("referrals.level", { level: r.level })}`
            : "";
        return (
          <Cell
            key={r.id}
            multiline
            data-reward={r.id}
            data-state={r.state}
            data-delivery={r.delivery?.state ?? ""}
            subhead={date.format(new Date(r.createdAt))}
            subtitle={
              <span data-testid="reward-source">
                {sourceText(r, t)}
                {level}
              </span>
            }
            description={
              where.line || where.tx ? (
                <span className="reward-delivery" data-testid="reward-delivery">
                  {where.line ? <span>{where.line}</span> : null}
                  {where.tx ? <TxLink hash={where.tx} /> : null}
                </span>
              ) : undefined
            }
            after={<span className={`status status-${where.tone}`}>{where.pill}</span>}
          >
            +{formatAmount(r.amount.wei, decimals, lang)} {r.token}
          </Cell>
        );
      })}
      <MoreButton cursor={cursor} loading={more} onMore={() => void loadMore()} />
    </>
  );
}
