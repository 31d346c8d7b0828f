/**
 * Sends the backend signer's transactions, exactly once each, whatever crashes, RPC failures,
 * drops and reorgs happen. One {@link Sender} runs inside the leading worker; every
 * transaction the signer sends (payout batches, epoch roots) goes through it, so one place
 * owns the nonces.
 *
 * A send moves `pending → signed → sent → mined → confirmed → final`:
 * - `pending → signed`: simulated (`eth_estimateGas`: a revert is decoded and the send released
 *   instead of broadcasting a failing transaction), gas funds checked, the next nonce taken
 *   (after the chain's count and every nonce we ever used), signed locally, and the signed
 *   transaction stored with its hash and nonce in one transaction that also checks the lease.
 * - `signed → sent`: broadcast; a restart simply broadcasts the stored transaction again.
 * - `sent`: every pass looks for a receipt of any of its attempts. If there is none: a
 *   transaction the node no longer knows (dropped) is broadcast again; one pending longer than
 *   the replacement time is re-signed with the same nonce and payload and higher fees; a
 *   nonce used by something that is not ours marks the send `replaced` (its payouts are
 *   retried with the same payout ids; the contract skips any already paid).
 * - `mined`/`confirmed`: re-checked until the block is deeper than the finality depth; a
 *   receipt that disappears (reorg) puts the send back to `sent`, so its stored transaction is
 *   broadcast again on the same nonce. A reverted receipt marks it `reverted` with the decoded
 *   custom error.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  type Address,
  getAddress,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { type Db, queryRows } from "../../db/index.ts";
import {
  chainSends,
  chainSendTxs,
  OPEN_SEND_STATUSES,
  type SendKind,
  type SendStatus,
} from "../../db/schema/chain.ts";
import type { Logger } from "../../logger.ts";
import type { ChainSettings } from "../config.ts";
import type { Failpoint } from "../failpoint.ts";
import type { ChainMetrics } from "../health.ts";
import type { Lease } from "../lease.ts";
import { classifyRpcError, decodeRevert, errorSummary, revertData } from "../rpc.ts";

export type SendRow = typeof chainSends.$inferSelect;
type AttemptRow = typeof chainSendTxs.$inferSelect;

/** What a kind of send does to its own records when the send ends without success. */
export interface SendHooks {
  /** A new attempt was signed (first or replacement); `tx` also stores it. */
  signed(tx: Db, send: SendRow, hash: Hex, first: boolean): Promise<void>;
  /** Given up before signing (the simulation reverted); nothing was broadcast. */
  released(tx: Db, send: SendRow, reason: string): Promise<void>;
  /** Mined and reverted (`error` is the decoded custom error). */
  reverted(tx: Db, send: SendRow, error: string): Promise<void>;
  /** Its nonce was used by another transaction, so it was never mined. */
  replaced(tx: Db, send: SendRow): Promise<void>;
}

/** A send that cannot go out now for a reason an operator must fix (reported as an alert). */
export interface SendBlocker {
  reason: "funds" | "fee-cap";
  message: string;
}

export interface SenderDeps {
  db: Db;
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  settings: ChainSettings;
  lease: Lease;
  hooks: Record<SendKind, SendHooks>;
  logger: Logger;
  metrics: ChainMetrics;
  failpoint: Failpoint;
  now?: () => Date;
}

export interface SenderReport {
  open: number;
  inFlight: number;
  blocker?: SendBlocker;
  /** Sends released this pass because their simulation reverted, with the decoded error. */
  released: Array<{ send: SendRow; error: string; name: string }>;
}

interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** Raised inside a pass: the send waits, the pass goes on with the next one. */
class Blocked extends Error {
  readonly blocker: SendBlocker;
  constructor(blocker: SendBlocker) {
    super(blocker.message);
    this.blocker = blocker;
  }
}

const GAS_MARGIN_PERCENT = 25n;

export interface NewSend {
  kind: SendKind;
  chainId: number;
  /** The signer that will send it (EIP-55). */
  signer: Address;
  target: Address;
  data: Hex;
  campaignId?: number;
  token?: string;
  payoutCount?: number;
  amount?: bigint;
}

