/**
 * Shop: the campaign's perks with price, token, stock, end of sale and any requirement (a
 * status or a badge), the member's balance beside each; redeeming signs an order (and a permit
 * when the shop's allowance is short) in the member's wallet and the backend relays it, so no
 * gas is needed: pending, then confirmed with the transaction link and the coupon. Below: the
 * member's coupons and badges, each badge with its explorer link.
 */
import { Button, Cell, List, Section } from "@telegram-apps/telegram-ui";
import { useState } from "react";
import { ApiError } from "../api/client.ts";
import type { Coupon, MyBadges, Redemption, Shop, ShopItem } from "../api/models.ts";
import { Toast, useProblemText } from "../components/States.tsx";
import { useApp } from "../context.ts";
import { useClosingConfirmation, useResource, useToast } from "../hooks.ts";
import { explorerTx, formatAmount } from "../shared/format.ts";
import { WalletError } from "../wallet/actions.ts";
import { useConnected, useWalletOptions } from "../wallet/state.ts";

type Phase = {
  perkId: number;
  phase: "signing" | "pending" | "confirmed" | "failed";
  order?: Redemption;
  error?: string;
};

export default function ShopScreen() {
  const { t, lang, api, config, campaign, platform, navigate } = useApp();
  const slug = campaign?.slug ?? null;
  const shop = useResource(slug ? `shop:${slug}` : null, () =>
    api.get<Shop>(`/api/me/shop?campaign=${encodeURIComponent(slug ?? "")}`),
  );
  const coupons = useResource("coupons", () =>
    api.get<{ items: Coupon[] }>("/api/rewards/coupons"),
  );
  const badges = useResource(slug ? `badges:${slug}` : null, () =>
    api.get<MyBadges>(`/api/me/badges?campaign=${encodeURIComponent(slug ?? "")}`),
  );
  const options = useWalletOptions(config);
  const connected = useConnected();
  const problem = useProblemText();
  const [phase, setPhase] = useState<Phase | null>(null);
  const [toast, showToast, clearToast] = useToast();
  useClosingConfirmation(phase?.phase === "signing");

  const redeem = async (data: Shop, item: ShopItem) => {
    const option = connected?.option ?? options[0];
    if (!option) {
      navigate("/wallet");
      return;
    }
    setPhase({ perkId: item.perkId, phase: "signing" });
    try {
      const { connectAccount } = await import("../wallet/actions.ts");
      const { redeemPerk } = await import("../wallet/shop.ts");
      const from = connected?.address ?? (await connectAccount(option.provider));
      const order = await redeemPerk(api, option.provider, config.chain, from, data, item);
      setPhase({ perkId: item.perkId, phase: "pending", order });
      // The relayer sends it; the indexer confirms it and issues the coupon.
      for (let i = 0; i < 240; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const list = await api.get<{ items: Redemption[] }>("/api/me/redemptions");
        const now = list.items.find((o) => o.id === order.id);
        if (now?.status === "redeemed" && now.coupon) {
          setPhase({ perkId: item.perkId, phase: "confirmed", order: now });
          platform.haptic("success");
          shop.reload();
          coupons.reload();
          return;
        }
        if (now?.status === "failed") {
          setPhase({ perkId: item.perkId, phase: "failed", order: now, error: t("shop.failed") });
          return;
        }
      }
    } catch (e) {
      platform.haptic("error");
      const error =
        e instanceof WalletError
          ? t(`wallet.error.${e.code}`)
          : e instanceof ApiError
            ? problem(e)
            : t("problem.unknown");
      setPhase({ perkId: item.perkId, phase: "failed", error });
      showToast(error);
    }
  };

  const data = shop.data;
  return (
    <List>
      <Section header={t("shop.perks")} footer={t("shop.gasless")} data-section="perks">
        {shop.status === "error" ? (
          <Cell multiline>{problem(shop.error)}</Cell>
        ) : !data ? (
          <Cell>{t("state.loading")}</Cell>
        ) : data.items.length === 0 ? (
          <Cell multiline data-state="empty">
            {t("shop.empty")}
          </Cell>
        ) : (
          data.items.map((item) => {
            const decimals = item.decimals;
            const price = `${formatAmount(item.price.wei, decimals, lang)} ${item.token}`;
            const facts = [
              item.stock === null ? t("shop.unlimited") : t("shop.left", { count: item.stock }),
              item.expiresAt
                ? t("shop.until", { date: new Date(item.expiresAt).toLocaleDateString(lang) })
                : null,
              item.requires?.tier
                ? t("shop.needsTier", { tier: item.requires.tier.name[lang] })
                : null,
              item.requires?.badge
                ? t("shop.needsBadge", { badge: item.requires.badge.name[lang] })
                : null,
            ].filter(Boolean);
            const mine = phase?.perkId === item.perkId ? phase : null;
            const tx = mine?.order?.txHash
              ? explorerTx(config.chain.explorerUrl, mine.order.txHash)
              : null;
            return (
              <Cell
                key={item.perkId}
                multiline
                data-testid={`perk-${item.key}`}
                subtitle={
                  <>
                    <span>{facts.join(" · ")}</span>
                    {item.balance ? (
                      <span className="hint" data-testid={`perk-balance-${item.key}`}>
                        {" · "}
                        {t("shop.youHave", {
                          amount: `${formatAmount(item.balance.wei, decimals, lang)} ${item.token}`,
                        })}
                      </span>
                    ) : null}
                    {item.refusal ? (
                      <span
                        className="hint"
                        data-testid={`perk-refusal-${item.key}`}
                        data-refusal={item.refusal}
                      >
                        <br />
                        {t(`shop.refusal.${item.refusal}`)}
                      </span>
                    ) : null}
                    {mine ? (
                      <span data-testid="redeem-status" data-phase={mine.phase}>
                        <br />
                        {mine.phase === "failed"
                          ? mine.error
                          : t(`shop.phase.${mine.phase}`, { coupon: mine.order?.coupon ?? "" })}
                        {tx ? (
                          <>
                            {" "}
                            <a href={tx} target="_blank" rel="noreferrer" data-testid="redeem-tx">
                              {t("action.explorer")}
                            </a>
                          </>
                        ) : null}
                      </span>
                    ) : null}
                  </>
                }
                after={
                  <Button
                    size="s"
                    data-testid={`redeem-${item.key}`}
                    disabled={
                      item.refusal !== null ||
                      (phase !== null && phase.phase !== "confirmed" && phase.phase !== "failed")
                    }
                    loading={mine?.phase === "signing" || mine?.phase === "pending"}
                    onClick={() => void redeem(data, item)}
                  >
                    {price}
                  </Button>
                }
              >
                {item.title[lang]}
              </Cell>
            );
          })
        )}
      </Section>
      <Section header={t("shop.coupons")} data-section="coupons">
        {(coupons.data?.items ?? []).length === 0 ? (
          <Cell multiline data-state="empty">
            {t("shop.noCoupons")}
          </Cell>
        ) : (
          coupons.data?.items.map((c) => (
            <Cell
              key={c.code}
              multiline
              data-testid={`coupon-${c.code}`}
              subtitle={[
                t(`shop.coupon.${c.status}`),
                c.expiresAt
                  ? t("shop.until", { date: new Date(c.expiresAt).toLocaleDateString(lang) })
                  : null,
              ]
                .filter(Boolean)
                .join(" · ")}
              after={
                <Button size="s" mode="plain" onClick={() => void platform.copy(c.code)}>
                  {t("shop.copy")}
                </Button>
              }
            >
              <code>{c.code}</code>
            </Cell>
          ))
        )}
      </Section>
      <Section header={t("shop.badges")} data-section="badges">
        {(badges.data?.items ?? []).length === 0 ? (
          <Cell multiline data-state="empty">
            {t("shop.noBadges")}
          </Cell>
        ) : (
          badges.data?.items.map((b) => {
            const tx = b.txHash ? explorerTx(config.chain.explorerUrl, b.txHash) : null;
            return (
              <Cell
                key={b.id}
                multiline
                data-testid={`badge-${b.id}`}
                before={<img src={b.image} alt="" width={40} height={48} />}
                subtitle={t(
                  `shop.badge.${b.status === "minted" ? "minted" : b.status === "awaiting_wallet" ? "awaitingWallet" : "minting"}`,
                )}
                after={
                  tx ? (
                    <Button size="s" mode="plain" onClick={() => platform.openLink(tx)}>
                      {t("action.explorer")}
                    </Button>
                  ) : undefined
                }
              >
                {b.name[lang]}
              </Cell>
            );
          })
        )}
      </Section>
      <Toast text={toast} onClose={clearToast} />
    </List>
  );
}
