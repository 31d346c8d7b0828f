/**
 * Leader election with a lease row (works on PostgreSQL and PGlite alike). The holder renews
 * its lease well before it expires; another instance takes over only once it has expired, so
 * a killed leader is replaced within the lease time plus one poll. Times are the database's
 * (`now()`), so the instances' clocks do not matter.
 *
 * Every takeover increments `generation`, a fencing token: the worker checks it inside the
 * transaction that assigns a nonce, so a paused ex-leader cannot sign new work after it lost
 * the lease (and the unique nonce index stops it even then).
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.ts";

export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(lease: string) {
    super(`The ${lease} lease is no longer held by this instance.`);
  }
}

export class Lease {
  readonly name: string;
  readonly holder: string;
  readonly #db: Db;
  readonly #seconds: number;
  #generation: number | undefined;
  /** Local monotonic time until which the lease is surely ours (measured before renewing). */
  #heldUntil = 0;
  #renewedAt = 0;

  constructor(db: Db, name: string, holder: string, seconds: number) {
    this.#db = db;
    this.name = name;
    this.holder = holder;
    this.#seconds = seconds;
  }

  get generation(): number | undefined {
    return this.isHeld() ? this.#generation : undefined;
  }

  /** Whether this instance holds the lease right now (without asking the database). */
  isHeld(): boolean {
    return this.#generation !== undefined && performance.now() < this.#heldUntil;
  }

  /** Takes the lease if it is free or expired, or renews it if ours; returns whether we hold it. */
  async acquire(): Promise<boolean> {
    const started = performance.now();
    const interval = `${this.#seconds} seconds`;
    const rows = await queryRows<{ generation: string | number }>(
      this.#db,
      sql`insert into chain_leases (name, holder, generation, acquired_at, renewed_at, expires_at)
          values (${this.name}, ${this.holder}, 1, now(), now(), now() + ${interval}::interval)
          on conflict (name) do update set
            holder = excluded.holder,
            generation = case when chain_leases.holder = excluded.holder
              then chain_leases.generation else chain_leases.generation + 1 end,
            acquired_at = case when chain_leases.holder = excluded.holder
              then chain_leases.acquired_at else now() end,
            renewed_at = now(),
            expires_at = excluded.expires_at
          where chain_leases.holder = excluded.holder or chain_leases.expires_at < now()
          returning generation`,
    );
    const row = rows[0];
    if (!row) {
      this.#generation = undefined;
      this.#heldUntil = 0;
      return false;
    }
    this.#generation = Number(row.generation);
    this.#renewedAt = started;
    // A safety margin of a fifth of the lease for clock-rate drift and slow statements.
    this.#heldUntil = started + this.#seconds * 800;
    return true;
  }

  /** Renews the lease when a fifth of it has passed (long passes call this between steps). */
  async renewIfDue(): Promise<void> {
    if (performance.now() - this.#renewedAt > this.#seconds * 200) await this.acquire();
  }

  /** Inside a transaction: fails unless the lease is still ours (same generation, unexpired). */
  async assertHeld(tx: Db): Promise<void> {
    const generation = this.#generation;
    if (generation === undefined || !this.isHeld()) throw new LeaseLostError(this.name);
    const rows = await queryRows<{ name: string }>(
      tx,
      sql`select name from chain_leases where name = ${this.name} and holder = ${this.holder}
          and generation = ${generation} and expires_at > now() for share`,
    );
    if (rows.length === 0) {
      this.#generation = undefined;
      throw new LeaseLostError(this.name);
    }
  }

  /** Gives the lease up (graceful shutdown), so another instance need not wait for expiry. */
  async release(): Promise<void> {
    if (this.#generation === undefined) return;
    this.#generation = undefined;
    this.#heldUntil = 0;
    await this.#db.execute(
      sql`update chain_leases set expires_at = now() - interval '1 second'
          where name = ${this.name} and holder = ${this.holder}`,
    );
  }
}
