/**
 * The EVM driver (viem): the payout worker is one {@link Sender} per backend key that sends
 * (nonces, fees, replacements, confirmations) with the {@link PayoutBatcher} (outbox rows into
 * `pay` batches) and the {@link EscrowReleaser} (escrow released to linked wallets); relayed
 * perk orders are checked here and sent by the relayer's sender; the indexer
 * reads logs in adaptive ranges as one JSON-RPC batch each and decodes them from hex
 * (`logs.ts`); reads go through one public client (evm/client.ts).
 */

import { type Address, getAddress, type LocalAccount, type PublicClient } from "viem";
import { type IndexBody, indexTypedData } from "../../../verify/rewardFiles.ts";
import type { Db } from "../../db/index.ts";
import type { SendKind } from "../../db/schema/chain.ts";
import { rewardDistributorAbi, rewardTokenAbi } from "../abi.ts";
import type { BackendRole } from "../config.ts";
import type { CampaignContracts, ContractIndex } from "../contracts.ts";
import type { ChainDriver, ChainProbe, DriverJobEnv, PassRunner, ShopQuery } from "../driver.ts";
import { epochHooks } from "../epochs.ts";
import { type PerkAdmin, type PerkAdminEnv, perkAdmin } from "../perkAdmin.ts";
import { acceptOrder, type OrderInput, redeemHooks } from "../perkRelay.ts";
import { type ReconcileReport, reconcile } from "../reconcile.ts";
import type { RoleAccounts } from "../signer.ts";
import { BadgeMinter } from "./badges.ts";
import { Indexer } from "./indexer.ts";
import { PayoutBatcher } from "./payouts.ts";
import { EscrowReleaser } from "./releases.ts";
import { Sender, type SendHooks } from "./sender.ts";
import { readShopState } from "./shop.ts";

/** Badge send hooks that reach the minter once it exists (none: nothing to move). */
function badgeHooksOf(minter: () => BadgeMinter | undefined): SendHooks {
  const noop = async () => {};
  return {
    signed: (...a) =>
      minter()
        ?.hooks()
        .signed(...a) ?? noop(),
    released: (...a) =>
      minter()
        ?.hooks()
        .released(...a) ?? noop(),
    reverted: (...a) =>
      minter()
        ?.hooks()
        .reverted(...a) ?? noop(),
    replaced: (...a) =>
      minter()
        ?.hooks()
        .replaced(...a) ?? noop(),
  };
}

export class EvmDriver implements ChainDriver {
  readonly kind = "evm";
  readonly chainId: number;
  /** The JSON-RPC client (EVM-only code outside the seam — scripts, clawback — uses it too). */
  readonly client: PublicClient;
  /**
   * One account per backend role (signer.ts `loadRoleAccounts`). Absent: every role uses
   * `account` outside production (one development key), only the payout signer in production.
   */
  private readonly accounts?: RoleAccounts;
  private readonly fallback?: LocalAccount;
  private readonly production: boolean;

  constructor(o: {
    client: PublicClient;
    chainId: number;
    /** The one development key (every role's outside production); ignored with `accounts`. */
    account?: LocalAccount;
    accounts?: RoleAccounts;
    production?: boolean;
  }) {
    this.client = o.client;
    this.chainId = o.chainId;
    this.accounts = o.accounts;
    this.fallback = o.account;
    this.production = o.production ?? false;
  }

  /** The account that acts for `role` (see the constructor's `accounts`). */
  accountFor(role: BackendRole): LocalAccount | undefined {
    if (this.accounts) return this.accounts[role];
    if (role === "payoutSigner" || !this.production) return this.fallback;
    return undefined;
  }

  /** The payout signer; the worker needs it, the indexer does not. */
  get account(): LocalAccount | undefined {
    return this.accountFor("payoutSigner");
  }

  get signerAddress(): string | undefined {
    return this.account?.address;
  }

