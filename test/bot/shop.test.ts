/**
 * `/shop` through the fake Bot API against a real chain: the perks with price, stock, end of
 * sale and requirement read from the chain, the member's on-chain balance beside each and why
 * they cannot redeem one now, in both languages, with the button to the dashboard's shop
 * (redeeming needs the wallet's signature).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { getAddress, parseUnits } from "viem";
import { memberWallets } from "../../server/db/schema.ts";
import { type CampaignChain, startCampaignChain } from "../support/chain.ts";
import { withDatabases } from "../support/db.ts";
import { botCampaign } from "./support/campaign.ts";
import { startBotHarness } from "./support/harness.ts";

const title = (en: string, ru: string) => ({ en, ru });
const definition = botCampaign({
  slug: `bot-shop-${process.pid}`,
  badges: [{ id: 5, name: title("Club", "Клуб"), transferable: false }],
  perks: [
    { id: "sticker", title: title("Stickers", "Стикеры"), token: "REF", price: "5", stock: null },
    {
      id: "hoodie",
      title: title("Hoodie", "Худи"),
      token: "REF",
      price: "2.5",
      stock: 3,
      expiresAt: "2099-06-01T00:00:00Z",
      requires: { tier: "pro" },
    },
    {
      id: "club",
      title: title("Club night", "Клубный вечер"),
      token: "REF",
      price: "1",
      stock: null,
      requires: { badge: 5 },
    },
    { id: "yacht", title: title("Yacht", "Яхта"), token: "REF", price: "1000", stock: null },
  ],
});
let chain: CampaignChain;
before(async () => {
  chain = await startCampaignChain(definition);
});
after(() => chain.stop());
let idBase = 0n;

test("/shop lists perks from the chain with the member's balance, requirements and refusals, and links to the dashboard to redeem", async (t) => {
  await withDatabases(t, async (db) => {
    idBase += 1000n;
    const h = await startBotHarness(t, db, {
      mode: "webhook",
      campaigns: [definition],
      deploymentsDir: chain.deploymentsDir,
      publicClient: chain.client,
      loops: false,
    });
    await db.db.execute(sql`select setval('members_id_seq', ${Number(idBase)})`);
    const alice = await h.member(1501, "Alice");
    const wallet = getAddress(`0x${(idBase + 7n).toString(16).padStart(40, "0")}`);
    await db.db
      .insert(memberWallets)
      .values({ memberId: alice.id, address: wallet, chainId: 31337 });
    await chain.pay("REF", [
      {
        payoutId: idBase + 1n,
        recipient: wallet,
        amount: parseUnits("12.5", 18),
        referee: 1n,
        level: 1,
      },
    ]);

    const [en] = await h.say(h.user(1501, "en", "Alice"), "/shop");
    const text = String(en?.params.text);
    const lines = text.split("\n");
    assert.match(lines[0]!, /^🛍 <b>Shop<\/b> · Test$/);
    assert.equal(lines[1], "• <b>Stickers</b> — 5 REF · unlimited");
    assert.equal(lines[2], "   ✅ You can redeem it (you have 12.5 REF)");
    assert.equal(
      lines[3],
      "• <b>Hoodie</b> — 2.5 REF · 3 left · until 1 Jun 2099 · for Pro status and above",
    );
    assert.equal(lines[4], "   🔒 Needs a higher status (you have 12.5 REF)");
    assert.equal(lines[5], "• <b>Club night</b> — 1 REF · unlimited · needs the “Club” badge");
    assert.equal(lines[6], "   🔒 Needs a badge you don't hold yet (you have 12.5 REF)");
    assert.equal(lines[8], "   💸 Not enough tokens (you have 12.5 REF)");
    assert.match(text, /your wallet signs the order, and we pay the network fee/);
    const button = (
      en!.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; url: string }>> }
    ).inline_keyboard[0]![0]!;
    assert.equal(button.text, "🛍 Open the shop");
    assert.match(button.url, /^https:\/\/api\.refmint\.test\/login#token=/);

    // Russian, and a member without a wallet: no balance, link a wallet first.
    const bob = await h.member(1502, "Bob");
    assert.ok(bob.id > 0);
    const [ru] = await h.say(h.user(1502, "ru", "Bob"), "/shop");
    const ruLines = String(ru?.params.text).split("\n");
    assert.match(ruLines[0]!, /^🛍 <b>Магазин<\/b> · Тест$/);
    assert.equal(ruLines[1], "• <b>Стикеры</b> — 5 REF · без ограничений");
    assert.equal(ruLines[2], "   🔗 Привяжите кошелёк, чтобы получить");
    assert.match(
      ruLines[3]!,
      /^• <b>Худи<\/b> — 2,5 REF · осталось: 3 · до 1 июн\. 2099 г\. · для статуса «Про» и выше$/,
    );
  });
});
