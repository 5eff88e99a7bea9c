"""ARD-RBF GP fixtures for @x/kernels' fused closed-form LML gradient, from scikit-learn's GaussianProcessRegressor:
LML and its gradient at fixed hyperparameters on n = 160 points (two 128-tiles of the blocked potri), d = 4 with one
irrelevant feature, and the fitted LML of one L-BFGS-B run (n_restarts_optimizer=0) from the bench's starting point.
Writes packages/kernels/test/fixtures/gp-ard.json."""
import json, os
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel, ConstantKernel as C

rng = np.random.default_rng(8)
n, d = 160, 4
X = rng.uniform(-2, 2, size=(n, d))
y = np.sin(X @ np.array([1.0, 0.5, 2.0, 0.0])) + 0.1 * rng.normal(size=n)
cases = []
for ls, var, noise in [([0.7, 1.9, 0.4, 3.0], 1.3, 0.05), ([1.0, 1.0, 1.0, 1.0], 1.0, 0.1), ([2.5, 0.6, 1.2, 40.0], 0.4, 0.01)]:
    gp = GaussianProcessRegressor(C(var) * RBF(ls) + WhiteKernel(noise), alpha=0.0, optimizer=None).fit(X, y)
    lml, grad = gp.log_marginal_likelihood(gp.kernel_.theta, eval_gradient=True)
    cases.append({"lengthscale": ls, "variance": var, "noise": noise, "lml": lml, "grad": grad.tolist()})
gp = GaussianProcessRegressor(C(1.0) * RBF(np.ones(d)) + WhiteKernel(0.1), alpha=0.0, n_restarts_optimizer=0).fit(X, y)
fit = {"theta": gp.kernel_.theta.tolist(), "lml": gp.log_marginal_likelihood_value_}
out = {"source": "scikit-learn " + __import__("sklearn").__version__, "X": X.tolist(), "y": y.tolist(), "cases": cases,
       "fit": fit}
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/gp-ard.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, fit)
