// Event location: sign changes of g(t, y(t)) between step ends, refined on the dense output by the Illinois variant of
// regula falsi (Dowell & Jarratt 1971), which keeps a bracket and converges superlinearly.
import type { OdeEvent } from "./types.js";

/** Root of φ on [0, 1] given φ(0)=g0, φ(1)=g1 with opposite signs; returns θ. */
export function illinois(phi: (theta: number) => number, g0: number, g1: number, tolTheta: number): number {
  let a = 0;
  let b = 1;
  let fa = g0;
  let fb = g1;
  let side = 0;
  for (let it = 0; it < 100; it++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const fc = phi(c);
    if (fc === 0) return c;
    if (fc * fb < 0) {
      a = b;
      fa = fb;
      b = c;
      fb = fc;
      side = 0;
    } else {
      b = c;
      fb = fc;
      // Illinois: halve the stale end's value when the same end is kept twice, to avoid one-sided convergence.
      if (side === -1) fa /= 2;
      side = -1;
    }
    if (Math.abs(b - a) <= tolTheta) break;
  }
  return b;
}

/** Does the sign change g0 → g1 trigger the event given its direction? */
export function crosses(ev: OdeEvent<any>, g0: number, g1: number): boolean {
  const dir = ev.direction ?? 0;
  const up = g0 < 0 && g1 >= 0;
  const down = g0 > 0 && g1 <= 0;
  return dir > 0 ? up : dir < 0 ? down : up || down;
}
