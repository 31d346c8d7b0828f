#!/usr/bin/env node
/**
 * `refmint-verify`: checks Refmint's reward files against the chain (see verify.ts).
 *
 *   refmint-verify <address> --rpc <url> --files <url or dir> [--json]
 *   refmint-verify --campaign [<slug>] --rpc <url> --files <url or dir> [--json]
 *
 * Exit code 0 when the files and the chain agree, 1 on any mismatch or a refused index, 2 on
 * bad arguments or an unreachable RPC or source.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, getAddress, http, isAddress } from "viem";
import { type FileSource, formatReport, mapSource, urlSource, verify } from "./verify.ts";

const USAGE = `Usage:
  refmint-verify <wallet address> --rpc <url> --files <url or dir> [--json]
  refmint-verify --campaign [<slug>] --rpc <url> --files <url or dir> [--json]

  --files   the reward files: https://<host>/rewards/files (or the site's root), or a folder
            holding index.json and <sha256>.json files (a saved copy)
  --rpc     a JSON-RPC endpoint of the campaign's chain (yours, not the operator's, ideally)
  --json    print the report as JSON`;

/** A saved copy: index.json and the <sha256>.json files in one folder. */
export async function dirSource(dir: string): Promise<FileSource> {
  const files = new Map<string, string>();
  for (const name of await readdir(dir))
    if (name.endsWith(".json")) files.set(name, await readFile(join(dir, name), "utf8"));
  return mapSource(dir, files);
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rpc: { type: "string" },
        files: { type: "string" },
        campaign: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const target = positionals[0];
  if (!values.rpc || !values.files || (!values.campaign && !target)) {
    console.error(USAGE);
    return 2;
  }
  if (!values.campaign && target && !isAddress(target)) {
    console.error(`not a wallet address: ${target}\n\n${USAGE}`);
    return 2;
  }
  const source = /^https?:\/\//.test(values.files)
    ? urlSource(values.files)
    : await dirSource(values.files).catch((error: Error) => error);
  if (source instanceof Error) {
    console.error(`cannot read ${values.files}: ${source.message}`);
    return 2;
  }
  const client = createPublicClient({ transport: http(values.rpc) });
  try {
    const report = await verify({
      client,
      source,
      address: values.campaign ? undefined : getAddress(target!),
      campaign: values.campaign ? target : undefined,
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    console.error(`verification could not run: ${(error as Error).message}`);
    return 2;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
