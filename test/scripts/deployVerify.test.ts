/**
 * `npm run deploy -- --verify` against a local stand-in of an Etherscan (API v2) explorer: the
 * stand-in answers `getsourcecode`, `verifysourcecode` and `checkverifystatus` like Etherscan
 * does, and passes a submission only when the named contract's creation code followed by the
 * submitted constructor arguments is exactly the input of the transaction that created the
 * address. The test then checks what hardhat-verify submitted for every contract of the
 * campaign: the sources (as on disk), the compiler version and the constructor arguments; and
 * that a second run submits nothing again. The chain is not a development one (chain id
 * 424242: one key per role, a publish delay), and the campaign ends registered in the database
 * (PostgreSQL when TEST_DATABASE_URL is set, else PGlite).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { network } from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { type Address, decodeAbiParameters, getAddress, type Hex, parseUnits } from "viem";
import type { DeploymentFile } from "../../scripts/lib/deployCampaign.ts";
import { openDatabase } from "../../server/db/index.ts";
import { campaigns } from "../../server/db/schema.ts";
import { migratedPgliteSnapshot } from "../support/db.ts";
import { deployOutput } from "../support/deployCli.ts";
import { ROOT } from "../support/process.ts";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratchDatabase.ts";

const CHAIN_ID = 424242;
const API_KEY = "test-key";
const SLUG = `verify-test-${process.pid}`;

interface Submission {
  query: Record<string, string>;
  form: Record<string, string>;
  passed: boolean;
  reason?: string;
}

let chain: JsonRpcServer;
let rpcUrl: string;
let explorer: Server;
let explorerUrl: string;
let dir: string;
let scratch: ScratchDatabase | undefined;
const submissions: Submission[] = [];
const lookups: string[] = [];
/** Verified sources by lower-case address. */
const verified = new Map<string, string>();
const verdicts = new Map<string, Submission>();

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await res.json()) as { result: T }).result;
}

/** The input of the transaction that created `address` (the chain is small: every block). */
async function creationInput(address: string): Promise<Hex | undefined> {
  const latest = Number(await rpc<string>("eth_blockNumber"));
  for (let n = 1; n <= latest; n++) {
    const block = await rpc<{
      transactions: Array<{ hash: string; input: Hex; to: string | null }>;
    }>("eth_getBlockByNumber", [`0x${n.toString(16)}`, true]);
    for (const tx of block.transactions) {
      if (tx.to !== null) continue;
      const receipt = await rpc<{ contractAddress: string }>("eth_getTransactionReceipt", [
        tx.hash,
      ]);
      if (receipt.contractAddress.toLowerCase() === address.toLowerCase()) return tx.input;
    }
  }
  return undefined;
}

/** A source name of Hardhat's compiler input as a file: `project/…` here, `npm/<pkg>@<v>/…` installed. */
function sourceFile(name: string): string {
  if (name.startsWith("project/")) return path.join(ROOT, name.slice("project/".length));
  const npm = name.match(/^npm\/((?:@[^/]+\/)?[^/@]+)@[^/]+\/(.+)$/);
  if (npm) return path.join(ROOT, "node_modules", npm[1]!, npm[2]!);
  throw new Error(`unknown source name ${name}`);
}

