/**
 * Wallet discovery. Injected wallets announce themselves with EIP-6963 (several extensions
 * can coexist); an older one that only sets `window.ethereum` is offered as "Browser wallet".
 * Telegram's WebView injects no wallet at all, which the Wallet screen explains.
 *
 * A connector is anything that yields an EIP-1193 provider: WalletConnect
 * (`@walletconnect/ethereum-provider`) would plug in as one more {@link WalletOption} of kind
 * `walletconnect`, without touching the sign-in or claim code (see the README).
 */

export interface Eip1193Provider {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

export interface WalletOption {
  id: string;
  name: string;
  /** data: URI from the wallet's EIP-6963 announcement. */
  icon?: string;
  kind: "injected" | "walletconnect";
  provider: Eip1193Provider;
}

interface Eip6963Detail {
  info: { uuid: string; name: string; icon?: string; rdns?: string };
  provider: Eip1193Provider;
}

/** Calls `onChange` with the wallets found now and whenever another one announces itself. */
export function discoverInjected(onChange: (wallets: WalletOption[]) => void): () => void {
  const found = new Map<string, WalletOption>();
  const emit = () => {
    const list = [...found.values()];
    const legacy = (window as { ethereum?: Eip1193Provider }).ethereum;
    if (legacy && !list.some((w) => w.provider === legacy))
      list.push({ id: "injected", name: "Browser wallet", kind: "injected", provider: legacy });
    onChange(list);
  };
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<Eip6963Detail>).detail;
    if (!detail?.info?.uuid || typeof detail.provider?.request !== "function") return;
    // Only image data URIs: an announcement must not make the page load remote content.
    const icon = detail.info.icon?.startsWith("data:image/") ? detail.info.icon : undefined;
    found.set(detail.info.uuid, {
      id: detail.info.rdns ?? detail.info.uuid,
      name: detail.info.name,
      icon,
      kind: "injected",
      provider: detail.provider,
    });
    emit();
  };
  window.addEventListener("eip6963:announceProvider", onAnnounce);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  emit();
  return () => window.removeEventListener("eip6963:announceProvider", onAnnounce);
}
