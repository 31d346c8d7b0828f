/**
 * A fake Telegram Bot API server for tests: real HTTP on an ephemeral port, the URL layout
 * of the real one (`/bot<token>/<method>`), answers shaped like Telegram's. It records every
 * method call with its parameters (JSON and multipart, files summarised), serves
 * `getUpdates` long polling with offsets, posts updates to a webhook with its secret (and
 * carries out the method call a webhook response names, only when that response arrived), and
 * can be told to fail (429 with `retry_after`, 5xx) or to treat a chat as having blocked the
 * bot. The real bot is pointed at it with `TELEGRAM_API_ROOT`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message, Update, User, UserFromGetMe } from "grammy/types";

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** `Date.now()` when the call arrived. */
  at: number;
  /** The HTTP status the fake answered with (0 while it has not answered). */
  status: number;
  /** What it answered (`result` of a successful call). */
  result?: unknown;
}

export interface TelegramFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

interface FailureRule {
  method: string;
  times: number;
  failure: TelegramFailure;
  when?: (params: Record<string, unknown>) => boolean;
}

interface Hold {
  method: string;
  when?: (params: Record<string, unknown>) => boolean;
  gate: Promise<void>;
  release: () => void;
}

interface Poller {
  offset: number;
  limit: number;
  resolve: (updates: Update[]) => void;
  timer: NodeJS.Timeout;
}

export interface TestUser extends User {
  language_code?: string;
}

export interface FakeTelegramOptions {
  token: string;
  username?: string;
  botId?: number;
  /**
   * Keep every call in `calls` (default true). Long benchmarks turn it off and watch calls
   * with `onAnswered` instead, so the fake's memory stays flat.
   */
  record?: boolean;
}

export class FakeTelegram {
  readonly token: string;
  readonly me: UserFromGetMe;
  apiRoot = "";
  readonly calls: RecordedCall[] = [];
  webhook?: { url: string; secret?: string; allowedUpdates?: unknown; maxConnections?: unknown };
  #server!: Server;
  #queue: Update[] = [];
  #confirmed = 0;
  #pollers: Poller[] = [];
  #nextUpdateId = 10_000;
  #nextMessageId = 1;
  #blocked = new Set<number>();
  /** `getChatMember` answers: `${chatId}:${userId}` → status (absent: "left"). */
  #chatMembers = new Map<string, string>();
  #nextPollId = 1;
  /** Native polls sent: `${chatId}:${messageId}` → the poll (stopPoll closes it). */
  #polls = new Map<string, { id: string; is_closed: boolean } & Record<string, unknown>>();
  #nextInviteLink = 1;
  #failures: FailureRule[] = [];
  #holds: Hold[] = [];
  #listeners = new Set<() => void>();
  #observers = new Set<(call: RecordedCall) => void>();
  readonly #record: boolean;

  private constructor(o: FakeTelegramOptions) {
    this.token = o.token;
    this.#record = o.record ?? true;
    this.me = {
      id: o.botId ?? Number(o.token.split(":")[0]),
      is_bot: true,
      first_name: "Refmint",
      username: o.username ?? "refmint_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
    } as UserFromGetMe;
  }

