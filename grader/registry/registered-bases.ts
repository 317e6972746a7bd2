import index from "./bases.json";
import { registryIndexSchema, type BaseSummary } from "./base-summary";

/**
 * The registered pretrained bases, read from the committed index `bases.json` (written by `npm run models:import`
 * and `npm run models:pretrain`). Importable in the browser: no node APIs.
 */
export function registeredBases(): BaseSummary[] {
  return registryIndexSchema.parse(index).bases;
}

/** The summary of one registered base, or undefined. */
export function findBase(name: string, bases: BaseSummary[] = registeredBases()): BaseSummary | undefined {
  return bases.find((b) => b.name === name);
}
