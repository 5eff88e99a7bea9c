;; Sums of exponentials for log-domain Sinkhorn, WebAssembly SIMD (f64x2):
;;   rowExpStore: buf_j = exp((fi + g_j − M_j)·inv) over one cost row, returns Σ_j buf_j
;;   axpy:        out_j += s·buf_j
;; rowExpStore + axpy fuse the two n1·n2 passes of a log-Sinkhorn iteration into one exp pass (the column
;; sums under the updated row potential are s_i·Σ_i buf_ij with s_i = a_i / Σ_j buf_ij); plain column sums are
;; the same two calls with s = 1 (exact), so the exp below is written once.
;;
;; exp is Cephes' `exp` (S. L. Moshier, "Methods and Programs for Mathematical Functions", 1989),
;; evaluated on two lanes at once:
;;   k = round(t·log2 e),  r = t − k·C1 − k·C2          (C1 + C2 = ln 2 in extended precision)
;;   e^r = 1 + 2·r P(r²) / (Q(r²) − r P(r²))           (Padé form, |r| ≤ ln2/2, ~1 ulp)
;;   e^t = e^r · 2^k,  2^k built in the exponent bits as (k + 1023) << 52.
;; t is clamped to [MINLOG, 709] so 2^k stays a normal number; lanes below MINLOG = −708.39 are
;; set to 0 (e^t < 2.3e−308 there; the caller recomputes any sum that small, or above 1e280, with
;; a max-shift in JS). Math.exp and this agree to a few ulp, which the tests check.
;;
;; Compiled by tooling/reference/wasm/build-wat.mjs (see the generated file for the command) into
;; packages/ot/src/internal/exp-sum-wasm-bytes.ts. Do not edit the generated TS by hand.
;;
;; Caller contract (packages/ot/src/internal/exp-sum-wasm.ts): byte pointers to 16-byte-aligned
;; float64 arrays; n is even (rows are padded with M = +∞, g = 0, which contribute exactly 0).
(module
  (memory (export "memory") 1)

  (func (export "rowExpStore") (param $pm i32) (param $pg i32) (param $pb i32) (param $n i32) (param $fi f64)
    (param $inv f64)
    (result f64)
    (local $end i32) (local $acc v128) (local $t v128) (local $r v128) (local $xx v128) (local $px v128)
    (local $k v128) (local $e v128) (local $vf v128) (local $vinv v128) (local $small v128)
    (local.set $vf (f64x2.splat (local.get $fi)))
    (local.set $vinv (f64x2.splat (local.get $inv)))
    (local.set $end (i32.add (local.get $pm) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $pm) (local.get $end)))
      (loop $j
        ;; t = (fi + g_j − M_j)·inv, in the same operation order as the JS loop.
        (local.set $t
          (f64x2.mul
            (f64x2.sub (f64x2.add (local.get $vf) (v128.load (local.get $pg))) (v128.load (local.get $pm)))
            (local.get $vinv)))
        ;; --- exp(t) into $e ---
        (local.set $small (f64x2.lt (local.get $t) (v128.const f64x2 -708.39641853226410622 -708.39641853226410622)))
        (local.set $t
          (f64x2.min
            (f64x2.max (local.get $t) (v128.const f64x2 -708.39641853226410622 -708.39641853226410622))
            (v128.const f64x2 709.0 709.0)))
        (local.set $k
          (f64x2.nearest (f64x2.mul (local.get $t) (v128.const f64x2 1.4426950408889634074 1.4426950408889634074))))
        (local.set $r
          (f64x2.sub
            (f64x2.sub (local.get $t) (f64x2.mul (local.get $k) (v128.const f64x2 6.93145751953125E-1 6.93145751953125E-1)))
            (f64x2.mul (local.get $k) (v128.const f64x2 1.42860682030941723212E-6 1.42860682030941723212E-6))))
        (local.set $xx (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $px
          (f64x2.mul (local.get $r)
            (f64x2.add
              (f64x2.mul
                (f64x2.add
                  (f64x2.mul (local.get $xx) (v128.const f64x2 1.26177193074810590878E-4 1.26177193074810590878E-4))
                  (v128.const f64x2 3.02994407707441961300E-2 3.02994407707441961300E-2))
                (local.get $xx))
              (v128.const f64x2 9.99999999999999999910E-1 9.99999999999999999910E-1))))
        (local.set $e
          (f64x2.div (local.get $px)
            (f64x2.sub
              (f64x2.add
                (f64x2.mul
                  (f64x2.add
                    (f64x2.mul
                      (f64x2.add
                        (f64x2.mul (local.get $xx) (v128.const f64x2 3.00198505138664455042E-6 3.00198505138664455042E-6))
                        (v128.const f64x2 2.52448340349684104192E-3 2.52448340349684104192E-3))
                      (local.get $xx))
                    (v128.const f64x2 2.27265548208155028766E-1 2.27265548208155028766E-1))
                  (local.get $xx))
                (v128.const f64x2 2.00000000000000000009E0 2.00000000000000000009E0))
              (local.get $px))))
        (local.set $e
          (f64x2.add (v128.const f64x2 1.0 1.0) (f64x2.add (local.get $e) (local.get $e))))
        (local.set $e
          (f64x2.mul (local.get $e)
            (i64x2.shl
              (i64x2.add
                (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k)))
                (v128.const i64x2 1023 1023))
              (i32.const 52))))
        (local.set $e (v128.andnot (local.get $e) (local.get $small)))
        ;; --- end exp ---
        (v128.store (local.get $pb) (local.get $e))
        (local.set $acc (f64x2.add (local.get $acc) (local.get $e)))
        (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
        (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $pm) (local.get $end)))))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))

  (func (export "axpy") (param $pb i32) (param $po i32) (param $n i32) (param $s f64)
    (local $end i32) (local $vs v128)
    (local.set $vs (f64x2.splat (local.get $s)))
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
      (loop $j
        (v128.store (local.get $po)
          (f64x2.add (v128.load (local.get $po)) (f64x2.mul (local.get $vs) (v128.load (local.get $pb)))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $pb) (local.get $end))))))
)