  static async start(o: FakeTelegramOptions): Promise<FakeTelegram> {
    const fake = new FakeTelegram(o);
    fake.#server = createServer((req, res) => void fake.#handle(req, res));
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.apiRoot = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    for (const h of this.#holds.splice(0)) h.release();
    for (const p of this.#pollers.splice(0)) {
      clearTimeout(p.timer);
      p.resolve([]);
    }
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** Whether the poll sent as `messageId` to `chatId` was stopped (undefined: no such poll). */
  pollClosed(chatId: number, messageId: number): boolean | undefined {
    return this.#polls.get(`${chatId}:${messageId}`)?.is_closed;
  }

  // ---- Scripting -------------------------------------------------------------------------

  /** The next `count` calls of `method` (matching `when`) fail with `failure`. */
  failNext(
    method: string,
    failure: TelegramFailure,
    times = 1,
    when?: (params: Record<string, unknown>) => boolean,
  ): void {
    this.#failures.push({ method, failure, times, when });
  }

  /**
   * Calls of `method` (matching `when`) are recorded on arrival but not answered until the
   * returned function is called: a send that is under way for as long as the test wants.
   */
  hold(method: string, when?: (params: Record<string, unknown>) => boolean): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold: Hold = { method, when, gate, release };
    this.#holds.push(hold);
    return () => {
      this.#holds = this.#holds.filter((h) => h !== hold);
      release();
    };
  }

  /** What `getChatMember` answers for a user in a chat ("member", "left", "kicked", …). */
  setChatMember(chatId: number, userId: number, status: string): void {
    this.#chatMembers.set(`${chatId}:${userId}`, status);
  }

  /** Sends to this chat fail like Telegram's answer when a user blocked the bot. */
  block(chatId: number): void {
    this.#blocked.add(chatId);
  }

  // ---- Updates ----------------------------------------------------------------------------

  nextUpdateId(): number {
    return ++this.#nextUpdateId;
  }

  /** A private message from `user`; a leading `/command` gets its entity like Telegram adds. */
  message(user: TestUser, text: string, extra: Record<string, unknown> = {}): Update {
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    return {
      update_id: this.nextUpdateId(),
      message: {
        message_id: this.#nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: "private", first_name: user.first_name },
        from: user,
        text,
        ...(command
          ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
          : {}),
        ...extra,
      } as unknown as Update["message"],
    };
  }

  /** A reply by `user` to a message the bot sent (e.g. a forced-reply prompt). */
  reply(user: TestUser, text: string, to: Message): Update {
    return this.message(user, text, { reply_to_message: to });
  }

  /** A tap on an inline button with `data` under the bot's message `message`. */
  callback(user: TestUser, data: string, message: Message): Update {
    return {
      update_id: this.nextUpdateId(),
      callback_query: {
        id: String(this.nextUpdateId()),
        from: user,
        chat_instance: "ci-1",
        data,
        message: message as Message.TextMessage,
      },
    };
  }

  /**
   * A `chat_member` update: `user` now has `status` in `chat` (the bot is an admin there),
   * joined through `inviteLink` when given. Also what `getChatMember` answers afterwards.
   */
  chatMember(
    chat: { id: number; title: string },
    user: TestUser,
    status: "member" | "left" | "kicked",
    inviteLink?: string,
  ): Update {
    const old = this.#chatMembers.get(`${chat.id}:${user.id}`) ?? "left";
    this.setChatMember(chat.id, user.id, status);
    return {
      update_id: this.nextUpdateId(),
      chat_member: {
        chat: { id: chat.id, type: "supergroup", title: chat.title },
        from: user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: old, user },
        new_chat_member: { status, user },
        ...(inviteLink
          ? {
              invite_link: {
                invite_link: inviteLink,
                creator: this.me,
                creates_join_request: false,
                is_primary: false,
                is_revoked: false,
              },
            }
          : {}),
      } as unknown as Update["chat_member"],
    };
  }

  /** A `poll_answer` update: `user` chose `optionIds` (empty: retracted) in poll `pollId`. */
  pollAnswer(user: TestUser, pollId: string, optionIds: number[]): Update {
    return {
      update_id: this.nextUpdateId(),
      poll_answer: {
        poll_id: pollId,
        user,
        option_ids: optionIds,
      } as unknown as Update["poll_answer"],
    };
  }

  inlineQuery(user: TestUser, query = ""): Update {
    return {
      update_id: this.nextUpdateId(),
      inline_query: {
        id: String(this.nextUpdateId()),
        from: user,
        query,
        offset: "",
        chat_type: "sender",
      },
    };
  }

  /** Queues an update for `getUpdates` (polling). */
  push(update: Update): void {
    this.#queue.push(update);
    this.#servePollers();
  }

