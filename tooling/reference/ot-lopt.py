# Fixtures for @x/ot loptEmbedding / loptDistance: the LOPT embedding of Bai, Schmitzer, Thorpe &
# Kolouri (ICML 2023) computed the way the authors' reference code does it — OPT_lambda as a balanced
# POT 0.8.2 ot.emd on the problem extended by one dummy point per side (real-real cost C - 2*lambda,
# dummy arcs free) — then barycentric displacements, transported masses and the LOPT distance
#   sum_i min(p1_i, p2_i) min(|u1_i - u2_i|^2, 2 lambda) + lambda (|p1 - p2|_1 + |nu1_perp| + |nu2_perp|).
import json
import numpy as np
import ot

rng = np.random.default_rng(5)


def opt_plan(p0, q, C, lam):
    n, m = C.shape
    a = np.concatenate([p0, [q.sum()]])
    b = np.concatenate([q, [p0.sum()]])
    Ce = np.zeros((n + 1, m + 1))
    Ce[:n, :m] = C - 2 * lam
    G = ot.emd(a, b, Ce, numItermax=10**7)
    return G[:n, :m]


def embed(X0, p0, Y, q, lam):
    C = ot.dist(X0, Y)
    G = opt_plan(p0, q, C, lam)
    p_hat = G.sum(1)
    T = X0.copy()
    dom = p_hat > 0
    T[dom] = (G @ Y)[dom] / p_hat[dom, None]
    created = q.sum() - p_hat.sum()
    destroyed = p0.sum() - p_hat.sum()
    cost = float((G * C).sum() + lam * (created + destroyed))
    return dict(displacement=(T - X0).tolist(), transportedMass=p_hat.tolist(), createdMass=float(created),
                destroyedMass=float(destroyed), cost=cost)


def lopt(e1, e2, lam):
    u1 = np.array(e1["displacement"]); u2 = np.array(e2["displacement"])
    p1 = np.array(e1["transportedMass"]); p2 = np.array(e2["transportedMass"])
    t = np.sum(np.minimum(p1, p2) * np.minimum(((u1 - u2) ** 2).sum(1), 2 * lam))
    return float(t + lam * (np.abs(p1 - p2).sum() + e1["createdMass"] + e2["createdMass"]))


cases = []
for n0, sizes, lam in [(6, [5, 7], 0.5), (8, [8, 6], 2.0), (5, [9, 4], 0.2)]:
    X0 = rng.normal(size=(n0, 2))
    p0 = rng.uniform(0.5, 1.5, n0); p0 /= p0.sum()
    measures = []
    for m in sizes:
        Y = rng.normal(loc=0.4, size=(m, 2))
        q = rng.uniform(0.5, 1.5, m); q /= q.sum() / rng.uniform(0.7, 1.3)
        measures.append(dict(points=Y.tolist(), weights=q.tolist()))
    embs = [embed(X0, p0, np.array(mm["points"]), np.array(mm["weights"]), lam) for mm in measures]
    cases.append(dict(reference=dict(points=X0.tolist(), weights=p0.tolist()), measures=measures, lam=lam,
                      embeddings=embs, lopt=lopt(embs[0], embs[1], lam)))
out = "packages/ot/test/fixtures/ot-lopt.json"
json.dump({"generator": "tooling/reference/ot-lopt.py", "pot": ot.__version__, "cases": cases}, open(out, "w"))
print(out, ot.__version__, [c["lopt"] for c in cases], [[e["createdMass"] for e in c["embeddings"]] for c in cases])