/** What Etherscan checks: creation code + constructor arguments = the creating transaction. */
async function judge(form: Record<string, string>): Promise<{ passed: boolean; reason?: string }> {
  const [source, name] = (form.contractname ?? "").split(":");
  if (!source || !name) return { passed: false, reason: "no contract name" };
  const artifact = JSON.parse(
    await readFile(
      path.join(ROOT, "artifacts", source.replace(/^project\//, ""), `${name}.json`),
      "utf8",
    ),
  ) as { bytecode: Hex };
  const input = await creationInput(form.contractaddress ?? "");
  if (!input) return { passed: false, reason: "no creation transaction" };
  const expected = `${artifact.bytecode}${form.constructorArguments ?? ""}`.toLowerCase();
  return input.toLowerCase() === expected
    ? { passed: true }
    : { passed: false, reason: "Fail - Unable to verify. the bytecode or arguments do not match" };
}

async function body(req: import("node:http").IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

before(async () => {
  chain = await network.createServer(
    { network: "default", override: { chainId: CHAIN_ID } },
    "127.0.0.1",
    0,
  );
  const { address, port } = await chain.listen();
  rpcUrl = `http://${address}:${port}`;
  explorer = createServer((req, res) =>
    answer(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "0", message: "NOTOK", result: String(error) }));
    }),
  );
  const answer = async (
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ) => {
    const url = new URL(req.url ?? "/", "http://explorer");
    const query = Object.fromEntries(url.searchParams);
    const form = Object.fromEntries(new URLSearchParams(await body(req)));
    const reply = (
      status: "0" | "1",
      result: unknown,
      message = status === "1" ? "OK" : "NOTOK",
    ) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status, message, result }));
    };
    if (url.pathname !== "/api" || query.module !== "contract")
      return reply("0", "Error! Unknown module");
    if (query.apikey !== API_KEY) return reply("0", "Invalid API Key");
    if (query.chainid !== String(CHAIN_ID))
      return reply("0", "Missing or unsupported chainid parameter");
    switch (query.action) {
      case "getsourcecode": {
        lookups.push(query.address ?? "");
        const source = verified.get((query.address ?? "").toLowerCase());
        return reply("1", [
          {
            SourceCode: source ?? "",
            ABI: source ? "[]" : "Contract source code not verified",
            ContractName: "",
          },
        ]);
      }
      case "verifysourcecode": {
        const guid = randomBytes(16).toString("hex");
        const submission: Submission = { query, form, ...(await judge(form)) };
        submissions.push(submission);
        verdicts.set(guid, submission);
        return reply("1", guid);
      }
      case "checkverifystatus": {
        const s = verdicts.get(query.guid ?? "");
        if (!s) return reply("0", "Unknown UID");
        if (!s.passed) return reply("0", s.reason);
        verified.set((s.form.contractaddress ?? "").toLowerCase(), s.form.sourceCode ?? "");
        return reply("1", "Pass - Verified");
      }
      default:
        return reply("0", "Error! Missing Or invalid Action name");
    }
  };
  await new Promise<void>((resolve) => explorer.listen(0, "127.0.0.1", resolve));
  const a = explorer.address() as import("node:net").AddressInfo;
  explorerUrl = `http://127.0.0.1:${a.port}`;
  dir = await mkdtemp(path.join(tmpdir(), "refmint-verify-"));
  if (process.env.TEST_DATABASE_URL)
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, "deploy_verify");
});

after(async () => {
  await chain.close();
  await new Promise((resolve) => explorer.close(resolve));
  await scratch?.drop();
  await rm(dir, { recursive: true, force: true });
  await rm(path.join(ROOT, "ignition", "deployments", `${SLUG}-${CHAIN_ID}`), {
    recursive: true,
    force: true,
  });
});

