import { definePlugin } from "hardhat/plugins";

/**
 * Treats every solc warning in our own sources as a build error, so a warning
 * can never slip into main. Warnings from npm dependencies are left alone.
 */
export default definePlugin({
  id: "refmint-strict-solc",
  hookHandlers: {
    solidity: () => import("./strict-solc-hooks.ts"),
  },
});
