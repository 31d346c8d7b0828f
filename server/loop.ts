/**
 * `loopJob`: the one poll loop every background job runs on (the chain jobs, the service's
 * maintenance, the bot's jobs). A pass runs, then the next is scheduled after a delay, so
 * passes never overlap; `runOnce()` queues behind a pass under way; a pass that throws is
 * reported and the loop goes on; `stop()` cancels the next pass and resolves once the current
 * one is done, so shutdown never cuts a pass short or leaves a timer behind.
 */
export interface LoopJob<T = void> {
  /** Starts the loop (the first pass at once, unless `firstDelayMs`). */
  start(): void;
  /** Runs one pass now, after the one under way; resolves with its result (`undefined` if it threw). */
  runOnce(): Promise<T | undefined>;
  /** Ends the loop; resolves when the pass under way (if any) has finished. */
  stop(): Promise<void>;
  /** Something new to do: the next pass runs now (or right after the one under way). */
  wake(): void;
}

export interface LoopOptions<T> {
  /** One pass. A throw goes to `onError`; the loop goes on. */
  pass: () => Promise<T>;
  /** Delay between the end of a pass and the start of the next. */
  intervalMs: number;
  /** The delay after each pass instead of `intervalMs` (e.g. a backoff after failures). */
  nextDelayMs?: () => number;
  /** Delay before the first pass; default 0. */
  firstDelayMs?: number;
  onError?: (error: unknown) => void;
  /** `false`: the timer does not keep the process alive (jobs beside a server). Default true. */
  keepAlive?: boolean;
}

export function loopJob<T = void>(o: LoopOptions<T>): LoopJob<T> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<T | undefined> = Promise.resolve(undefined);
  let stopping = true;
  /** Woken during a pass: the next one follows at once. */
  let woken = false;

  const once = async (): Promise<T | undefined> => {
    try {
      return await o.pass();
    } catch (error) {
      o.onError?.(error);
      return undefined;
    }
  };
  const runOnce = () => {
    running = running.then(once);
    return running;
  };
  const schedule = (delay: number) => {
    if (stopping) return;
    timer = setTimeout(async () => {
      timer = undefined;
      await runOnce();
      const delay = woken ? 0 : (o.nextDelayMs?.() ?? o.intervalMs);
      woken = false;
      schedule(delay);
    }, delay);
    if (o.keepAlive === false) timer.unref();
  };
  const wake = () => {
    if (stopping) return;
    if (timer === undefined) {
      woken = true;
      return;
    }
    clearTimeout(timer);
    schedule(0);
  };
  return {
    start() {
      if (!stopping) return;
      stopping = false;
      schedule(o.firstDelayMs ?? 0);
    },
    runOnce,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    wake,
  };
}
