/**
 * Deploys a campaign's contracts from its campaign file and writes
 * deployments/<chainId>/<slug>.json.
 *
 *   npm run deploy -- --campaign campaigns/demo.json --network target \
 *     --admin 0x… --guardian 0x… --treasury 0x… \
 *     --payout-signer 0x… --root-publisher 0x… --badge-minter 0x… --relayer 0x… \
 *     --metadata-url https://refmint.example
 *
 * `--network target` reads RPC_URL and DEPLOYER_PRIVATE_KEY from the environment or the
 * Hardhat keystore (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`). Each backend role needs
 * a key of its own there. On a development chain `--backend` gives one key all four roles, and
 * on `localhost` it defaults to Hardhat's second test account, which the dev stack signs with.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import hre, { network } from "hardhat";
import { type Address, getAddress, isAddress } from "viem";
import { parseCampaignDefinition } from "../server/domain/campaign.ts";
import { deployCampaign } from "./lib/deployCampaign.ts";

const { values } = parseArgs({
  options: {
    campaign: { type: "string", default: "campaigns/demo.json" },
    network: { type: "string", default: "localhost" },
    admin: { type: "string" },
    guardian: { type: "string" },
    backend: { type: "string", default: process.env.BACKEND_SIGNER_ADDRESS },
    "payout-signer": { type: "string" },
    "root-publisher": { type: "string" },
    "badge-minter": { type: "string" },
    relayer: { type: "string" },
    treasury: { type: "string" },
    "metadata-url": { type: "string", default: process.env.PUBLIC_URL ?? "http://localhost:3000" },
    "deployments-dir": { type: "string", default: "deployments" },
  },
});

function addressOption(name: string, value: string | undefined): Address | undefined {
  if (value === undefined) return undefined;
  if (!isAddress(value, { strict: false }))
    throw new Error(`--${name} is not an address: ${value}`);
  return getAddress(value);
}

const campaign = parseCampaignDefinition(
  JSON.parse(await readFile(values.campaign, "utf8")),
  values.campaign,
);
// A fresh clone has no artifacts yet: compile first (a no-op when they are up to date).
await hre.tasks.getTask("build").run({ noTests: true, quiet: true });
const connection = await network.create(values.network);
const wallets = await connection.viem.getWalletClients();
const localNetwork = values.network === "localhost" || values.network === "hardhat";
const backend =
  addressOption("backend", values.backend) ??
  (localNetwork ? wallets[1]?.account.address : undefined);
const file = await deployCampaign(
  connection,
  campaign,
  {
    admin: addressOption("admin", values.admin),
    guardian: addressOption("guardian", values.guardian),
    backend,
    payoutSigner: addressOption("payout-signer", values["payout-signer"]),
    rootPublisher: addressOption("root-publisher", values["root-publisher"]),
    badgeMinter: addressOption("badge-minter", values["badge-minter"]),
    relayer: addressOption("relayer", values.relayer),
    treasury: addressOption("treasury", values.treasury),
  },
  { deploymentsDir: values["deployments-dir"], metadataBaseUrl: values["metadata-url"] },
);
console.log(JSON.stringify(file, null, 2));
if (file.adminHandOver === "pending")
  console.log(
    `The admin ${file.roles.admin} must now call acceptDefaultAdminTransfer() on each contract above (the deployer keeps the admin role until then).`,
  );
await connection.close();
