// Release dry run (issue #11): in a throw-away copy of the workspace manifests, add one sample
// changeset (a patch of the package given, default @x/linalg) and run `changeset version`. Checks that
// versions are independent: the touched package is bumped, its @x dependents get a patch bump for the
// updated dependency range, and every other package keeps its version. The real repo is never touched.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const target = process.argv[2] ?? "@x/linalg";
const work = mkdtempSync(join(tmpdir(), "x-release-"));
for (const f of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, f), join(work, f));
mkdirSync(join(work, ".changeset"));
cpSync(join(root, ".changeset/config.json"), join(work, ".changeset/config.json"));
symlinkSync(join(root, "node_modules"), join(work, "node_modules"), "dir");
const before = new Map();
for (const group of ["packages", "apps", "tooling"]) {
  for (const d of readdirSync(join(root, group))) {
    const pj = join(root, group, d, "package.json");
    if (!existsSync(pj)) continue;
    mkdirSync(join(work, group, d), { recursive: true });
    cpSync(pj, join(work, group, d, "package.json"));
    const json = JSON.parse(readFileSync(pj, "utf8"));
    before.set(json.name, { path: join(work, group, d, "package.json"), json });
  }
}
if (!before.has(target)) throw new Error(`unknown package ${target}`);
writeFileSync(
  join(work, ".changeset/sample.md"),
  `---\n"${target}": patch\n---\n\nSample change for the release dry run.\n`,
);
execFileSync("git", ["init", "-q"], { cwd: work });
execFileSync(join(root, "node_modules/.bin/changeset"), ["version"], { cwd: work, stdio: "ignore" });

const bump = (v) => v.replace(/(\d+)$/, (m) => String(Number(m) + 1));
// Dependents, transitively: a bumped package bumps the range its dependents declare.
const dependents = new Set();
for (let grew = true; grew; ) {
  grew = false;
  for (const { json } of before.values()) {
    if (json.private || dependents.has(json.name)) continue;
    const deps = Object.keys(json.dependencies ?? {});
    if (deps.includes(target) || deps.some((d) => dependents.has(d))) {
      dependents.add(json.name);
      grew = true;
    }
  }
}
let bad = 0;
for (const [name, { path, json }] of before) {
  const after = JSON.parse(readFileSync(path, "utf8")).version;
  const expected = json.private
    ? json.version
    : name === target || dependents.has(name)
      ? bump(json.version)
      : json.version;
  const ok = after === expected;
  if (!ok) bad++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name.padEnd(20)} ${json.version} -> ${after} (expected ${expected})`);
}
const log = join(before.get(target).path, "..", "CHANGELOG.md");
if (!existsSync(log) || !readFileSync(log, "utf8").includes("Sample change")) {
  bad++;
  console.log(`FAIL no CHANGELOG.md entry for ${target}`);
}
rmSync(work, { recursive: true, force: true });
if (bad) process.exit(1);
console.log(`release dry run: only ${target} and its dependents were bumped; CHANGELOG written`);
