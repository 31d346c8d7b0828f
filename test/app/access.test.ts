/**
 * The composition root builds one access (resolvers, limiters) for the API and every
 * component: a member's per-minute limit is one window across the API's, the chain
 * component's and the website's routes (each component used to count its own, so a member
 * got the limit three times over).
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { getAddress } from "viem";
import { chainComponent } from "../../app/components.ts";
import { ensureMember } from "../../server/domain/members.ts";
import { webComponent } from "../../server/web/component.ts";
import { startStack } from "../miniapp/support/stack.ts";
import { testCampaign } from "../support/campaign.ts";
import { useDatabase } from "../support/db.ts";
import { tmaFor } from "../support/telegram.ts";

const LIMIT = 7;
/** One member route of each component that mounts routes, and of the API itself. */
const ROUTES = ["/api/me", "/api/rewards/coupons", "/api/me/network"];

const address = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

test("a member's per-minute limit is shared by the API, chain and website routes", async (t) => {
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "refmint-access-"));
  t.after(() => rm(deploymentsDir, { recursive: true, force: true }));
  const campaign = testCampaign();
  // Addresses only (no RPC_URL): the chain component serves its routes without a chain.
  await mkdir(path.join(deploymentsDir, "31337"));
  await writeFile(
    path.join(deploymentsDir, "31337", `${campaign.slug}.json`),
    JSON.stringify({
      chainId: 31337,
      referralPayouts: address(0xa1),
      tokens: Object.fromEntries(
        campaign.tokens.map((tk, i) => [tk.symbol, { token: address(0xb1 + i) }]),
      ),
    }),
  );
  let clock = Date.parse("2026-03-01T12:00:00Z");
  await useDatabase("pglite", async (db) => {
    const stack = await startStack(t, db, {
      campaigns: [campaign],
      deploymentsDir,
      now: () => new Date(clock),
      components: [webComponent, chainComponent],
      env: {
        RATE_LIMIT_MEMBER_PER_MINUTE: String(LIMIT),
        DASHBOARD_DIST_DIR: path.join(deploymentsDir, "no-build"),
      },
    });
    assert.deepEqual(
      stack.components.map((c) => c.name),
      ["web", "chain"],
    );
    const telegramId = 4242;
    await ensureMember(stack.domain, { id: telegramId, firstName: "Limited" });
    const get = async (route: string, id = telegramId) => {
      const res = await fetch(`${stack.url}${route}`, {
        headers: { authorization: tmaFor(id, { authDate: new Date(clock) }) },
      });
      return { status: res.status, text: await res.text() };
    };

    // LIMIT requests spread round-robin over the three components' routes all pass…
    for (let i = 0; i < LIMIT; i++) {
      const route = ROUTES[i % ROUTES.length]!;
      const res = await get(route);
      assert.equal(res.status, 200, `request ${i + 1} to ${route}: ${res.text}`);
    }
    // …and the next one is refused on every route, whichever component serves it.
    for (const route of ROUTES) {
      const res = await get(route);
      assert.equal(res.status, 429, route);
      const problem = JSON.parse(res.text) as { code: string; scope: string };
      assert.deepEqual([problem.code, problem.scope], ["rate_limited", "member"]);
    }
    // Another member has a window of their own.
    const other = await get(ROUTES[2]!, 4243);
    assert.equal(other.status, 200);
    // The window follows the domain's clock: a minute later the member may call again.
    clock += 61_000;
    const later = await get(ROUTES[1]!);
    assert.equal(later.status, 200);
  });
});
