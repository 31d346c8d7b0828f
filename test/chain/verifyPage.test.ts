/**
 * The static verifier page (`npm run build:verify`) in Chromium, opened from `file://` as a
 * saved copy would be, against a real Hardhat chain and the reward files the service wrote:
 * it verifies a wallet from the files' URL calling no API of ours, and from dropped files it
 * reports a tampered amount precisely.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Address, parseUnits } from "viem";
import { buildVerifyPage } from "../../scripts/build-verify.ts";
import { fileName, type PayoutsFile, type SignedIndex } from "../../verify/rewardFiles.ts";
import { launchBrowser } from "../miniapp/support/browser.ts";
import { useDatabase } from "../support/db.ts";
import { chainApp, deployedChain, PUBLISHER, RELAYER, SIGNER } from "./support.ts";

const accounts = { payoutSigner: SIGNER, rootPublisher: PUBLISHER, relayer: RELAYER };
const { chain, campaign, fresh } = await deployedChain({ accounts });
const WALLET = "0x00000000000000000000000000000000feed0001" as Address;

test("verifier page: from file://, a wallet verifies against the chain; dropped tampered files fail naming the field", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "refmint-verify-page-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pagePath = join(dir, "refmint-verify.html");
  await writeFile(pagePath, await buildVerifyPage());

  await useDatabase("pglite", async (db) => {
    const h = await fresh(db);
    const app = await chainApp(t, h, campaign);
    const a = await h.member(31);
    const b = await h.member(32);
    await h.link(a, WALLET);
    const paid = await h.grant(a, "6", { level: 1, refereeId: b });
    await h.grant(b, "2"); // escrow
    await h.settle();
    await h.indexer.runOnce();
    const index = await app.call("GET", "/rewards/files/index.json");
    assert.equal(index.status, 200);

    const browser = await launchBrowser();
    t.after(() => browser.close());
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(pagePath).href);

    await page.fill("#rpc", chain.url);
    await page.fill("#files", app.url);
    await page.fill("#address", WALLET);
    await page.click("#run");
    await page.waitForSelector("#status.ok, #status.failed", { timeout: 120_000 });
    const report = await page.textContent("#report");
    assert.equal(
      await page.getAttribute("#status", "class"),
      "ok",
      `${await page.textContent("#status")}\n${report}`,
    );
    assert.match(
      report ?? "",
      new RegExp(`#${paid} 6 REF level 1 referee ${b}: tx 0x[0-9a-f]{64}`),
    );
    assert.match(report ?? "", /OK: the files and the chain agree/);
    // Only the chain and the files: no API of ours.
    const ours = requests.filter((u) => u.startsWith(app.url));
    assert.ok(ours.length > 0);
    assert.deepEqual(
      ours.filter((u) => !u.startsWith(`${app.url}/rewards/files/`)),
      [],
      "nothing but the reward files from our server",
    );
    assert.ok(
      requests.every(
        (u) => u.startsWith("file:") || u.startsWith(app.url) || u.startsWith(chain.url),
      ),
    );

    // Dropped files: a saved copy with an amount changed.
    const signed = JSON.parse(index.text) as SignedIndex;
    const upload: Array<{ name: string; mimeType: string; buffer: Buffer }> = [
      { name: "index.json", mimeType: "application/json", buffer: Buffer.from(index.text) },
    ];
    let tamperedName = "";
    for (const f of signed.files) {
      const text = (await app.call("GET", `/rewards/files/${fileName(f.hash)}`)).text;
      let body = text;
      if (f.kind === "payouts") {
        const file = JSON.parse(text) as PayoutsFile;
        file.items.find((x) => x.id === String(paid))!.amount = parseUnits("60", 18).toString();
        body = JSON.stringify(file);
        tamperedName = fileName(f.hash);
      }
      upload.push({
        name: fileName(f.hash),
        mimeType: "application/json",
        buffer: Buffer.from(body),
      });
    }
    await page.fill("#files", "");
    await page.setInputFiles("#picker", upload);
    await page.waitForSelector("#dropped:has-text('file(s) loaded')");
    await page.click("#run");
    await page.waitForSelector("#status.failed", { timeout: 120_000 });
    const failed = (await page.textContent("#report")) ?? "";
    assert.ok(
      failed.includes(
        `✗ ${tamperedName}: payout ${paid} amount: expected ${parseUnits("60", 18)}, actual ${parseUnits("6", 18)}`,
      ),
      failed,
    );
    assert.deepEqual(errors, []);
  });
});
