#!/usr/bin/python3
"""Reference values for the @x/linalg spectral dense group from NumPy (run with /usr/bin/python3; output committed).

Usage: /usr/bin/python3 tooling/reference/linalg-spectral.py > packages/linalg/test/fixtures/linalg-spectral.json

Fixed random matrices (numpy default_rng(20261125)). Eigen/singular vectors are normalised to the
@x/linalg sign convention (largest-|entry| of every eigenvector / left singular vector positive, the right
singular vector follows). eig eigenvalues are sorted by real part, then imaginary part. Batched cases
are computed with numpy's own batching. eig eigenvectors (unit 2-norm) get the phase that makes the
largest-modulus entry real positive.
"""
import datetime
import json

import numpy as np

rng = np.random.default_rng(20261125)


def mat(*shape):
    return rng.standard_normal(shape)


def symm(*shape):
    b = mat(*shape)
    return (b + np.swapaxes(b, -1, -2)) / 2


def L(x):
    return np.asarray(x, dtype=float).tolist()


def fix_cols(v, *others):
    """Flip columns of v (and the matching columns of others) so the largest-|entry| is positive."""
    v = v.copy()
    others = [o.copy() for o in others]
    for j in range(v.shape[-1]):
        i = np.argmax(np.abs(v[:, j]))
        if v[i, j] < 0:
            v[:, j] *= -1
            for o in others:
                o[:, j] *= -1
    return (v, *others)


def eigh_case(a, uplo="L"):
    w, v = np.linalg.eigh(a, UPLO=uplo)
    if a.ndim == 2:
        (v,) = fix_cols(v)
    else:
        v = np.stack([fix_cols(x)[0] for x in v])
    return {"a": L(a), "uplo": uplo, "values": L(w), "vectors": L(v)}


def svd_one(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    u, v = fix_cols(u, vt.T)
    return u, s, v.T


def svd_case(a):
    if a.ndim == 2:
        u, s, vt = svd_one(a)
    else:
        parts = [svd_one(x) for x in a]
        u, s, vt = (np.stack([p[i] for p in parts]) for i in range(3))
    return {"a": L(a), "u": L(u), "s": L(s), "vt": L(vt)}


def eig_case(a):
    w = np.linalg.eigvals(a)

    def srt(w):
        idx = np.lexsort((w.imag, w.real))
        return w[idx]

    w = srt(w) if a.ndim == 2 else np.stack([srt(x) for x in w])
    return {"a": L(a), "real": L(w.real), "imag": L(w.imag)}


def eig_vec_case(a):
    w, v = np.linalg.eig(a)
    idx = np.lexsort((w.imag, w.real))
    w, v = w[idx], v[:, idx]
    for k in range(v.shape[1]):
        p = np.argmax(np.abs(v[:, k]) ** 2 * (1 - 1e-12 * np.arange(v.shape[0])))
        v[:, k] *= np.conj(v[p, k]) / abs(v[p, k])
    return {"a": L(a), "real": L(w.real), "imag": L(w.imag), "vectorsReal": L(v.real), "vectorsImag": L(v.imag)}


def low_rank(m, n, r):
    return mat(m, r) @ mat(r, n)


roots = np.array([-3.0, -1.0, 0.5, 2.0, 4.0])
poly = np.poly(roots)  # monic, highest degree first
comp = np.zeros((5, 5))
comp[0, :] = -poly[1:]
comp[1:, :-1] = np.eye(4)

norm_a = mat(3, 4)
ords = ["fro", "nuc", 1, -1, 2, -2, "inf", "-inf"]


def ordv(o):
    return {"inf": np.inf, "-inf": -np.inf}.get(o, o)


cond_a = mat(4, 4)
out = {
    "meta": {
        "generator": "tooling/reference/linalg-spectral.py",
        "numpy": np.__version__,
        "date": datetime.date.today().isoformat(),
    },
    "eigh": [eigh_case(symm(1, 1)), eigh_case(symm(3, 3)), eigh_case(symm(6, 6))],
    "eighUpper": eigh_case(mat(4, 4), "U"),
    "eighLower": eigh_case(mat(4, 4), "L"),
    "eighBatched": eigh_case(symm(2, 4, 4)),
    "svd": [svd_case(mat(4, 4)), svd_case(mat(5, 3)), svd_case(mat(3, 5)), svd_case(mat(1, 4))],
    "svdBatched": svd_case(mat(2, 4, 3)),
    "eig": [eig_case(mat(5, 5)), eig_case(mat(6, 6)), eig_case(symm(4, 4))],
    "eigBatched": eig_case(mat(2, 3, 3)),
    "eigVectors": [eig_vec_case(mat(5, 5)), eig_vec_case(mat(4, 4))],
    "companion": {"a": L(comp), "roots": L(np.sort(roots))},
    "pinv": [
        {"a": L(a), "pinv": L(np.linalg.pinv(a))}
        for a in [mat(4, 6), mat(5, 3), low_rank(5, 4, 2)]
    ],
    "pinvBatched": (lambda a: {"a": L(a), "pinv": L(np.linalg.pinv(a))})(mat(2, 3, 4)),
    "cond": {
        "a": L(cond_a),
        "values": {o: float(np.linalg.cond(cond_a, ordv(o))) for o in ords},
    },
    "condBatched": (lambda a: {"a": L(a), "cond": L(np.linalg.cond(a))})(mat(2, 3, 5)),
    "rank": [
        {"a": L(a), "rank": int(np.linalg.matrix_rank(a))}
        for a in [low_rank(6, 5, 3), mat(4, 3), low_rank(4, 4, 1), np.zeros((3, 2))]
    ],
    "rankBatched": (lambda a: {"a": L(a), "rank": L(np.linalg.matrix_rank(a))})(
        np.stack([low_rank(4, 5, 2), mat(4, 5)])
    ),
    "norm": {"a": L(norm_a), "values": {o: float(np.linalg.norm(norm_a, ordv(o))) for o in ords}},
    "normBatched": (lambda a: {"a": L(a), "nuc": L(np.linalg.norm(a, "nuc", axis=(-2, -1)))})(mat(2, 3, 3)),
}
print(json.dumps(out, indent=1))
