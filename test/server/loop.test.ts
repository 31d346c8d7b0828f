/** loopJob: passes never overlap, a failing pass does not end the loop, stop waits for a pass. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loopJob } from "../../server/loop.ts";

test("passes never overlap, a throwing pass is reported and the loop goes on", async () => {
  let active = 0;
  let maxActive = 0;
  let passes = 0;
  const errors: unknown[] = [];
  let reachedFive!: () => void;
  const five = new Promise<void>((r) => {
    reachedFive = r;
  });
  const job = loopJob({
    intervalMs: 0,
    pass: async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setImmediate(r));
      active--;
      passes++;
      if (passes === 5) reachedFive();
      if (passes % 2 === 1) throw new Error(`pass ${passes}`);
      return passes;
    },
    onError: (e) => errors.push(e),
  });
  job.start();
  // runOnce queues behind the loop's passes instead of running beside them.
  const extra = [job.runOnce(), job.runOnce()];
  await five;
  await job.stop();
  await Promise.all(extra);
  assert.equal(maxActive, 1);
  assert.ok(passes >= 5);
  assert.ok(errors.length >= 2, "odd passes threw and were reported");
  const after = passes;
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(passes, after, "no pass after stop");
});

test("stop resolves only once the pass under way has finished; runOnce returns its result", async () => {
  let release!: () => void;
  let finished = false;
  const job = loopJob({
    intervalMs: 60_000,
    pass: async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      finished = true;
      return "done";
    },
  });
  const result = job.runOnce();
  await new Promise((r) => setImmediate(r));
  const stopped = job.stop().then(() => finished);
  release();
  assert.equal(await stopped, true);
  assert.equal(await result, "done");
});

test("wake runs the next pass now instead of after the interval", async () => {
  let passes = 0;
  let second!: () => void;
  const secondPass = new Promise<void>((r) => {
    second = r;
  });
  const job = loopJob({
    // A pass would otherwise wait an hour: only wake can bring the second one.
    intervalMs: 3_600_000,
    pass: async () => {
      passes++;
      if (passes === 2) second();
    },
  });
  job.start();
  // Woken while the first pass may still be under way: the second follows it at once.
  while (passes < 1) await new Promise((r) => setImmediate(r));
  job.wake();
  await secondPass;
  await job.stop();
  assert.equal(passes, 2);
  job.wake();
  assert.equal(passes, 2, "a stopped loop ignores wake");
});
