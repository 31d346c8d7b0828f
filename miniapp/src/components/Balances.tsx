/**
 * Home's balances and badges, loaded after the first screen (a lazy chunk: the first bundle
 * stays within its budget). Per token: the balance read directly from the chain (marked
 * "verified on-chain", with the contract's explorer link), and in plain words where the rest
 * of the member's rewards are: on the way, reserved for them on-chain (escrow: "link a
 * wallet"), being released to their wallet, claimable since/until. A member without a wallet
 * sees what is reserved for them, never "—" or a misleading 0; "add to wallet" (EIP-747).
 */
import { Button, Cell, Section } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import type { CampaignRules, MyBadges, Profile, RewardSummary } from "../api/models.ts";
import { loadProofs } from "../api/proofs.ts";
import { useApp } from "../context.ts";
import { useResource } from "../hooks.ts";
import { dateFormat, explorerToken, explorerTx, formatAmount } from "../shared/format.ts";
import { pendingWei } from "../shared/status.ts";
import { useWalletOptions } from "../wallet/state.ts";
import { ExplorerLink } from "./ExplorerLink.tsx";
import { ErrorState, SkeletonRows } from "./States.tsx";

type Token = CampaignRules["tokens"][number];

export function Balances({ profile }: { profile: Profile }) {
  const { t, lang, config, api, campaign, navigate } = useApp();
  const wallet = profile.member.wallet;
  const tokens = campaign?.tokens ?? [];
  const readable = tokens.filter((x) => x.address !== null);
  const canRead = wallet !== null && config.chain.rpcUrl !== null && readable.length > 0;
  const balances = useResource(
    canRead ? `balances:${wallet}:${readable.map((x) => x.address).join()}` : null,
    async () => {
      const { readTokenBalances } = await import("../chain/reads.ts");
      return readTokenBalances(
        config.chain,
        wallet ?? "",
        readable.map((x) => ({ symbol: x.symbol, address: x.address ?? "" })),
      );
    },
  );
  const slug = encodeURIComponent(profile.campaign.slug);
  const summary = useResource(`reward-summary:${slug}:${wallet}`, () =>
    api.get<RewardSummary>(`/api/me/rewards/summary?campaign=${slug}`),
  );
  const proofs = useResource("proofs", () => loadProofs(api));

  if (!campaign) return <SkeletonRows rows={2} />;
  const symbols = new Set([
    ...tokens.map((x) => x.symbol),
    ...profile.stats.rewards.map((r) => r.token),
  ]);
  return (
    <Section
      header={t("home.balances")}
      data-section="balances"
      footer={
        wallet === null
          ? undefined
          : config.chain.rpcUrl === null
            ? t("home.noRpc")
            : t("home.readFrom", { chain: config.chain.name })
      }
    >
      {wallet === null ? (
        <Cell
          multiline
          description={t("balance.linkHint")}
          after={
            <Button
              size="s"
              mode="bezeled"
              data-testid="balance-link-wallet"
              onClick={() => navigate("/wallet")}
            >
              {t("home.linkWallet")}
            </Button>
          }
        >
          {t("home.noWallet")}
        </Cell>
      ) : null}
      {balances.status === "error" ? (
        <ErrorState error={balances.error} onRetry={balances.reload} />
      ) : null}
      {[...symbols].map((symbol) => {
        const token = tokens.find((x) => x.symbol === symbol);
        const rewards = profile.stats.rewards.find((r) => r.token === symbol);
        const where = summary.data?.tokens.find((x) => x.token === symbol);
        const claimable = (proofs.data ?? [])
          .filter((p) => p.token === symbol)
          .reduce((sum, p) => sum + BigInt(p.claimable), 0n);
        return (
          <TokenCell
            key={symbol}
            symbol={symbol}
            token={token}
            balance={balances.data?.find((b) => b.symbol === symbol)?.wei}
            loading={
              (canRead && balances.status === "loading" && token?.address !== null) ||
              (wallet === null && summary.status === "loading")
            }
            wallet={wallet}
            pending={rewards ? pendingWei(rewards.byState) : 0n}
            where={where}
            claimable={claimable}
            lang={lang}
          />
        );
      })}
    </Section>
  );
}

