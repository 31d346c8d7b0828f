/**
 * The admin console's browser tests (admin*.test.ts, broadcast.test.ts) start the same things:
 * the dashboard's build, a test database (PostgreSQL when the environment has it, else
 * PGlite), Chromium, optionally the local chain with the test campaign deployed, and the HTTP
 * stack in website mode over them; then sign admins in over HTTP or in a phone-sized browser
 * and open screens. This is that set-up once, and the page helpers they share.
 *
 * `consoleFixture()` is made at module level (nothing starts yet) so a test file can take its
 * helpers apart there: `const { call, signIn, consoleFor } = fixture;`, then
 * `before(() => fixture.start({...}))` and `after(() => fixture.stop())`.
 */
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page, Request, Route } from "playwright-core";
import type { DatabaseHandle } from "../../../server/db/index.ts";
import type { DomainContext } from "../../../server/domain/context.ts";
import { ensureMember, type MemberView } from "../../../server/domain/members.ts";
import { type CampaignRole, grantRole, systemAdmin } from "../../../server/domain/roles.ts";
import { issueAdminLoginToken, issueLoginToken } from "../../../server/domain/webLogin.ts";
import { DATABASE_KINDS, openTestDatabase } from "../../support/db.ts";
import { launchBrowser, watchPage } from "./browser.ts";
import { dashboardBuild, ROOT } from "./build.ts";
import { startTestChain, type TestChain } from "./chain.ts";
import { type Stack, type StackOptions, startStack } from "./stack.ts";

/** Where the console's screenshots go (gitignored). */
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "admin");

/** PostgreSQL when the environment has it (the production kind), else PGlite. */
const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1] ?? "pglite";

export interface ConsoleOptions {
  /** Telegram ids of the super-admins (`ADMIN_TELEGRAM_IDS`). */
  superAdmins?: number[];
  /** Starts the local chain with the test campaign deployed (the stack's campaign by default). */
  chain?: boolean;
  /**
   * The stack's options; its `env` joins the console's own (the build, website mode, the
   * super-admins). Called once the build, database, browser (and chain) are up, so it may await
   * what the test started beside them; called again by `restart`.
   */
  stack: (chain: TestChain | undefined) => StackOptions | Promise<StackOptions>;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
  body: any;
}

/** A request's credentials: a session cookie, or `{ bearer }` (host API keys) too. */
export type Auth = string | { cookie?: string; bearer?: string };

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations on the page. */
  errors: string[];
}

export interface OpenOptions {
  /** The browser's time zone (the system's otherwise). */
  timezoneId?: string;
  /** Grants the clipboard (copy buttons). */
  clipboard?: boolean;
  /** The screen to open after signing in (the Overview otherwise). */
  screen?: string;
}

export interface ConsoleFixture {
  start(o: ConsoleOptions): Promise<void>;
  /** Stops the stack and starts it again on the same database (what a deploy or crash does). */
  restart(): Promise<void>;
  /** Stops whatever `start` started. */
  stop(): Promise<void>;
  readonly db: DatabaseHandle;
  readonly browser: Browser;
  /** The running stack (another one after `restart`). */
  readonly stack: Stack;
  /** The local chain (`chain: true`). */
  readonly chain: TestChain;
  /** An HTTP request as the console makes it (with the origin a write needs). */
  call(method: string, path: string, auth?: Auth, body?: unknown): Promise<Reply>;
  /** Signs in over HTTP with a login link of `kind`; the session cookie. */
  signIn(m: MemberView, kind?: "admin" | "member"): Promise<string>;
  /** A phone-sized browser signed in through an admin link, in `lang` and `theme`. */
  consoleFor(
    m: MemberView,
    lang: "en" | "ru",
    theme: "light" | "dark",
    o?: OpenOptions,
  ): Promise<ConsolePage>;
}

