// Automatic stiff/non-stiff switching in the spirit of LSODA (Petzold 1983) with Hairer's dopri5 stiffness test:
// integrate with Tsit5 while h·ρ stays inside its stability region; after 15 steps with h·ρ > 2.5 (ρ from the last
// two stages, Hairer–Wanner II §IV.2) switch to Rodas4; switch back once h·ρ(J) (power iteration on the Jacobian)
// has stayed below 1.5 — well inside the explicit stability region — for 20 consecutive steps.
import { RkStepper } from "../explicit/rk-stepper.js";
import { tsit5 } from "../explicit/tsit5.js";
import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Segment, Stepper } from "../stepper.js";
import type { JacFunction } from "../types.js";
import { Rodas4 } from "./rodas4.js";

// A stability-limited Tsit5 run settles at h·ρ ≈ 2.6–3.5 (its real stability boundary is about −3.5, and the
// indicator is an estimate), so stiffness is flagged above 2.5 rather than dopri5's 3.25.
const STIFF = 2.5;

export class AutoSwitch implements Stepper {
  readonly adaptive = true;
  private readonly explicit: RkStepper;
  private readonly stiffStepper: Rodas4;
  private active: Stepper;
  private last: Stepper;
  private stiffCount = 0;
  private nonStiffCount = 0;
  /** Number of switches made (diagnostic). */
  switches = 0;

  constructor(rhs: Rhs<any>, norm: ErrorNorm, jac: JacFunction<any> | undefined, args: unknown) {
    this.explicit = new RkStepper(tsit5, rhs, norm);
    this.stiffStepper = new Rodas4(rhs, norm, jac, args);
    this.stiffStepper.wantStiffness = true;
    this.active = this.explicit;
    this.last = this.explicit;
  }

  get name(): string {
    return this.last.name;
  }
  get errExponent(): number {
    return this.active.errExponent;
  }
  get y1(): Float64Array {
    return this.last.y1;
  }
  get f1(): Float64Array {
    return this.last.f1;
  }
  get stiffness(): number {
    return this.last.stiffness;
  }
  get njev(): number {
    return this.stiffStepper.njev;
  }
  get nlu(): number {
    return this.stiffStepper.nlu;
  }

  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number {
    return this.active.attempt(t, y, f0, h);
  }

  accept(): void {
    const a = this.active;
    a.accept();
    this.last = a;
    const s = a.stiffness;
    if (a === this.explicit) {
      if (s > STIFF) {
        this.nonStiffCount = 0;
        if (++this.stiffCount >= 15) this.switchTo(this.stiffStepper);
      } else if (++this.nonStiffCount >= 6) {
        this.stiffCount = 0;
      }
    } else if (s < 1.5) {
      if (++this.nonStiffCount >= 20) this.switchTo(this.explicit);
    } else {
      this.nonStiffCount = 0;
    }
  }

  private switchTo(s: Stepper): void {
    this.active = s;
    this.stiffCount = 0;
    this.nonStiffCount = 0;
    this.switches++;
    if (s === this.stiffStepper) this.stiffStepper.invalidate();
  }

  interpolate(theta: number, out: Float64Array): void {
    this.last.interpolate(theta, out);
  }

  segment(): Segment {
    return this.last.segment();
  }
}
