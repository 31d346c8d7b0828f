/**
 * What the server tells the page at load time (deployment facts that are not baked into the
 * build): the dashboard mode, the bot, and the chain the browser reads balances from. The
 * server writes it into index.html as a JSON script element; this module is shared by the
 * server (which renders it) and the app (which reads it), so both agree on one shape.
 */
export interface RuntimeConfig {
  /** `miniapp`: the dashboard runs inside Telegram; `web`: a website entered by a login link. */
  mode: "miniapp" | "web";
  botUsername: string;
  miniAppShortName: string;
  chain: {
    id: number;
    name: string;
    /** Public JSON-RPC endpoint for reads from the browser; null: no on-chain reads. */
    rpcUrl: string | null;
    /** Block explorer base URL (`<explorer>/tx/<hash>`, `<explorer>/address/<addr>`). */
    explorerUrl: string | null;
  };
  /** WalletConnect (Reown) project id; null: WalletConnect is not offered. */
  walletConnectProjectId: string | null;
}

export const RUNTIME_CONFIG_ELEMENT_ID = "refmint-config";
/** Where the server puts the config element in index.html. */
export const RUNTIME_CONFIG_PLACEHOLDER = "<!--refmint-config-->";

/** The config as a `<script type="application/json">` element, safe inside HTML. */
export function runtimeConfigElement(config: RuntimeConfig): string {
  // `<` escaped so no value can close the script element; JSON stays equivalent.
  const json = JSON.stringify(config).replaceAll("<", "\\u003c");
  return `<script id="${RUNTIME_CONFIG_ELEMENT_ID}" type="application/json">${json}</script>`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

/** Validates the parsed JSON; throws an Error naming the first bad field. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  const fail = (field: string) => {
    throw new Error(`Invalid dashboard configuration: ${field}`);
  };
  if (!isObject(value)) return fail("not an object");
  const { mode, botUsername, miniAppShortName, chain, walletConnectProjectId } = value;
  if (mode !== "miniapp" && mode !== "web") fail("mode");
  if (!str(botUsername)) fail("botUsername");
  if (!str(miniAppShortName)) fail("miniAppShortName");
  if (!isObject(chain)) return fail("chain");
  if (typeof chain.id !== "number" || !Number.isSafeInteger(chain.id)) fail("chain.id");
  if (!str(chain.name)) fail("chain.name");
  if (!strOrNull(chain.rpcUrl)) fail("chain.rpcUrl");
  if (!strOrNull(chain.explorerUrl)) fail("chain.explorerUrl");
  if (!strOrNull(walletConnectProjectId)) fail("walletConnectProjectId");
  return value as unknown as RuntimeConfig;
}