function TokenCell(p: {
  symbol: string;
  token: Token | undefined;
  balance: bigint | undefined;
  loading: boolean;
  wallet: string | null;
  pending: bigint;
  where: RewardSummary["tokens"][number] | undefined;
  claimable: bigint;
  lang: string;
}) {
  const { t, config } = useApp();
  const decimals = p.token?.decimals ?? 18;
  const address = p.token?.address ?? null;
  const link = address ? explorerToken(config.chain.explorerUrl, address, p.wallet) : null;
  const amount = (wei: bigint) => `${formatAmount(wei, decimals, p.lang)} ${p.symbol}`;
  const reserved = BigInt(p.where?.amounts.reserved.wei ?? "0");
  const releasing = BigInt(p.where?.amounts.releasing.wei ?? "0");
  const when = (iso: string | null | undefined) =>
    iso ? dateFormat(p.lang, { dateStyle: "long" }).format(new Date(iso)) : null;
  const extra: Array<[string, string]> = [];
  if (p.pending > 0n) extra.push(["pending", t("home.pending", { amount: amount(p.pending) })]);
  // Without a wallet the reserved amount is the figure itself (below), with the step to take.
  if (reserved > 0n && p.wallet !== null)
    extra.push(["reserved", t("balance.reservedWallet", { amount: amount(reserved) })]);
  if (releasing > 0n)
    extra.push(["releasing", t("balance.releasing", { amount: amount(releasing) })]);
  if (p.claimable > 0n) {
    const since = when(p.where?.claimableSince);
    const until = when(p.where?.claimableUntil);
    extra.push([
      "claimable",
      [
        t("home.claimable", { amount: amount(p.claimable) }),
        since ? t("balance.since", { date: since }) : null,
        until ? t("balance.until", { date: until }) : null,
      ]
        .filter(Boolean)
        .join(" · "),
    ]);
  }
  // The figure: the wallet's on-chain balance; without a wallet, what is reserved for the
  // member (held on-chain for them); never a dash or a zero standing for "unknown".
  const figure =
    p.wallet === null
      ? p.loading
        ? "…"
        : amount(reserved)
      : p.balance !== undefined
        ? amount(p.balance)
        : p.loading
          ? "…"
          : null;
  return (
    <Cell
      multiline
      data-token={p.symbol}
      before={
        <span className="token-mark" aria-hidden="true">
          {p.symbol.slice(0, 3)}
        </span>
      }
      subhead={p.token?.name ?? p.symbol}
      subtitle={
        address ? (
          <span className="contract">
            {t("home.contract")} <ExplorerLink value={address} link={link} />
          </span>
        ) : (
          t("home.notDeployed")
        )
      }
      description={
        extra.length > 0 || (p.wallet === null && reserved > 0n) || address ? (
          <span className="token-notes">
            {p.wallet === null && reserved > 0n ? (
              <span data-testid={`reserved-${p.symbol}`}>{t("balance.reservedLink")}</span>
            ) : null}
            {extra.map(([id, text]) => (
              <span key={id} data-testid={`${id}-${p.symbol}`}>
                {text}
              </span>
            ))}
            {address && p.wallet !== null ? (
              <WatchAsset symbol={p.symbol} address={address} decimals={decimals} />
            ) : null}
          </span>
        ) : undefined
      }
      after={
        p.balance !== undefined ? (
          <span className="verified" data-testid={`verified-${p.symbol}`}>
            ✓{" "}
            {link && address ? (
              <ExplorerLink value={address} link={link} label={t("home.verified")} />
            ) : (
              t("home.verified")
            )}
          </span>
        ) : undefined
      }
    >
      <span
        data-testid={`balance-${p.symbol}`}
        data-kind={p.wallet === null ? "reserved" : "onchain"}
        className="balance"
      >
        {figure ?? t("balance.unavailable")}
      </span>
    </Cell>
  );
}

/** "Add to wallet": asks an injected wallet to track the token (EIP-747 `wallet_watchAsset`). */
function WatchAsset(p: { symbol: string; address: string; decimals: number }) {
  const { t, config, platform } = useApp();
  const injected = useWalletOptions(config).find((o) => o.kind === "injected");
  const [state, setState] = useState<"idle" | "added" | "declined" | "failed">("idle");
  if (!injected) return null;
  const add = async () => {
    try {
      const ok = await injected.provider.request({
        method: "wallet_watchAsset",
        params: {
          type: "ERC20",
          options: { address: p.address, symbol: p.symbol.slice(0, 11), decimals: p.decimals },
        },
      });
      setState(ok === false ? "declined" : "added");
      platform.haptic(ok === false ? "error" : "success");
    } catch (error) {
      setState((error as { code?: number })?.code === 4001 ? "declined" : "failed");
    }
  };
  return (
    <span className="watch-asset">
      <button
        type="button"
        className="link-button"
        data-testid={`watch-${p.symbol}`}
        disabled={state === "added"}
        onClick={() => void add()}
      >
        {t("balance.addToWallet", { symbol: p.symbol })}
      </button>
      {state !== "idle" ? (
        <span role="status" data-testid={`watch-${p.symbol}-state`} data-state={state}>
          {t(`balance.watch.${state}`)}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Badges: each one the member was awarded (GET /api/me/badges), "earned" only when it is and
 * "verified on-chain" (with the mint's explorer link) once minted; nothing is shown as earned
 * for merely being in a tier that has a badge.
 */
export function Badges({ profile }: { profile: Profile }) {
  const { t, lang, api, config, campaign } = useApp();
  const slug = encodeURIComponent(profile.campaign.slug);
  const mine = useResource(`my-badges:${slug}`, () =>
    api.get<MyBadges>(`/api/me/badges?campaign=${slug}`),
  );
  if (!campaign || campaign.badges.length === 0) return null;
  if (mine.status === "loading") return <SkeletonRows rows={1} />;
  const items = mine.data?.items ?? [];
  return (
    <Section header={t("home.badges")} data-section="badges">
      {mine.status === "error" ? <ErrorState error={mine.error} onRetry={mine.reload} /> : null}
      {items.length === 0 ? (
        <Cell multiline data-testid="no-badges">
          {t("home.noBadges")}
        </Cell>
      ) : (
        items.map((b) => (
          <Cell
            key={`${b.id}:${b.awardedAt}`}
            multiline
            data-badge={b.id}
            data-status={b.status}
            before={
              <span className="badge-mark" aria-hidden="true">
                ★
              </span>
            }
            description={
              b.status === "awaiting_wallet" ? t("balance.badgeAwaitingWallet") : undefined
            }
            after={
              b.status === "minted" ? (
                <span className="verified">
                  ✓{" "}
                  {b.txHash ? (
                    <ExplorerLink
                      value={b.txHash}
                      link={explorerTx(config.chain.explorerUrl, b.txHash)}
                      label={t("home.verified")}
                    />
                  ) : (
                    t("home.verified")
                  )}
                </span>
              ) : (
                <span className="hint">{t("home.badgeEarned")}</span>
              )
            }
          >
            {b.name[lang]}
          </Cell>
        ))
      )}
    </Section>
  );
}
