/** Every component `npm start` runs beside the API, in start order. */
import { botComponent } from "../bot/component.ts";
import { chainComponent } from "./chain/component.ts";
import type { ComponentFactory } from "./component.ts";
import { webComponent } from "./web/component.ts";

export const COMPONENTS: readonly ComponentFactory[] = [webComponent, chainComponent, botComponent];
