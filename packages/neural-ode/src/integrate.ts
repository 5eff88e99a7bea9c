// The integration driver shared by every one-step method: step acceptance, PI control, tEval output, events, dense
// output, per-step internals, statistics and failure reporting (never a hang: maxSteps and step-size underflow).
import { crosses, illinois } from "./events.js";
import type { ErrorNorm } from "./internal/error-norm.js";
import { OdeFailure, type Rhs } from "./internal/rhs.js";
import { initialStep, PiController } from "./step-control.js";
import type { Segment, Stepper } from "./stepper.js";
import type { DenseSolution, EventRecord, OdeEvent, SolveIvpResult, SolveStats } from "./types.js";

export interface DriverOptions {
  tEval?: Float64Array;
  denseOutput: boolean;
  events: OdeEvent<any>[];
  args: unknown;
  maxSteps: number;
  h0?: number;
  fixedH?: number;
  maxStep: number;
  internals: boolean;
  /** Extra counters owned by implicit steppers. */
  counters?: () => { njev: number; nlu: number };
}

export function integrate(
  rhs: Rhs<any>,
  stepper: Stepper,
  norm: ErrorNorm,
  t0: number,
  t1: number,
  y0: Float64Array,
  o: DriverOptions,
): SolveIvpResult {
  const n = y0.length;
  const dir = t1 > t0 ? 1 : -1;
  const span = Math.abs(t1 - t0);
  const out = new OutputBuffer(n);

  const segments: Segment[] = [];
  const evRecords: EventRecord[][] = o.events.map(() => []);
  const rec = o.internals
    ? { t: [] as number[], h: [] as number[], e: [] as number[], s: [] as number[], m: [] as string[] }
    : null;
  const stats: SolveStats = { nfev: 0, njev: 0, nlu: 0, accepted: 0, rejected: 0 };
  let y = y0.slice();
  const f0 = new Float64Array(n);
  let t = t0;
  let status: 0 | 1 | -1 = 0;
  let message = "The solver successfully reached the end of the integration interval.";
  let failure: { t: number; y: Float64Array } | undefined;
  const tEval = o.tEval;
  let iEval = 0;
  const fixed = o.fixedH !== undefined || !stepper.adaptive;
  if (!tEval) {
    out.push(t0, y);
  } else {
    while (iEval < tEval.length && tEval[iEval] === t0) {
      out.push(t0, y);
      iEval++;
    }
  }
  const scratch = new Float64Array(n);
  const ctrl = new PiController();
  try {
    rhs.eval(t, y, f0);
    let gPrev = evalEvents(o.events, t, y, o.args);
    let h: number;
    if (fixed) {
      const fh = o.fixedH ?? o.h0;
      if (fh === undefined) throw new OdeFailure(`method "${stepper.name}" is fixed-step: pass options.h`, t, y);
      h = Math.min(Math.abs(fh), span);
    } else {
      h = o.h0 !== undefined ? Math.abs(o.h0) : initialStep(rhs, norm, t, y, f0, dir, stepper.errExponent - 1, span);
    }
    h = Math.min(h, o.maxStep);
    let afterReject = false;
    let steps = 0;
    while (dir * (t1 - t) > 0) {
      if (steps >= o.maxSteps) {
        status = -1;
        message = `maxSteps (${o.maxSteps}) reached at t=${t} before t1=${t1}`;
        failure = { t, y: y.slice() };
        break;
      }
      steps++;
      // Do not leave a sliver of the interval for the last step.
      let hs = h;
      const rest = Math.abs(t1 - t);
      if (hs >= rest || (!fixed && 1.1 * hs >= rest)) hs = rest;
      const minH = 16 * Number.EPSILON * Math.max(Math.abs(t), 1e-300);
      if (hs < minH) {
        status = -1;
        message = `step size underflow (h=${hs}) at t=${t}`;
        failure = { t, y: y.slice() };
        break;
      }
      const tNew = hs === rest ? t1 : t + dir * hs;
      const hSigned = tNew - t;
      const err = stepper.attempt(t, y, f0, hSigned);
      if (!fixed && !(err <= 1)) {
        stats.rejected++;
        h = hs * (Number.isFinite(err) ? ctrl.rejected(err, stepper.errExponent) : 0.25);
        afterReject = true;
        continue;
      }
      stepper.accept();
      stats.accepted++;
      if (rec) {
        rec.t.push(t);
        rec.h.push(hSigned);
        rec.e.push(err);
        rec.s.push(stepper.stiffness);
        rec.m.push(stepper.name);
      }
      // Events on this step.
      let stopAt = Number.NaN;
      if (o.events.length) {
        const y1 = stepper.y1;
        const gNew = evalEvents(o.events, tNew, y1, o.args);
        const found = locateEvents(o.events, stepper, o.args, t, hSigned, gPrev, gNew, scratch);
        found.sort((a, b) => a.theta - b.theta);
        for (const { i, theta } of found) {
          if (theta > stopAt) break;
          const ye = new Float64Array(n);
          stepper.interpolate(theta, ye);
          const te = theta === 1 ? tNew : t + theta * hSigned;
          evRecords[i]!.push({ index: i, t: te, y: ye });
          if (o.events[i]!.terminal) stopAt = theta;
        }
        gPrev = gNew;
      }
      const stopT = Number.isNaN(stopAt) ? tNew : stopAt === 1 ? tNew : t + stopAt * hSigned;
      if (tEval) {
        while (iEval < tEval.length && dir * (tEval[iEval]! - stopT) <= 0) {
          const te = tEval[iEval]!;
          if (te === tNew) scratch.set(stepper.y1);
          else stepper.interpolate((te - t) / hSigned, scratch);
          out.push(te, scratch);
          iEval++;
        }
      }
      if (o.denseOutput) segments.push(stepper.segment());
      if (!Number.isNaN(stopAt)) {
        const ys = new Float64Array(n);
        if (stopAt === 1) ys.set(stepper.y1);
        else stepper.interpolate(stopAt, ys);
        if (!tEval) out.push(stopT, ys);
        t = stopT;
        y = ys;
        status = 1;
        message = "A termination event occurred.";
        break;
      }
      if (!tEval) out.push(tNew, stepper.y1);
      t = tNew;
      y.set(stepper.y1);
      f0.set(stepper.f1);
      if (!fixed) {
        h = Math.min(hs * ctrl.accepted(err, afterReject, stepper.errExponent), o.maxStep);
        afterReject = false;
      }
    }
  } catch (e) {
    if (!(e instanceof OdeFailure)) throw e;
    status = -1;
    message = e.message;
    failure = { t: e.t, y: e.y };
  }
  stats.nfev = rhs.nfev;
  if (o.counters) {
    const c = o.counters();
    stats.njev = c.njev;
    stats.nlu = c.nlu;
  }
  const nt = out.count;
  const yOut = new Float64Array(n * nt);
  const buf = out.buf;
  for (let j = 0; j < nt; j++) for (let i = 0; i < n; i++) yOut[i * nt + j] = buf[j * n + i]!;
  const result: SolveIvpResult = {
    t: out.times.slice(0, nt),
    y: yOut,
    n,
    yEnd: y.slice(),
    status,
    message,
    success: status >= 0,
    stats,
  };
  if (o.events.length) result.events = evRecords;
  if (failure) result.failure = failure;
  if (rec) {
    result.internals = {
      t: Float64Array.from(rec.t),
      h: Float64Array.from(rec.h),
      error: Float64Array.from(rec.e),
      stiffness: Float64Array.from(rec.s),
      method: rec.m,
    };
  }
  if (o.denseOutput) result.sol = denseSolution(segments, t0, t, n);
  return result;
}