  async signRewardIndex(
    body: IndexBody,
  ): Promise<{ signer: string; signature: string } | undefined> {
    const account = this.accountFor("rootPublisher");
    if (!account) return undefined;
    return {
      signer: account.address,
      signature: await account.signTypedData(indexTypedData(body)),
    };
  }

  addressFor(role: BackendRole): string | undefined {
    return this.accountFor(role)?.address;
  }

  async probe(): Promise<ChainProbe> {
    const [chainId, head] = await Promise.all([
      this.client.getChainId(),
      this.client.getBlockNumber({ cacheTime: 0 }),
    ]);
    return { chainId, head };
  }

  payoutWorker(env: DriverJobEnv): PassRunner {
    const payoutAccount = this.account;
    if (!payoutAccount) throw new Error("the payout worker needs a signer");
    const logger = env.logger.child({ job: "worker" });
    let batcher: PayoutBatcher;
    let releaser: EscrowReleaser;
    let minter: BadgeMinter | undefined;
    const hooks: Record<SendKind, SendHooks> = {
      payout: {
        signed: (...a) => batcher.hooks().signed(...a),
        released: (...a) => batcher.hooks().released(...a),
        reverted: (...a) => batcher.hooks().reverted(...a),
        replaced: (...a) => batcher.hooks().replaced(...a),
      },
      publish_root: epochHooks(env.logger),
      redeem: redeemHooks(env.now),
      release: {
        signed: (...a) => releaser.hooks().signed(...a),
        released: (...a) => releaser.hooks().released(...a),
        reverted: (...a) => releaser.hooks().reverted(...a),
        replaced: (...a) => releaser.hooks().replaced(...a),
      },
      badge: badgeHooksOf(() => minter),
    };
    const newSender = (account: LocalAccount) =>
      new Sender({
        db: env.db,
        client: this.client,
        account,
        chainId: this.chainId,
        settings: env.settings,
        lease: env.lease,
        hooks,
        logger: env.logger.child({ job: "worker", signer: account.address }),
        metrics: env.metrics,
        failpoint: env.failpoint,
        now: env.now,
      });
    // Every backend key that sends (payout signer, root publisher, relayer) has its own sender
    // (its own nonces); keys shared by roles (development) share one.
    const sender = newSender(payoutAccount);
    const senders = [sender];
    for (const role of ["rootPublisher", "relayer", "badgeMinter"] as const) {
      const account = this.accountFor(role);
      if (
        account &&
        !senders.some((s) => s.address.toLowerCase() === account.address.toLowerCase())
      )
        senders.push(newSender(account));
    }
    batcher = new PayoutBatcher({
      db: env.db,
      client: this.client,
      contracts: env.contracts,
      sender,
      settings: env.settings,
      logger,
      metrics: env.metrics,
      failpoint: env.failpoint,
      now: env.now,
    });
    releaser = new EscrowReleaser({
      db: env.db,
      client: this.client,
      contracts: env.contracts,
      sender,
      settings: env.settings,
      logger,
      failpoint: env.failpoint,
      now: env.now,
    });
    // Badges are minted by the badge minter key only (never the payout signer's in production).
    const minterAccount = this.accountFor("badgeMinter");
    const minterSender =
      minterAccount &&
      senders.find((s) => s.address.toLowerCase() === minterAccount.address.toLowerCase());
    if (minterSender)
      minter = new BadgeMinter({
        db: env.db,
        contracts: env.contracts,
        sender: minterSender,
        settings: env.settings,
        logger,
        now: env.now,
      });
    type Progress = Awaited<ReturnType<Sender["progress"]>>;
    const holdAfterRevert = (released: Progress["released"]) => {
      for (const r of released)
        if (r.send.kind === "payout") batcher.holdAfterRevert(r.send, r.name, r.error);
    };
    return {
      async pass() {
        let blocker: Progress["blocker"];
        for (const s of senders) {
          const report = await s.progress();
          holdAfterRevert(report.released);
          if (s === sender) blocker = report.blocker;
          else if (report.blocker) blocker ??= report.blocker;
        }
        const batches = blocker
          ? { queued: 0, created: 0, held: [] }
          : await batcher.run((await sender.counts()).inFlight);
        const releases =
          blocker || !env.settings.escrowRelease
            ? { planned: 0, created: 0, held: [] }
            : await releaser.run();
        const badges =
          blocker || !minter ? { awarded: 0, mintSends: 0, revokeSends: 0 } : await minter.run();
        if (badges.mintSends + badges.revokeSends > 0 && minterSender && minterSender !== sender) {
          const report = await minterSender.progress({ unsignedOnly: true });
          blocker ??= report.blocker;
        }
        if (
          batches.created > 0 ||
          releases.created > 0 ||
          (badges.mintSends + badges.revokeSends > 0 && minterSender === sender)
        ) {
          const second = await sender.progress({ unsignedOnly: true });
          holdAfterRevert(second.released);
          blocker ??= second.blocker;
        }
        const counts = await sender.counts();
        const alerts = [
          ...(blocker ? [blocker.message] : []),
          ...batches.held.map((h) => h.message),
          ...releases.held.map((h) => h.message),
        ];
        return {
          details: {
            signer: sender.address,
            queued: batches.queued,
            batchesCreated: batches.created,
            inFlight: counts.inFlight,
            held: batches.held,
            releasesPlanned: releases.planned,
            releaseBatchesCreated: releases.created,
            badgesAwarded: badges.awarded,
            badgeSends: badges.mintSends + badges.revokeSends,
          },
          alerts,
        };
      },
    };
  }

