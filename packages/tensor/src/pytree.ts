// Pytrees: nested arrays and plain objects whose leaves are tensors (or numbers, promoted to
// scalar tensors). Transforms and optimisers flatten them to a list of leaves and back.
import { DTypeError } from "./errors.js";
import { asTensor, Tensor } from "./tensor.js";

export type PyTree = Tensor | number | readonly PyTree[] | { readonly [key: string]: PyTree };

export interface Flat {
  leaves: Tensor[];
  unflatten(leaves: readonly Tensor[]): PyTree;
}

function isPlainObject(x: unknown): x is Record<string, PyTree> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Leaves in a fixed order (arrays by index, objects by sorted key) and the inverse map. */
export function treeFlatten(tree: unknown, argName = "tree"): Flat {
  const leaves: Tensor[] = [];
  const build = (x: unknown, path: string): ((ls: readonly Tensor[], k: { i: number }) => PyTree) => {
    if (x instanceof Tensor || typeof x === "number" || ArrayBuffer.isView(x)) {
      leaves.push(asTensor(x as Tensor, path));
      return (ls, k) => ls[k.i++]!;
    }
    if (Array.isArray(x)) {
      const parts = x.map((v, i) => build(v, `${path}[${i}]`));
      return (ls, k) => parts.map((p) => p(ls, k));
    }
    if (isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      const parts = keys.map((key) => build(x[key], `${path}.${key}`));
      return (ls, k) => Object.fromEntries(keys.map((key, j) => [key, parts[j]!(ls, k)]));
    }
    throw new DTypeError(
      `${path}: expected a Tensor, number, array or plain object, got ${x === null ? "null" : typeof x}`,
    );
  };
  const rebuild = build(tree, argName);
  return { leaves, unflatten: (ls) => rebuild(ls, { i: 0 }) };
}

/** Applies `f` leafwise over trees of identical structure. */
export function treeMap(f: (...leaves: Tensor[]) => Tensor, tree: PyTree, ...rest: PyTree[]): PyTree {
  const flat = treeFlatten(tree);
  const others = rest.map((r, i) => treeFlatten(r, `rest[${i}]`).leaves);
  for (const [i, o] of others.entries()) {
    if (o.length !== flat.leaves.length) {
      throw new DTypeError(`treeMap: rest[${i}] has ${o.length} leaves, expected ${flat.leaves.length}`);
    }
  }
  return flat.unflatten(flat.leaves.map((l, j) => f(l, ...others.map((o) => o[j]!))));
}

export const treeLeaves = (tree: PyTree): Tensor[] => treeFlatten(tree).leaves;
