/**
 * WalletConnect v2 as one more wallet option, offered when the deployment configures a
 * project id (`WALLETCONNECT_PROJECT_ID`, from cloud.reown.com). It matters most inside
 * Telegram, whose WebView injects no wallet.
 *
 * We use `@walletconnect/universal-provider` (the protocol client, without a modal) and show
 * the pairing URI ourselves: a QR code for a wallet on another device and a link a wallet on
 * this device opens. Two traps from the public issue trackers shape this module:
 * - wallet deep links open only when opened synchronously in a tap handler, so the code is
 *   downloaded and the client initialised when the Wallet screen opens
 *   ({@link createWalletConnectOption}), never inside the tap; the tap that opens the wallet
 *   is a plain link;
 * - members sign in the wallet app and come back by hand; the session survives that (the
 *   client keeps it in the page's storage) and the Wallet screen reloads on focus.
 */
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import type { Eip1193Provider, WalletOption } from "./providers.ts";

type UniversalProviderModule = typeof import("@walletconnect/universal-provider");
type UniversalProvider = Awaited<ReturnType<UniversalProviderModule["UniversalProvider"]["init"]>>;

/** What a signing flow needs from the wallet (and nothing else is asked for). */
const METHODS = [
  "eth_sendTransaction",
  "personal_sign",
  "eth_signTypedData_v4",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
];
const EVENTS = ["chainChanged", "accountsChanged"];

let code: Promise<UniversalProviderModule> | undefined;

/** Starts downloading the WalletConnect code once per page (a lazy chunk of the build). */
export function preloadWalletConnect(): Promise<UniversalProviderModule> {
  code ??= import("@walletconnect/universal-provider");
  return code;
}

export interface WalletConnectOptions {
  projectId: string;
  chain: RuntimeConfig["chain"];
  /** Shown in the wallet's approval screen. */
  app: { name: string; url: string; icon?: string };
  /** The pairing URI while the wallet has not answered; `null` once it did (or gave up). */
  onPairingUri(uri: string | null): void;
}

/** CAIP-10 `eip155:<chain>:<address>` → the address, for the session's chain only. */
export function sessionAccounts(accounts: readonly string[], chainId: number): string[] {
  const prefix = `eip155:${chainId}:`;
  return accounts.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
}

/**
 * The WalletConnect option, its client initialising in the background right away. Its
 * provider speaks EIP-1193 like an injected wallet, so sign-in and claims need no other code.
 */
export function createWalletConnectOption(o: WalletConnectOptions): WalletOption {
  const caip = `eip155:${o.chain.id}`;
  const client: Promise<UniversalProvider> = preloadWalletConnect().then(
    async ({ UniversalProvider }) => {
      const p = await UniversalProvider.init({
        projectId: o.projectId,
        metadata: {
          name: o.app.name,
          description: o.app.name,
          url: o.app.url,
          icons: o.app.icon ? [o.app.icon] : [],
        },
        logger: "error",
      });
      p.on("display_uri", (uri: string) => o.onPairingUri(uri));
      return p;
    },
  );
  // Awaited in request(); this only keeps a failed start from being an unhandled rejection.
  client.catch(() => {});

  const connect = async (p: UniversalProvider): Promise<string[]> => {
    if (!p.session) {
      try {
        await p.connect({
          optionalNamespaces: {
            eip155: {
              chains: [caip],
              methods: METHODS,
              events: EVENTS,
              rpcMap: o.chain.rpcUrl ? { [o.chain.id]: o.chain.rpcUrl } : {},
            },
          },
        });
      } finally {
        o.onPairingUri(null);
      }
    }
    const accounts = sessionAccounts(p.session?.namespaces.eip155?.accounts ?? [], o.chain.id);
    // The wallet approved without our chain: the EIP-1193 "unsupported chain" answer.
    if (accounts.length === 0)
      throw Object.assign(new Error(`the wallet has no account on chain ${o.chain.id}`), {
        code: 4901,
      });
    return accounts;
  };

  const provider: Eip1193Provider = {
    async request({ method, params }) {
      const p = await client;
      if (method === "eth_requestAccounts") return connect(p);
      if (method === "eth_accounts")
        return sessionAccounts(p.session?.namespaces.eip155?.accounts ?? [], o.chain.id);
      if (method === "eth_chainId") return `0x${o.chain.id.toString(16)}`;
      return p.request({ method, params: params as unknown[] | undefined }, caip);
    },
    on(event, listener) {
      void client.then((p) => p.on(event, listener));
    },
    removeListener(event, listener) {
      void client.then((p) => p.removeListener(event, listener));
    },
  };
  return { id: "walletconnect", name: "WalletConnect", kind: "walletconnect", provider };
}
