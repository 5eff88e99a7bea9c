// Dispatch of a kernel on the active backend, with a noticed fallback to cpu for missing kernels.
import { getBackend, getKernel, noticeFallback } from "./backend.js";
import { UnsupportedError } from "./errors.js";
import { Tensor } from "./tensor.js";

function moveTo(t: Tensor, backendName: string): Tensor {
  if (t._backend === backendName) return t;
  const values = getBackend(t._backend).read(t._storage, t.size);
  return new Tensor(t.shape, getBackend(backendName).write(values), backendName);
}

export function runKernel(name: string, inputs: Tensor[], attrs: Record<string, unknown> = {}): Tensor {
  const backend = getBackend();
  let target = backend.name;
  let k = getKernel(name, target);
  if (!k) {
    k = getKernel(name, "cpu");
    if (!k) throw new UnsupportedError(`no kernel "${name}" on backend "${target}" or cpu`);
    noticeFallback(target, name);
    target = "cpu";
  }
  const args = inputs.map((t) => moveTo(t, target));
  return k(args, attrs);
}
