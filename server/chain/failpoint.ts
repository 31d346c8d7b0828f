/**
 * Crash points for the fault tests: with `REFMINT_FAILPOINT=<name>` a worker or indexer
 * process kills itself with SIGKILL (no cleanup, no flushing, exactly like `kill -9`) the first
 * time it reaches that point. Names: `after-claim`, `after-sign`, `after-broadcast`,
 * `after-receipt` (worker), `indexer-mid-range` (indexer). Unset in production.
 */
export type Failpoint = (name: string) => void;

export function failpoints(active: string | undefined): Failpoint {
  if (active === undefined) return () => {};
  return (name) => {
    if (name === active) process.kill(process.pid, "SIGKILL");
  };
}