  /** The highest `update_id` the bot confirmed through a later `getUpdates` offset. */
  get confirmedUpTo(): number {
    return this.#confirmed - 1;
  }

  /**
   * POSTs an update to `url` as Telegram does (secret header when given). A webhook reply is
   * carried out as Telegram does it: only when the whole response arrived with a 2xx status
   * and its JSON names a `method`, that call is made (recorded like any call; its outcome is
   * not reported to the bot). The response is returned with its body still readable.
   *
   * `abandon`: Telegram gives up on this delivery once the response starts to arrive (as on
   * its timeout, or a connection that breaks): the body is not read, no reply is carried out,
   * and Telegram will deliver the update again.
   */
  async deliver(
    url: string,
    update: unknown,
    secret?: string,
    o: { abandon?: boolean } = {},
  ): Promise<Response> {
    const abort = new AbortController();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}),
      },
      body: typeof update === "string" ? update : JSON.stringify(update),
      signal: abort.signal,
    });
    if (o.abandon) {
      abort.abort();
      return new Response(null, { status: 599, statusText: "abandoned by Telegram" });
    }
    // Throws when the connection breaks before the body is complete: nothing is carried out.
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) await this.carryOut(text);
    return new Response(text === "" ? null : text, { status: res.status, headers: res.headers });
  }

  /** Carries out the method call a webhook response names, if any (errors are swallowed). */
  async carryOut(responseBody: string): Promise<void> {
    let reply: unknown;
    try {
      reply = JSON.parse(responseBody);
    } catch {
      return;
    }
    const { method, ...params } = (reply ?? {}) as { method?: unknown };
    if (typeof method !== "string") return;
    const res = await fetch(`${this.apiRoot}/bot${this.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    }).catch(() => undefined);
    await res?.arrayBuffer().catch(() => undefined);
  }

  // ---- Inspection -------------------------------------------------------------------------

  /** Calls `observer` with every call once it is answered; returns the unsubscribe. */
  onAnswered(observer: (call: RecordedCall) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful sendMessage / sendPhoto calls to a chat, in order. */
  sentTo(chatId: number): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        (c.method === "sendMessage" || c.method === "sendPhoto") &&
        Number(c.params.chat_id) === chatId &&
        c.status === 200,
    );
  }

  textsTo(chatId: number): string[] {
    return this.sentTo(chatId).map((c) => String(c.params.text ?? c.params.caption ?? ""));
  }

  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  waitFor(
    predicate: (c: RecordedCall) => boolean,
    timeoutMs = 30_000,
    what = "call",
  ): Promise<RecordedCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const c = this.calls.find(predicate);
        if (!c) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(", ")}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
    });
  }

  /** Waits until `count` messages were sent to `chatId`; returns their texts. */
  async waitForTexts(chatId: number, count: number, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.sentTo(chatId).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `expected ${count} messages to ${chatId}, got: ${JSON.stringify(this.textsTo(chatId))}`,
        );
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#listeners.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 100);
        this.#listeners.add(done);
      });
    }
    return this.textsTo(chatId);
  }

  // ---- The server -------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!match) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    if (match[1] !== this.token)
      return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = match[2]!;
    const params = await readParams(req, url);
    const call: RecordedCall = { method, params, at: Date.now(), status: 0 };
    if (this.#record) this.calls.push(call);
    // Waiters may look for a call before it is answered (a long poll answers much later).
    for (const l of [...this.#listeners]) l();

    const reply = (status: number, body: unknown) => {
      call.status = status;
      send(status, body);
      for (const l of [...this.#listeners]) l();
      for (const o of this.#observers) o(call);
    };
    const fail = (f: TelegramFailure) =>
      reply(f.error_code, {
        ok: false,
        error_code: f.error_code,
        description: f.description,
        parameters: f.parameters,
      });

    const held = this.#holds.find((h) => h.method === method && (h.when?.(params) ?? true));
    if (held) await held.gate;
    const rule = this.#failures.find(
      (r) => r.method === method && r.times > 0 && (r.when?.(params) ?? true),
    );
    if (rule) {
      rule.times--;
      return fail(rule.failure);
    }
    // Like Telegram: text sent as HTML must parse, or the whole call fails.
    for (const field of ["text", "caption"]) {
      const value = params[field];
      if (params.parse_mode === "HTML" && typeof value === "string") {
        const problem = htmlProblem(value);
        if (problem)
          return fail({
            error_code: 400,
            description: `Bad Request: can't parse entities: ${problem}`,
          });
      }
    }
    const nested = (params.input_message_content as { message_text?: string; parse_mode?: string })
      ?.message_text;
    if (typeof nested === "string") {
      const problem = htmlProblem(nested);
      if (problem)
        return fail({
          error_code: 400,
          description: `Bad Request: can't parse entities: ${problem}`,
        });
    }
    const ok = (result: unknown) => {
      call.result = result;
      reply(200, { ok: true, result });
    };
    const chatId = Number(params.chat_id);

    switch (method) {
      case "getMe":
        return ok(this.me);
      case "getUpdates": {
        const offset = Number(params.offset ?? 0);
        if (offset > this.#confirmed) this.#confirmed = offset;
        this.#queue = this.#queue.filter((u) => u.update_id >= offset);
        const limit = Number(params.limit ?? 100);
        const ready = this.#queue.slice(0, limit);
        const timeout = Number(params.timeout ?? 0);
        if (ready.length > 0 || timeout === 0) return ok(ready);
        // Long polling: answer when an update arrives, the timeout passes or the client leaves.
        const updates = await new Promise<Update[]>((resolve) => {
          const poller: Poller = {
            offset,
            limit,
            resolve,
            timer: setTimeout(() => {
              this.#pollers = this.#pollers.filter((p) => p !== poller);
              resolve([]);
            }, timeout * 1000),
          };
          this.#pollers.push(poller);
          req.once("close", () => {
            if (!res.writableEnded && res.destroyed) {
              clearTimeout(poller.timer);
              this.#pollers = this.#pollers.filter((p) => p !== poller);
              resolve([]);
            }
          });
        });
        if (res.destroyed) return;
        return ok(updates);
      }
      case "setWebhook":
        this.webhook = {
          url: String(params.url),
          secret: params.secret_token === undefined ? undefined : String(params.secret_token),
          allowedUpdates: params.allowed_updates,
          maxConnections: params.max_connections,
        };
        return ok(true);
      case "deleteWebhook":
        this.webhook = undefined;
        return ok(true);
      case "getWebhookInfo":
        return ok({
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: 0,
        });
      case "sendMessage":
      case "sendPhoto": {
        if (this.#blocked.has(chatId))
          return fail({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
        const message: Record<string, unknown> = {
          message_id: this.#nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" },
          from: this.me,
        };
        if (method === "sendMessage") message.text = params.text;
        else {
          message.photo = [{ file_id: "photo-1", file_unique_id: "p1", width: 512, height: 512 }];
          message.caption = params.caption;
        }
        if (params.reply_markup) message.reply_markup = params.reply_markup;
        return ok(message);
      }
      case "sendPoll": {
        if (this.#blocked.has(chatId))
          return fail({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
        const options = (params.options as Array<{ text: string } | string>).map((o) => ({
          text: typeof o === "string" ? o : o.text,
          voter_count: 0,
        }));
        const poll = {
          id: `poll-${this.#nextPollId++}`,
          question: params.question,
          options,
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: params.is_anonymous ?? true,
          type: "regular",
          allows_multiple_answers: params.allows_multiple_answers ?? false,
        };
        const messageId = this.#nextMessageId++;
        this.#polls.set(`${chatId}:${messageId}`, poll);
        return ok({
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private" },
          from: this.me,
          poll: { ...poll },
        });
      }
      case "stopPoll": {
        // Telegram's answers: the closed poll; a second stop or an unknown message is a 400.
        const poll = this.#polls.get(`${chatId}:${Number(params.message_id)}`);
        if (!poll)
          return fail({
            error_code: 400,
            description: "Bad Request: message with poll to stop not found",
          });
        if (poll.is_closed)
          return fail({
            error_code: 400,
            description: "Bad Request: poll has already been closed",
          });
        poll.is_closed = true;
        return ok({ ...poll });
      }
      case "getChatMember": {
        const status = this.#chatMembers.get(`${chatId}:${Number(params.user_id)}`) ?? "left";
        return ok({
          status,
          user: { id: Number(params.user_id), is_bot: false, first_name: "U" },
        });
      }
      case "createChatInviteLink":
        return ok({
          invite_link: `https://t.me/+fake${chatId < 0 ? -chatId : chatId}_${this.#nextInviteLink++}`,
          creator: this.me,
          name: params.name,
          creates_join_request: false,
          is_primary: false,
          is_revoked: false,
        });
      case "editMessageText":
      case "editMessageReplyMarkup":
        return ok({
          message_id: Number(params.message_id),
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private" },
          from: this.me,
          text: params.text ?? "",
        });
      case "answerCallbackQuery":
      case "answerInlineQuery":
      case "setMyCommands":
      case "deleteMyCommands":
      case "setChatMenuButton":
        return ok(true);
      default:
        return fail({ error_code: 404, description: "Not Found: method not found" });
    }
  }

  #servePollers(): void {
    for (const p of [...this.#pollers]) {
      const ready = this.#queue.filter((u) => u.update_id >= p.offset).slice(0, p.limit);
      if (ready.length === 0) continue;
      clearTimeout(p.timer);
      this.#pollers = this.#pollers.filter((x) => x !== p);
      p.resolve(ready);
    }
  }
}

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "tg-spoiler",
  "span",
  "blockquote",
  "tg-emoji",
]);

/** Why Telegram would refuse `text` as HTML, or undefined (tags, nesting, entities). */
export function htmlProblem(text: string): string | undefined {
  const open: string[] = [];
  const re = /<(\/?)([a-z-]+)([^>]*)>|<|&(#\d+|#x[0-9a-f]+|[a-z]+);|&/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [all, closing, tag, attrs] = m;
    if (all === "<") return `unsupported start tag at byte offset ${m.index}`;
    if (all === "&") return `unescaped & at byte offset ${m.index}`;
    if (all.startsWith("&")) {
      if (!/^&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot);$/i.test(all)) return `unknown entity ${all}`;
      continue;
    }
    const name = tag!.toLowerCase();
    if (!HTML_TAGS.has(name)) return `unsupported tag "${name}"`;
    if (closing) {
      if (open.pop() !== name) return `unexpected end tag "${name}"`;
    } else {
      if (name === "a" && !/^\s+href="[^"]*"\s*$/.test(attrs ?? "")) return "bad <a> attributes";
      open.push(name);
    }
  }
  return open.length > 0
    ? `can't find end tag corresponding to start tag "${open.pop()}"`
    : undefined;
}

/** The parameters of a Bot API call: query string, JSON, urlencoded or multipart. */
async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return params;
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) return { ...params, ...JSON.parse(body.toString("utf8")) };
  if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const form = await new Request("http://fake/", {
      method: "POST",
      headers: { "content-type": type },
      body,
    }).formData();
    for (const [key, value] of form) {
      if (typeof value === "string") {
        // grammY sends objects inside multipart as JSON strings.
        params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
      } else {
        // Small text files (a JSON export) keep their content, so tests can read it.
        const text =
          value.size <= 262_144 && /\.(json|txt|csv)$/.test(value.name)
            ? await value.text()
            : undefined;
        params[key] = { file: value.name, size: value.size, type: value.type, text };
      }
    }
  }
  return params;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
