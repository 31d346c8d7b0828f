import type { SolidityHooks } from "hardhat/types/hooks";

const OWN_SOURCE = /-->\s+(\.\/)?(contracts|test)\//;
const TEST_SOURCE = /-->\s+(\.\/)?test\//;
// "Contract code size exceeds 24576 bytes" and "Contract initcode size exceeds 49152 bytes":
// test contracts embed every contract they deploy and are never deployed to a real chain, so
// the mainnet size limits do not apply to them.
const CODE_SIZE_WARNINGS = new Set(["5574", "3860"]);

export default async (): Promise<Partial<SolidityHooks>> => ({
  async getCompilationJobErrors(context, job, output, next) {
    const errors = await next(context, job, output);
    const ours = errors.filter((e) => {
      const where = e.formattedMessage ?? "";
      if (e.severity !== "warning" || !OWN_SOURCE.test(where)) return false;
      return !(CODE_SIZE_WARNINGS.has(e.errorCode ?? "") && TEST_SOURCE.test(where));
    });
    if (ours.length > 0) {
      const text = ours.map((e) => e.formattedMessage ?? e.message).join("\n");
      throw new Error(`solc warnings are errors in this project:\n${text}`);
    }
    return errors;
  },
});
