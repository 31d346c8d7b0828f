/** Every component `npm start` runs beside the API, in start order. */
import { botComponent } from "../bot/component.ts";
import { createChainComponent } from "./chain/component.ts";
import type { ComponentFactory } from "./component.ts";
import { chainHttpRoutes } from "./http/routes/chain.ts";
import { webComponent } from "./web/component.ts";

/** The payout pipeline, with its routes from the HTTP layer (the chain layer imports none). */
export const chainComponent: ComponentFactory = createChainComponent(chainHttpRoutes);

export const COMPONENTS: readonly ComponentFactory[] = [webComponent, chainComponent, botComponent];
