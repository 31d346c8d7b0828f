/** Small hooks shared by the screens: data loading with focus refresh, Telegram buttons. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "./api/client.ts";
import { useApp } from "./context.ts";
import type { MainButtonSpec } from "./platform.ts";

export type Resource<T> =
  | { status: "loading"; data?: undefined; error?: undefined; reload: () => void }
  | { status: "ready"; data: T; error?: undefined; reload: () => void }
  | { status: "error"; data?: T; error: ApiError; reload: () => void };

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ status: 0, code: "unknown", detail: String(error) });
}

/**
 * Loads `load()` when `key` changes and again, silently (keeping what is shown), whenever
 * the page regains focus: members come back from their wallet or from Telegram by hand.
 */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const { epoch } = useApp();
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError }>({
    key: null,
  });
  const [nonce, setNonce] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: epoch and nonce are reload triggers
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loader.current().then(
      (data) => live && setState({ key, data }),
      (error: unknown) =>
        live &&
        setState((s) => ({
          key,
          data: s.key === key ? s.data : undefined,
          error: asApiError(error),
        })),
    );
    return () => {
      live = false;
    };
  }, [key, epoch, nonce]);
  if (state.key !== key || (state.data === undefined && state.error === undefined))
    return { status: "loading", reload };
  if (state.error) return { status: "error", data: state.data, error: state.error, reload };
  return { status: "ready", data: state.data as T, reload };
}

/** Shows Telegram's main button while the calling screen is mounted. */
export function useMainButton(spec: MainButtonSpec | null): void {
  const { platform } = useApp();
  const handler = useRef(spec?.onClick);
  handler.current = spec?.onClick;
  const text = spec?.text;
  const loading = spec?.loading;
  const enabled = spec?.enabled;
  useEffect(() => {
    if (text === undefined) return;
    platform.setMainButton({ text, loading, enabled, onClick: () => handler.current?.() });
    return () => platform.setMainButton(null);
  }, [platform, text, loading, enabled]);
}

/** Asks before closing the Mini App (or leaving the page) while `dirty`. */
export function useClosingConfirmation(dirty: boolean): void {
  const { platform } = useApp();
  useEffect(() => {
    if (!dirty) return;
    platform.confirmClosing(true);
    return () => platform.confirmClosing(false);
  }, [platform, dirty]);
}

/** A message shown for a few seconds (copied, linked, claimed, …). */
export function useToast(): [string | null, (text: string) => void, () => void] {
  const [text, setText] = useState<string | null>(null);
  const clear = useCallback(() => setText(null), []);
  return [text, setText, clear];
}
