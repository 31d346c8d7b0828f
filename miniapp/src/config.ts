/** The runtime config the server wrote into the page (see shared/runtimeConfig.ts). */
import {
  parseRuntimeConfig,
  RUNTIME_CONFIG_ELEMENT_ID,
  type RuntimeConfig,
} from "./shared/runtimeConfig.ts";

export function readRuntimeConfig(): RuntimeConfig {
  const element = document.getElementById(RUNTIME_CONFIG_ELEMENT_ID);
  if (!element?.textContent) throw new Error("The page carries no dashboard configuration.");
  return parseRuntimeConfig(JSON.parse(element.textContent));
}
