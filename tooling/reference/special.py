#!/usr/bin/python3
"""Reference values for the scalar special functions of @x/tensor (src/special), from SciPy.

Usage: /usr/bin/python3 tooling/reference/special.py
Writes packages/tensor/test/fixtures/special.json (committed).

Every value comes from scipy.special. Each one is also recomputed with mpmath at 30 digits; where
SciPy over/underflows (non-finite or zero), or disagrees with mpmath by more than the stated
tolerance (e.g. gammaln next to its roots at 1 and 2, where cephes keeps only absolute accuracy),
the mpmath value is stored instead and the entry carries "src": "mpmath".

log Bessel values: logI = log(ive(nu, x)) + x and logK = log(kve(nu, x)) - x. The mpmath check uses
mp.besseli for I and, for K, the integral K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt (scaled by
its peak), because mp.besselk does not converge for large nu and x.
"""
import datetime
import json
import os

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sc

mp.mp.dps = 30
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "tensor", "test", "fixtures", "special.json")

# Largest accepted |scipy - mpmath|: relative for the plain functions, relative to max(1, |v|) for logs.
RTOL_PLAIN = 2e-15
RTOL_LOG = 1e-14

overrides = {}


def entry(family, args, sp_value, mp_value, rtol, floor):
    """One fixture row: scipy's value unless it is non-finite/zero-underflowed or off from mpmath."""
    ref = float(mp_value)
    sp_value = float(sp_value)
    bad = not np.isfinite(sp_value) or abs(sp_value - ref) > rtol * max(abs(ref), floor)
    if bad:
        overrides[family] = overrides.get(family, 0) + 1
        return {"args": list(args), "value": ref, "src": "mpmath"}
    return {"args": list(args), "value": sp_value}


def logk_mp(nu, x):
    """log K_nu(x) from the integral representation (DLMF 10.32.9), robust for any nu, x > 0."""
    nu = mp.mpf(nu)
    x = mp.mpf(x)
    ts = mp.asinh(nu / x)  # peak of -x cosh t + nu t

    def g(t):
        return -x * mp.cosh(t) + nu * t

    peak = g(ts)
    w = min(1 / mp.sqrt(x * mp.cosh(ts)), mp.mpf(1))
    t_end = ts + w
    while peak - g(t_end) < 90:
        t_end = ts + 2 * (t_end - ts)
    pts = sorted(set([mp.mpf(0)] + [ts + k * w for k in (-8, -2, 0, 2, 8) if 0 < ts + k * w < t_end]))
    a = pts[-1]
    while t_end - a > 4 * w:
        a = a + (t_end - a) / 2
        pts.append(a)
    pts.append(t_end)
    return peak + mp.log(mp.quad(lambda t: mp.exp(g(t) - peak) * (1 + mp.exp(-2 * nu * t)) / 2, pts))


def log_abs_gamma_mp(x):
    x = mp.mpf(x)
    return mp.loggamma(x) if x > 0 else mp.log(abs(mp.gamma(x)))


# ---- gammaln: tiny, near the roots 1 and 2, moderate, huge, negative non-integers.
gl_x = (
    [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.01, 0.1, 0.25, 0.5, 0.75]
    + [1 + d for d in (-1e-3, -1e-8, -1e-12, 1e-12, 1e-8, 1e-3)]
    + [2 + d for d in (-1e-3, -1e-8, -1e-12, 1e-12, 1e-8, 1e-3)]
    + list(np.linspace(0.3, 25, 40))
    + list(np.logspace(1.5, 300, 30))
    + [1e305]
    + [-1e-300, -1e-10, -0.1, -0.5, -0.999999, -1.5, -2.2, -3.7, -10.3, -20.5, -100.7, -1000.25, -1e5 - 0.5, -1e10 - 0.25]
)
gammaln = [entry("gammaln", [x], sc.gammaln(x), log_abs_gamma_mp(x), RTOL_PLAIN, 1e-300) for x in gl_x]

# ---- digamma: positive range, near the positive root, negative non-integers.
root = 1.4616321449683622
dg_x = (
    list(np.logspace(-10, 300, 40))
    + list(np.linspace(0.05, 12, 30))
    + [root + d for d in (-1e-2, -1e-5, -1e-10, 1e-10, 1e-5, 1e-2)]
    + [-0.25, -0.9, -1.5, -2.75, -7.3, -33.1, -1e4 - 0.5]
)
digamma = [entry("digamma", [x], sc.digamma(x), mp.digamma(x), RTOL_PLAIN, 1e-300) for x in dg_x]

# ---- polygamma n = 1, 2, 3.
pg_x = list(np.logspace(-8, 8, 25)) + [0.5, 1.0, 1.5, 2.0, 3.3, 7.9] + [-0.5, -1.5, -2.3, -5.7]
polygamma = [
    entry("polygamma", [n, x], sc.polygamma(n, x), mp.polygamma(n, x), RTOL_PLAIN, 1e-300)
    for n in (1, 2, 3)
    for x in pg_x
]

# ---- erf / erfc, erfc into the far tail.
ef_x = [0.0, 1e-300, 1e-10, 1e-3, -1e-3] + list(np.linspace(-6, 6, 49))
erf = [entry("erf", [x], sc.erf(x), mp.erf(x), RTOL_PLAIN, 1e-300) for x in ef_x]
efc_x = ef_x + list(np.linspace(6.5, 26, 40))
erfc = [entry("erfc", [x], sc.erfc(x), mp.erfc(x), RTOL_PLAIN, 1e-300) for x in efc_x]

# ---- log Bessel on a (nu, x) grid.
nus = [0, 0.5, 1, 2.5, 10, 50, 200, 500]
xs = list(np.logspace(-8, 5, 27))
log_i = []
log_k = []
with np.errstate(divide="ignore", over="ignore"):
    for nu in nus:
        for x in xs:
            log_i.append(
                entry("logI", [nu, x], np.log(sc.ive(nu, x)) + x, mp.log(mp.besseli(nu, x)), RTOL_LOG, 1.0)
            )
            log_k.append(entry("logK", [nu, x], np.log(sc.kve(nu, x)) - x, logk_mp(nu, x), RTOL_LOG, 1.0))

doc = {
    "generator": "tooling/reference/special.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "mpmath": mp.__version__,
    "date": datetime.date.today().isoformat(),
    "note": "values from scipy.special; entries with src=mpmath replace SciPy where it over/underflows "
    "or differs from mpmath (30 digits) by more than the tolerance",
    "tolerance": {"plain_rtol": RTOL_PLAIN, "log_rtol_vs_max1": RTOL_LOG},
    "mpmathOverrides": overrides,
    "gammaln": gammaln,
    "digamma": digamma,
    "polygamma": polygamma,
    "erf": erf,
    "erfc": erfc,
    "logI": log_i,
    "logK": log_k,
}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(f"wrote {os.path.normpath(OUT)}; mpmath overrides: {overrides}")
