/** Every component `npm start` runs beside the API, in start order. */
import { botComponent } from "../bot/component.ts";
import { createChainComponent } from "../server/chain/component.ts";
import type { ComponentFactory } from "../server/component.ts";
import { chainHttpRoutes } from "../server/http/routes/chain.ts";
import { webComponent } from "../server/web/component.ts";

/** The payout pipeline, with its routes from the HTTP layer (the chain layer imports none). */
export const chainComponent: ComponentFactory = createChainComponent(chainHttpRoutes);

export const COMPONENTS: readonly ComponentFactory[] = [webComponent, chainComponent, botComponent];
