// Makes every fast-check property replayable: FC_SEED fixes the seed, FC_NUM_RUNS the run count.
// A failing property prints its seed and path; replay with FC_SEED=<seed> pnpm --filter <pkg> test.
import fc from "fast-check";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const numRuns = process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : undefined;
fc.configureGlobal({
  ...(seed !== undefined && Number.isFinite(seed) ? { seed } : {}),
  ...(numRuns !== undefined && Number.isFinite(numRuns) ? { numRuns } : {}),
});
