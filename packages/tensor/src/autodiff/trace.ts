// Level-tagged tracers for nestable forward and reverse mode, after JAX's "Autodidax".
// Every transform opens a trace one level above all live ones; a primitive applied to tracers is
// handled by the highest level present, which sees lower-level tracers as plain values. Rules are
// written with public ops, so the work they do is itself traced by the lower levels — that is what
// makes grad-of-grad, jvp-of-grad (HVP) and closures over outer tracers correct.
import { Tensor, type TraceRef, type VjpNode } from "../tensor.js";

export type Attrs = Record<string, unknown>;
export type Tangent = Tensor | null; // null is a symbolic zero

export interface Primitive {
  readonly name: string;
  /** Forward computation on concrete tensors (normally a kernel call). */
  impl(inputs: Tensor[], attrs: Attrs): Tensor;
  /** Tangent of the output; linear in `tangents`. Absent = not differentiable (zero derivative). */
  jvp?(primals: Tensor[], tangents: Tangent[], out: Tensor, attrs: Attrs): Tangent;
  /** Cotangents of the inputs; `needs[i]` says whether input i wants one. */
  vjp?(g: Tensor, primals: Tensor[], out: Tensor, attrs: Attrs, needs: boolean[]): Tangent[];
  /** Hook for custom rules: output and its tangent in one go (customJvp). */
  jvpFull?(primals: Tensor[], tangents: Tangent[], attrs: Attrs): [Tensor, Tangent];
  /** Hook for custom rules: output and pullback in one go (customVjp). */
  linearize?(primals: Tensor[], attrs: Attrs): [Tensor, (g: Tensor) => Tangent[]];
  /** Used by a trace that has no rule for this primitive: recompute with traced ops. */
  decompose?(inputs: Tensor[], attrs: Attrs): Tensor;
}

export class Trace implements TraceRef {
  active = true;
  constructor(
    readonly level: number,
    readonly kind: "jvp" | "vjp",
  ) {}
}

const stack: Trace[] = [];
let nodeCounter = 0;

/** Runs `fn` inside a new trace of the given kind; the trace dies when fn returns or throws. */
export function withTrace<T>(kind: "jvp" | "vjp", fn: (trace: Trace) => T): T {
  const trace = new Trace(stack.length + 1, kind);
  stack.push(trace);
  try {
    return fn(trace);
  } finally {
    trace.active = false;
    stack.pop();
  }
}

/** A tracer whose trace has ended is just its value (leaked tracers must not capture new work). */
function live(x: Tensor): Tensor {
  let c = x;
  while (c._trace !== undefined && !c._trace.active) c = c._primal!;
  return c;
}

export function jvpTracer(trace: Trace, primal: Tensor, tangent: Tangent): Tensor {
  return new Tensor(primal.shape, undefined, undefined, primal, trace, tangent);
}

export function vjpTracer(trace: Trace, primal: Tensor, node: VjpNode): Tensor {
  return new Tensor(primal.shape, undefined, undefined, primal, trace, null, node);
}

export function newNode(parents: (VjpNode | null)[], pullback: VjpNode["pullback"]): VjpNode {
  return { id: nodeCounter++, parents, pullback };
}

// Shared by every bind without attributes (no rule or kernel writes into attrs).
const NO_ATTRS: Attrs = Object.freeze({});

/** Applies a primitive: straight to the kernel when no tracer is involved (the fast path). */
export function bind(prim: Primitive, inputs: Tensor[], attrs: Attrs = NO_ATTRS): Tensor {
  let top: Trace | undefined;
  let args = inputs;
  for (let i = 0; i < inputs.length; i++) {
    let x = inputs[i]!;
    if (x._level === 0) continue;
    if (!x._trace!.active) {
      x = live(x);
      if (args === inputs) args = inputs.slice();
      args[i] = x;
      if (x._level === 0) continue;
    }
    if (top === undefined || x._level > top.level) top = x._trace as Trace;
  }
  if (top === undefined) return prim.impl(args, attrs);
  return top.kind === "jvp" ? processJvp(top, prim, args, attrs) : processVjp(top, prim, args, attrs);
}

