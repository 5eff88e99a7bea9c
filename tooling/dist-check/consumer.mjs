// Consumer test (issue #11): `pnpm pack` every public package, then for each one create a project
// OUTSIDE the workspace, install only that package plus the @x packages it really depends on (from the
// tarballs) and run a small ESM script and a CJS script against it. Proves "install only what you need".
// Run after `pnpm build`:  node tooling/dist-check/consumer.mjs [@x/ot ...]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SNIPPETS } from "./snippets.mjs";

const root = resolve(import.meta.dirname, "../..");
const pkgs = new Map();
for (const d of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", d);
  const pj = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!pj.private) pkgs.set(pj.name, { dir, pj });
}
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : [...pkgs.keys()];
const work = mkdtempSync(join(tmpdir(), "x-consumer-"));
const tarDir = join(work, "tarballs");
mkdirSync(tarDir);
const tarball = new Map();
for (const [name, { dir, pj }] of pkgs) {
  execFileSync("pnpm", ["pack", "--pack-destination", tarDir], { cwd: dir, stdio: "ignore" });
  const file = readdirSync(tarDir).find((f) => f === `${name.slice(1).replace("/", "-")}-${pj.version}.tgz`);
  if (!file) throw new Error(`pnpm pack produced no tarball for ${name}`);
  tarball.set(name, join(tarDir, file));
}

/** The package and every @x package it depends on at run time (dependencies, not devDependencies). */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(pkgs.get(name).pj.dependencies ?? {})) if (pkgs.has(dep)) closure(dep, seen);
  return seen;
}

let failed = 0;
for (const name of wanted) {
  const snippet = SNIPPETS[name];
  if (!snippet) throw new Error(`no consumer snippet for ${name}: add one to tooling/dist-check/snippets.mjs`);
  const proj = join(work, name.replace("/", "__"));
  mkdirSync(proj);
  const deps = [...closure(name)];
  writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }));
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...deps.map((d) => tarball.get(d))],
    { cwd: proj, stdio: "inherit" },
  );
  const installed = readdirSync(join(proj, "node_modules", "@x"));
  writeFileSync(join(proj, "esm.mjs"), `import * as T from "@x/tensor";\nimport * as P from "${name}";\n${snippet}\n`);
  writeFileSync(join(proj, "cjs.cjs"), `const T = require("@x/tensor");\nconst P = require("${name}");\n${snippet}\n`);
  for (const script of ["esm.mjs", "cjs.cjs"]) {
    try {
      const out = execFileSync("node", [script], { cwd: proj, encoding: "utf8" }).trim();
      console.log(`ok   ${name} (${script}; installed @x/${installed.join(", @x/")}): ${out}`);
    } catch (e) {
      failed++;
      console.error(`FAIL ${name} (${script}): ${e.stderr ?? e.message}`);
    }
  }
}
rmSync(work, { recursive: true, force: true });
if (failed) {
  console.error(`${failed} consumer script(s) failed`);
  process.exit(1);
}
