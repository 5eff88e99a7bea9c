"""Kernel ridge regression and kernel PCA fixtures for @x/kernels from scikit-learn (KernelRidge, KernelPCA with an RBF
kernel, gamma = 1/(2ℓ²)). Writes packages/kernels/test/fixtures/krr.json."""
import json, os
import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.decomposition import KernelPCA

rng = np.random.default_rng(5)
X = rng.normal(size=(30, 2))
y = np.sin(X[:, 0]) * np.cos(X[:, 1]) + 0.05 * rng.normal(size=30)
Xs = rng.normal(size=(6, 2))
ls = 0.9
gamma = 1 / (2 * ls ** 2)
krr = KernelRidge(alpha=0.1, kernel="rbf", gamma=gamma).fit(X, y)
kpca = KernelPCA(n_components=3, kernel="rbf", gamma=gamma).fit(X)
out = {"source": "scikit-learn " + __import__("sklearn").__version__, "X": X.tolist(), "y": y.tolist(),
       "Xs": Xs.tolist(), "lengthscale": ls, "lambda": 0.1,
       "krr": {"dual": krr.dual_coef_.tolist(), "predict": krr.predict(Xs).tolist()},
       "kpca": {"eigenvalues": kpca.eigenvalues_.tolist(), "train": kpca.transform(X).tolist(),
                "test": kpca.transform(Xs).tolist()}}
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/krr.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path)
