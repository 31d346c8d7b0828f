/** The wallet connected in this page (shared by the Wallet and Rewards screens). */
import { useEffect, useState } from "react";
import type { Address } from "viem";
import type { RuntimeConfig } from "../shared/runtimeConfig.ts";
import { discoverInjected, type WalletOption } from "./providers.ts";
import { createWalletConnectOption } from "./walletconnect.ts";

export interface Connected {
  option: WalletOption;
  address: Address;
}

let connected: Connected | null = null;
const listeners = new Set<() => void>();

export function setConnected(value: Connected | null): void {
  connected = value;
  for (const l of listeners) l();
}

export function useConnected(): Connected | null {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    const l = () => setValue(connected);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return value;
}

let pairingUri: string | null = null;
const pairingListeners = new Set<() => void>();
let walletConnect: WalletOption | undefined;

/** The WalletConnect pairing URI while a wallet is being asked to connect. */
export function usePairingUri(): string | null {
  const [value, setValue] = useState(pairingUri);
  useEffect(() => {
    const l = () => setValue(pairingUri);
    pairingListeners.add(l);
    return () => {
      pairingListeners.delete(l);
    };
  }, []);
  return value;
}

/**
 * One WalletConnect client per page, created the first time a screen lists the wallets (so
 * its code is loaded before any tap), when the deployment configured a project id.
 */
function walletConnectOption(config: RuntimeConfig): WalletOption | undefined {
  if (!config.walletConnectProjectId) return undefined;
  // The pairing QR code is drawn the moment the URI arrives: its code comes early too.
  void import("qrcode");
  walletConnect ??= createWalletConnectOption({
    projectId: config.walletConnectProjectId,
    chain: config.chain,
    app: { name: "Refmint", url: window.location.origin },
    onPairingUri(uri) {
      pairingUri = uri;
      for (const l of pairingListeners) l();
    },
  });
  return walletConnect;
}

/** Wallets available in this page, updated as extensions announce themselves. */
export function useWalletOptions(config: RuntimeConfig): WalletOption[] {
  const [options, setOptions] = useState<WalletOption[]>([]);
  useEffect(() => {
    const wc = walletConnectOption(config);
    return discoverInjected((injected) => setOptions(wc ? [...injected, wc] : injected));
  }, [config]);
  return options;
}
