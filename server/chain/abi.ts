/**
 * The contracts' ABIs, one generated file per contract in `abi/` (`npm run abi`, see
 * scripts/abi.ts); this module keeps the one import path the chain code uses.
 */
export * from "./abi/index.ts";
