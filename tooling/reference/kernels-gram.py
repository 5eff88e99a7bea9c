"""Gram-matrix fixtures for @x/kernels from scikit-learn's kernels (RBF with ARD, Matérn ν ∈ {½, 3/2, 5/2, 0.7, 4},
RationalQuadratic, ExpSineSquared, DotProduct, laplacian/polynomial kernels). Writes packages/kernels/test/fixtures/gram.json."""
import json, os
import numpy as np
from sklearn.gaussian_process.kernels import RBF, Matern, RationalQuadratic, ExpSineSquared, DotProduct, ConstantKernel as C
from sklearn.metrics.pairwise import laplacian_kernel, polynomial_kernel

rng = np.random.default_rng(7)
X = rng.normal(size=(6, 3))
Y = rng.normal(size=(4, 3))
cases = []
def add(name, params, K):
    cases.append({"name": name, "params": params, "K": K.tolist()})
add("rbf", {"lengthscale": [0.7, 1.3, 2.0], "variance": 1.7}, (C(1.7) * RBF([0.7, 1.3, 2.0]))(X, Y))
for nu in [0.5, 1.5, 2.5, 0.7, 4.0]:
    add("matern", {"nu": nu, "lengthscale": [0.9, 1.1, 1.6], "variance": 0.8}, (C(0.8) * Matern([0.9, 1.1, 1.6], nu=nu))(X, Y))
add("rationalQuadratic", {"lengthscale": 1.2, "alpha": 0.6, "variance": 1.1}, (C(1.1) * RationalQuadratic(1.2, 0.6))(X, Y))
add("periodic", {"lengthscale": 0.9, "period": 2.3, "variance": 1.0}, ExpSineSquared(0.9, 2.3)(X, Y))
add("linear", {"bias": 0.49, "variance": 1.0}, DotProduct(sigma_0=0.7)(X, Y))
add("laplace", {"lengthscale": 1.0 / 0.4, "variance": 1.0}, laplacian_kernel(X, Y, gamma=0.4))
add("polynomial", {"degree": 3, "gamma": 0.5, "coef0": 1.5}, polynomial_kernel(X, Y, degree=3, gamma=0.5, coef0=1.5))
out = {"source": "scikit-learn " + __import__("sklearn").__version__, "X": X.tolist(), "Y": Y.tolist(), "cases": cases}
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/gram.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, len(cases), "cases")
