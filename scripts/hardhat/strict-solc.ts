import { definePlugin } from "hardhat/plugins";

/**
 * Treats every solc warning as a build error, so a warning can never slip into main: in our
 * own sources and in the dependencies we compile. One known warning is accepted and silenced
 * (OpenZeppelin's TransientSlot.sol, see strict-solc-hooks.ts for why), and test contracts may
 * exceed the mainnet code size limit. test/scripts/strictSolc.test.ts holds it to that.
 */
export default definePlugin({
  id: "refmint-strict-solc",
  hookHandlers: {
    solidity: () => import("./strict-solc-hooks.ts"),
  },
});
