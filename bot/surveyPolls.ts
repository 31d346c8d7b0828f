/**
 * Stops the native polls of closed surveys (`stopPoll`), so a closed vote also looks closed in
 * Telegram and takes no more taps. Each delivered poll is stopped once: its delivery row is
 * leased while a process calls Telegram and marked stopped after (server/domain/surveys.ts).
 * A crash between Telegram's answer and the mark leaves it to be taken again after the lease;
 * Telegram then answers "poll has already been closed", which counts as done, so no poll is
 * ever left open and none is stopped twice. Runs in the bot's periodic job (a survey whose
 * `closesAt` passed, or closed through the API) and right after `/survey close`.
 */
import { type Api, GrammyError } from "grammy";
import type { DomainContext } from "../server/domain/context.ts";
import { claimPollsToStop, markPollStopped } from "../server/domain/index.ts";
import type { Logger } from "../server/logger.ts";

/** Polls taken per claim. */
const BATCH = 50;
/** How long a claimed poll is this process's (then another pass may take it again). */
const LEASE_SECONDS = 120;

/** Telegram's answers meaning there is nothing (more) to stop: counted as done. */
function nothingToStop(error: GrammyError): boolean {
  if (error.error_code === 403) return true; // blocked the bot: the poll cannot be touched
  return (
    error.error_code === 400 &&
    /poll has already been closed|message with poll to stop not found|message to stop not found|message to edit not found|chat not found/i.test(
      error.description,
    )
  );
}

export interface PollStopResult {
  stopped: number;
  /** Left for a later pass (rate limit, Telegram or network trouble). */
  retry: number;
}

/** Stops every due poll; returns how many were stopped and how many wait for a retry. */
export async function stopClosedPolls(deps: {
  domain: Pick<DomainContext, "db" | "now">;
  api: Pick<Api, "stopPoll">;
  logger: Logger;
}): Promise<PollStopResult> {
  const result: PollStopResult = { stopped: 0, retry: 0 };
  for (;;) {
    const due = await claimPollsToStop(deps.domain, { limit: BATCH, leaseSeconds: LEASE_SECONDS });
    if (due.length === 0) return result;
    let progressed = false;
    for (const p of due) {
      try {
        await deps.api.stopPoll(p.chatId, p.messageId);
      } catch (error) {
        if (!(error instanceof GrammyError && nothingToStop(error))) {
          // Leased: taken again once the lease ends (not in this pass).
          deps.logger.warn(
            { survey: p.surveyId, question: p.question, err: String(error) },
            "poll not stopped; retrying later",
          );
          result.retry++;
          continue;
        }
      }
      await markPollStopped(deps.domain, p);
      result.stopped++;
      progressed = true;
    }
    // Everything left failed: the leases hold them until a later pass.
    if (!progressed) return result;
  }
}
