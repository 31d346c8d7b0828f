/**
 * Requests started before React's first render (main.tsx), each taken once by the screen that
 * needs it. Inside Telegram the init data is known from the first line of script, so the
 * profile request runs beside React's first render instead of after it (the Home screen
 * waited about 100 ms for the shell to mount before asking).
 */
const early = new Map<string, Promise<unknown>>();

/** Starts `load()` now for `path`; a failure surfaces to whoever takes it. */
export function prefetch<T>(path: string, load: () => Promise<T>): void {
  const request = load();
  // Taken later (or never): keep an early failure from being reported as unhandled.
  request.catch(() => undefined);
  early.set(path, request);
}

/** The early request for `path`, once; `undefined` when none was started or it was taken. */
export function takePrefetched<T>(path: string): Promise<T> | undefined {
  const request = early.get(path);
  early.delete(path);
  return request as Promise<T> | undefined;
}
