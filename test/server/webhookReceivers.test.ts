/**
 * The SSRF guard of outbound webhooks (server/domain/webhookReceivers.ts, server/webhooks/
 * send.ts): which addresses are refused; subscriptions to internal receivers refused with a
 * clear 422 that writes nothing (admin and partner API), public ones accepted; the worker
 * judging the addresses a receiver's name resolves to when it connects (so an endpoint that
 * passed at subscription and resolves to loopback now gets nothing), literal addresses before
 * connecting, never following a redirect; loopback allowed only by `WEBHOOK_ALLOW_LOOPBACK`,
 * which production refuses. Real HTTP receivers on 127.0.0.1, the system's own resolver.
 */
import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type TestContext, test } from "node:test";
import { ConfigError, loadConfig } from "../../server/config.ts";
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "../../server/db/schema/webhooks.ts";
import { systemAdmin } from "../../server/domain/roles.ts";
import {
  addressRefusal,
  checkWebhookReceiver,
  nonPublicRange,
} from "../../server/domain/webhookReceivers.ts";
import { createWebhookEndpoint } from "../../server/domain/webhooks.ts";
import { guardedLookup, postWebhook, ReceiverRefusedError } from "../../server/webhooks/send.ts";
import { deliverWebhooks } from "../../server/webhooks/worker.ts";
import { startTestApp, TEST_ADMIN_TOKEN } from "../support/app.ts";
import { testCampaign } from "../support/campaign.ts";
import { rowCounts, withDatabases } from "../support/db.ts";

const token = `Bearer ${TEST_ADMIN_TOKEN}`;
const production = { allowHttp: false, allowLoopback: false };
const development = { allowHttp: true, allowLoopback: true };

