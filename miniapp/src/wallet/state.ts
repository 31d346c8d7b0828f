/** The wallet connected in this page (shared by the Wallet and Rewards screens). */
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { discoverInjected, type WalletOption } from "./providers.ts";

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

/** Wallets available in this page, updated as extensions announce themselves. */
export function useWalletOptions(): WalletOption[] {
  const [options, setOptions] = useState<WalletOption[]>([]);
  useEffect(() => discoverInjected(setOptions), []);
  return options;
}
