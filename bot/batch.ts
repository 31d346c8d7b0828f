/**
 * Coalescing of the database work of updates handled at the same time. The webhook handles
 * up to `BOT_WEBHOOK_CONCURRENCY` updates at once; each needs the same few statements (read
 * or create the member, issue a login token). A {@link Coalescer} turns the calls that
 * arrive in the same turn of the event loop, or while the previous batch is being written,
 * into one batch: one statement for many updates instead of one per update. No timer: a
 * batch waits for nothing but the end of the current event-loop turn (`setImmediate`). Each
 * caller still gets its own result, or its own error: when a batch fails, its items are
 * retried one by one, so one bad item does not fail the others.
 *
 * Never call one from inside a database transaction (on PGlite it would wait for the
 * transaction that waits for it).
 */
export class Coalescer<I, O> {
  readonly #run: (inputs: I[]) => Promise<O[]>;
  readonly #maxBatch: number;
  #queue: Array<{ input: I; done: (value: O) => void; fail: (error: unknown) => void }> = [];
  #running = false;

  /** `run` gets a batch and returns one result per input, in order. */
  constructor(run: (inputs: I[]) => Promise<O[]>, maxBatch = 200) {
    this.#run = run;
    this.#maxBatch = maxBatch;
  }

  call(input: I): Promise<O> {
    return new Promise<O>((done, fail) => {
      this.#queue.push({ input, done, fail });
      if (!this.#running) {
        this.#running = true;
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // Let the requests already received in this turn of the event loop join the batch.
        // PGlite runs a statement synchronously, so without this pause no request would
        // ever arrive while a batch is in flight, and every batch would hold one update.
        await gather(() => this.#queue.length, this.#maxBatch);
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const out = await this.#run(batch.map((b) => b.input));
          if (out.length !== batch.length) throw new Error("batch returned a wrong count");
          for (const [i, b] of batch.entries()) b.done(out[i]!);
        } catch (error) {
          if (batch.length === 1) batch[0]!.fail(error);
          else
            await Promise.all(
              batch.map((b) =>
                this.#run([b.input]).then(
                  ([value]) => b.done(value!),
                  (e: unknown) => b.fail(e),
                ),
              ),
            );
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/** Resolves after the I/O callbacks of the current event-loop turn (`setImmediate`). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How many more turns a batch may wait while each brings more calls. */
export const GATHER_TURNS = 3;

/**
 * Waits for the end of the current event-loop turn, then one more turn at a time while the
 * last one brought more calls (`size()` grew), up to {@link GATHER_TURNS} more or until the
 * batch is full. Requests that arrive staggered (each answered in its own webhook response,
 * so their handlers reach the same statement a few turns apart) then share a batch, where
 * one turn would split them; a lone call waits one turn more, nothing else.
 */
export async function gather(size: () => number, full: number): Promise<void> {
  await nextTurn();
  for (let turn = 0; turn < GATHER_TURNS; turn++) {
    const before = size();
    if (before >= full) return;
    await nextTurn();
    if (size() === before) return;
  }
}
