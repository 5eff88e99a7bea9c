// Typed errors shared by every @x package. Messages name the argument and what was wrong,
// so a user can fix the call without reading our source.

/** Base class: every error thrown on purpose by @x is an XError. */
export class XError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes do not match, cannot broadcast, or an axis is out of range. */
export class ShapeError extends XError {}

/** A value is not allowed: NaN/Inf where forbidden, negative mass, non-SPD matrix, bad option… */
export class ValueError extends XError {}

/** A value has the wrong type (e.g. non-integer index, unsupported input kind). */
export class DTypeError extends XError {}

/** A file or string could not be parsed; carries the position when known. */
export class ParseError extends XError {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(
      line !== undefined ? `${message} (line ${line}${column !== undefined ? `, column ${column}` : ""})` : message,
    );
  }
}

/** A capability that the active backend or input does not support. */
export class UnsupportedError extends XError {}

/** Throws a ValueError if `data` holds NaN or ±Infinity. */
export function assertFinite(data: ArrayLike<number>, argName: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new ValueError(`${argName} must be finite, found ${v} at flat index ${i}`);
    }
  }
}
