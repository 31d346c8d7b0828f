/**
 * The EVM driver (viem): the payout worker is the {@link Sender} (nonces, fees, replacements,
 * confirmations) with the {@link PayoutBatcher} (outbox rows into `pay` batches); the indexer
 * reads logs in adaptive ranges as one JSON-RPC batch each and decodes them from hex
 * (`logs.ts`); reads go through one public client (evm/client.ts).
 */
import { type Address, getAddress, type LocalAccount, type PublicClient } from "viem";
import type { Db } from "../../db/index.ts";
import { rewardDistributorAbi, rewardTokenAbi } from "../abi.ts";
import type { ContractIndex } from "../contracts.ts";
import type { ChainDriver, ChainProbe, DriverJobEnv, PassRunner } from "../driver.ts";
import { epochHooks } from "../epochs.ts";
import { Indexer } from "../indexer.ts";
import { PayoutBatcher } from "../payouts.ts";
import { type ReconcileReport, reconcile } from "../reconcile.ts";
import { Sender } from "../sender.ts";

export class EvmDriver implements ChainDriver {
  readonly kind = "evm";
  readonly chainId: number;
  /** The JSON-RPC client (EVM-only code outside the seam — scripts, clawback — uses it too). */
  readonly client: PublicClient;
  /** The backend signer; the worker needs it, the indexer does not. */
  readonly account?: LocalAccount;

  constructor(o: { client: PublicClient; chainId: number; account?: LocalAccount }) {
    this.client = o.client;
    this.chainId = o.chainId;
    this.account = o.account;
  }

  get signerAddress(): string | undefined {
    return this.account?.address;
  }

  async probe(): Promise<ChainProbe> {
    const [chainId, head] = await Promise.all([
      this.client.getChainId(),
      this.client.getBlockNumber({ cacheTime: 0 }),
    ]);
    return { chainId, head };
  }

  payoutWorker(env: DriverJobEnv): PassRunner {
    const account = this.account;
    if (!account) throw new Error("the payout worker needs a signer");
    const logger = env.logger.child({ job: "worker" });
    let batcher: PayoutBatcher;
    const sender = new Sender({
      db: env.db,
      client: this.client,
      account,
      chainId: this.chainId,
      settings: env.settings,
      lease: env.lease,
      hooks: {
        payout: {
          signed: (...a) => batcher.hooks().signed(...a),
          released: (...a) => batcher.hooks().released(...a),
          reverted: (...a) => batcher.hooks().reverted(...a),
          replaced: (...a) => batcher.hooks().replaced(...a),
        },
        publish_root: epochHooks(env.logger),
      },
      logger,
      metrics: env.metrics,
      failpoint: env.failpoint,
      now: env.now,
    });
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
    return {
      async pass() {
        const first = await sender.progress();
        for (const r of first.released)
          if (r.send.kind === "payout") batcher.holdAfterRevert(r.send, r.name, r.error);
        let blocker = first.blocker;
        const batches = blocker
          ? { queued: 0, created: 0, held: [] }
          : await batcher.run((await sender.counts()).inFlight);
        if (batches.created > 0) {
          const second = await sender.progress({ unsignedOnly: true });
          for (const r of second.released)
            if (r.send.kind === "payout") batcher.holdAfterRevert(r.send, r.name, r.error);
          blocker ??= second.blocker;
        }
        const counts = await sender.counts();
        const alerts = [
          ...(blocker ? [blocker.message] : []),
          ...batches.held.map((h) => h.message),
        ];
        return {
          details: {
            signer: sender.address,
            queued: batches.queued,
            batchesCreated: batches.created,
            inFlight: counts.inFlight,
            held: batches.held,
          },
          alerts,
        };
      },
    };
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
