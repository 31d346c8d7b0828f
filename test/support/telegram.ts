/**
 * Telegram init data for tests, signed exactly as Telegram signs it (HMAC-SHA256 keyed
 * with HMAC("WebAppData", bot token)), via @tma.js/init-data-node's `sign`.
 */
import { sign } from "@tma.js/init-data-node";

/** A syntactically valid bot token used by test configs. */
export const TEST_BOT_TOKEN = "7000000001:AAHtestTOKENforREFMINTunitTESTSonly_1234";
/** Another bot's token: init data signed with it must be refused. */
export const OTHER_BOT_TOKEN = "7000000002:AAHanotherBOTtokenWHICHmustNOTverify_567";

export interface TestTelegramUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
  is_bot?: boolean;
}

export interface InitDataOptions {
  user: TestTelegramUser;
  botToken?: string;
  /** Default: now on the signing clock ({@link signInitDataOnClock}), else the wall clock. */
  authDate?: Date;
  startParam?: string;
  queryId?: string;
}

let signingClock: () => Date = () => new Date();

/**
 * Init data without an explicit `authDate` is signed at `now` until `t` ends (then at what it
 * was before). `startTestApp` registers its app's clock: a test app's clock stands still by
 * default, so init data signed at the wall clock would look "from the future" (over 60 s
 * ahead) to the app in a test that ran longer than a minute on a busy machine. Signed at the
 * app's own time, a test's init data is as fresh however long the test takes.
 */
export function signInitDataOnClock(t: { after(fn: () => void): void }, now: () => Date): void {
  const previous = signingClock;
  signingClock = now;
  t.after(() => {
    signingClock = previous;
  });
}

/** Signed init data as the Mini App would send it (`initDataRaw`). */
export function signInitData(o: InitDataOptions): string {
  return sign(
    {
      user: { first_name: "Test", ...o.user },
      ...(o.startParam !== undefined ? { start_param: o.startParam } : {}),
      query_id: o.queryId ?? "AAH-test-query",
      chat_type: "sender",
      chat_instance: "-1000000000000",
    },
    o.botToken ?? TEST_BOT_TOKEN,
    o.authDate ?? signingClock(),
  );
}

/** `Authorization` header value for init data. */
export function tma(initData: string): string {
  return `tma ${initData}`;
}

/** Shorthand: a header for user `id` signed now (see `signInitDataOnClock`) with the test token. */
export function tmaFor(
  id: number,
  extra: Omit<InitDataOptions, "user"> & { user?: Partial<TestTelegramUser> } = {},
): string {
  return tma(signInitData({ ...extra, user: { id, first_name: `User${id}`, ...extra.user } }));
}

/** Changes one field of signed init data without re-signing it. */
export function tamper(initData: string, field: string, value: string): string {
  const p = new URLSearchParams(initData);
  p.set(field, value);
  return p.toString();
}