  perkAdmin(env: PerkAdminEnv): PerkAdmin {
    return perkAdmin(env, this.client);
  }

  acceptPerkOrder(
    env: { db: Db; now: () => Date },
    campaign: CampaignContracts,
    member: { id: number; wallet: string | null },
    perkId: number,
    order: OrderInput,
  ) {
    const relayer = this.accountFor("relayer");
    if (!relayer) throw new Error("no relayer key: relayed perk orders are off");
    return acceptOrder(
      {
        db: env.db,
        client: this.client,
        chainId: this.chainId,
        relayer: relayer.address,
        now: env.now,
      },
      campaign,
      member,
      perkId,
      order,
    );
  }

  indexer(env: DriverJobEnv): PassRunner {
    const indexer = new Indexer({
      db: env.db,
      client: this.client,
      contracts: env.contracts,
      settings: env.settings,
      chainId: this.chainId,
      logger: env.logger.child({ job: "indexer" }),
      metrics: env.metrics,
      failpoint: env.failpoint,
      lease: env.lease,
      now: env.now,
    });
    return {
      async pass() {
        const r = await indexer.pass();
        return {
          details: {
            head: r.head,
            cursor: r.cursor,
            lag: r.lag,
            events: r.events,
            rewound: r.rewound ?? null,
          },
          alerts: [],
        };
      },
    };
  }

  shopState(q: ShopQuery) {
    return readShopState(this.client, q);
  }

  claimedFromEscrow(distributor: string, member: number): Promise<bigint> {
    return this.client.readContract({
      address: getAddress(distributor),
      abi: rewardDistributorAbi,
      functionName: "claimed",
      args: [BigInt(member)],
    });
  }

  async tokenBalances(holder: string, tokens: readonly string[]): Promise<bigint[]> {
    const account: Address = getAddress(holder);
    return Promise.all(
      tokens.map((token) =>
        this.client.readContract({
          address: getAddress(token),
          abi: rewardTokenAbi,
          functionName: "balanceOf",
          args: [account],
        }),
      ),
    );
  }

  reconcile(db: Db, contracts: ContractIndex): Promise<ReconcileReport> {
    return reconcile(db, this.client, contracts, this.chainId);
  }
}
