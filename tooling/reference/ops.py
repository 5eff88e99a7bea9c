#!/usr/bin/python3
"""Reference values for @x/tensor ops from NumPy/SciPy (run with /usr/bin/python3; output is committed).

Usage: /usr/bin/python3 tooling/reference/ops.py > packages/tensor/test/fixtures/ops.json
"""
import datetime
import json

import numpy as np
import scipy
from scipy.special import logsumexp, softmax, log_softmax

rng = np.random.default_rng(20261124)
cases = []
# logsumexp on extreme inputs: huge, tiny, mixed, with -inf entries.
inputs = [
    [1000.0, 1000.0, 999.0],
    [-1000.0, -1001.0, -1e4],
    [1e300, 1.0, -1e300],
    [-np.inf, 0.0, 1.0],
    [-np.inf, -np.inf],
    [710.0, 0.0],
    [-745.0, -745.0],
    list(rng.normal(size=7) * 50),
    list(rng.normal(size=5) * 1e-8),
]
for x in inputs:
    x = np.array(x, dtype=np.float64)
    cases.append({
        "x": [float(v) if np.isfinite(v) else ("-inf" if v < 0 else "inf") for v in x],
        "logsumexp": float(logsumexp(x)) if np.isfinite(logsumexp(x)) else "-inf",
        "softmax": [float(v) for v in softmax(x)] if np.isfinite(logsumexp(x)) else None,
        "log_softmax": [float(v) if np.isfinite(v) else "-inf" for v in log_softmax(x)] if np.isfinite(logsumexp(x)) else None,
    })

# matmul / batched matmul of random matrices (checks the kernel beyond the naive oracle).
a = rng.normal(size=(2, 7, 5))
b = rng.normal(size=(5, 3))
mm = {"a": a.tolist(), "b": b.tolist(), "out": (a @ b).tolist()}

# cumsum, sort, norms.
v = rng.normal(size=(3, 4))
misc = {
    "v": v.tolist(),
    "cumsum_axis1": np.cumsum(v, axis=1).tolist(),
    "sort_axis0": np.sort(v, axis=0).tolist(),
    "norm_fro": float(np.linalg.norm(v)),
    "norm_1_axis1": np.linalg.norm(v, ord=1, axis=1).tolist(),
    "norm_inf_axis1": np.linalg.norm(v, ord=np.inf, axis=1).tolist(),
    "prod_axis0": np.prod(v, axis=0).tolist(),
}

print(json.dumps({
    "generator": "tooling/reference/ops.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "date": datetime.date.today().isoformat(),
    "logsumexp": cases,
    "matmul": mm,
    "misc": misc,
}, indent=1))
