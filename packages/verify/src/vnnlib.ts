// VNN-LIB 1.0 reader (https://www.vnnlib.org, an SMT-LIB 2 subset). The asserts describe the UNSAFE set: the property is
// violated ("sat") iff some input in the box maps to an output satisfying them. The formula is normalised to a
// disjunction of specs, each an input box plus output constraints C y ≤ d (strict < is read as ≤, as in VNN-COMP).
import { ParseError, UnsupportedError } from "@x/tensor";

export interface VnnSpec {
  /** input box */
  lower: Float64Array;
  upper: Float64Array;
  /** rows × outputSize, row-major; the unsafe set of this spec is { y : C y ≤ d } */
  C: Float64Array;
  d: Float64Array;
  rows: number;
}

export interface VnnProperty {
  inputSize: number;
  outputSize: number;
  /** unsafe iff ANY spec has a point x in its box with C f(x) ≤ d */
  specs: VnnSpec[];
}

interface Token {
  text: string;
  line: number;
  column: number;
}
type SExpr = { atom: Token } | { list: SExpr[]; at: Token };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\n") {
      line++;
      column = 1;
      i++;
    } else if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      column++;
    } else if (ch === ";") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "(" || ch === ")") {
      out.push({ text: ch, line, column });
      i++;
      column++;
    } else {
      const start = i;
      while (i < text.length && !/[\s();]/.test(text[i]!)) i++;
      out.push({ text: text.slice(start, i), line, column });
      column += i - start;
    }
  }
  return out;
}

function parseSExprs(tokens: Token[]): SExpr[] {
  const top: SExpr[] = [];
  const stack: { list: SExpr[]; at: Token }[] = [];
  for (const t of tokens) {
    if (t.text === "(") stack.push({ list: [], at: t });
    else if (t.text === ")") {
      const done = stack.pop();
      if (!done) throw new ParseError("vnnlib: unexpected ')'", t.line, t.column);
      (stack.length ? stack.at(-1)!.list : top).push(done);
    } else (stack.length ? stack.at(-1)!.list : top).push({ atom: t });
  }
  if (stack.length) {
    const open = stack.at(-1)!.at;
    throw new ParseError("vnnlib: unclosed '(' (file ends inside this expression)", open.line, open.column);
  }
  return top;
}

const where = (e: SExpr): Token => ("atom" in e ? e.atom : e.at);
const fail = (e: SExpr, msg: string): never => {
  const t = where(e);
  throw new ParseError(`vnnlib: ${msg}`, t.line, t.column);
};

/** SMT-LIB numerals/decimals/#x/#b, plus the common non-standard forms -1.5 and 1e-3. */
function parseNumber(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^#x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^#b[01]+$/.test(text)) return Number.parseInt(text.slice(2), 2);
  return undefined;
}

/** Linear form: Σ coef·var + constant, variables keyed "X_i"/"Y_j". */
interface Lin {
  coef: Map<string, number>;
  c: number;
}

function linScale(a: Lin, s: number): Lin {
  return { coef: new Map([...a.coef].map(([k, v]) => [k, v * s])), c: a.c * s };
}
function linAdd(a: Lin, b: Lin): Lin {
  const coef = new Map(a.coef);
  for (const [k, v] of b.coef) coef.set(k, (coef.get(k) ?? 0) + v);
  return { coef, c: a.c + b.c };
}

type Atom = Lin; // means Lin ≤ 0
type Dnf = Atom[][];

