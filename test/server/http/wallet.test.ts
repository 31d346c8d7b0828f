import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { auditLog, memberWallets, referrals, walletEvents } from "../../../server/db/schema.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { deployErc1271Wallet, type LocalChain, startHardhatNode } from "../../support/chain.ts";
import { rowCounts, withDatabases } from "../../support/db.ts";
import { buildSiweMessage, signSiwe, testAccount } from "../../support/siwe.ts";
import { tmaFor } from "../../support/telegram.ts";

const alice = testAccount("alice");
const mallory = testAccount("mallory");

async function nonceFor(app: TestApp, user: number) {
  const res = await app.call("GET", "/api/me/wallet/nonce", { auth: tmaFor(user) });
  assert.equal(res.status, 200, res.text);
  return res.body as {
    nonce: string;
    domain: string;
    uri: string;
    chainId: number;
    issuedAt: string;
  };
}

async function link(app: TestApp, user: number, message: string, signature: string) {
  return app.call("POST", "/api/me/wallet", { auth: tmaFor(user), body: { message, signature } });
}

test("a signed SIWE message links the wallet and qualifies a pending referral", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const referrer = await app.call("GET", "/api/me", { auth: tmaFor(1) });
    await app.call("GET", "/api/me", { auth: tmaFor(2, { startParam: referrer.body.code }) });
    const attributed = await app.call("POST", "/api/me/attribution", {
      auth: tmaFor(2, { startParam: referrer.body.code }),
    });
    assert.equal(attributed.status, 201, attributed.text);

    const n = await nonceFor(app, 2);
    assert.deepEqual(
      [n.domain, n.uri, n.chainId],
      ["app.refmint.test", "https://app.refmint.test", 31337],
    );
    const message = buildSiweMessage({ ...n, address: alice.address });
    const res = await link(app, 2, message, await signSiwe(alice, message));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.address, alice.address);
    assert.equal(res.body.relinked, false);
    assert.equal(res.body.qualification.status, "qualified");
    assert.equal(res.body.qualification.entryIds.length, 1);
    const profile = await app.call("GET", "/api/me", { auth: tmaFor(2) });
    assert.equal(profile.body.member.wallet, alice.address);
    const [ref] = await db.db.select().from(referrals);
    assert.equal(ref?.status, "qualified");
    assert.equal(ref?.qualifiedBy, "wallet_linked");
  });
});

test("bad SIWE messages are refused and write nothing", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    await app.call("GET", "/api/me", { auth: tmaFor(10) });
    await app.call("GET", "/api/me", { auth: tmaFor(11) });
    const n = await nonceFor(app, 10);
    const foreignNonce = await nonceFor(app, 11);
    // The server's clock (it stands still), so "expired a second ago" is exact under load.
    const now = app.clock.now().getTime();
    const cases: Array<
      [string, Parameters<typeof buildSiweMessage>[0], "alice" | "mallory", number, string]
    > = [
      [
        "wrong domain",
        { ...n, address: alice.address, domain: "evil.example" },
        "alice",
        422,
        "siwe_invalid",
      ],
      [
        "wrong uri",
        { ...n, address: alice.address, uri: "https://evil.example/login" },
        "alice",
        422,
        "siwe_invalid",
      ],
      [
        "wrong chain id",
        { ...n, address: alice.address, chainId: 1 },
        "alice",
        422,
        "siwe_invalid",
      ],
      [
        "expired",
        {
          ...n,
          address: alice.address,
          issuedAt: new Date(now - 60_000),
          expirationTime: new Date(now - 1_000),
        },
        "alice",
        422,
        "siwe_invalid",
      ],
      [
        "issued in the future",
        { ...n, address: alice.address, issuedAt: new Date(now + 3_600_000) },
        "alice",
        422,
        "siwe_invalid",
      ],
      [
        "unknown nonce",
        { ...n, address: alice.address, nonce: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
        "alice",
        422,
        "nonce_invalid",
      ],
      [
        "another member's nonce",
        { ...foreignNonce, address: alice.address },
        "alice",
        422,
        "nonce_invalid",
      ],
      [
        "signed by another key",
        { ...n, address: alice.address },
        "mallory",
        422,
        "signature_invalid",
      ],
    ];
    const before = await rowCounts(db);
    for (const [name, fields, signer, status, code] of cases) {
      const message = buildSiweMessage(fields);
      const res = await link(
        app,
        10,
        message,
        await signSiwe(signer === "alice" ? alice : mallory, message),
      );
      assert.equal(res.status, status, `${name}: ${res.text}`);
      assert.equal(res.body.code, code, name);
    }
    const malformed = await link(app, 10, "hello world", "0x1234");
    assert.equal(malformed.body.code, "siwe_invalid");
    const noSig = await app.call("POST", "/api/me/wallet", {
      auth: tmaFor(10),
      body: { message: "x" },
    });
    assert.equal(noSig.body.code, "validation_failed");
    assert.deepEqual(await rowCounts(db), before, "nothing written");

    // The nonce survived the failures and still works once …
    const message = buildSiweMessage({ ...n, address: alice.address });
    const signature = await signSiwe(alice, message);
    assert.equal((await link(app, 10, message, signature)).status, 200);
    // … and only once.
    const replay = await link(app, 10, message, signature);
    assert.equal(replay.status, 422);
    assert.equal(replay.body.code, "nonce_invalid");
  });
});

