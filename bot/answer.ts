/**
 * The update's answer: a handler marks the one Bot API call that answers the member
 * (`await asAnswer(() => ctx.reply(…))`). In webhook mode with `BOT_WEBHOOK_ANSWER=response`
 * (bot/webhook.ts) that call is not sent to the Bot API: it goes back to Telegram in the
 * webhook's HTTP response, after the update's effects and the handled mark are committed, so
 * acknowledging the update and answering it are one step. A process killed before the
 * response completes leaves the update unacknowledged; Telegram delivers it again and it is
 * answered then, once.
 *
 * The price (grammY's `canUseWebhookReply` documents the same): the call's result is not
 * known. The awaited value is `true`, not the sent message, and an error Telegram meets
 * carrying it out (a blocked chat, a 429) is not reported. Mark only calls whose result the
 * handler does not use. Elsewhere (long polling, a recovered update, API mode) the call is
 * an ordinary Bot API call.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const answering = new AsyncLocalStorage<true>();

/** Runs `send` (one Bot API call, its result unused) as the update's answer. */
export function asAnswer<T>(send: () => Promise<T>): Promise<T> {
  return answering.run(true, send);
}

/** Whether the Bot API call being made now was marked with {@link asAnswer}. */
export function isAnswer(): boolean {
  return answering.getStore() === true;
}