test("deploys on a non-development chain, verifies every contract's source on the explorer, registers it, and a re-run submits nothing again", async () => {
  const demo = JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8"));
  const file = path.join(dir, `${SLUG}.json`);
  // A real chain: roots wait a day for the guardian's veto.
  await writeFile(
    file,
    JSON.stringify({ ...demo, slug: SLUG, onchainId: 78, escrow: { publishDelayHours: 24 } }),
  );
  const accounts = (await rpc<string[]>("eth_accounts")).map((a) => getAddress(a));
  const [deployer, payoutSigner, rootPublisher, badgeMinter, relayer, guardian] = accounts as [
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  let db: Record<string, string>;
  if (scratch) db = { DATABASE_URL: scratch.url };
  else {
    const dataDir = path.join(dir, "pglite");
    const created = await openDatabase({ dataDir, pgliteSnapshot: await migratedPgliteSnapshot() });
    await created.close();
    db = { DATA_DIR: dataDir };
  }
  const deploymentsDir = path.join(dir, "deployments");
  const args = [
    file,
    "--network",
    "localhost",
    "--rpc-url",
    rpcUrl,
    "--guardian",
    guardian,
    "--payout-signer",
    payoutSigner,
    "--root-publisher",
    rootPublisher,
    "--badge-minter",
    badgeMinter,
    "--relayer",
    relayer,
    "--deployments-dir",
    deploymentsDir,
    "--verify",
  ];
  const env = {
    ...db,
    ETHERSCAN_API_KEY: API_KEY,
    EXPLORER_API_URL: `${explorerUrl}/api`,
    EXPLORER_URL: explorerUrl,
  };

  const run = await deployOutput(args, env);
  assert.equal(run.code, 0, run.text);
  assert.match(run.text, /Verification: 7 of 7 contracts verified/);
  const deployment = JSON.parse(
    await readFile(path.join(deploymentsDir, String(CHAIN_ID), `${SLUG}.json`), "utf8"),
  ) as DeploymentFile;
  assert.equal(deployment.publishDelaySeconds, 86_400);

  // One passing submission per contract, to the configured chain, with the key.
  const contracts = [
    deployment.referralPayouts,
    deployment.badges,
    deployment.perkShop,
    deployment.tokens.REF!.token,
    deployment.tokens.ACT!.token,
    deployment.tokens.REF!.distributor,
    deployment.tokens.ACT!.distributor,
  ].map((a) => a.toLowerCase());
  assert.deepEqual(
    submissions.map((s) => (s.form.contractaddress ?? "").toLowerCase()).sort(),
    [...contracts].sort(),
  );
  for (const s of submissions) {
    assert.equal(s.passed, true, `${s.form.contractname}: ${s.reason}`);
    assert.equal(s.query.chainid, String(CHAIN_ID));
    assert.equal(s.query.apikey, API_KEY);
    assert.equal(s.form.codeformat, "solidity-standard-json-input");
    assert.match(s.form.compilerversion ?? "", /^v0\.8\.30\+commit\.[0-9a-f]{8}$/);
    // The deployed code's metadata names the same compiler (CBOR "solc": 0.8.30).
    const code = await rpc<string>("eth_getCode", [s.form.contractaddress, "latest"]);
    assert.ok(code.includes("64736f6c634300081e"));
  }

  // ReferralPayouts: its source as on disk, the optimizer settings, its constructor arguments.
  const payouts = submissions.find(
    (s) => s.form.contractname === "project/contracts/ReferralPayouts.sol:ReferralPayouts",
  );
  assert.ok(payouts);
  const input = JSON.parse(payouts.form.sourceCode ?? "{}") as {
    language: string;
    sources: Record<string, { content: string }>;
    settings: { optimizer: { enabled: boolean; runs: number }; evmVersion: string };
  };
  assert.equal(input.language, "Solidity");
  // Every source submitted, ours and OpenZeppelin's, is the file that was compiled.
  assert.ok(input.sources["project/contracts/ReferralPayouts.sol"]);
  for (const [name, { content }] of Object.entries(input.sources))
    assert.equal(content, await readFile(sourceFile(name), "utf8"), name);
  assert.deepEqual(input.settings.optimizer, { enabled: true, runs: 10_000 });
  assert.equal(input.settings.evmVersion, "prague");
  assert.deepEqual(
    decodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "address" }],
      `0x${payouts.form.constructorArguments}`,
    ),
    [78n, deployer, payoutSigner, guardian],
  );
  const refToken = submissions.find(
    (s) => (s.form.contractaddress ?? "").toLowerCase() === contracts[3],
  );
  assert.equal(refToken?.form.contractname, "project/contracts/RewardToken.sol:RewardToken");
  assert.deepEqual(
    decodeAbiParameters(
      [{ type: "string" }, { type: "string" }, { type: "uint256" }, { type: "address" }],
      `0x${refToken?.form.constructorArguments}`,
    ),
    ["Refmint Referral Point", "REF", parseUnits("100000000", 18), deployer],
  );

  // Registered with its deployment.
  const handle = scratch
    ? await openDatabase({ url: scratch.url })
    : await openDatabase({ dataDir: db.DATA_DIR });
  try {
    const [row] = await handle.db.select().from(campaigns).where(eq(campaigns.slug, SLUG));
    assert.equal(row?.onchainId, 78);
  } finally {
    await handle.close();
  }

  // Again: the deployment resumes as finished, the explorer already has every source.
  const before = submissions.length;
  const again = await deployOutput(args, env);
  assert.equal(again.code, 0, again.text);
  assert.match(again.text, /resuming: 20 of 20 steps/);
  assert.match(again.text, /Verification: 7 of 7 contracts verified/);
  assert.equal(submissions.length, before, "nothing submitted again");
  for (const a of contracts) assert.ok(lookups.filter((l) => l.toLowerCase() === a).length >= 2);
});
