// Linear sum assignment (rectangular) by shortest augmenting paths with dual potentials.
// Method: Jonker & Volgenant, "A shortest augmenting path algorithm for dense and sparse linear
// assignment problems" (Computing 1987), in the rectangular form of Crouse, "On implementing 2D
// rectangular assignment algorithms" (IEEE TAES 2016), as used by SciPy.
import { asTensor, ShapeError, type TensorLike, ValueError } from "@x/tensor";
import { checkCost, mat } from "./internal/validate.js";

export interface LinearSumAssignmentOptions {
  /** Maximise the total instead of minimising it. */
  maximize?: boolean;
}

export interface LinearSumAssignmentResult {
  /** Row indices (increasing) and the column assigned to each: min(n, m) pairs, like SciPy. */
  rowInd: Int32Array;
  colInd: Int32Array;
  /** Σ C[rowInd[k], colInd[k]]. */
  cost: number;
}

/** Solves min Σ_i C[i, σ(i)] over injective σ (over columns when the matrix is wide, rows when tall). */
export function linearSumAssignment(C: TensorLike, opts: LinearSumAssignmentOptions = {}): LinearSumAssignmentResult {
  const t = asTensor(C, "C");
  if (t.rank !== 2) throw new ShapeError(`C must be a 2-D cost matrix, got shape [${t.shape.join(", ")}]`);
  const m0 = mat(t, "C");
  checkCost(m0, "C");
  const { rows, cols } = m0;
  if (rows === 0 || cols === 0) return { rowInd: new Int32Array(0), colInd: new Int32Array(0), cost: 0 };
  const transpose = cols < rows;
  const nr = transpose ? cols : rows;
  const nc = transpose ? rows : cols;
  const sign = opts.maximize ? -1 : 1;
  const cost = new Float64Array(nr * nc);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = sign * m0.data[i * cols + j]!;
      if (transpose) cost[j * nc + i] = v;
      else cost[i * nc + j] = v;
    }
  }
  const col4row = solve(cost, nr, nc);
  const pairs: [number, number][] = [];
  for (let i = 0; i < nr; i++) pairs.push(transpose ? [col4row[i]!, i] : [i, col4row[i]!]);
  pairs.sort((p, q) => p[0] - q[0]);
  const rowInd = Int32Array.from(pairs, (p) => p[0]);
  const colInd = Int32Array.from(pairs, (p) => p[1]);
  let total = 0;
  for (let k = 0; k < rowInd.length; k++) total += m0.data[rowInd[k]! * cols + colInd[k]!]!;
  return { rowInd, colInd, cost: total };
}

/** nr ≤ nc. Returns the column of each row. */
function solve(cost: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const spc = new Float64Array(nc); // shortest path costs
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let cur = 0; cur < nr; cur++) {
    // Dijkstra on reduced costs from row `cur` until a free column is reached.
    let minVal = 0;
    let i = cur;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    spc.fill(Number.POSITIVE_INFINITY);
    let sink = -1;
    while (sink === -1) {
      let index = -1;
      let lowest = Number.POSITIVE_INFINITY;
      SR[i] = 1;
      const base = i * nc;
      const ui = u[i]!;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + cost[base + j]! - ui - v[j]!;
        if (r < spc[j]!) {
          path[j] = i;
          spc[j] = r;
        }
        const s = spc[j]!;
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Number.POSITIVE_INFINITY || index < 0) {
        throw new ValueError("linearSumAssignment: the cost matrix is infeasible");
      }
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }
    // Dual update keeps reduced costs non-negative and zero on the matching.
    u[cur] = u[cur]! + minVal;
    for (let r = 0; r < nr; r++) if (SR[r] && r !== cur) u[r] = u[r]! + minVal - spc[col4row[r]!]!;
    for (let c = 0; c < nc; c++) if (SC[c]) v[c] = v[c]! - (minVal - spc[c]!);
    // Augment along the path back to `cur`.
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const tmp = col4row[r]!;
      col4row[r] = j;
      j = tmp;
      if (r === cur) break;
    }
  }
  return col4row;
}
