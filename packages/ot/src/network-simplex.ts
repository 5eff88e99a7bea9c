// Exact optimal transport by the network simplex on the bipartite transportation graph.
// Method: Bonneel, van de Panne, Paris & Heidrich, "Displacement interpolation using Lagrangian mass
// transport" (SIGGRAPH Asia 2011), which adapts LEMON's NetworkSimplex (Kovács 2015): a spanning
// tree stored as parent/thread/successor-count arrays, block-search pivoting and strongly feasible
// leaving-arc choice (no cycling). All arcs are uncapacitated. Works on Float64Array/Int32Array only.

export interface NetworkSimplexResult {
  /** Row-major n1×n2 flows. */
  flow: Float64Array;
  /** Dual potentials: u_i + v_j ≤ C_ij, equality on the support. */
  u: Float64Array;
  v: Float64Array;
  cost: number;
  iterations: number;
  status: "optimal" | "maxIterReached";
}

/**
 * Solves min Σ C_ij P_ij with P 1 = a, Pᵀ 1 = b, P ≥ 0; a, b > 0 with equal sums (checked by the caller).
 * C is n1×n2 row-major.
 */
export function networkSimplex(
  a: Float64Array,
  b: Float64Array,
  C: Float64Array,
  maxIter: number,
): NetworkSimplexResult {
  const n1 = a.length;
  const n2 = b.length;
  const m = n1 * n2; // real arcs: e = i*n2 + j, source i, target n1 + j
  const N = n1 + n2; // nodes; the root is N
  const all = m + N; // artificial arc m + u joins node u and the root

  let maxC = 0;
  for (let e = 0; e < m; e++) maxC = Math.max(maxC, Math.abs(C[e]!));
  const ART = (maxC + 1) * (N + 1);
  const eps = 1e-13 * (maxC + 1);

  const flow = new Float64Array(all);
  const state = new Int8Array(m).fill(1); // 1 = at lower bound (non-tree), 0 = tree
  const artSrc = new Int32Array(N); // source node of artificial arc m+u (u or root)
  const parent = new Int32Array(N + 1);
  const pred = new Int32Array(N + 1);
  const thread = new Int32Array(N + 1);
  const revThread = new Int32Array(N + 1);
  const succNum = new Int32Array(N + 1);
  const lastSucc = new Int32Array(N + 1);
  const forward = new Uint8Array(N + 1);
  const pi = new Float64Array(N + 1);

  const root = N;
  parent[root] = -1;
  pred[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  succNum[root] = N + 1;
  lastSucc[root] = root - 1;
  // Initial tree: every node hangs off the root by its artificial arc carrying its supply.
  for (let u = 0; u < N; u++) {
    const e = m + u;
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    if (u < n1) {
      forward[u] = 1;
      pi[u] = 0;
      artSrc[u] = u;
      flow[e] = a[u]!;
    } else {
      forward[u] = 0;
      pi[u] = ART;
      artSrc[u] = root;
      flow[e] = b[u - n1]!;
    }
  }
  const src = (e: number) => (e < m ? (e / n2) | 0 : artSrc[e - m]!);
  const tgt = (e: number) => (e < m ? n1 + (e % n2) : artSrc[e - m] === root ? e - m : root);
  const cost = (e: number) => (e < m ? C[e]! : artSrc[e - m] === root ? ART : 0);

  const blockSize = Math.max(Math.floor(Math.sqrt(m)), Math.min(10, m));
  let nextArc = 0;
  let iterations = 0;
  let status: NetworkSimplexResult["status"] = "optimal";

  for (;;) {
    // Block search pricing: scan arcs cyclically in blocks, take the most negative reduced cost
    // of the first block that has one.
    let inArc = -1;
    let min = -eps;
    let cnt = blockSize;
    let e = nextArc;
    let i = (e / n2) | 0;
    let j = e - i * n2;
    let pis = pi[i]!;
    for (let k = 0; k < m; k++) {
      if (state[e] === 1) {
        const c = C[e]! + pis - pi[n1 + j]!;
        if (c < min) {
          min = c;
          inArc = e;
        }
      }
      e++;
      j++;
      if (j === n2) {
        j = 0;
        i++;
        if (e === m) {
          e = 0;
          i = 0;
        }
        pis = pi[i]!;
      }
      if (--cnt === 0) {
        if (inArc >= 0) break;
        cnt = blockSize;
      }
    }
    if (inArc < 0) break;
    nextArc = e;
    if (iterations >= maxIter) {
      status = "maxIterReached";
      break;
    }
    iterations++;

    // Join node: the first common ancestor of the entering arc's ends.
    const uIn0 = src(inArc);
    const vIn0 = tgt(inArc);
    let ju = uIn0;
    let jv = vIn0;
    while (ju !== jv) {
      if (succNum[ju]! < succNum[jv]!) ju = parent[ju]!;
      else jv = parent[jv]!;
    }
    const join = ju;

    // Leaving arc: the blocking arc of the cycle; ties are broken towards the second path, which
    // keeps the tree strongly feasible.
    const first = uIn0;
    const second = vIn0;
    let delta = Number.POSITIVE_INFINITY;
    let uOut = -1;
    let result = 0;
    for (let u = first; u !== join; u = parent[u]!) {
      if (forward[u]) {
        const d = flow[pred[u]!]!;
        if (d < delta) {
          delta = d;
          uOut = u;
          result = 1;
        }
      }
    }
    for (let u = second; u !== join; u = parent[u]!) {
      if (!forward[u]) {
        const d = flow[pred[u]!]!;
        if (d <= delta) {
          delta = d;
          uOut = u;
          result = 2;
        }
      }
    }
    let uIn: number;
    let vIn: number;
    if (result === 1) {
      uIn = first;
      vIn = second;
    } else {
      uIn = second;
      vIn = first;
    }

    // Augment delta units around the cycle.
    if (delta > 0) {
      flow[inArc] = flow[inArc]! + delta;
      for (let u = uIn0; u !== join; u = parent[u]!) {
        const p = pred[u]!;
        flow[p] = flow[p]! + (forward[u] ? -delta : delta);
      }
      for (let u = vIn0; u !== join; u = parent[u]!) {
        const p = pred[u]!;
        flow[p] = flow[p]! + (forward[u] ? delta : -delta);
      }
    }
    state[inArc] = 0;
    const outArc = pred[uOut]!;
    flow[outArc] = 0;
    if (outArc < m) state[outArc] = 1;

    // Update the tree: re-hang the subtree of uOut below vIn through the stem uIn … uOut.
    const oldRevThread = revThread[uOut]!;
    const oldSuccNum = succNum[uOut]!;
    const oldLastSucc = lastSucc[uOut]!;
    const vOut = parent[uOut]!;
    let u = lastSucc[uIn]!;
    let right = thread[u]!;
    const last = oldRevThread === vIn ? thread[lastSucc[uOut]!]! : thread[vIn]!;
    let stem = uIn;
    thread[vIn] = stem;
    const dirty: number[] = [vIn];
    let parStem = vIn;
    while (stem !== uOut) {
      const newStem = parent[stem]!;
      thread[u] = newStem;
      dirty.push(u);
      const w = revThread[stem]!;
      thread[w] = right;
      revThread[right] = w;
      parent[stem] = parStem;
      parStem = stem;
      stem = newStem;
      u = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem]! : lastSucc[stem]!;
      right = thread[u]!;
    }
    parent[uOut] = parStem;
    thread[u] = last;
    revThread[last] = u;
    lastSucc[uOut] = u;
    if (oldRevThread !== vIn) {
      thread[oldRevThread] = right;
      revThread[right] = oldRevThread;
    }
    for (const d of dirty) revThread[thread[d]!] = d;

    let tmpSc = 0;
    const tmpLs = lastSucc[uOut]!;
    for (let x = uOut; x !== uIn; ) {
      const w = parent[x]!;
      pred[x] = pred[w]!;
      forward[x] = forward[w] ? 0 : 1;
      tmpSc += succNum[x]! - succNum[w]!;
      succNum[x] = tmpSc;
      lastSucc[w] = tmpLs;
      x = w;
    }
    pred[uIn] = inArc;
    forward[uIn] = uIn === uIn0 ? 1 : 0;
    succNum[uIn] = oldSuccNum;

    let upLimitIn = -1;
    let upLimitOut = -1;
    if (lastSucc[join] === vIn) upLimitOut = join;
    else upLimitIn = join;
    for (let x = vIn; x !== upLimitIn && lastSucc[x] === vIn; x = parent[x]!) lastSucc[x] = lastSucc[uOut]!;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let x = vOut; x !== upLimitOut && lastSucc[x] === oldLastSucc; x = parent[x]!) lastSucc[x] = oldRevThread;
    } else {
      for (let x = vOut; x !== upLimitOut && lastSucc[x] === oldLastSucc; x = parent[x]!) {
        lastSucc[x] = lastSucc[uOut]!;
      }
    }
    for (let x = vIn; x !== join; x = parent[x]!) succNum[x] = succNum[x]! + oldSuccNum;
    for (let x = vOut; x !== join; x = parent[x]!) succNum[x] = succNum[x]! - oldSuccNum;

    // Potentials: shift the moved subtree so the entering arc has zero reduced cost.
    const pe = pred[uIn]!;
    const sigma = forward[uIn] ? pi[vIn]! - pi[uIn]! - cost(pe) : pi[vIn]! - pi[uIn]! + cost(pe);
    const end = thread[lastSucc[uIn]!]!;
    for (let x = uIn; x !== end; x = thread[x]!) pi[x] = pi[x]! + sigma;
  }

  const out = new Float64Array(m);
  let total = 0;
  for (let e = 0; e < m; e++) {
    const f = flow[e]!;
    if (f > 0) {
      out[e] = f;
      total += f * C[e]!;
    }
  }
  // LEMON's reduced cost is C_ij + π_i − π_j ≥ 0, so u = −π (sources), v = π (sinks).
  const u = new Float64Array(n1);
  const v = new Float64Array(n2);
  for (let i = 0; i < n1; i++) u[i] = -pi[i]!;
  for (let j = 0; j < n2; j++) v[j] = pi[n1 + j]!;
  return { flow: out, u, v, cost: total, iterations, status };
}
