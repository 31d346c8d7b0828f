/**
 * Shared by the pipeline's operator commands (scripts/epoch-*.ts, reconcile, payouts-retry):
 * `--name value` / `--flag` arguments, and the standard way to fail.
 */
import { fatalMessage } from "../fatal.ts";

export interface Args {
  get(name: string): string | undefined;
  all(name: string): string[];
  has(name: string): boolean;
}

export function parseArgs(argv: string[] = process.argv.slice(2)): Args {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const name = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) flags.add(name);
    else {
      values.set(name, [...(values.get(name) ?? []), next]);
      i++;
    }
  }
  return {
    get: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
    has: (name) => flags.has(name) || values.has(name),
  };
}

/** Runs a command's main: configuration errors print their message, others their stack. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(fatalMessage(error));
      process.exit(1);
    },
  );
}
