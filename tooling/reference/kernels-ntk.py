"""NNGP/NTK fixtures for @x/kernels: the depth recursion of Jacot et al. / Lee et al. (NTK parametrisation) with every
Gaussian expectation E[φ(u)φ(v)], E[φ'(u)φ'(v)] computed by 1-D adaptive quadrature (scipy.integrate.quad) over u of the
conditional expectation given u — independent of the arc-cosine / Williams closed forms used by the package.
Writes packages/kernels/test/fixtures/ntk.json."""
import json, os, math
import numpy as np
from scipy.integrate import quad
from scipy.stats import norm
from scipy.special import erf

def expect(act, a, b, c):
    sa = math.sqrt(a)
    s2 = max(b - c * c / a, 0.0)
    s = math.sqrt(s2)
    pdf = lambda u: math.exp(-u * u / (2 * a)) / math.sqrt(2 * math.pi * a)
    if act == "relu":
        def cond(u):  # E[relu(v) | u], E[1{v>0} | u]
            m = c * u / a
            if s == 0: return max(m, 0.0), float(m > 0)
            return m * norm.cdf(m / s) + s * norm.pdf(m / s), norm.cdf(m / s)
        e = quad(lambda u: u * cond(u)[0] * pdf(u), 0, np.inf, epsabs=1e-14, epsrel=1e-12)[0]
        ed = quad(lambda u: cond(u)[1] * pdf(u), 0, np.inf, epsabs=1e-14, epsrel=1e-12)[0]
        return e, ed
    lim = 12 * sa
    def cond(u):  # E[erf(v) | u], E[erf'(v) | u]
        m = c * u / a
        q = 1 + 2 * s2
        return erf(m / math.sqrt(q)), 2 / math.sqrt(math.pi) * math.exp(-m * m / q) / math.sqrt(q)
    e = quad(lambda u: erf(u) * cond(u)[0] * pdf(u), -lim, lim, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    ed = quad(lambda u: 2 / math.sqrt(math.pi) * math.exp(-u * u) * cond(u)[1] * pdf(u), -lim, lim, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    return e, ed

def kernels(X, depth, act, sw, sb):
    n, d = X.shape
    S = sw * X @ X.T / d + sb
    T = S.copy()
    for _ in range(depth):
        S2 = np.zeros_like(S); Sd = np.zeros_like(S)
        for i in range(n):
            for j in range(n):
                e, ed = expect(act, S[i, i], S[j, j], S[i, j])
                S2[i, j] = sw * e + sb; Sd[i, j] = sw * ed
        T = S2 + T * Sd
        S = S2
    return S, T

rng = np.random.default_rng(4)
X = rng.normal(size=(3, 3))
cases = []
for act in ["relu", "erf"]:
    for depth, sw, sb in [(1, 2.0, 0.0), (3, 1.5, 0.1)]:
        S, T = kernels(X, depth, act, sw, sb)
        cases.append({"activation": act, "depth": depth, "weightVariance": sw, "biasVariance": sb, "nngp": S.tolist(), "ntk": T.tolist()})
out = {"source": "scipy.integrate.quad of the NTK/NNGP recursion", "X": X.tolist(), "cases": cases}
path = os.path.join(os.path.dirname(__file__), "../../packages/kernels/test/fixtures/ntk.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path)
