;; Matrix–vector products over a row-major block, WebAssembly SIMD (f64x2), for the memory-bound half of the
;; Householder reductions in @x/linalg (gebrd-blocked.ts, sytrd-blocked.ts):
;;   gemv:  y[r]  = Σ_c A[r, c]·x[c]   for rows r0 ≤ r < r1, columns c0 ≤ c < n   (A·x, one dot per row)
;;   gemvT: y[c] += Σ_r x[r]·A[r, c]   for the same block                         (Aᵀ·x, one axpy per row)
;; Four rows share each load of x (gemv) or each load/store of y (gemvT). A row starts at column c0, which
;; may be odd: loads are unaligned (v128.load with align=1 costs nothing extra on x86-64 and ARM64), and an
;; odd-length row ends with one scalar step. Sums run in lanes (even and odd columns separately) and are
;; added at the end, so results differ from the sequential JS loops by rounding only.
;;
;; Compiled into packages/linalg/src/dense/gemv-wasm-bytes.ts by
;;   node tooling/reference/wasm/build-wat.mjs gemv.wat packages/linalg/src/dense/gemv-wasm-bytes.ts GEMV_WASM_SIMD
;;
;; Caller contract (packages/linalg/src/dense/gemv-wasm.ts): pa, px, py are byte offsets of float64 arrays
;; in this memory; A has row stride n (elements); x and y are indexed like the rows (gemv: x by column,
;; y by row; gemvT: x by row, y by column).
(module
  (memory (export "memory") 1)

  (func (export "gemv") (param $pa i32) (param $n i32) (param $r0 i32) (param $r1 i32) (param $c0 i32)
    (param $px i32) (param $py i32)
    (local $r i32) (local $ld i32) (local $len i32) (local $pend i32) (local $p i32) (local $q i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $xv v128) (local $xs f64)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $len (i32.sub (local.get $n) (local.get $c0)))
    (local.set $r (local.get $r0))
    ;; Four rows at a time.
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $r1)))
        (local.set $a0
          (i32.add (local.get $pa)
            (i32.add (i32.mul (local.get $r) (local.get $ld)) (i32.shl (local.get $c0) (i32.const 3)))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $ld)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $ld)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $ld)))
        (local.set $p (i32.add (local.get $px) (i32.shl (local.get $c0) (i32.const 3))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0))
        (local.set $s3 (v128.const f64x2 0 0))
        (local.set $q (i32.const 0))
        (block $d
          (loop $c
            (br_if $d (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $xv (v128.load align=1 (local.get $p)))
            (local.set $s0 (f64x2.add (local.get $s0)
              (f64x2.mul (v128.load align=1 (i32.add (local.get $a0) (local.get $q))) (local.get $xv))))
            (local.set $s1 (f64x2.add (local.get $s1)
              (f64x2.mul (v128.load align=1 (i32.add (local.get $a1) (local.get $q))) (local.get $xv))))
            (local.set $s2 (f64x2.add (local.get $s2)
              (f64x2.mul (v128.load align=1 (i32.add (local.get $a2) (local.get $q))) (local.get $xv))))
            (local.set $s3 (f64x2.add (local.get $s3)
              (f64x2.mul (v128.load align=1 (i32.add (local.get $a3) (local.get $q))) (local.get $xv))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $c)))
        ;; Odd length: the last column in scalar arithmetic, added to lane 0.
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $xs (f64.load (local.get $p)))
            (local.set $s0 (f64x2.replace_lane 0 (local.get $s0) (f64.add (f64x2.extract_lane 0 (local.get $s0))
              (f64.mul (f64.load (i32.add (local.get $a0) (local.get $q))) (local.get $xs)))))
            (local.set $s1 (f64x2.replace_lane 0 (local.get $s1) (f64.add (f64x2.extract_lane 0 (local.get $s1))
              (f64.mul (f64.load (i32.add (local.get $a1) (local.get $q))) (local.get $xs)))))
            (local.set $s2 (f64x2.replace_lane 0 (local.get $s2) (f64.add (f64x2.extract_lane 0 (local.get $s2))
              (f64.mul (f64.load (i32.add (local.get $a2) (local.get $q))) (local.get $xs)))))
            (local.set $s3 (f64x2.replace_lane 0 (local.get $s3) (f64.add (f64x2.extract_lane 0 (local.get $s3))
              (f64.mul (f64.load (i32.add (local.get $a3) (local.get $q))) (local.get $xs)))))))
        (local.set $q (i32.add (local.get $py) (i32.shl (local.get $r) (i32.const 3))))
        (f64.store (local.get $q)
          (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        (f64.store offset=8 (local.get $q)
          (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
        (f64.store offset=16 (local.get $q)
          (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
        (f64.store offset=24 (local.get $q)
          (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows4)))
    ;; Remaining rows one at a time.
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_s (local.get $r) (local.get $r1)))
        (local.set $a0
          (i32.add (local.get $pa)
            (i32.add (i32.mul (local.get $r) (local.get $ld)) (i32.shl (local.get $c0) (i32.const 3)))))
        (local.set $p (i32.add (local.get $px) (i32.shl (local.get $c0) (i32.const 3))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $q (i32.const 0))
        (block $d
          (loop $c
            (br_if $d (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $s0 (f64x2.add (local.get $s0)
              (f64x2.mul (v128.load align=1 (i32.add (local.get $a0) (local.get $q)))
                (v128.load align=1 (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $c)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $s0 (f64x2.replace_lane 0 (local.get $s0) (f64.add (f64x2.extract_lane 0 (local.get $s0))
              (f64.mul (f64.load (i32.add (local.get $a0) (local.get $q))) (f64.load (local.get $p))))))))
        (f64.store (i32.add (local.get $py) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows1))))

  (func (export "gemvT") (param $pa i32) (param $n i32) (param $r0 i32) (param $r1 i32) (param $c0 i32)
    (param $px i32) (param $py i32)
    (local $r i32) (local $ld i32) (local $len i32) (local $pend i32) (local $p i32) (local $q i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $xr i32)
    (local.set $ld (i32.shl (local.get $n) (i32.const 3)))
    (local.set $len (i32.sub (local.get $n) (local.get $c0)))
    (local.set $r (local.get $r0))
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $r1)))
        (local.set $a0
          (i32.add (local.get $pa)
            (i32.add (i32.mul (local.get $r) (local.get $ld)) (i32.shl (local.get $c0) (i32.const 3)))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $ld)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $ld)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $ld)))
        (local.set $xr (i32.add (local.get $px) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $x0 (f64x2.splat (f64.load (local.get $xr))))
        (local.set $x1 (f64x2.splat (f64.load offset=8 (local.get $xr))))
        (local.set $x2 (f64x2.splat (f64.load offset=16 (local.get $xr))))
        (local.set $x3 (f64x2.splat (f64.load offset=24 (local.get $xr))))
        (local.set $p (i32.add (local.get $py) (i32.shl (local.get $c0) (i32.const 3))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $d
          (loop $c
            (br_if $d (i32.ge_u (local.get $p) (local.get $pend)))
            (v128.store align=1 (local.get $p)
              (f64x2.add (v128.load align=1 (local.get $p))
                (f64x2.add
                  (f64x2.add
                    (f64x2.mul (local.get $x0) (v128.load align=1 (i32.add (local.get $a0) (local.get $q))))
                    (f64x2.mul (local.get $x1) (v128.load align=1 (i32.add (local.get $a1) (local.get $q)))))
                  (f64x2.add
                    (f64x2.mul (local.get $x2) (v128.load align=1 (i32.add (local.get $a2) (local.get $q))))
                    (f64x2.mul (local.get $x3) (v128.load align=1 (i32.add (local.get $a3) (local.get $q))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $c)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (local.get $p)
              (f64.add (f64.load (local.get $p))
                (f64.add
                  (f64.add
                    (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $a0) (local.get $q))))
                    (f64.mul (f64x2.extract_lane 0 (local.get $x1)) (f64.load (i32.add (local.get $a1) (local.get $q)))))
                  (f64.add
                    (f64.mul (f64x2.extract_lane 0 (local.get $x2)) (f64.load (i32.add (local.get $a2) (local.get $q))))
                    (f64.mul (f64x2.extract_lane 0 (local.get $x3)) (f64.load (i32.add (local.get $a3) (local.get $q))))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows4)))
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_s (local.get $r) (local.get $r1)))
        (local.set $a0
          (i32.add (local.get $pa)
            (i32.add (i32.mul (local.get $r) (local.get $ld)) (i32.shl (local.get $c0) (i32.const 3)))))
        (local.set $x0 (f64x2.splat (f64.load (i32.add (local.get $px) (i32.shl (local.get $r) (i32.const 3))))))
        (local.set $p (i32.add (local.get $py) (i32.shl (local.get $c0) (i32.const 3))))
        (local.set $pend (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $d
          (loop $c
            (br_if $d (i32.ge_u (local.get $p) (local.get $pend)))
            (v128.store align=1 (local.get $p)
              (f64x2.add (v128.load align=1 (local.get $p))
                (f64x2.mul (local.get $x0) (v128.load align=1 (i32.add (local.get $a0) (local.get $q))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $c)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (local.get $p)
              (f64.add (f64.load (local.get $p))
                (f64.mul (f64x2.extract_lane 0 (local.get $x0)) (f64.load (i32.add (local.get $a0) (local.get $q))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows1))))
)
