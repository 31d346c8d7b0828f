/** `/rewards`: the member's latest rewards with their status and transaction links. */
import { Composer } from "grammy";
import { type DeliveryState, listRewards, memberDeliveries } from "../../server/domain/index.ts";
import type { BotContext, BotServices } from "../context.ts";
import { formatAmount, formatDate, txRef } from "../format.ts";
import { HTML } from "../middleware.ts";

const SHOWN = 10;

export function rewardsFeature(s: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.chatType("private").command("rewards", async (ctx) => {
    const member = ctx.member;
    if (!member) return;
    const rewards = await listRewards(s.domain.db, member.id, { limit: SHOWN });
    if (rewards.length === 0) {
      await ctx.reply(ctx.tr("rewards-empty"), HTML);
      return;
    }
    // A reward settled into escrow is not "paid": where each one is, per campaign.
    const where = new Map<number, DeliveryState>();
    for (const slug of new Set(
      rewards.filter((r) => r.state === "settled").map((r) => r.campaign),
    )) {
      const campaign = s.domain.campaigns.bySlug(slug);
      if (!campaign) continue;
      const { byEntry } = await memberDeliveries(s.domain.db, campaign, member.id, s.domain.now());
      for (const [id, d] of byEntry) where.set(id, d.state);
    }
    const out = [ctx.tr("rewards-title")];
    for (const r of rewards) {
      const what =
        r.kind === "referral"
          ? ctx.tr("reward-kind-referral", { level: r.level ?? 1 })
          : ctx.tr(`reward-kind-${r.kind}`);
      const extra: string[] = [];
      if (r.txHash) extra.push(ctx.tr("reward-tx", { tx: txRef(s.explorer, r.txHash) }));
      if ((r.state === "pending" || r.state === "queued") && r.expiresAt)
        extra.push(ctx.tr("reward-expires", { date: formatDate(r.expiresAt, ctx.locale) }));
      const line = ctx.tr("reward-line", {
        amount: formatAmount(
          r.amount,
          r.token,
          ctx.locale,
          s.domain.campaigns.bySlug(r.campaign)?.rules.tokens.get(r.token)?.decimals,
        ),
        what,
        state: ctx.tr(`reward-state-${stateKey(r.state, where.get(r.id), member.wallet !== null)}`),
      });
      out.push(extra.length > 0 ? `${line} · ${extra.join(" · ")}` : line);
    }
    await ctx.reply(out.join("\n"), HTML);
  });
  return c;
}

/** The message key's state: a settled reward by where it is (in the wallet, reserved, …). */
function stateKey(state: string, delivery: DeliveryState | undefined, hasWallet: boolean): string {
  if (state !== "settled" || delivery === undefined) return state;
  if (delivery === "reserved" && !hasWallet) return "reserved-link";
  return delivery === "wallet" || delivery === "released" || delivery === "claimed"
    ? "settled"
    : delivery;
}
