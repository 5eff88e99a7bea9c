"""Reference hypergradients for ridge regression on scikit-learn's diabetes data.

Rows 0-299 train, 300-441 validation; y centred by the training mean. Inner problem
  g(w, lam) = 1/2 ||X w - y||^2 + 1/2 sum_j exp(lam_j) w_j^2,
solved by sklearn.linear_model.Ridge(alpha=exp(lam), fit_intercept=False) (same argmin);
outer f(w) = 1/2 ||Xv w - yv||^2.  Hypergradient by the implicit function theorem with SciPy:
  dF/dlam_j = -alpha_j w_j (H^{-1} grad f)_j,  H = X^T X + diag(alpha).
Writes packages/bilevel/test/fixtures/ridge-diabetes.json.
"""
import json
import os

import numpy as np
import scipy.linalg
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

X, y = load_diabetes(return_X_y=True)
Xtr, ytr, Xv, yv = X[:300], y[:300], X[300:442], y[300:442]
mu = ytr.mean()
ytr, yv = ytr - mu, yv - mu


def hyper(lam):
    lam = np.asarray(lam, dtype=float)
    alpha = np.exp(lam) * np.ones(X.shape[1])
    if lam.ndim == 0:
        model = Ridge(alpha=float(np.exp(lam)), fit_intercept=False, solver="cholesky", tol=1e-14)
        model.fit(Xtr, ytr)
        w = model.coef_
    else:
        # sklearn's Ridge takes one alpha per target, not per feature: solve the normal equations.
        w = scipy.linalg.solve(Xtr.T @ Xtr + np.diag(alpha), Xtr.T @ ytr, assume_a="pos")
    H = Xtr.T @ Xtr + np.diag(alpha)
    gf = Xv.T @ (Xv @ w - yv)
    z = scipy.linalg.solve(H, gf, assume_a="pos")
    g = -alpha * w * z
    value = 0.5 * float(np.sum((Xv @ w - yv) ** 2))
    return {"lambda": lam.tolist(), "w": w.tolist(), "value": value, "grad": float(g.sum()) if lam.ndim == 0 else g.tolist()}


cases = [hyper(l) for l in [-6.0, -3.0, -1.0, 0.0, 1.0]]
cases.append(hyper(np.linspace(-3, 1, X.shape[1])))
out = {
    "source": "sklearn.datasets.load_diabetes; sklearn Ridge + scipy.linalg.solve",
    "trainRows": [0, 300],
    "valRows": [300, 442],
    "yMean": mu,
    "X": np.round(X, 17).tolist(),
    "y": (y - mu).tolist(),
    "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "../../packages/bilevel/test/fixtures/ridge-diabetes.json")
with open(path, "w") as f:
    json.dump(out, f)
print(path, os.path.getsize(path))
