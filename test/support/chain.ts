/**
 * A real local chain for tests: `hardhat node` as a child process on a free port, and a
 * helper to deploy the lead's ERC-1271 test wallet (contracts/mocks/ERC1271Wallet.sol).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Hardhat's first default account (publicly known test key). */
export const HARDHAT_KEY: Hex =
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function hardhatChain(rpcUrl: string) {
  return defineChain({
    id: 31337,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** A TCP port free on loopback right now (for servers that cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalChain {
  rpcUrl: string;
  /** The node's process id (benchmarks sample its memory). */
  pid: number;
  chainId: number;
  client: PublicClient;
  stop(): Promise<void>;
}

export async function startHardhatNode(): Promise<LocalChain> {
  const port = await freePort();
  const cli = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const chain = hardhatChain(rpcUrl);
  const client = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }) });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited: ${output}`);
    try {
      await client.getChainId();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`hardhat node did not start: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return { rpcUrl, pid: child.pid!, chainId: 31337, client, stop };
}

function artifact(name: string): { bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "contracts", "mocks", `${name}.sol`, `${name}.json`);
  if (!existsSync(file)) {
    // CI builds before testing; a fresh checkout may not have.
    const built = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--quiet"],
      {
        cwd: ROOT,
        stdio: "inherit",
      },
    );
    if (built.status !== 0) throw new Error("hardhat build failed");
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

// The constructor is all deployment needs; the bytecode comes from the compiled artifact.
const ERC1271_WALLET_ABI = [
  {
    type: "constructor",
    inputs: [{ name: "owner_", type: "address" }],
    stateMutability: "nonpayable",
  },
] as const;

/** Deploys an ERC1271Wallet owned by `owner`; returns its address. */
export async function deployErc1271Wallet(chain: LocalChain, owner: Address): Promise<Address> {
  const { bytecode } = artifact("ERC1271Wallet");
  const abi = ERC1271_WALLET_ABI;
  const wallet = createWalletClient({
    account: privateKeyToAccount(HARDHAT_KEY),
    chain: hardhatChain(chain.rpcUrl),
    transport: http(chain.rpcUrl),
  });
  const hash = await wallet.deployContract({ abi, bytecode, args: [owner] });
  const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (!receipt.contractAddress) throw new Error("deployment failed");
  return getAddress(receipt.contractAddress);
}
