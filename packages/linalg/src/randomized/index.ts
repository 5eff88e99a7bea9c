// Barrel of the randomized group: transforms, sketches, randomized low-rank factorizations and row-action solvers.
export { fwht } from "./fwht.js";
export { leverageScoreSample, leverageScores } from "./leverage-scores.js";
export { nystrom } from "./nystrom.js";
export { type RowActionOptions, type RowActionResult, randomizedKaczmarz } from "./randomized-kaczmarz.js";
export { type RangeFinderOptions, randomizedRangeFinder } from "./randomized-range-finder.js";
export { randomizedSvd } from "./randomized-svd.js";
export { type SketchAndProjectOptions, sketchAndProject } from "./sketch-and-project.js";
export { countSketch, gaussianSketch, type SketchOptions, srhtSketch } from "./sketches.js";
