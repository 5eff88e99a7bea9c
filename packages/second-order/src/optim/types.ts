// The optax GradientTransformation contract shared by sgd, adam and adahessian.
import type { PyTree } from "@x/tensor";

export interface UpdateResult<S> {
  /** Add to the parameters with applyUpdates(params, updates). */
  updates: PyTree;
  state: S;
}

export interface GradientTransformation<S, Extra = undefined> {
  init(params: PyTree): S;
  update(grads: PyTree, state: S, params?: PyTree, extra?: Extra): UpdateResult<S>;
}