// Both process* run once per op under a transform: plain loops, no intermediate arrays or closures
// beyond the ones the rule needs (on small vectors this bookkeeping costs as much as the kernel).
function processJvp(trace: Trace, prim: Primitive, inputs: Tensor[], attrs: Attrs): Tensor {
  const L = trace.level;
  if (!prim.jvp && !prim.jvpFull && prim.decompose) return prim.decompose(inputs, attrs);
  const primals: Tensor[] = [];
  const tangents: Tangent[] = [];
  let anyTangent = false;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    const ours = x._level === L;
    primals.push(ours ? x._primal! : x);
    const t = ours ? x._tangent : null;
    tangents.push(t);
    if (t !== null) anyTangent = true;
  }
  if (prim.jvpFull) {
    const [out, t] = prim.jvpFull(primals, tangents, attrs);
    return t === null ? out : jvpTracer(trace, out, t);
  }
  const out = bind(prim, primals, attrs);
  if (!prim.jvp || !anyTangent) return out;
  const t = prim.jvp(primals, tangents, out, attrs);
  return t === null ? out : jvpTracer(trace, out, t);
}

function processVjp(trace: Trace, prim: Primitive, inputs: Tensor[], attrs: Attrs): Tensor {
  const L = trace.level;
  if (!prim.vjp && !prim.linearize && prim.decompose) return prim.decompose(inputs, attrs);
  const primals: Tensor[] = [];
  const parents: (VjpNode | null)[] = [];
  const needs: boolean[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    const ours = x._level === L;
    primals.push(ours ? x._primal! : x);
    parents.push(ours ? x._node! : null);
    needs.push(ours);
  }
  let out: Tensor;
  let pullback: (g: Tensor) => Tangent[];
  if (prim.linearize) {
    [out, pullback] = prim.linearize(primals, attrs);
  } else {
    out = bind(prim, primals, attrs);
    if (!prim.vjp) return out;
    const vjp = prim.vjp;
    pullback = (g) => vjp(g, primals, out, attrs, needs);
  }
  return vjpTracer(trace, out, newNode(parents, pullback));
}

/**
 * Reverse sweep: propagates output cotangents to the given leaf nodes. Node ids increase in
 * creation order, so visiting reachable nodes by decreasing id is a reverse topological order.
 */
export function backward(
  outNodes: (VjpNode | null)[],
  cotangents: Tensor[],
  leaves: VjpNode[],
  add: (a: Tensor, b: Tensor) => Tensor,
): Tangent[] {
  const ct = new Map<VjpNode, Tensor>();
  const accumulate = (n: VjpNode, g: Tensor) => {
    const prev = ct.get(n);
    ct.set(n, prev === undefined ? g : add(prev, g));
  };
  const seen = new Set<VjpNode>();
  const order: VjpNode[] = [];
  const todo: VjpNode[] = [];
  outNodes.forEach((n, i) => {
    if (n === null) return;
    accumulate(n, cotangents[i]!);
    if (!seen.has(n)) {
      seen.add(n);
      todo.push(n);
    }
  });
  while (todo.length > 0) {
    const n = todo.pop()!;
    order.push(n);
    for (const p of n.parents) {
      if (p !== null && !seen.has(p)) {
        seen.add(p);
        todo.push(p);
      }
    }
  }
  order.sort((a, b) => b.id - a.id);
  const leafSet = new Set(leaves);
  for (const n of order) {
    const g = ct.get(n);
    if (g === undefined || n.pullback === null) continue;
    if (!leafSet.has(n)) ct.delete(n);
    const gs = n.pullback(g);
    for (let i = 0; i < n.parents.length; i++) {
      const p = n.parents[i];
      const gi = gs[i];
      if (p && gi) accumulate(p, gi);
    }
  }
  return leaves.map((l) => ct.get(l) ?? null);
}
