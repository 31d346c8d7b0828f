/**
 * React and Telegram UI's AppRoot as the member app's entry hands them to the console.
 *
 * Why not `import … from "react"`: the bundler moves any module that the entry and a new
 * lazy chunk both import into a chunk of its own, which the member's first load then waits
 * for (measured: +0.9 KB gzip over the 84 KB budget). The console therefore imports nothing
 * at run time from the member app or its packages: its JSX compiles to `R.createElement`
 * (the classic runtime, see the pragma atop each file) and its hooks are `R.useState`, …,
 * on the one React instance the entry passes to {@link share} before the first render.
 */
import type { AppRoot as AppRootComponent } from "@telegram-apps/telegram-ui";
import type * as ReactModule from "react";

/** The part of React the console uses. */
export type SharedReact = Pick<
  typeof ReactModule,
  | "createContext"
  | "createElement"
  | "Fragment"
  | "useCallback"
  | "useContext"
  | "useEffect"
  | "useMemo"
  | "useRef"
  | "useState"
>;

export let R: SharedReact;
export let AppRoot: typeof AppRootComponent;

export function share(shared: { React: typeof ReactModule; AppRoot: typeof AppRootComponent }) {
  R = shared.React;
  AppRoot = shared.AppRoot;
}

/**
 * Runs `request` as the newest of its kind: the signal of the request before it is aborted,
 * and an answer (or error) reaches `onAnswer` (`onError`) only while no later request started
 * and the screen is still open. The returned promise settles in every case (once the answer is
 * shown, or dropped), so a caller may await it.
 */
export type Latest = <T>(
  request: (signal: AbortSignal) => Promise<T>,
  onAnswer: (value: T) => void,
  onError: (error: unknown) => void,
) => Promise<void>;

/**
 * The bookkeeping of {@link useLatest} without React (testable under node): `run` starts a
 * request, `close` aborts the pending one and drops every answer still to come.
 */
export function latestRequests(): { run: Latest; close: () => void } {
  let current: AbortController | null = null;
  return {
    run: (request, onAnswer, onError) => {
      current?.abort();
      const mine = new AbortController();
      current = mine;
      return request(mine.signal).then(
        (value) => {
          if (current === mine) onAnswer(value);
        },
        (error: unknown) => {
          if (current === mine) onError(error);
        },
      );
    },
    close: () => {
      current?.abort();
      current = null;
    },
  };
}

/**
 * Latest request wins: a screen that loads on demand (a filter, a search, a tab, a campaign or
 * period switch, a reload after an action) shows only the answer to the last thing asked. Under
 * load an earlier answer can arrive after a later one and would otherwise replace it (the audit
 * log once showed the first load's rows over a submitted filter's; CI failed on it). One
 * `useLatest()` per kind of data on a screen; leaving the screen aborts what is pending.
 */
export function useLatest(): Latest {
  const requests = R.useMemo(latestRequests, []);
  R.useEffect(() => requests.close, [requests]);
  return requests.run;
}

/**
 * Calls `tick` every `ms` while `active`, the next only after the previous one settled: polls
 * never overlap, so a slow answer can neither overtake a newer one nor be superseded forever.
 */
export function usePoll(tick: () => Promise<unknown>, ms: number, active: boolean): void {
  R.useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const next = () => {
      timer = setTimeout(() => {
        tick().then(
          () => !stopped && next(),
          () => !stopped && next(),
        );
      }, ms);
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tick, ms, active]);
}
