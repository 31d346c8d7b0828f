/** Every component `npm start` runs beside the API, in start order. */
import { botComponent } from "../bot/component.ts";
import { chainComponent } from "../server/chain/component.ts";
import type { ComponentFactory } from "../server/component.ts";
import { webComponent } from "../server/web/component.ts";

export const COMPONENTS: readonly ComponentFactory[] = [webComponent, chainComponent, botComponent];
