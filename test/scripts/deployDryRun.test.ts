/**
 * `npm run deploy -- --dry-run`: the validation verdict, the role plan, a simulated deployment
 * with the gas of every step, and its cost at the target chain's fee — here a second local
 * chain standing in as the target, with a base fee the test sets — in the native coin and in
 * dollars; and nothing changed anywhere (target chain, deployment files, Ignition journals, DB).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { network } from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { type Address, getAddress, parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployOutput } from "../support/deployCli.ts";
import { ROOT } from "../support/process.ts";

const TARGET_CHAIN_ID = 424242;
const BASE_FEE = 7_500_000_000n; // 7.5 gwei, set on the target before the dry run
const PRICE = "3120.55"; // NATIVE_USD_PRICE

let target: JsonRpcServer;
let url: string;
let dir: string;

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await res.json()) as { result: T }).result;
}

before(async () => {
  target = await network.createServer(
    { network: "default", override: { chainId: TARGET_CHAIN_ID } },
    "127.0.0.1",
    0,
  );
  const { address, port } = await target.listen();
  url = `http://${address}:${port}`;
  dir = await mkdtemp(path.join(tmpdir(), "refmint-dry-run-"));
});

after(async () => {
  await target.close();
  await rm(dir, { recursive: true, force: true });
});

const grouped = (s: string) => BigInt(s.replaceAll(",", ""));

/** The figures a dry run printed. */
function figures(lines: string[]) {
  const steps = lines
    .map((l) => l.match(/^\s+\[\s*(\d+)\/(\d+)\] (\S+)\s+([\d,]+) gas$/))
    .filter((m) => m !== null)
    .map((m) => ({ index: Number(m[1]), total: Number(m[2]), future: m[3]!, gas: grouped(m[4]!) }));
  const handOver = lines
    .map((l) => l.match(/admin accepts the hand-over on (\S+)\s+([\d,]+) gas/))
    .filter((m) => m !== null)
    .map((m) => ({ contract: m[1]!, gas: grouped(m[2]!) }));
  const gas = lines
    .map((l) => l.match(/gas: deployer ([\d,]+), admin ([\d,]+), total ([\d,]+)/))
    .find(Boolean);
  const fee = lines.map((l) => l.match(/^Fee: (\d+) wei per gas \((.*)\)$/)).find(Boolean);
  const cost = lines
    .map((l) =>
      l.match(
        /^Cost: (\d+) wei = ([\d.]+) ETH \(([\d,]+) gas × (\d+) wei\)(?: ≈ \$([\d.]+) at \$([\d.]+) per ETH)?$/,
      ),
    )
    .find(Boolean);
  assert.ok(gas && fee && cost, lines.join("\n"));
  return {
    steps,
    handOver,
    gas: { deployer: grouped(gas[1]!), admin: grouped(gas[2]!), total: grouped(gas[3]!) },
    perGas: BigInt(fee[1]!),
    feeDetail: fee[2]!,
    cost: {
      wei: BigInt(cost[1]!),
      coin: cost[2]!,
      gas: grouped(cost[3]!),
      perGas: BigInt(cost[4]!),
      usd: cost[5],
      price: cost[6],
    },
  };
}

