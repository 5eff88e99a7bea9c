import { inputSplitBabGroup, type SplitOptions, type SplitOutcome } from "../../src/input-split.js";
import type { Network } from "../../src/network.js";
import type { VnnSpec } from "../../src/vnnlib.js";

/** inputSplitBabGroup with a 5 s deadline, fresh stats and spec indices 0…n−1 unless given. */
export function splitSearch(
  net: Network,
  specs: VnnSpec[],
  opts: Partial<SplitOptions> & { indices?: number[] } = {},
): SplitOutcome {
  const { indices, ...rest } = opts;
  return inputSplitBabGroup(
    net,
    specs,
    indices ?? specs.map((_, g) => g),
    { deadline: Date.now() + 5000, maxDomains: 3000, ...rest },
    { domains: 0, maxQueue: 0 },
  );
}