export function consoleFixture(): ConsoleFixture {
  let options: ConsoleOptions | undefined;
  let db: DatabaseHandle | undefined;
  let browser: Browser | undefined;
  let chain: TestChain | undefined;
  let stack: Stack | undefined;
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`the console fixture has no ${what}: start it first`);
    return value;
  };

  const startStackOf = async (o: ConsoleOptions): Promise<Stack> => {
    const dist = await dashboardBuild();
    const given = await o.stack(chain);
    return startStack(undefined, started("database", db), {
      ...(chain ? { campaigns: [chain.campaign], deploymentsDir: chain.deploymentsDir } : {}),
      ...given,
      env: {
        DASHBOARD_DIST_DIR: dist,
        DASHBOARD_MODE: "web",
        ...(o.superAdmins ? { ADMIN_TELEGRAM_IDS: o.superAdmins.join(",") } : {}),
        ...given.env,
      },
    });
  };

  const fixture: ConsoleFixture = {
    async start(o) {
      options = o;
      const [build, database, chromium, localChain] = await Promise.allSettled([
        dashboardBuild(),
        openTestDatabase(kind),
        launchBrowser(),
        o.chain ? startTestChain() : undefined,
      ]);
      // What started is kept for `stop` even when another part failed.
      if (database.status === "fulfilled") db = database.value;
      if (chromium.status === "fulfilled") browser = chromium.value;
      if (localChain.status === "fulfilled") chain = localChain.value;
      for (const part of [build, database, chromium, localChain])
        if (part.status === "rejected") throw part.reason;
      stack = await startStackOf(o);
    },
    async restart() {
      await started("stack", stack).stop();
      stack = undefined;
      stack = await startStackOf(started("start", options));
    },
    async stop() {
      await browser?.close();
      await stack?.stop();
      await chain?.stop();
      await db?.close();
    },
    get db() {
      return started("database", db);
    },
    get browser() {
      return started("browser", browser);
    },
    get stack() {
      return started("stack", stack);
    },
    get chain() {
      return started("chain", chain);
    },

    async call(method, p, auth, body) {
      const s = started("stack", stack);
      const { cookie, bearer }: { cookie?: string; bearer?: string } =
        typeof auth === "string" ? { cookie: auth } : (auth ?? {});
      const headers: Record<string, string> = { accept: "application/json" };
      if (cookie) headers.cookie = cookie;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (method !== "GET") headers.origin = s.url;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${s.url}${p}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },

    async signIn(m, kind = "admin") {
      const s = started("stack", stack);
      const { token } =
        kind === "admin"
          ? await issueAdminLoginToken(s.domain, m.id)
          : await issueLoginToken(s.domain, m.id);
      const res = await fetch(`${s.url}/api/web/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: s.url },
        body: JSON.stringify({ token }),
      });
      assert.equal(res.status, 200);
      const cookie = res.headers.getSetCookie()[0]?.split(";")[0];
      assert.ok(cookie);
      return cookie;
    },

    async consoleFor(m, lang, theme, o = {}) {
      const s = started("stack", stack);
      const context = await started("browser", browser).newContext({
        locale: lang === "ru" ? "ru-RU" : "en-GB",
        colorScheme: theme,
        timezoneId: o.timezoneId,
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
      });
      if (o.clipboard)
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: s.url });
      const page = await context.newPage();
      const watch = await watchPage(page);
      const { token } = await issueAdminLoginToken(s.domain, m.id);
      await page.goto(`${s.url}/admin#token=${token}`);
      try {
        await shown(page, "nav.admin-nav");
      } catch (error) {
        throw new Error(
          `${(error as Error).message}; errors: ${watch.errors.join(" | ")}; failed: ${watch.failed.join(" | ")}`,
          { cause: error },
        );
      }
      // The token never stays in the address bar.
      assert.ok(!page.url().includes("token="), page.url());
      if (o.screen) await openScreen(page, o.screen);
      return { context, page, errors: watch.errors };
    },
  };
  return fixture;
}

