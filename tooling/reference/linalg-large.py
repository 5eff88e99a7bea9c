#!/usr/bin/python3
"""Reference values for the @x/linalg blocked / divide-and-conquer dense paths (orders above their cut-offs)
from NumPy (run with /usr/bin/python3; output committed).

Usage: /usr/bin/python3 tooling/reference/linalg-large.py > packages/linalg/test/fixtures/linalg-large.json

Fixed random matrices (numpy default_rng(20261130)), entries rounded to 1/1024 so that the JSON holds them
exactly. Vectors use the @x/linalg sign convention (largest-|entry| of every eigenvector / left singular vector
positive, the right singular vector follows).
"""
import datetime
import json

import numpy as np

rng = np.random.default_rng(20261130)


def L(x):
    return np.asarray(x, dtype=float).tolist()


def r(x):
    return np.round(x * 1024) / 1024


def sign_cols(v):
    idx = np.argmax(np.abs(v), axis=0)
    s = np.sign(v[idx, np.arange(v.shape[1])])
    s[s == 0] = 1
    return v * s, s


out = {"generated": datetime.date.today().isoformat(), "numpy": np.__version__}

# eigh: a random symmetric 56×56 and a 52×52 with a clustered spectrum (deflation in the merges).
b = r(rng.standard_normal((56, 56)))
a = (b + b.T) / 2
w, v = np.linalg.eigh(a)
v, _ = sign_cols(v)
out["eighRandom"] = {"a": L(a), "values": L(w), "vectors": L(v)}
n = 52
u = r(rng.standard_normal(n))
q = np.eye(n) - 2 * np.outer(u, u) / (u @ u)  # Householder: exactly orthogonal up to rounding
d = np.repeat([-1.0, 0.5, 2.0, 3.0], n // 4)
a = q @ np.diag(d) @ q.T
a = (a + a.T) / 2
out["eighClustered"] = {"a": L(a), "values": L(np.linalg.eigvalsh(a))}

# svd: a random tall 64×56 matrix (thin factors).
m, n = 64, 56
a = r(rng.standard_normal((m, n)))
uu, s, vt = np.linalg.svd(a, full_matrices=False)
uu, sg = sign_cols(uu)
vt = vt * sg[:, None]
out["svdTall"] = {"a": L(a), "s": L(s), "u": L(uu), "vt": L(vt)}

print(json.dumps(out))
