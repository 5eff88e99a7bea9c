"""KDE fixtures for @x/kernels from scipy.stats.gaussian_kde (Scott and Silverman factors, full covariance), including
far-away queries where logpdf underflows in linear space. Writes packages/kernels/test/fixtures/kde.json."""
import json, os
import numpy as np
from scipy.stats import gaussian_kde

rng = np.random.default_rng(2)
data = np.concatenate([rng.normal(size=(40, 2)), rng.normal(loc=3, scale=0.5, size=(20, 2))]) @ np.array([[1, 0.3], [0, 1]])
qs = np.concatenate([rng.normal(size=(6, 2)) * 2, np.array([[30.0, -25.0]])])
out = {"source": "scipy " + __import__("scipy").__version__, "data": data.tolist(), "queries": qs.tolist(), "cases": []}
for bw in ["scott", "silverman", 0.4]:
    k = gaussian_kde(data.T, bw_method=bw)
    out["cases"].append({"bandwidth": bw, "factor": k.factor, "logpdf": k.logpdf(qs.T).tolist()})
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/kde.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, [c["logpdf"][-1] for c in out["cases"]])
