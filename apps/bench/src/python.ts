// Runs a Python peer (NumPy, SciPy, POT) through /usr/bin/python3 when it is installed; the bench
// reports "not installed" otherwise. Output is one JSON object on stdout.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const PY = "/usr/bin/python3";

export function pythonHas(module: string): boolean {
  if (!existsSync(PY)) return false;
  try {
    execFileSync(PY, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function runPython<T>(script: string, env: Record<string, string> = {}): T {
  const out = execFileSync(PY, ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as T;
}
