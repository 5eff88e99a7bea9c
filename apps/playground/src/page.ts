// What a playground page declares: its controls, and how to draw the worker's result.

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export type Control =
  | { kind: "range"; key: string; label: string; min: number; max: number; step: number; value: number; log?: boolean }
  | { kind: "select"; key: string; label: string; options: string[]; value: string }
  | { kind: "checkbox"; key: string; label: string; value: boolean };

/** One number shown under the plot; tests read `data-key` / `data-value`. */
export interface Summary {
  key: string;
  label: string;
  value: number | string;
  /** Display text (default: the value, numbers to 6 significant digits). */
  text?: string;
}

export interface PageDef {
  id: string;
  title: string;
  /** The package the page shows, e.g. "@x/linalg". */
  pkg: string;
  blurb: string;
  controls: Control[];
  /** Draws the result into `el` (Observable Plot figures) and returns the numbers to list. */
  render(data: unknown, params: Params, el: HTMLElement): Summary[];
}

/** A range control's value as the number the computation uses (10^v for log sliders). */
export function rangeValue(c: Extract<Control, { kind: "range" }>, raw: number): number {
  return c.log ? 10 ** raw : raw;
}

export function fmt(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
}
