/**
 * `npm run screening:import`: imports (or replaces) an address screening list: a deny list of
 * addresses no payout, release or redemption may reach (a sanctions list, the operator's own).
 * The file has one address per line, or CSV/TSV with an address column; `#` starts a comment.
 * Next to `npm run dev` it runs through the dev service; otherwise the server's environment.
 *
 *   npm run screening:import -- --file <path> --source "<list name>" --date YYYY-MM-DD
 */
import { readFile } from "node:fs/promises";
import { bootstrap } from "../server/bootstrap.ts";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { callService, operatorTarget } from "../server/chain/operatorTarget.ts";
import { loadConfig } from "../server/config.ts";
import { importScreeningList, parseScreeningFile } from "../server/domain/screening.ts";
import { createLogger } from "../server/logger.ts";

interface Imported {
  listId: number;
  entries: number;
  added: number;
  removed: number;
}

async function local(source: string, listedOn: string, addresses: string[]): Promise<Imported> {
  const config = loadConfig();
  const runtime = await bootstrap(config, createLogger(config.log.level), undefined, {
    createDatabase: false,
  });
  try {
    return await importScreeningList(runtime.domain, {
      source,
      listedOn,
      addresses,
      actor: "api-token",
    });
  } finally {
    await runtime.close();
  }
}

runCommand(async () => {
  const args = parseArgs();
  const file = args.get("file");
  const source = args.get("source");
  const listedOn = args.get("date");
  if (!file || !source || !listedOn) {
    console.error(
      'usage: npm run screening:import -- --file <path> --source "<list name>" --date YYYY-MM-DD',
    );
    return 2;
  }
  const text = await readFile(file, "utf8");
  // Parsed here too, so a bad file is refused before anything is contacted.
  const addresses = parseScreeningFile(text);
  const target = operatorTarget();
  if (target.kind === "service") console.log(`through ${target.via} at ${target.apiUrl}`);
  const r =
    target.kind === "service"
      ? await callService<Imported>(target, "POST", "/api/admin/screening/lists", {
          source,
          listedOn,
          text,
        })
      : await local(source, listedOn, addresses);
  console.log(
    `${source} (${listedOn}): ${r.entries} addresses (${r.added} added, ${r.removed} removed)`,
  );
  return 0;
});
