/**
 * Crash points for the fault tests: with `REFMINT_FAILPOINT=<name>` a worker or indexer
 * process kills itself with SIGKILL (no cleanup, no flushing, exactly like `kill -9`) the first
 * time it reaches that point. Names: `after-claim`, `after-sign`, `after-broadcast`,
 * `after-receipt` (worker), `indexer-mid-range` (indexer). Unset in production.
 *
 * `<name>@group` kills the whole process group instead: the deploy command and the service that
 * started it together, as a crash of the service mid-deploy (the console's restart test starts
 * the service in a group of its own).
 */
export type Failpoint = (name: string) => void;

export function failpoints(active: string | undefined): Failpoint {
  if (active === undefined) return () => {};
  return (name) => {
    if (name === active) process.kill(process.pid, "SIGKILL");
    if (`${name}@group` === active) process.kill(0, "SIGKILL");
  };
}
