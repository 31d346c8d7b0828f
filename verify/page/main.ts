/**
 * The static verifier page: the same checks as `refmint-verify` (verify.ts), in the browser.
 * Bundled with everything it needs into one HTML file (`npm run build:verify`): it talks only
 * to the RPC URL and the files URL the user gives, or reads files dropped on it.
 */
import { createPublicClient, getAddress, http, isAddress } from "viem";
import { type FileSource, formatReport, mapSource, urlSource, verify } from "../verify.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const dropped = new Map<string, string>();

async function addFiles(list: FileList | null) {
  for (const f of Array.from(list ?? [])) dropped.set(f.name, await f.text());
  $("dropped").textContent = dropped.size > 0 ? `${dropped.size} file(s) loaded` : "";
}

const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  void addFiles(e.dataTransfer?.files ?? null);
});
$<HTMLInputElement>("picker").addEventListener("change", (e) => {
  void addFiles((e.target as HTMLInputElement).files);
});

function show(kind: "ok" | "failed" | "running", message: string, report?: string) {
  const status = $("status");
  status.hidden = false;
  status.className = kind;
  status.textContent = message;
  const pre = $("report");
  pre.hidden = report === undefined;
  pre.textContent = report ?? "";
}

$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const rpc = $<HTMLInputElement>("rpc").value.trim();
  const files = $<HTMLInputElement>("files").value.trim();
  const address = $<HTMLInputElement>("address").value.trim();
  if (address && !isAddress(address)) return show("failed", `Not a wallet address: ${address}`);
  let source: FileSource;
  if (dropped.size > 0) source = mapSource("dropped files", dropped);
  else if (files) source = urlSource(files);
  else return show("failed", "Give the reward files' URL or drop the saved files.");
  show("running", "Verifying…");
  try {
    const client = createPublicClient({ transport: http(rpc) });
    const report = await verify({
      client,
      source,
      address: address ? getAddress(address) : undefined,
    });
    show(
      report.ok ? "ok" : "failed",
      report.ok
        ? "OK: the files and the chain agree."
        : report.refused
          ? "REFUSED: the index is not signed by the campaign's root publisher."
          : `FAILED: ${report.mismatches.length} mismatch(es) between the files and the chain.`,
      formatReport(report),
    );
  } catch (error) {
    show("failed", `Verification could not run: ${(error as Error).message}`);
  }
});