test("an expired nonce is refused", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { env: { SIWE_NONCE_TTL_SECONDS: "60" } });
    const n = await nonceFor(app, 20);
    app.clock.advance(61_000);
    const message = buildSiweMessage({ ...n, address: alice.address, issuedAt: app.clock.now() });
    const res = await link(app, 20, message, await signSiwe(alice, message));
    assert.equal(res.body.code, "nonce_invalid");
  });
});

test("a wallet linked to another member is a 409; re-linking is possible and logged", async (t) => {
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const sign = async (user: number, account: typeof alice) => {
      const n = await nonceFor(app, user);
      const message = buildSiweMessage({ ...n, address: account.address });
      return link(app, user, message, await signSiwe(account, message));
    };
    assert.equal((await sign(30, alice)).status, 200);
    const before = await rowCounts(db);
    const taken = await sign(31, alice);
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, "wallet_taken");
    const after = await rowCounts(db);
    assert.equal(after.siwe_nonces, before.siwe_nonces + 1, "only the new nonce; nothing else");
    assert.equal(after.member_wallets, before.member_wallets);

    const relink = await sign(30, mallory);
    assert.equal(relink.status, 200);
    assert.equal(relink.body.relinked, true);
    assert.equal(relink.body.previousAddress, alice.address);
    const m = (await app.call("GET", "/api/me", { auth: tmaFor(30) })).body.member;
    const [w] = await db.db.select().from(memberWallets).where(eq(memberWallets.memberId, m.id));
    assert.equal(w?.address, mallory.address);
    const events = await db.db.select().from(walletEvents).where(eq(walletEvents.memberId, m.id));
    assert.deepEqual(
      events.map((e) => e.action),
      ["linked", "relinked"],
    );
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "wallet.relinked"));
    assert.equal(audit.length, 1);
    assert.deepEqual(
      [audit[0]?.actor, audit[0]?.before, audit[0]?.after],
      [`member:${m.id}`, { wallet: alice.address }, { wallet: mallory.address }],
    );
    // Alice's address is free again.
    assert.equal((await sign(31, alice)).status, 200);
  });
});

let chain: LocalChain | undefined;
before(async () => {
  chain = await startHardhatNode();
});
after(async () => {
  await chain?.stop();
});

test("contract wallets (ERC-1271) are verified through the public client", async (t) => {
  assert.ok(chain);
  const owner = testAccount("contract-owner");
  const walletAddress = await deployErc1271Wallet(chain, owner.address);
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db, { publicClient: chain!.client });
    const n = await nonceFor(app, 40);
    const message = buildSiweMessage({ ...n, address: walletAddress });
    // Signed by the key the contract accepts, for the contract's address.
    const ok = await link(app, 40, message, await signSiwe(owner, message));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.address, walletAddress);

    const n2 = await nonceFor(app, 41);
    const message2 = buildSiweMessage({ ...n2, address: walletAddress });
    const bad = await link(app, 41, message2, await signSiwe(mallory, message2));
    assert.equal(bad.body.code, "signature_invalid");
  });
});

test("without a public client, contract wallet signatures cannot verify", async (t) => {
  assert.ok(chain);
  const owner = testAccount("contract-owner-2");
  const walletAddress = await deployErc1271Wallet(chain, owner.address);
  await withDatabases(t, async (db) => {
    const app = await startTestApp(t, db);
    const n = await nonceFor(app, 50);
    const message = buildSiweMessage({ ...n, address: walletAddress });
    const res = await link(app, 50, message, await signSiwe(owner, message));
    assert.equal(res.body.code, "signature_invalid");
  });
});
