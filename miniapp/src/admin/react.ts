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
