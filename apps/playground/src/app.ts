// The playground shell: navigation, the backend switch and timing readout shown on every page, the
// controls of the current page, and a progress bar with a cancel button for the worker run.
import "./style.css";
import { fmt, type PageDef, type Params, rangeValue } from "./page.js";
import { pages } from "./pages/index.js";
import type { BackendName } from "./protocol.js";
import { CancelledError, Runner } from "./runner.js";

const runner = new Runner();
let backend: BackendName = "cpu";
let current: PageDef | undefined;
let params: Params = {};
let timer: ReturnType<typeof setTimeout> | undefined;
let runs = 0;
// Increments on each run and page change, so a stale run (cancelled or superseded) never touches the page.
let token = 0;

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
};

function setStatus(status: "idle" | "running" | "done" | "error" | "cancelled", text: string): void {
  document.body.dataset.status = status;
  $("#status-text").textContent = text;
  $<HTMLButtonElement>("#cancel").disabled = status !== "running";
}

function buildBackendBar(): void {
  const bar = $("#backend-bar");
  const label = h("label", {}, "backend ");
  const select = h("select", { id: "backend" });
  for (const b of ["cpu", "gpujs"]) select.append(h("option", { value: b }, b));
  select.addEventListener("change", () => {
    backend = (select as HTMLSelectElement).value as BackendName;
    schedule(0);
  });
  label.append(select);
  bar.append(label, h("span", { id: "mode" }, "cpu · float64"), h("span", { id: "timing" }, "—"));
}

function buildNav(): void {
  const nav = $("#nav");
  for (const p of pages) nav.append(h("a", { href: `#${p.id}`, "data-page": p.id }, p.title));
}

/** Route `#page?key=value&…`: the query sets initial control values (raw slider positions), for links and tests. */
function route(): void {
  const [id = "", query = ""] = location.hash.slice(1).split("?");
  showPage(id, new URLSearchParams(query));
}

function showPage(id: string, initial: URLSearchParams): void {
  const page = pages.find((p) => p.id === id) ?? pages[0]!;
  current = page;
  token++;
  // finished runs of this page visit (tests wait on body[data-runs])
  runs = 0;
  document.body.dataset.runs = "0";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#nav a"))
    a.classList.toggle("active", a.dataset.page === page.id);
  const main = $("#page");
  main.replaceChildren();
  main.dataset.page = page.id;
  main.append(h("h2", {}, `${page.title} `), h("p", { class: "blurb" }, page.blurb));
  main.querySelector("h2")!.append(h("code", {}, page.pkg));

  params = {};
  const form = h("form", { id: "controls" });
  form.addEventListener("submit", (e) => e.preventDefault());
  for (const c of page.controls) {
    const wrap = h("label", { class: "control" });
    wrap.append(h("span", { class: "control-label" }, c.label));
    let input: HTMLInputElement | HTMLSelectElement;
    const out = h("output", {});
    const init = initial.get(c.key);
    if (c.kind === "range") {
      const value = init !== null && Number.isFinite(Number(init)) ? init : `${c.value}`;
      input = h("input", { type: "range", min: `${c.min}`, max: `${c.max}`, step: `${c.step}`, value });
      const read = () => {
        const v = rangeValue(c, Number(input.value));
        params[c.key] = v;
        out.textContent = fmt(v, 3);
      };
      read();
      input.addEventListener("input", () => {
        read();
        schedule();
      });
    } else if (c.kind === "select") {
      input = h("select", {});
      for (const o of c.options) input.append(h("option", { value: o }, o));
      input.value = init !== null && c.options.includes(init) ? init : c.value;
      params[c.key] = input.value;
      input.addEventListener("change", () => {
        params[c.key] = input.value;
        schedule();
      });
    } else {
      input = h("input", { type: "checkbox" });
      (input as HTMLInputElement).checked = init === null ? c.value : init === "true";
      params[c.key] = (input as HTMLInputElement).checked;
      input.addEventListener("change", () => {
        params[c.key] = (input as HTMLInputElement).checked;
        schedule();
      });
    }
    input.name = c.key;
    input.id = `ctl-${c.key}`;
    wrap.append(input, out);
    form.append(wrap);
  }
  main.append(form);

  const run = h("div", { class: "run" });
  const cancel = h("button", { id: "cancel", type: "button" }, "Cancel");
  cancel.addEventListener("click", () => runner.cancel());
  const rerun = h("button", { id: "rerun", type: "button" }, "Run again");
  rerun.addEventListener("click", () => schedule(0));
  run.append(h("progress", { id: "progress", max: "1", value: "0" }), h("span", { id: "status-text" }), cancel, rerun);
  main.append(run, h("div", { id: "plot" }), h("dl", { id: "summary" }), h("ul", { id: "notices" }));
  setStatus("idle", "");
  schedule(0);
}

function schedule(delay = 250): void {
  clearTimeout(timer);
  timer = setTimeout(start, delay);
}

async function start(): Promise<void> {
  const page = current!;
  const p = { ...params };
  const mine = ++token;
  const progress = $<HTMLProgressElement>("#progress");
  progress.value = 0;
  setStatus("running", "starting…");
  try {
    const r = await runner.run(page.id, p, backend, (fraction, label) => {
      if (mine !== token) return;
      progress.value = fraction;
      $("#status-text").textContent = label;
    });
    if (mine !== token) return;
    progress.value = 1;
    $("#mode").textContent =
      r.backend !== "cpu"
        ? `gpujs · gpu.js mode ${r.mode} · float${r.precision}`
        : backend === "cpu"
          ? "cpu · float64"
          : "cpu · float64 (this page computes in float64 only)";
    $("#mode").dataset.mode = r.mode;
    $("#timing").textContent = `${fmt(r.ms, 3)} ms`;
    $("#timing").dataset.ms = String(r.ms);
    const plot = $("#plot");
    plot.replaceChildren();
    const summary = page.render(r.data, p, plot);
    const dl = $("#summary");
    dl.replaceChildren();
    for (const s of summary) {
      const row = h("div", { "data-key": s.key, "data-value": String(s.value) });
      row.append(h("dt", {}, s.label), h("dd", {}, s.text ?? (typeof s.value === "number" ? fmt(s.value) : s.value)));
      dl.append(row);
    }
    const notes = $("#notices");
    notes.replaceChildren(...r.notices.map((n) => h("li", {}, n)));
    runs++;
    document.body.dataset.runs = String(runs);
    setStatus("done", `done in ${fmt(r.ms, 3)} ms`);
  } catch (e) {
    if (mine !== token) return;
    if (e instanceof CancelledError) setStatus("cancelled", "cancelled");
    else setStatus("error", String(e instanceof Error ? e.message : e));
  }
}

buildBackendBar();
buildNav();
window.addEventListener("hashchange", route);
route();
