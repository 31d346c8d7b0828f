import type { SolidityHooks } from "hardhat/types/hooks";

const TEST_SOURCE = /-->\s+(\.\/)?test\//;
// "Contract code size exceeds 24576 bytes" and "Contract initcode size exceeds 49152 bytes":
// test contracts embed every contract they deploy and are never deployed to a real chain, so
// the mainnet size limits do not apply to them.
const CODE_SIZE_WARNINGS = new Set(["5574", "3860"]);
// The one known warning we accept: solc warns on every `tstore` (error code 2394, "Transient
// storage as defined by EIP-1153 can break the composability of smart contracts"). OpenZeppelin's
// TransientSlot library is where ReentrancyGuardTransient (ReferralPayouts, PerkShop) stores its
// flag, which it clears before the call returns: the use the warning itself calls safe. Only
// that file is exempt; a `tstore` anywhere else, ours or a dependency's, still fails the build.
const TRANSIENT_STORAGE_WARNING = "2394";
// However the package is reached (./node_modules/…, an absolute or symlinked path, npm/…@5.x/…).
const OZ_TRANSIENT_SLOT =
  /-->\s+\S*@openzeppelin\/contracts(@[^/\s]+)?\/utils\/TransientSlot\.sol:/;

/** The documented exception: OpenZeppelin's TransientSlot.sol transient-storage warning. */
export function isAcceptedWarning(e: { errorCode?: string; formattedMessage?: string }): boolean {
  return (
    e.errorCode === TRANSIENT_STORAGE_WARNING && OZ_TRANSIENT_SLOT.test(e.formattedMessage ?? "")
  );
}

export default async (): Promise<Partial<SolidityHooks>> => ({
  async getCompilationJobErrors(context, job, output, next) {
    const errors = await next(context, job, output);
    // Every warning fails the build (ours and our dependencies'), except the accepted one,
    // which is dropped so the build prints none; code size is exempt for test contracts only.
    const failing = errors.filter((e) => {
      if (e.severity !== "warning" || isAcceptedWarning(e)) return false;
      const where = e.formattedMessage ?? "";
      return !(CODE_SIZE_WARNINGS.has(e.errorCode ?? "") && TEST_SOURCE.test(where));
    });
    if (failing.length > 0) {
      const text = failing.map((e) => e.formattedMessage ?? e.message).join("\n");
      throw new Error(`solc warnings are errors in this project:\n${text}`);
    }
    return errors.filter((e) => !isAcceptedWarning(e));
  },
});
