// Leafwise arithmetic on pytrees of float64 Tensors for the optax-style optimisers: each leaf's
// data is combined as Float64Arrays, so an update costs no autodiff graph.
import { fromData, type PyTree, ShapeError, type Tensor, treeFlatten } from "@x/tensor";

/** Applies f to the matching leaves of trees (same structure and shapes) and rebuilds the first tree. */
export function leafwise(what: string, f: (...leaves: Float64Array[]) => Float64Array, ...trees: PyTree[]): PyTree {
  const flats = trees.map((t, i) => treeFlatten(t, `${what}: argument ${i}`));
  const first = flats[0]!;
  for (let i = 1; i < flats.length; i++) {
    const ls = flats[i]!.leaves;
    if (ls.length !== first.leaves.length) {
      throw new ShapeError(`${what}: argument ${i} has ${ls.length} leaves, expected ${first.leaves.length}`);
    }
    ls.forEach((l, k) => {
      if (l.size !== first.leaves[k]!.size) {
        throw new ShapeError(
          `${what}: argument ${i} leaf ${k} has ${l.size} entries, expected ${first.leaves[k]!.size}`,
        );
      }
    });
  }
  const out = first.leaves.map((l: Tensor, k) =>
    fromData(f(...flats.map((fl) => fl.leaves[k]!.data)), l.shape as number[]),
  );
  return first.unflatten(out);
}

export function zerosLike(tree: PyTree): PyTree {
  return leafwise("zerosLike", (a) => new Float64Array(a.length), tree);
}

/** params + updates, leaf by leaf (optax.apply_updates). */
export function applyUpdates(params: PyTree, updates: PyTree): PyTree {
  return leafwise(
    "applyUpdates",
    (p, u) => {
      const o = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) o[i] = p[i]! + u[i]!;
      return o;
    },
    params,
    updates,
  );
}

/** Σ over all leaves of f(leaf entries) — used for global norms. */
export function treeSum(tree: PyTree, f: (v: number) => number): number {
  let s = 0;
  for (const l of treeFlatten(tree, "tree").leaves) for (let i = 0; i < l.size; i++) s += f(l.data[i]!);
  return s;
}