/** A real receiver on 127.0.0.1: answers `status` (and `location`), records what it got. */
async function receiver(t: TestContext, answer: { status?: number; location?: string } = {}) {
  const received: Array<{ path: string; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = answer.status ?? 200;
      if (answer.location) res.setHeader("location", answer.location);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return { port: (server.address() as AddressInfo).port, received };
}

test("non-public addresses are refused, each named; public ones pass; loopback only when allowed", () => {
  const refused: Array<[string, RegExp]> = [
    ["127.0.0.1", /^loopback$/],
    ["127.255.0.9", /^loopback$/],
    ["::1", /^loopback$/],
    ["0.0.0.0", /this network/],
    ["10.1.2.3", /private/],
    ["172.16.0.1", /private/],
    ["172.31.255.255", /private/],
    ["192.168.1.10", /private/],
    ["169.254.169.254", /link-local \(cloud metadata\)/],
    ["100.64.0.1", /CGNAT/],
    ["100.127.255.254", /CGNAT/],
    ["192.0.2.5", /documentation/],
    ["198.18.0.1", /benchmarking/],
    ["224.0.0.251", /multicast/],
    ["255.255.255.255", /reserved/],
    ["fd00::1", /unique-local/],
    ["fc12:3456::1", /unique-local/],
    ["fe80::1", /link-local IPv6/],
    ["fe80::1%eth0", /link-local IPv6/],
    ["::ffff:127.0.0.1", /IPv4-mapped/],
    ["::ffff:7f00:1", /IPv4-mapped/],
    ["::ffff:8.8.8.8", /IPv4-mapped/],
    ["::", /unspecified/],
    ["::127.0.0.1", /IPv4-compatible/],
    ["64:ff9b::7f00:1", /NAT64 of loopback/],
    ["64:ff9b::a9fe:a9fe", /NAT64 of link-local/],
    ["2001:db8::1", /documentation/],
    ["2001::1", /IETF/],
    ["2002:7f00:1::1", /6to4/],
    ["ff02::1", /multicast/],
    ["100::1", /discard/],
    ["4000::1", /not global unicast/],
    ["not-an-ip", /not an IP address/],
  ];
  for (const [address, range] of refused) {
    assert.match(nonPublicRange(address) ?? "(public)", range, address);
    assert.match(addressRefusal(address, production) ?? "(allowed)", /^.+ is .+$/, address);
  }
  for (const address of [
    "8.8.8.8",
    "93.184.216.34",
    "172.32.0.1",
    "100.128.0.1",
    "169.255.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "64:ff9b::808:808",
  ])
    assert.equal(nonPublicRange(address), undefined, address);
  // The one exception: loopback itself, when allowed; never loopback in disguise.
  assert.equal(addressRefusal("127.0.0.1", development), undefined);
  assert.equal(addressRefusal("::1", development), undefined);
  assert.match(addressRefusal("::ffff:127.0.0.1", development)!, /IPv4-mapped/);
  assert.match(addressRefusal("10.0.0.1", development)!, /private/);
  assert.match(addressRefusal("169.254.169.254", development)!, /link-local/);
});

test("subscription: URLs of internal receivers get a clear 422 and write nothing; public ones are accepted", async (t) => {
  await withDatabases(t, async (db) => {
    const campaigns = [
      testCampaign({
        slug: "alpha",
        onchainId: 21,
        partner: { name: "Acme Shop", logoUrl: "https://acme.example/logo.png" },
      }),
    ];
    // Production's policy: https only, no loopback.
    const strict = await startTestApp(t, db, {
      campaigns,
      env: { WEBHOOK_ALLOW_HTTP: "false", WEBHOOK_ALLOW_LOOPBACK: "false" },
    });
    const subscribe = (url: string) =>
      strict.call("POST", "/api/admin/campaigns/alpha/webhooks", {
        auth: token,
        body: { url, events: ["member.joined"] },
      });
    const before = await rowCounts(db);
    for (const url of [
      "https://127.0.0.1/hook",
      "https://127.1/hook",
      "https://2130706433/hook",
      "https://0x7f000001/hook",
      "https://localhost/hook",
      "https://api.localhost/hook",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[::ffff:a00:1]/hook",
      "https://169.254.169.254/latest/meta-data/",
      "https://10.0.0.5/hook",
      "https://172.20.1.1/hook",
      "https://192.168.0.10/hook",
      "https://100.64.3.4/hook",
      "https://[fd12::5]/hook",
      "https://[fe80::1]/hook",
      "https://0.0.0.0/hook",
    ]) {
      const res = await subscribe(url);
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.equal(res.body.code, "webhook_invalid", url);
      assert.match(res.body.detail, /must be a public address/, url);
    }
    assert.deepEqual(await rowCounts(db), before, "refusals write nothing");
    // A partner's own subscription goes through the same guard.
    const issued = await strict.call("POST", "/api/admin/campaigns/alpha/partner/keys", {
      auth: token,
    });
    assert.equal(issued.status, 201, issued.text);
    const withKey = await rowCounts(db);
    const partner = await strict.call("POST", "/api/partner/webhooks", {
      auth: `Bearer ${issued.body.key}`,
      body: { url: "https://169.254.169.254/", events: ["member.joined"] },
    });
    assert.equal(partner.status, 422, partner.text);
    assert.match(partner.body.detail, /169\.254\.169\.254 is link-local \(cloud metadata\)/);
    assert.deepEqual(await rowCounts(db), withKey, "refusals write nothing");

    // Public receivers: a literal public address, and a name (checked again when delivering).
    for (const url of ["https://93.184.216.34/refmint", "https://hooks.example.com/refmint"]) {
      const res = await subscribe(url);
      assert.equal(res.status, 201, `${url}: ${res.text}`);
      assert.equal(res.body.url, url);
    }
    // Development with WEBHOOK_ALLOW_LOOPBACK: loopback is accepted, a private address still not.
    const campaignId = strict.ctx.campaigns.bySlug("alpha")!.id;
    const devSubscribe = (url: string) =>
      createWebhookEndpoint(strict.ctx, systemAdmin(), {
        campaignId,
        url,
        events: ["member.joined"],
        ...development,
      });
    assert.equal(
      (await devSubscribe("http://127.0.0.1:9/hook")).endpoint.url,
      "http://127.0.0.1:9/hook",
    );
    assert.equal(
      (await devSubscribe("http://localhost:9/hook")).endpoint.url,
      "http://localhost:9/hook",
    );
    await assert.rejects(devSubscribe("http://10.0.0.5/hook"), /10\.0\.0\.5 is private/);
    await assert.rejects(devSubscribe("http://[::ffff:127.0.0.1]:9/hook"), /IPv4-mapped/);
  });
});

test("a name is judged on what it resolves to, at subscription and again at connection time", async () => {
  // The system resolver: `localhost` is loopback, whatever its name looks like.
  await assert.rejects(
    checkWebhookReceiver("https://web.internal.test/hook", production, async () => [
      "93.184.216.34",
      "10.1.1.1",
    ]),
    /must be a public address: web\.internal\.test resolves to 10\.1\.1\.1, which is private/,
  );
  assert.equal(
    await checkWebhookReceiver("https://web.example.test/hook", production, async () => [
      "93.184.216.34",
    ]),
    "https://web.example.test/hook",
  );
  const lookup = (policy: typeof production, all: boolean) =>
    new Promise<{ err: Error | null; address: string | LookupAddress[] }>((resolve) =>
      guardedLookup(policy)("localhost", { all }, (err, address) => resolve({ err, address })),
    );
  const refused = await lookup(production, true);
  assert.ok(refused.err instanceof ReceiverRefusedError, String(refused.err));
  assert.match(
    refused.err.message,
    /^localhost resolves to (127\.0\.0\.1|::1), which is loopback$/,
  );
  const allowed = await lookup(development, false);
  assert.equal(allowed.err, null);
  assert.match(String(allowed.address), /^(127\.0\.0\.1|::1)$/);
});

test("delivery: the worker refuses what resolves to a refused address, literal ones before connecting, and follows no redirect", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { campaigns: [testCampaign({ slug: "alpha" })] });
    const target = await receiver(t);
    const redirecting = await receiver(t, {
      status: 302,
      location: `http://127.0.0.1:${target.port}/stolen`,
    });
    const subscribe = async (url: string) => {
      const res = await app.call("POST", "/api/admin/campaigns/alpha/webhooks", {
        auth: token,
        body: { url, events: ["member.joined"] },
      });
      assert.equal(res.status, 201, res.text);
      return res.body.id as number;
    };
    // Subscribed while loopback was allowed (development); the worker now runs without it:
    // `localhost` resolves to loopback at connection time, so nothing is sent.
    const byName = await subscribe(`http://localhost:${target.port}/hook`);
    const redirect = await subscribe(`http://127.0.0.1:${redirecting.port}/hook`);
    // An endpoint stored before the guard existed, on a private address: refused unconnected.
    const [stored] = await db.db
      .insert(webhookEndpoints)
      .values({
        campaignId: app.ctx.campaigns.bySlug("alpha")!.id,
        url: "http://10.255.255.1:8080/hook",
        secret: "whsec_stored_before_the_guard",
        eventTypes: ["member.joined"],
        createdBy: "api-token",
      })
      .returning({ id: webhookEndpoints.id });
    const [a, b] = await app.members(1, 2);
    await app.refer(a!, b!, { campaign: "alpha" });

    const settings = {
      ...app.config.webhooks,
      allowLoopback: false,
      maxAttempts: 1,
      timeoutMs: 5000,
    };
    const report = await deliverWebhooks({ db: app.ctx.db, settings, now: app.clock.now });
    assert.deepEqual(report, { delivered: 0, retrying: 0, failed: 3 });
    assert.equal(target.received.length, 0, "nothing reached the loopback receiver");
    assert.equal(redirecting.received.length, 0, "the literal loopback address was not connected");

    // Loopback allowed (development): the named receiver gets it; the redirect is not followed.
    const devSettings = { ...settings, allowLoopback: true };
    const rows = await db.db.select().from(webhookDeliveries);
    for (const d of rows)
      await app.call("POST", `/api/admin/campaigns/alpha/webhooks/deliveries/${d.id}/replay`, {
        auth: token,
      });
    const dev = await deliverWebhooks({
      db: app.ctx.db,
      settings: devSettings,
      now: app.clock.now,
    });
    assert.deepEqual(dev, { delivered: 1, retrying: 0, failed: 2 });
    assert.equal(redirecting.received.length, 1);
    assert.deepEqual(
      target.received.map((r) => r.path),
      ["/hook"],
      "the named receiver's own delivery only: the 302 to /stolen was not followed",
    );
    assert.equal(JSON.parse(target.received[0]!.body).type, "member.joined");

    const attempts = await db.db.select().from(webhookAttempts).orderBy(webhookAttempts.id);
    const errorsOf = (endpointId: number) => {
      const delivery = rows.find((d) => d.endpointId === endpointId)!;
      return attempts.filter((x) => x.deliveryId === delivery.id).map((x) => x.error);
    };
    assert.equal(errorsOf(byName).length, 2);
    assert.match(
      String(errorsOf(byName)[0]),
      /^refused: localhost resolves to (127\.0\.0\.1|::1), which is loopback$/,
    );
    assert.equal(errorsOf(byName)[1], null);
    assert.match(String(errorsOf(redirect)[0]), /^refused: 127\.0\.0\.1 is loopback$/);
    assert.equal(errorsOf(redirect)[1], "http_302");
    for (const error of errorsOf(stored!.id))
      assert.match(String(error), /^refused: 10\.255\.255\.1 is private \(RFC 1918\)$/);
  });
});

