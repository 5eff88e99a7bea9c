"""Reference hypergradients for L2-logistic regression on scikit-learn's breast-cancer data.

Features standardised with the training rows' mean/std and rounded to 6 decimals (the committed data
is exactly what the reference used); labels y in {-1, +1} (1 = benign). Rows 0-299 train, 300-568
validation. Inner problem
  g(w, lam) = sum_i log(1 + exp(-y_i x_i^T w)) + 1/2 exp(lam) ||w||^2,
solved by sklearn LogisticRegression(C=exp(-lam), fit_intercept=False, lbfgs) then polished by Newton
steps; outer f(w) = validation log-loss sum.  Hypergradient (implicit function theorem, SciPy):
  dF/dlam = -alpha w^T H^{-1} grad f,  H = X^T diag(p(1-p)) X + alpha I.
Writes packages/bilevel/test/fixtures/logistic-cancer.json.
"""
import json
import os

import numpy as np
import scipy.linalg
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

X, y = load_breast_cancer(return_X_y=True)
y = 2.0 * y - 1.0
mean, std = X[:300].mean(0), X[:300].std(0)
X = np.round((X - mean) / std, 6)
Xtr, ytr, Xv, yv = X[:300], y[:300], X[300:], y[300:]


def hyper(lam):
    alpha = float(np.exp(lam))
    model = LogisticRegression(C=1.0 / alpha, fit_intercept=False, tol=1e-12, max_iter=100000)
    model.fit(Xtr, ytr)
    w = model.coef_.ravel().copy()
    for _ in range(10):
        m = ytr * (Xtr @ w)
        grad = -Xtr.T @ (ytr * expit(-m)) + alpha * w
        p = expit(m)
        H = Xtr.T @ (Xtr * (p * (1 - p))[:, None]) + alpha * np.eye(X.shape[1])
        w = w - scipy.linalg.solve(H, grad, assume_a="pos")
    m = ytr * (Xtr @ w)
    p = expit(m)
    H = Xtr.T @ (Xtr * (p * (1 - p))[:, None]) + alpha * np.eye(X.shape[1])
    gf = -Xv.T @ (yv * expit(-yv * (Xv @ w)))
    g = -alpha * w @ scipy.linalg.solve(H, gf, assume_a="pos")
    value = float(np.sum(np.logaddexp(0, -yv * (Xv @ w))))
    return {"lambda": lam, "w": w.tolist(), "value": value, "grad": float(g)}


out = {
    "source": "sklearn.datasets.load_breast_cancer; sklearn LogisticRegression + Newton polish + scipy.linalg.solve",
    "trainRows": [0, 300],
    "valRows": [300, 569],
    "X": X.tolist(),
    "y": y.tolist(),
    "cases": [hyper(l) for l in [-2.0, 0.0, 2.0, 4.0]],
}
path = os.path.join(os.path.dirname(__file__), "../../packages/bilevel/test/fixtures/logistic-cancer.json")
with open(path, "w") as f:
    json.dump(out, f)
print(path, os.path.getsize(path))