export function parseVnnlib(text: string): VnnProperty {
  if (typeof text !== "string") throw new ParseError("parseVnnlib: text must be a string");
  const exprs = parseSExprs(tokenize(text));
  const declared = new Set<string>();
  let dnf: Dnf = [[]];

  const term = (e: SExpr): Lin => {
    if ("atom" in e) {
      const n = parseNumber(e.atom.text);
      if (n !== undefined) return { coef: new Map(), c: n };
      if (!declared.has(e.atom.text)) fail(e, `undeclared variable '${e.atom.text}'`);
      return { coef: new Map([[e.atom.text, 1]]), c: 0 };
    }
    const [head, ...args] = e.list;
    const op = head && "atom" in head ? head.atom.text : fail(e, "expected an operator");
    if (op === "-" && args.length === 1) return linScale(term(args[0]!), -1);
    if ((op === "-" || op === "+") && args.length >= 2) {
      let acc = term(args[0]!);
      for (const a of args.slice(1)) acc = linAdd(acc, op === "-" ? linScale(term(a), -1) : term(a));
      return acc;
    }
    if (op === "*" && args.length >= 2) {
      let acc = term(args[0]!);
      for (const a of args.slice(1)) {
        const t = term(a);
        if (acc.coef.size === 0) acc = linScale(t, acc.c);
        else if (t.coef.size === 0) acc = linScale(acc, t.c);
        else fail(a, "non-linear product of two variables");
      }
      return acc;
    }
    if (op === "/" && args.length === 2) {
      const den = term(args[1]!);
      if (den.coef.size !== 0 || den.c === 0) fail(args[1]!, "division by a variable or zero");
      return linScale(term(args[0]!), 1 / den.c);
    }
    return fail(e, `unsupported term operator '${op}'`);
  };

  const formula = (e: SExpr): Dnf => {
    if ("atom" in e) {
      if (e.atom.text === "true") return [[]];
      if (e.atom.text === "false") return [];
      return fail(e, `expected a formula, found '${e.atom.text}'`);
    }
    const [head, ...args] = e.list;
    const op = head && "atom" in head ? head.atom.text : fail(e, "expected an operator");
    if (op === "and") {
      let acc: Dnf = [[]];
      for (const a of args) {
        const f = formula(a);
        const next: Dnf = [];
        for (const x of acc) for (const y of f) next.push([...x, ...y]);
        acc = next;
      }
      return acc;
    }
    if (op === "or") return args.flatMap(formula);
    if (op === "<=" || op === ">=" || op === "<" || op === ">" || op === "=") {
      if (args.length < 2) fail(e, `'${op}' needs at least two arguments`);
      const ts = args.map(term);
      const atoms: Atom[] = [];
      for (let i = 0; i + 1 < ts.length; i++) {
        const diff = linAdd(ts[i]!, linScale(ts[i + 1]!, -1)); // a - b
        if (op === "<=" || op === "<") atoms.push(diff);
        else if (op === ">=" || op === ">") atoms.push(linScale(diff, -1));
        else atoms.push(diff, linScale(diff, -1));
      }
      return [atoms];
    }
    return fail(e, `unsupported formula operator '${op}'`);
  };

  for (const e of exprs) {
    if ("atom" in e) fail(e, `unexpected token '${e.atom.text}' at top level`);
    const list = (e as { list: SExpr[] }).list;
    const head = list[0];
    const cmd = head && "atom" in head ? head.atom.text : fail(e, "expected a command");
    if (cmd === "declare-const") {
      const name = list[1];
      const sort = list[2];
      if (!name || !("atom" in name) || !sort || !("atom" in sort) || list.length !== 3)
        fail(e, "expected (declare-const NAME Real)");
      const n = (name as { atom: Token }).atom.text;
      if ((sort as { atom: Token }).atom.text !== "Real")
        fail(sort!, `unsupported sort '${(sort as { atom: Token }).atom.text}' (only Real)`);
      if (!/^[XY]_\d+$/.test(n)) fail(name!, `variable '${n}' must be named X_i or Y_j`);
      if (declared.has(n)) fail(name!, `variable '${n}' declared twice`);
      declared.add(n);
    } else if (cmd === "assert") {
      if (list.length !== 2) fail(e, "assert takes exactly one formula");
      const f = formula(list[1]!);
      const next: Dnf = [];
      for (const x of dnf) for (const y of f) next.push([...x, ...y]);
      dnf = next;
      if (dnf.length > 100000) fail(e, "the disjunctive normal form has more than 100000 terms");
    } else if (
      cmd === "check-sat" ||
      cmd === "get-model" ||
      cmd === "set-logic" ||
      cmd === "set-info" ||
      cmd === "exit"
    ) {
      // accepted and ignored
    } else fail(e, `unsupported command '${cmd}'`);
  }
  const count = (p: string) => {
    let n = 0;
    while (declared.has(`${p}_${n}`)) n++;
    const total = [...declared].filter((v) => v.startsWith(`${p}_`)).length;
    if (total !== n)
      throw new ParseError(`vnnlib: ${p} variables must be numbered ${p}_0 … ${p}_${total - 1} without gaps`);
    return n;
  };
  const inputSize = count("X");
  const outputSize = count("Y");
  if (inputSize === 0 || outputSize === 0)
    throw new ParseError("vnnlib: the property must declare X_0… and Y_0… variables");
  const specs: VnnSpec[] = [];
  for (const conj of dnf) {
    const lower = new Float64Array(inputSize).fill(Number.NEGATIVE_INFINITY);
    const upper = new Float64Array(inputSize).fill(Number.POSITIVE_INFINITY);
    const rows: { c: Float64Array; d: number }[] = [];
    for (const a of conj) {
      const vars = [...a.coef].filter(([, v]) => v !== 0);
      const xs = vars.filter(([k]) => k.startsWith("X_"));
      const ys = vars.filter(([k]) => k.startsWith("Y_"));
      if (xs.length && ys.length)
        throw new UnsupportedError("vnnlib: constraints mixing X and Y variables are not supported");
      if (xs.length > 1)
        throw new UnsupportedError("vnnlib: linear constraints over several inputs are not supported (only boxes)");
      if (xs.length === 1) {
        const [name, k] = xs[0]!;
        const i = Number(name.slice(2));
        const bound = -a.c / k; // k x + c ≤ 0
        if (k > 0) upper[i] = Math.min(upper[i]!, bound);
        else lower[i] = Math.max(lower[i]!, bound);
      } else if (ys.length) {
        const c = new Float64Array(outputSize);
        for (const [name, k] of ys) c[Number(name.slice(2))] = k;
        rows.push({ c, d: -a.c });
      } else if (a.c > 0) rows.push({ c: new Float64Array(outputSize), d: -a.c }); // constant-false atom
    }
    for (let i = 0; i < inputSize; i++) {
      if (!Number.isFinite(lower[i]!) || !Number.isFinite(upper[i]!)) {
        throw new ParseError(`vnnlib: input X_${i} is not bounded on both sides in every disjunct`);
      }
    }
    if ([...lower].some((l, i) => l > upper[i]!)) continue; // empty box: this disjunct cannot be violated
    const C = new Float64Array(rows.length * outputSize);
    rows.forEach((r, i) => C.set(r.c, i * outputSize));
    specs.push({ lower, upper, C, d: Float64Array.from(rows.map((r) => r.d)), rows: rows.length });
  }
  return { inputSize, outputSize, specs };
}
