"""GP-regression fixtures for @x/kernels from scikit-learn's GaussianProcessRegressor: log marginal likelihood and its
gradient at fixed theta (log_marginal_likelihood(theta, eval_gradient=True)), posterior mean/std/covariance, and a fitted
1-D toy (n_restarts_optimizer=0). Writes packages/kernels/test/fixtures/gp.json."""
import json, os
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, Matern, WhiteKernel, ConstantKernel as C

rng = np.random.default_rng(11)
X = rng.uniform(-2, 2, size=(25, 3))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2 - 0.3 * X[:, 2] + 0.1 * rng.normal(size=25)
Xs = rng.uniform(-2, 2, size=(5, 3))
cases = []
for name, base, nu in [("rbf", RBF([0.8, 1.5, 2.2]), None), ("matern", Matern([0.8, 1.5, 2.2], nu=1.5), 1.5),
                       ("matern52", Matern([1.1, 0.6, 1.9], nu=2.5), 2.5)]:
    kernel = C(1.3) * base + WhiteKernel(0.05)
    gp = GaussianProcessRegressor(kernel, alpha=0.0, optimizer=None).fit(X, y)
    theta = gp.kernel_.theta
    lml, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
    mean, cov = gp.predict(Xs, return_cov=True)
    # Predictions of the latent f: sklearn's predictive covariance includes the WhiteKernel noise on Xs.
    cov_f = cov - 0.05 * np.eye(len(Xs))
    cases.append({"name": name, "nu": nu, "variance": 1.3, "lengthscale": list(base.length_scale), "noise": 0.05,
                  "theta": theta.tolist(), "lml": lml, "grad": grad.tolist(), "mean": mean.tolist(), "cov": cov_f.tolist()})

# Fitted 1-D toy problem (one L-BFGS-B run from the initial kernel, as the bench compares).
rng = np.random.default_rng(3)
x1 = np.sort(rng.uniform(0, 5, 30))[:, None]
y1 = np.sin(2 * x1[:, 0]) + 0.1 * rng.normal(size=30)
gp = GaussianProcessRegressor(C(1.0) * RBF(1.0) + WhiteKernel(0.1), alpha=0.0, n_restarts_optimizer=0).fit(x1, y1)
fit = {"x": x1[:, 0].tolist(), "y": y1.tolist(), "theta": gp.kernel_.theta.tolist(),
       "lml": gp.log_marginal_likelihood_value_}
out = {"source": "scikit-learn " + __import__("sklearn").__version__, "X": X.tolist(), "y": y.tolist(), "Xs": Xs.tolist(),
       "cases": cases, "fit": fit}
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/gp.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, fit["theta"], fit["lml"])