test("postWebhook: nothing leaves for a refused address; a plain http receiver needs allowHttp", async (t) => {
  const r = await receiver(t);
  const send = (url: string, policy: typeof production) =>
    postWebhook(url, { headers: {}, body: "{}", timeoutMs: 5000, policy });
  await assert.rejects(
    send(`http://127.0.0.1:${r.port}/`, { allowHttp: true, allowLoopback: false }),
    ReceiverRefusedError,
  );
  await assert.rejects(send(`http://[::ffff:127.0.0.1]:${r.port}/`, development), /IPv4-mapped/);
  await assert.rejects(
    send(`http://127.0.0.1:${r.port}/`, { allowHttp: false, allowLoopback: true }),
    /http: receivers are not allowed/,
  );
  assert.equal(r.received.length, 0);
  assert.equal(await send(`http://127.0.0.1:${r.port}/`, development), 200);
  assert.equal(r.received.length, 1);
});

test("WEBHOOK_ALLOW_LOOPBACK: off by default, on when set outside production, refused in production", () => {
  assert.equal(loadConfig({ NODE_ENV: "development" }).webhooks.allowLoopback, false);
  assert.equal(
    loadConfig({ NODE_ENV: "development", WEBHOOK_ALLOW_LOOPBACK: "true" }).webhooks.allowLoopback,
    true,
  );
  const prod = {
    NODE_ENV: "production",
    BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789",
    HASH_SECRET: "h".repeat(32),
    PUBLIC_URL: "https://api.example.com",
    METRICS_TOKEN: "m".repeat(32),
  };
  assert.equal(loadConfig(prod).webhooks.allowLoopback, false);
  assert.throws(
    () => loadConfig({ ...prod, WEBHOOK_ALLOW_LOOPBACK: "true" }),
    (e: unknown) =>
      e instanceof ConfigError &&
      /WEBHOOK_ALLOW_LOOPBACK: is refused in production/.test(e.message),
  );
});