/** Opens a section of the console from its navigation. */
export async function openScreen(page: Page, section: string): Promise<void> {
  await page.locator(`nav [data-nav="${section}"]`).click();
  await page.locator(`main[data-screen="${section}"]`).waitFor();
}

/** Waits for `selector`; a failure says what the page showed instead. */
export async function shown(page: Page, selector: string, timeout = 60_000): Promise<void> {
  try {
    await page.locator(selector).first().waitFor({ timeout });
  } catch (error) {
    const text = await page.evaluate(() => document.body.textContent).catch(() => "?");
    throw new Error(`${selector} not shown at ${page.url()}; the page says: ${text}`, {
      cause: error,
    });
  }
}

/** Saves a full-page screenshot under test-artifacts/admin/. */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Nothing wider than the phone's screen. */
export async function noOverflow(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `${what} overflows by ${overflow}px`);
}

export interface HeldAnswer {
  /** The held request, once the page made it. */
  asked: Promise<Request>;
  /**
   * Lets the server's answer through (or finds the page gave up on the request: a superseded
   * request is aborted), then waits until the page had it and ran what it queued.
   */
  release(): Promise<void>;
}

/**
 * Holds back the answer to the page's first API request that `match`es, as a loaded machine
 * does: the real server answers at once, but the page receives the answer only on `release`,
 * so requests made meanwhile are answered first. Later matching requests pass untouched.
 */
export async function holdFirstAnswer(
  page: Page,
  match: (url: URL) => boolean,
): Promise<HeldAnswer> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let held: Request | undefined;
  let asked!: (r: Request) => void;
  const askedFor = new Promise<Request>((resolve) => {
    asked = resolve;
  });
  // Finished (answered) or failed (aborted by the page): either way the page is done with it.
  let ended!: () => void;
  const done = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const onEnd = (r: Request) => {
    if (r === held) ended();
  };
  page.on("requestfinished", onEnd);
  page.on("requestfailed", onEnd);
  const pattern = "**/api/**";
  const handler = async (route: Route) => {
    if (held !== undefined || !match(new URL(route.request().url()))) return route.fallback();
    held = route.request();
    asked(held);
    try {
      const response = await route.fetch();
      await gate;
      await route.fulfill({ response });
    } catch {
      // The page aborted it meanwhile (superseded): nobody is left to answer. Or the server
      // failed: the page gets a failure rather than a request pending for ever.
      await route.abort().catch(() => {});
      ended();
    }
  };
  await page.route(pattern, handler);
  return {
    asked: askedFor,
    async release() {
      await askedFor;
      open();
      await done;
      page.off("requestfinished", onEnd);
      page.off("requestfailed", onEnd);
      await page.unroute(pattern, handler);
      // The answer's promise callbacks run in tasks of the page's own: let them run.
      await page.evaluate(
        () => new Promise<void>((resolve) => setTimeout(() => setTimeout(resolve, 0), 0)),
      );
    },
  };
}

/**
 * The people of a console test, made through the domain: each member (`[key, telegram id,
 * first name]`, username `key`, English) goes into `people[key]`; then each `[key, role]` in
 * `roles` is granted in campaign `slug`.
 */
export async function seedPeople(
  domain: DomainContext,
  people: Record<string, MemberView>,
  members: ReadonlyArray<readonly [key: string, id: number, firstName: string]>,
  slug: string,
  roles: ReadonlyArray<readonly [key: string, role: CampaignRole]>,
): Promise<void> {
  for (const [key, id, firstName] of members)
    people[key] = (
      await ensureMember(domain, { id, firstName, username: key, languageCode: "en" })
    ).member;
  const campaign = domain.campaigns.bySlug(slug);
  if (!campaign) throw new Error(`no campaign ${slug}`);
  for (const [key, role] of roles)
    await grantRole(domain, systemAdmin(), {
      campaignId: campaign.id,
      memberId: people[key]!.id,
      role,
    });
}