/** Output times and states in growable typed buffers (a typed array per step would cost more than the step). */
class OutputBuffer {
  buf: Float64Array;
  times: Float64Array;
  count = 0;
  constructor(readonly n: number) {
    this.buf = new Float64Array(n * 64);
    this.times = new Float64Array(64);
  }
  push(t: number, v: Float64Array): void {
    const n = this.n;
    if (this.count === this.times.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
      const ts = new Float64Array(this.times.length * 2);
      ts.set(this.times);
      this.times = ts;
    }
    const off = this.count * n;
    for (let i = 0; i < n; i++) this.buf[off + i] = v[i]!;
    this.times[this.count++] = t;
  }
}

// Helpers live outside integrate(): a closure over the loop's doubles would box them on every step.
function evalEvents(events: OdeEvent<any>[], t: number, y: Float64Array, args: unknown): number[] {
  const g: number[] = [];
  for (const ev of events) g.push(ev(t, y, args));
  return g;
}

/** Sign changes of the event functions over one step, refined on the step's interpolant; sorted by θ. */
function locateEvents(
  events: OdeEvent<any>[],
  stepper: Stepper,
  args: unknown,
  t: number,
  h: number,
  gPrev: number[],
  gNew: number[],
  scratch: Float64Array,
): { i: number; theta: number }[] {
  const found: { i: number; theta: number }[] = [];
  const tEnd = t + h;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i]!;
    const g0 = gPrev[i]!;
    const g1 = gNew[i]!;
    if (!crosses(ev, g0, g1)) continue;
    const phi = (th: number) => {
      stepper.interpolate(th, scratch);
      return ev(t + th * h, scratch, args);
    };
    const theta =
      g1 === 0 ? 1 : illinois(phi, g0, g1, (4 * Number.EPSILON * Math.max(Math.abs(tEnd), 1)) / Math.abs(h));
    found.push({ i, theta });
  }
  return found;
}

function denseSolution(segments: Segment[], t0: number, tEnd: number, n: number): DenseSolution {
  const starts = segments.map((s) => s.t0);
  const dir = tEnd >= t0 ? 1 : -1;
  const sol = ((tq: number) => {
    const out = new Float64Array(n);
    if (segments.length === 0) return out.fill(Number.NaN);
    // binary search for the last segment whose start is at or before tq (in the direction of integration)
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dir * (starts[mid]! - tq) <= 0) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo]!;
    s.interpolate((tq - s.t0) / s.h, out);
    return out;
  }) as DenseSolution;
  sol.tMin = Math.min(t0, tEnd);
  sol.tMax = Math.max(t0, tEnd);
  return sol;
}