/**
 * Creates a pending send inside the caller's transaction: the calldata is fixed here, and the
 * worker leading for `signer` signs, broadcasts and follows it.
 */
export async function createSend(tx: Db, input: NewSend, now: Date): Promise<SendRow> {
  const [row] = await tx
    .insert(chainSends)
    .values({
      kind: input.kind,
      chainId: input.chainId,
      signer: getAddress(input.signer),
      campaignId: input.campaignId ?? null,
      token: input.token ?? null,
      target: input.target,
      data: input.data,
      status: "pending",
      payoutCount: input.payoutCount ?? 0,
      amount: input.amount ?? 0n,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("could not create a send");
  return row;
}

export class Sender {
  readonly #d: SenderDeps;
  readonly #address: Address;
  readonly #log: Logger;
  readonly #now: () => Date;
  /** Head at the last re-check of confirmed sends (they are re-checked once per new block). */
  #checkedHead = -1n;

  constructor(deps: SenderDeps) {
    this.#d = deps;
    this.#address = getAddress(deps.account.address);
    this.#log = deps.logger;
    this.#now = deps.now ?? (() => new Date());
  }

  get address(): Address {
    return this.#address;
  }

  /** Creates a send of this signer inside the caller's transaction (see {@link createSend}). */
  create(tx: Db, input: Omit<NewSend, "chainId" | "signer">): Promise<SendRow> {
    return createSend(
      tx,
      { ...input, chainId: this.#d.chainId, signer: this.#address },
      this.#now(),
    );
  }

  /** Open sends of this signer, in nonce order (unsigned ones last, oldest first). */
  async open(): Promise<SendRow[]> {
    return this.#d.db
      .select()
      .from(chainSends)
      .where(
        and(
          eq(chainSends.chainId, this.#d.chainId),
          eq(chainSends.signer, this.#address),
          inArray(chainSends.status, OPEN_SEND_STATUSES),
        ),
      )
      .orderBy(sql`${chainSends.nonce} asc nulls last`, asc(chainSends.id));
  }

  /**
   * Moves every open send one step on (see the module comment); with `unsignedOnly`, only signs
   * and broadcasts new sends (right after a batch was formed).
   */
  async progress(opts: { unsignedOnly?: boolean } = {}): Promise<SenderReport> {
    const report: SenderReport = { open: 0, inFlight: 0, released: [] };
    const sends = (await this.open()).filter((s) => !opts.unsignedOnly || s.status === "pending");
    const head = await this.#d.client.getBlockNumber();
    const recheckConfirmed = head !== this.#checkedHead;
    let latestNonce: number | undefined;
    const chainNonce = async () => {
      latestNonce ??= await this.#d.client.getTransactionCount({
        address: this.#address,
        blockTag: "latest",
      });
      return latestNonce;
    };
    for (const send of sends) {
      try {
        switch (send.status) {
          case "pending": {
            // A blocked send (no funds) keeps later ones from taking nonces out of order.
            if (report.blocker) break;
            const released = await this.#sign(send, chainNonce);
            if (released) report.released.push({ send, ...released });
            break;
          }
          case "signed":
            await this.#broadcast(send, await this.#latestAttempt(send.id));
            break;
          case "sent":
          case "mined":
            await this.#check(send, head, chainNonce);
            break;
          case "confirmed":
            if (recheckConfirmed) await this.#check(send, head, chainNonce);
            break;
          default:
            break;
        }
      } catch (error) {
        if (error instanceof Blocked) {
          report.blocker ??= error.blocker;
          continue;
        }
        throw error;
      }
    }
    this.#checkedHead = head;
    const after = await this.open();
    report.open = after.length;
    report.inFlight = after.filter((s) => s.status !== "confirmed").length;
    this.#d.metrics.inFlight.set(report.inFlight);
    return report;
  }

  // ---- pending → signed ---------------------------------------------------------------

  async #sign(
    send: SendRow,
    chainNonce: () => Promise<number>,
  ): Promise<{ error: string; name: string } | undefined> {
    const { client } = this.#d;
    let gas: bigint;
    try {
      gas = await client.estimateGas({
        account: this.#address,
        to: send.target as Address,
        data: send.data as Hex,
      });
    } catch (error) {
      const kind = classifyRpcError(error);
      if (kind === "insufficient_funds") throw new Blocked(await this.#fundsBlocker(send, 0n));
      const data = revertData(error);
      if (kind !== "reverted" && data === undefined) throw error;
      const decoded = data
        ? decodeRevert(data)
        : { name: "Reverted", text: `Reverted (${errorSummary(error)})` };
      await this.#release(send, decoded.text);
      return { error: decoded.text, name: decoded.name };
    }
    gas = (gas * (100n + GAS_MARGIN_PERCENT)) / 100n;
    const fees = await this.#fees();
    const balance = await client.getBalance({ address: this.#address });
    this.#d.metrics.signerBalance.set(Number(balance));
    if (balance < gas * fees.maxFeePerGas)
      throw new Blocked(await this.#fundsBlocker(send, gas * fees.maxFeePerGas, balance));

    await this.#d.lease.renewIfDue();
    const [maxRow] = await queryRows<{ max: string | null }>(
      this.#d.db,
      sql`select max(nonce)::text as max from chain_sends
          where chain_id = ${this.#d.chainId} and signer = ${this.#address}`,
    );
    const nonce = Math.max(await chainNonce(), maxRow?.max == null ? 0 : Number(maxRow.max) + 1);
    const raw = await this.#d.account.signTransaction({
      chainId: this.#d.chainId,
      type: "eip1559",
      to: send.target as Address,
      data: send.data as Hex,
      value: 0n,
      nonce,
      gas,
      ...fees,
    });
    const hash = keccak256(raw);
    const now = this.#now();
    const signed = await this.#d.db.transaction(async (tx) => {
      await this.#d.lease.assertHeld(tx);
      const [row] = await tx
        .update(chainSends)
        .set({ status: "signed", nonce, gasLimit: gas, signedAt: now, updatedAt: now, error: null })
        .where(and(eq(chainSends.id, send.id), eq(chainSends.status, "pending")))
        .returning();
      if (!row) return undefined;
      await tx.insert(chainSendTxs).values({
        hash,
        sendId: send.id,
        nonce,
        raw,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        createdAt: now,
      });
      await this.#d.hooks[send.kind].signed(tx, row, hash, true);
      return row;
    });
    if (!signed) return undefined;
    this.#log.info(
      { send: send.id, kind: send.kind, nonce, hash, payouts: send.payoutCount },
      "transaction signed",
    );
    this.#d.failpoint("after-sign");
    const attempt = await this.#latestAttempt(send.id);
    await this.#broadcast(signed, attempt);
    return undefined;
  }

  async #fundsBlocker(send: SendRow, need: bigint, have?: bigint): Promise<SendBlocker> {
    const balance = have ?? (await this.#d.client.getBalance({ address: this.#address }));
    this.#d.metrics.signerBalance.set(Number(balance));
    return {
      reason: "funds",
      message: `signer ${this.#address} is short of gas funds: balance ${balance} wei${
        need > 0n ? `, send ${send.id} needs up to ${need} wei` : ""
      }`,
    };
  }

  async #release(send: SendRow, reason: string): Promise<void> {
    const now = this.#now();
    await this.#d.db.transaction(async (tx) => {
      const [row] = await tx
        .update(chainSends)
        .set({ status: "released", error: reason, updatedAt: now })
        .where(and(eq(chainSends.id, send.id), eq(chainSends.status, "pending")))
        .returning();
      if (row) await this.#d.hooks[send.kind].released(tx, row, reason);
    });
    this.#d.metrics.sends.inc({ kind: send.kind, status: "released" });
    this.#log.warn(
      { send: send.id, kind: send.kind, reason },
      "send released: simulation reverted",
    );
  }

  async #fees(previous?: AttemptRow): Promise<Fees> {
    const { client, settings } = this.#d;
    const [block, priority] = await Promise.all([
      client.getBlock({ blockTag: "latest" }),
      client.estimateMaxPriorityFeePerGas().catch(() => 1_000_000_000n),
    ]);
    const base = block.baseFeePerGas ?? 0n;
    let maxPriorityFeePerGas = priority;
    // Twice the base fee absorbs six full blocks of base-fee increases.
    let maxFeePerGas = base * 2n + priority;
    if (previous) {
      const bump = (v: bigint) => (v * BigInt(100 + settings.payout.feeBumpPercent)) / 100n + 1n;
      maxPriorityFeePerGas = max(maxPriorityFeePerGas, bump(previous.maxPriorityFeePerGas));
      maxFeePerGas = max(maxFeePerGas, bump(previous.maxFeePerGas));
    }
    const cap = settings.payout.maxFeePerGas;
    if (cap !== undefined && maxFeePerGas > cap) {
      if (previous && previous.maxFeePerGas >= cap)
        throw new Blocked({
          reason: "fee-cap",
          message: `fees reached PAYOUT_MAX_FEE_GWEI (${cap} wei); a stuck transaction cannot be replaced`,
        });
      maxFeePerGas = cap;
    }
    if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
    return { maxFeePerGas, maxPriorityFeePerGas };
  }

  // ---- broadcasting ---------------------------------------------------------------------

  async #latestAttempt(sendId: number): Promise<AttemptRow> {
    const [row] = await this.#d.db
      .select()
      .from(chainSendTxs)
      .where(eq(chainSendTxs.sendId, sendId))
      .orderBy(sql`${chainSendTxs.createdAt} desc, ${chainSendTxs.maxFeePerGas} desc`)
      .limit(1);
    if (!row) throw new Error(`send ${sendId} has no signed transaction`);
    return row;
  }

  async #broadcast(send: SendRow, attempt: AttemptRow): Promise<void> {
    const now = this.#now();
    let outcome: "accepted" | "known" | "nonce-used" | "underpriced";
    try {
      await this.#d.client.request({
        method: "eth_sendRawTransaction",
        params: [attempt.raw as Hex],
      });
      outcome = "accepted";
    } catch (error) {
      const kind = classifyRpcError(error);
      this.#d.metrics.broadcasts.inc({ outcome: kind });
      if (kind === "already_known") outcome = "known";
      else if (kind === "nonce_too_low") outcome = "nonce-used";
      else if (kind === "underpriced") outcome = "underpriced";
      else if (kind === "insufficient_funds") throw new Blocked(await this.#fundsBlocker(send, 0n));
      else if (kind === "nonce_too_high") {
        // An earlier nonce is not in the node's pool (yet): it goes first on the next pass.
        this.#log.warn({ send: send.id, nonce: send.nonce }, "broadcast refused: nonce gap");
        return;
      } else throw error;
    }
    if (outcome === "accepted") this.#d.metrics.broadcasts.inc({ outcome });
    // Crash point: the node has the transaction, the database does not know yet.
    this.#d.failpoint("after-broadcast");
    // Accepted, already known, or its nonce is taken (mined, maybe by this very transaction):
    // from here on the receipt check decides.
    await this.#d.db.transaction(async (tx) => {
      await tx
        .update(chainSendTxs)
        .set({ broadcastAt: sql`coalesce(${chainSendTxs.broadcastAt}, ${now})` })
        .where(eq(chainSendTxs.hash, attempt.hash));
      await tx
        .update(chainSends)
        .set({
          status: sql`case when ${chainSends.status} = 'signed' then 'sent' else ${chainSends.status} end`,
          sentAt: sql`coalesce(${chainSends.sentAt}, ${now})`,
          broadcasts: sql`${chainSends.broadcasts} + 1`,
          updatedAt: now,
        })
        .where(eq(chainSends.id, send.id));
    });
    this.#log.debug({ send: send.id, hash: attempt.hash, outcome }, "broadcast");
  }

  // ---- receipts, replacements, reorgs ----------------------------------------------------

  async #receipts(attempts: AttemptRow[]): Promise<TransactionReceipt | undefined> {
    const found = await Promise.all(
      attempts.map((a) =>
        this.#d.client.getTransactionReceipt({ hash: a.hash as Hex }).catch((error: unknown) => {
          if ((error as Error).name === "TransactionReceiptNotFoundError") return undefined;
          throw error;
        }),
      ),
    );
    return found.find((r) => r !== undefined);
  }

  async #check(send: SendRow, head: bigint, chainNonce: () => Promise<number>): Promise<void> {
    const attempts = await this.#d.db
      .select()
      .from(chainSendTxs)
      .where(eq(chainSendTxs.sendId, send.id))
      .orderBy(asc(chainSendTxs.createdAt));
    if (attempts.length === 0) throw new Error(`send ${send.id} has no signed transaction`);
    const receipt = await this.#receipts(attempts);
    if (receipt) return this.#mined(send, receipt, head);

    if (send.status === "mined" || send.status === "confirmed") {
      // The block that held it is gone: broadcast the same transaction again on its nonce.
      await this.#reorged(send);
      return;
    }
    // Not mined. Either its nonce went to something else, or it is pending, dropped or stuck.
    const nonce = send.nonce!;
    if ((await chainNonce()) > nonce) {
      // Read receipts once more: it may have been mined between the two reads.
      const late = await this.#receipts(attempts);
      if (late) return this.#mined(send, late, head);
      await this.#replacedByOther(send);
      return;
    }
    const latest = attempts[attempts.length - 1]!;
    const known = await this.#d.client
      .getTransaction({ hash: latest.hash as Hex })
      .then(() => true)
      .catch((error: unknown) => {
        if ((error as Error).name === "TransactionNotFoundError") return false;
        throw error;
      });
    if (!known || latest.broadcastAt === null) {
      if (latest.broadcastAt !== null)
        this.#log.warn(
          { send: send.id, hash: latest.hash },
          "transaction dropped: broadcasting again",
        );
      await this.#broadcast(send, latest);
      return;
    }
    const age = this.#now().getTime() - latest.broadcastAt.getTime();
    if (age >= this.#d.settings.payout.replaceAfterSeconds * 1000)
      await this.#replace(send, latest);
  }

  /** Re-signs the same nonce and payload with higher fees. */
  async #replace(send: SendRow, previous: AttemptRow): Promise<void> {
    const fees = await this.#fees(previous);
    const raw = await this.#d.account.signTransaction({
      chainId: this.#d.chainId,
      type: "eip1559",
      to: send.target as Address,
      data: send.data as Hex,
      value: 0n,
      nonce: send.nonce!,
      gas: send.gasLimit!,
      ...fees,
    });
    const hash = keccak256(raw);
    const now = this.#now();
    await this.#d.db.transaction(async (tx) => {
      await this.#d.lease.assertHeld(tx);
      await tx.insert(chainSendTxs).values({
        hash,
        sendId: send.id,
        nonce: send.nonce!,
        raw,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        createdAt: now,
      });
      await this.#d.hooks[send.kind].signed(tx, send, hash, false);
    });
    this.#log.warn(
      { send: send.id, nonce: send.nonce, hash, maxFeePerGas: String(fees.maxFeePerGas) },
      "transaction not mined in time: replaced with higher fees",
    );
    await this.#broadcast(send, await this.#latestAttempt(send.id));
  }

  async #mined(send: SendRow, receipt: TransactionReceipt, head: bigint): Promise<void> {
    const depth = Number(head - receipt.blockNumber) + 1;
    const { confirmations, finalityDepth } = this.#d.settings;
    const now = this.#now();
    const sameBlock =
      send.txHash === receipt.transactionHash && send.blockHash === receipt.blockHash;
    if (receipt.status === "reverted") {
      this.#d.failpoint("after-receipt");
      if (depth < confirmations) {
        if (!sameBlock || send.status !== "mined") await this.#recordBlock(send, receipt, "mined");
        return;
      }
      const error = await this.#revertReason(send, receipt);
      await this.#d.db.transaction(async (tx) => {
        const [row] = await tx
          .update(chainSends)
          .set({ ...this.#blockFields(receipt), status: "reverted", error, updatedAt: now })
          .where(and(eq(chainSends.id, send.id), eq(chainSends.status, send.status)))
          .returning();
        if (row) await this.#d.hooks[send.kind].reverted(tx, row, error);
      });
      this.#d.metrics.sends.inc({ kind: send.kind, status: "reverted" });
      this.#log.error(
        { send: send.id, kind: send.kind, hash: receipt.transactionHash, error },
        "transaction reverted",
      );
      return;
    }
    const status: SendStatus =
      depth >= finalityDepth ? "final" : depth >= confirmations ? "confirmed" : "mined";
    if (sameBlock && status === send.status) return;
    // Crash point: the receipt is known here, not yet in the database.
    this.#d.failpoint("after-receipt");
    await this.#recordBlock(send, receipt, status);
    if (status !== send.status && (status === "confirmed" || status === "final"))
      this.#d.metrics.sends.inc({ kind: send.kind, status });
    if (!sameBlock && send.blockHash !== null)
      this.#log.warn(
        { send: send.id, block: String(receipt.blockNumber), was: send.blockNumber },
        "transaction re-mined in another block",
      );
  }

  #blockFields(receipt: TransactionReceipt) {
    return {
      txHash: receipt.transactionHash,
      blockNumber: Number(receipt.blockNumber),
      blockHash: receipt.blockHash,
      gasUsed: receipt.gasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
    };
  }

  async #recordBlock(
    send: SendRow,
    receipt: TransactionReceipt,
    status: SendStatus,
  ): Promise<void> {
    const now = this.#now();
    await this.#d.db
      .update(chainSends)
      .set({
        ...this.#blockFields(receipt),
        status,
        minedAt: sql`coalesce(${chainSends.minedAt}, ${now})`,
        ...(status === "confirmed" || status === "final"
          ? { confirmedAt: sql`coalesce(${chainSends.confirmedAt}, ${now})` }
          : {}),
        ...(status === "final" ? { finalAt: now } : {}),
        updatedAt: now,
      })
      .where(and(eq(chainSends.id, send.id), eq(chainSends.status, send.status)));
  }

  async #revertReason(send: SendRow, receipt: TransactionReceipt): Promise<string> {
    try {
      await this.#d.client.call({
        account: this.#address,
        to: send.target as Address,
        data: send.data as Hex,
        gas: send.gasLimit ?? undefined,
        blockNumber: receipt.blockNumber,
      });
      // Out of gas leaves no revert data; nor does a condition that no longer holds.
      return receipt.gasUsed >= (send.gasLimit ?? 0n)
        ? "OutOfGas"
        : "Reverted (reason not reproducible)";
    } catch (error) {
      const data = revertData(error);
      return data ? decodeRevert(data).text : `Reverted (${errorSummary(error)})`;
    }
  }

  async #reorged(send: SendRow): Promise<void> {
    await this.#d.db
      .update(chainSends)
      .set({
        status: "sent",
        txHash: null,
        blockNumber: null,
        blockHash: null,
        gasUsed: null,
        effectiveGasPrice: null,
        minedAt: null,
        confirmedAt: null,
        updatedAt: this.#now(),
      })
      .where(and(eq(chainSends.id, send.id), eq(chainSends.status, send.status)));
    this.#d.metrics.reorgs.inc({ job: "worker" });
    this.#log.warn(
      { send: send.id, nonce: send.nonce, block: send.blockNumber },
      "receipt gone after a reorg: sending the same transaction again",
    );
  }

  async #replacedByOther(send: SendRow): Promise<void> {
    const now = this.#now();
    await this.#d.db.transaction(async (tx) => {
      const [row] = await tx
        .update(chainSends)
        .set({
          status: "replaced",
          error: "its nonce was used by another transaction",
          updatedAt: now,
        })
        .where(and(eq(chainSends.id, send.id), eq(chainSends.status, send.status)))
        .returning();
      if (row) await this.#d.hooks[send.kind].replaced(tx, row);
    });
    this.#d.metrics.sends.inc({ kind: send.kind, status: "replaced" });
    this.#log.warn(
      { send: send.id, nonce: send.nonce },
      "nonce used by another transaction: the payload will be retried",
    );
  }

  /** Sends of this signer still open, for health and the in-flight limit. */
  async counts(): Promise<{ inFlight: number; pendingUnsigned: number }> {
    const [row] = await queryRows<{ in_flight: number; pending: number }>(
      this.#d.db,
      sql`select count(*) filter (where status in ('pending', 'signed', 'sent', 'mined'))::int as in_flight,
                 count(*) filter (where status = 'pending')::int as pending
          from chain_sends where chain_id = ${this.#d.chainId} and signer = ${this.#address}
            and status in ('pending', 'signed', 'sent', 'mined')`,
    );
    return { inFlight: Number(row?.in_flight ?? 0), pendingUnsigned: Number(row?.pending ?? 0) };
  }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
