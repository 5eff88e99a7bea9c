# Fixtures for @x/ot partialWasserstein1d: POT 0.8.2 ot.partial.partial_wasserstein on 1-D samples.
import json
import numpy as np
import ot

rng = np.random.default_rng(7)
cases = []
for n1, n2, p, frac in [(5, 7, 1, 0.5), (8, 6, 2, 0.8), (6, 6, 2, 0.3)]:
    u = rng.normal(size=n1)
    v = rng.normal(loc=0.7, size=n2)
    a = rng.uniform(0.5, 1.5, n1); a /= a.sum()
    b = rng.uniform(0.5, 1.5, n2); b /= b.sum() * 1.2
    m = frac * min(a.sum(), b.sum())
    M = np.abs(u[:, None] - v[None, :]) ** p
    P = ot.partial.partial_wasserstein(a, b, M, m=m)
    cases.append(dict(u=u.tolist(), v=v.tolist(), a=a.tolist(), b=b.tolist(), p=p, m=m,
                      plan=P.tolist(), cost=float((P * M).sum())))
out = "packages/ot/test/fixtures/ot-partial1d.json"
json.dump({"generator": "tooling/reference/ot-partial1d.py", "pot": ot.__version__, "cases": cases}, open(out, "w"))
print(out, ot.__version__)