/** Dollars for `wei` at `price`, to the cent, half up: computed here without the command's code. */
function dollars(wei: bigint, price: string): string {
  const [whole, fraction = ""] = price.split(".");
  const priceE6 = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
  const cents = (wei * priceE6 * 100n * 2n + 10n ** 24n) / (2n * 10n ** 24n);
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

test("a dry run of campaigns/demo.json against a target chain prints the plan, the gas of every step and the cost at the target's fee, and changes nothing", async () => {
  await rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${BASE_FEE.toString(16)}`]);
  const tip = BigInt(await rpc<string>("eth_maxPriorityFeePerGas"));
  const deployerKey = generatePrivateKey();
  const deployer = privateKeyToAccount(deployerKey).address;
  await rpc("hardhat_setBalance", [deployer, `0x${parseUnits("10", 18).toString(16)}`]);
  const keys = {
    PAYOUT_SIGNER_PRIVATE_KEY: generatePrivateKey(),
    ROOT_PUBLISHER_PRIVATE_KEY: generatePrivateKey(),
    BADGE_MINTER_PRIVATE_KEY: generatePrivateKey(),
    RELAYER_PRIVATE_KEY: generatePrivateKey(),
  };
  const multisig = privateKeyToAccount(generatePrivateKey()).address;
  const guardian = privateKeyToAccount(generatePrivateKey()).address;
  const blockBefore = await rpc<string>("eth_blockNumber");
  const journals = ["demo-31337", `demo-${TARGET_CHAIN_ID}`].map((id) =>
    path.join(ROOT, "ignition", "deployments", id),
  );
  const journalsBefore = journals.map((j) => existsSync(j));

  const run = await deployOutput(
    [
      "--dry-run",
      "campaigns/demo.json",
      "--admin",
      multisig,
      "--guardian",
      guardian,
      "--deployments-dir",
      path.join(dir, "deployments"),
    ],
    {
      RPC_URL: url,
      DEPLOYER_PRIVATE_KEY: deployerKey,
      NATIVE_USD_PRICE: PRICE,
      DATA_DIR: path.join(dir, "pglite"),
      ...keys,
    },
  );
  const { lines, text } = run;
  assert.match(text, /^Validation: campaigns\/demo\.json is valid/m);
  assert.match(text, new RegExp(`Target: chain ${TARGET_CHAIN_ID} at 127\\.0\\.0\\.1:`));

  // The role plan: each backend role on the key the service signs with, and where it came from.
  const planned = (label: string, address: Address, source: string) =>
    assert.ok(
      lines.some((l) => l.includes(`${label.padEnd(16)} ${getAddress(address)}  ← ${source}`)),
      `${label} ${address} ← ${source}\n${text}`,
    );
  planned("deployer", deployer, "DEPLOYER_PRIVATE_KEY");
  planned("admin (owner)", multisig, "--admin");
  planned("guardian", guardian, "--guardian");
  planned("treasury", multisig, "the admin (no --treasury)");
  for (const [label, variable] of [
    ["payout signer", "PAYOUT_SIGNER_PRIVATE_KEY"],
    ["root publisher", "ROOT_PUBLISHER_PRIVATE_KEY"],
    ["badge minter", "BADGE_MINTER_PRIVATE_KEY"],
    ["relayer", "RELAYER_PRIVATE_KEY"],
  ] as const)
    planned(label, privateKeyToAccount(keys[variable]).address, variable);
  assert.match(text, /PAYOUT_ROLE on ReferralPayouts/);
  assert.match(text, /PUBLISHER_ROLE on RewardDistributor REF/);
  assert.match(text, /MINTER_ROLE on RewardToken ACT/);

  // Every step of the Ignition module, then the admin's acceptance on each contract.
  const f = figures(lines);
  // 7 contracts, 13 configuration calls, and the hand-over begun on each of the 7 contracts.
  assert.equal(f.steps.length, 27, text);
  assert.deepEqual(
    f.steps.map((s) => s.index),
    f.steps.map((_, i) => i + 1),
  );
  assert.ok(f.steps.every((s) => s.gas > 21_000n));
  assert.ok(
    f.steps.some((s) => s.future === "Campaign_demo#ReferralPayouts" && s.gas > 1_000_000n),
  );
  assert.equal(f.handOver.length, 7, text);
  assert.equal(
    f.gas.deployer,
    f.steps.reduce((sum, s) => sum + s.gas, 0n),
  );
  assert.equal(
    f.gas.admin,
    f.handOver.reduce((sum, s) => sum + s.gas, 0n),
  );
  assert.equal(f.gas.total, f.gas.deployer + f.gas.admin);

  // The target's fee: the base fee set there plus the tip its node suggests; cost = gas × fee.
  assert.equal(f.perGas, BASE_FEE + tip);
  assert.match(f.feeDetail, /base fee 7\.5 gwei \+ tip .* eth_feeHistory of the target chain/);
  assert.equal(f.cost.gas, f.gas.total);
  assert.equal(f.cost.perGas, BASE_FEE + tip);
  assert.equal(f.cost.wei, f.gas.total * (BASE_FEE + tip));
  assert.equal(parseUnits(f.cost.coin, 18), f.cost.wei);
  assert.equal(f.cost.price, PRICE);
  assert.equal(f.cost.usd, dollars(f.gas.total * (BASE_FEE + tip), PRICE));

  // The demo file's publish delay of 0 is for development chains: the deploy would refuse it.
  assert.match(text, /Problems \(1\), the deploy would refuse or fail:/);
  assert.match(text, /escrow\.publishDelayHours is 0: on chain 424242/);
  assert.equal(run.code, 1);
  assert.match(text, /Dry run: nothing was deployed or written\./);

  // Nothing changed: no block or transaction on the target, no file, no journal, no database.
  assert.equal(await rpc<string>("eth_blockNumber"), blockBefore);
  assert.equal(await rpc<string>("eth_getTransactionCount", [deployer, "latest"]), "0x0");
  assert.equal(existsSync(path.join(dir, "deployments")), false);
  assert.equal(existsSync(path.join(dir, "pglite")), false);
  assert.deepEqual(
    journals.map((j) => existsSync(j)),
    journalsBefore,
  );
});

test("without a target RPC the dry run prices at the local chain's fee; an external token is stood in for; no problem, exit 0", async () => {
  const demo = JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8"));
  // A smaller campaign paying in an external 6-decimals token (a stablecoin), no badges or
  // perks: the simulation stands a plain ERC-20 in for the token (setBudget needs code there).
  const small = {
    ...demo,
    slug: "dry-run-small",
    tokens: [
      {
        symbol: "USDC",
        name: "USD Coin",
        decimals: 6,
        external: { address: privateKeyToAccount(generatePrivateKey()).address },
        budget: "1000",
        maxBatch: 10,
        maxBatchAmount: "100",
        dailyLimit: "500",
      },
    ],
    levels: [{ level: 1, token: "USDC", amount: "1.5" }],
    welcomeBonus: undefined,
    challenges: [],
    variants: [],
    tiers: demo.tiers.map((t: Record<string, unknown>) => ({ ...t, badgeId: undefined })),
    caps: { perMemberDaily: {}, perMemberTotal: {} },
    perks: [],
    badges: [],
  };
  const file = path.join(dir, "small.json");
  await writeFile(file, JSON.stringify(small));
  const run = await deployOutput(["--dry-run", file], { DATA_DIR: path.join(dir, "pglite") });
  assert.equal(run.code, 0, run.text);
  assert.match(run.text, /Target: no target RPC configured/);
  const f = figures(run.lines);
  // ReferralPayouts, the USDC distributor, Badges, PerkShop; USDC's budget and release limits.
  assert.deepEqual(f.steps.map((s) => s.future.split("#")[1]).sort(), [
    "Badges",
    "PerkShop",
    "ReferralPayouts",
    "USDC_distributor",
    "USDC_setBudget",
    "USDC_setReleaseLimits",
  ]);
  assert.equal(f.handOver.length, 0);
  assert.match(f.feeDetail, /of the local chain/);
  assert.equal(f.cost.wei, f.gas.total * f.perGas);
  assert.equal(f.cost.usd, undefined);
  assert.match(run.text, /Problems: none; the deploy would go ahead\./);
});

test("an invalid file: every problem at its JSON path, nothing simulated", async () => {
  const demo = JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8"));
  demo.tokens[1].dailyLimit = "600000";
  delete demo.fraud;
  const file = path.join(dir, "invalid.json");
  await writeFile(file, JSON.stringify(demo));
  const run = await deployOutput(["--dry-run", file]);
  assert.equal(run.code, 1, run.text);
  assert.match(run.text, /has 2 problem\(s\):/);
  assert.match(run.text, /^ {2}tokens\[1\]\.dailyLimit: daily limit exceeds the budget$/m);
  assert.match(run.text, /^ {2}fraud: /m);
  assert.doesNotMatch(run.text, /Simulated deployment/);
});
