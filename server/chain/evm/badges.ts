/**
 * Badges minted through the pipeline (issue 14), by the badge minter key (MINTER_ROLE on each
 * campaign's `Badges`), in the payout worker's pass:
 *
 * 1. **Award**: `sweepBadgeAwards` (server/domain/badges.ts) awards what members earned (tier
 *    and achievements), moves tier badges with the tier, and queues awards of members who
 *    linked a wallet. It runs at most every {@link SWEEP_EVERY_POLLS} polls (it reads every
 *    member's counters).
 * 2. **Batch**: queued awards become one `mintBatch(id, recipients)` send per badge (up to
 *    {@link BATCH_SIZE} recipients), tier badges left behind one `revoke(account, id)` send
 *    each; the send row is created in the same transaction that moves the awards, before
 *    anything is signed.
 * 3. The badge minter's {@link Sender} signs, broadcasts and follows the sends; the hooks below
 *    put awards back on a failure, and the indexer marks them minted (or revoked) from the
 *    ERC-1155 logs.
 *
 * Exactly once: `mintBatch` skips accounts a badge was ever minted to, so a batch resent after
 * a crash or a replacement mints nobody twice; the unique award row keeps the domain from
 * awarding twice.
 */
import { encodeFunctionData, getAddress, type Hex } from "viem";
import type { Db } from "../../db/index.ts";
import {
  badgeAwardsSent,
  badgeSendFailed,
  badgeSendSigned,
  queuedBadgeMints,
  queuedBadgeRevokes,
  sweepBadgeAwards,
} from "../../domain/badges.ts";
import type { Logger } from "../../logger.ts";
import { badgesAbi } from "../abi.ts";
import type { ChainSettings } from "../config.ts";
import type { ContractIndex } from "../contracts.ts";
import type { Sender, SendHooks } from "./sender.ts";

/** Recipients per `mintBatch` send (a soulbound mint costs about 25k gas). */
export const BATCH_SIZE = 200;
/** Revocations sent per pass (one transaction each: the contract has no batch revoke). */
const REVOKES_PER_PASS = 20;
/** The award sweep runs every this many worker polls. */
export const SWEEP_EVERY_POLLS = 10;

export interface BadgeMinterDeps {
  db: Db;
  contracts: ContractIndex;
  /** The badge minter's sender. */
  sender: Sender;
  settings: ChainSettings;
  logger: Logger;
  now: () => Date;
}

export interface BadgeMintReport {
  awarded: number;
  mintSends: number;
  revokeSends: number;
}

export class BadgeMinter {
  readonly #d: BadgeMinterDeps;
  #lastSweep = 0;
  /** Campaigns whose sends failed: not batched again before this time (ms). */
  readonly #holdUntil = new Map<number, number>();

  constructor(deps: BadgeMinterDeps) {
    this.#d = deps;
  }

  async run(): Promise<BadgeMintReport> {
    const report: BadgeMintReport = { awarded: 0, mintSends: 0, revokeSends: 0 };
    const now = this.#d.now();
    const sweep = now.getTime() - this.#lastSweep >= this.#d.settings.pollMs * SWEEP_EVERY_POLLS;
    for (const campaign of this.#d.contracts.campaigns) {
      const badges = campaign.badges;
      if (!badges || campaign.campaign.definition.badges.length === 0) continue;
      if (sweep) {
        const r = await this.#d.db.transaction((tx) =>
          sweepBadgeAwards(tx, campaign.campaign, now),
        );
        report.awarded += r.awarded;
        if (r.awarded + r.linked + r.retired > 0)
          this.#d.logger.info({ campaign: campaign.slug, ...r }, "badges awarded");
      }
      if ((this.#holdUntil.get(campaign.id) ?? 0) > now.getTime()) continue;
      const sends = await this.#d.db.transaction(async (tx) => {
        let mints = 0;
        const queued = await queuedBadgeMints(tx, campaign.id, BATCH_SIZE * 4);
        const byBadge = new Map<number, typeof queued>();
        for (const row of queued) {
          const group = byBadge.get(row.badge_id) ?? [];
          if (group.length < BATCH_SIZE) group.push(row);
          byBadge.set(row.badge_id, group);
        }
        for (const [badgeId, rows] of byBadge) {
          // A wallet is linked to one member at most, so recipients are distinct.
          const recipients = rows.map((r) => getAddress(r.account));
          const send = await this.#d.sender.create(tx, {
            kind: "badge",
            target: badges,
            campaignId: campaign.id,
            data: encodeFunctionData({
              abi: badgesAbi,
              functionName: "mintBatch",
              args: [BigInt(badgeId), recipients],
            }),
            payoutCount: recipients.length,
          });
          await badgeAwardsSent(
            tx,
            rows.map((r) => Number(r.id)),
            send.id,
            "mint",
            now,
          );
          mints++;
        }
        let revokes = 0;
        for (const row of await queuedBadgeRevokes(tx, campaign.id, REVOKES_PER_PASS)) {
          const send = await this.#d.sender.create(tx, {
            kind: "badge",
            target: badges,
            campaignId: campaign.id,
            data: encodeFunctionData({
              abi: badgesAbi,
              functionName: "revoke",
              args: [getAddress(row.account), BigInt(row.badge_id)],
            }),
            payoutCount: 1,
          });
          await badgeAwardsSent(tx, [Number(row.id)], send.id, "revoke", now);
          revokes++;
        }
        return { mints, revokes };
      });
      report.mintSends += sends.mints;
      report.revokeSends += sends.revokes;
    }
    if (sweep) this.#lastSweep = now.getTime();
    return report;
  }

  /** What the sender's outcomes do to the awards a badge send carries. */
  hooks(): SendHooks {
    const now = () => this.#d.now();
    const hold = (campaignId: number | null) => {
      if (campaignId !== null)
        this.#holdUntil.set(
          campaignId,
          now().getTime() + this.#d.settings.payout.holdRecheckSeconds * 1000,
        );
    };
    const notHeld = (reason: string) => reason.includes("BadgesNotHeld");
    return {
      signed: (tx, send, hash: Hex) => badgeSendSigned(tx, send.id, hash, now()),
      released: async (tx, send, reason) => {
        if (!notHeld(reason)) hold(send.campaignId);
        await badgeSendFailed(tx, send.id, now(), notHeld(reason));
      },
      reverted: async (tx, send, error) => {
        if (!notHeld(error)) hold(send.campaignId);
        await badgeSendFailed(tx, send.id, now(), notHeld(error));
      },
      replaced: (tx, send) => badgeSendFailed(tx, send.id, now()),
    };
  }
}
