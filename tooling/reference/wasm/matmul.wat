;; float64 GEMM for WebAssembly SIMD (f64x2): C += A · B, all row-major in linear memory.
;;
;; Loop structure of Goto & van de Geijn, "Anatomy of high-performance matrix multiplication"
;; (ACM TOMS 34(3), 2008):
;;   for jc in n step NC            B block KC×NC packed once per (jc, pc), lives in L3
;;     for pc in k step KC
;;       packB
;;       for ic in m step MC        A block MC×KC packed, lives in L2 (128·256·8 B = 256 KiB)
;;         packA
;;         for jr in nc step NR     one KC×NR B micro-panel (8 KiB) stays in L1 ...
;;           for ir in mc step MR   ... while MR×KC A micro-panels stream past it
;;             kernel               4×4 tile of C in 8 v128 registers
;;
;; Compile with tooling/reference/wasm/build-matmul.mjs, which also derives the relaxed-SIMD
;; (fused multiply-add) variant from this file. Do not edit the generated TS by hand.
;;
;; Caller contract (see packages/tensor/src/backends/cpu/matmul-wasm.ts):
;;  * C is padded to roundup(m, MR) rows × roundup(n, NR) columns (ldc = roundup(n, NR)) and
;;    zeroed beforehand (or, for the in-place update gemmStridedWasm, holds beta·C with zero padding:
;;    the module always accumulates). Packing zero-pads A rows and B columns up to MR/NR, so the kernel
;;    always writes whole 4×4 tiles and needs no edge cases; the padding is dropped on copy-out.
;;  * All pointers are byte offsets; pa needs MIN(MC, roundup(m, MR))·MIN(KC, k) doubles,
;;    pb needs MIN(KC, k)·roundup(MIN(NC, n), NR) doubles.
;;  * m, k, n ≥ 1.
(module
  (memory (export "memory") 1)

  ;; Blocking parameters, exported so the JS side sizes its buffers from one source of truth.
  ;; MR×NR = 4×4 is the largest tile that fits V8's 15 allocatable xmm registers (8 accumulators,
  ;; 2 B vectors, 4 A broadcasts, 1 temp): TurboFan hoists every load to the top of the loop
  ;; body, so 6×4, 4×6, 4×8 and manual unrolling all spill and measured 25-60% slower.
  ;; MR and NR are also spelled as literal 4s in the code below (kernel shape, panel strides).
  ;; KC = 256, MC = 128 were the best of a 128…512 sweep on a Zen 3 core (32 KiB L1d, 512 KiB L2).
  (global $MR (export "MR") i32 (i32.const 4))
  (global $NR (export "NR") i32 (i32.const 4))
  (global $KC (export "KC") i32 (i32.const 256))
  (global $MC (export "MC") i32 (i32.const 128))
  (global $NC (export "NC") i32 (i32.const 2048))

  ;; C[4×4] += Apanel[kc×4] · Bpanel[kc×4]. Packed A holds 4 consecutive doubles (one per row)
  ;; per p, packed B holds 4 consecutive doubles (one per column) per p. ldc is in bytes.
  (func $kernel (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
    (local $c0_0 v128) (local $c0_1 v128) (local $c1_0 v128) (local $c1_1 v128)
    (local $c2_0 v128) (local $c2_1 v128) (local $c3_0 v128) (local $c3_1 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (loop $p
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      ;; load64_splat is a single movddup: broadcasting A instead of B keeps B's loads aligned.
      (local.set $x (v128.load64_splat offset=0 (local.get $pa)))
      (local.set $c0_0 (f64x2.add (local.get $c0_0) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c0_1 (f64x2.add (local.get $c0_1) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c1_0 (f64x2.add (local.get $c1_0) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c1_1 (f64x2.add (local.get $c1_1) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c2_0 (f64x2.add (local.get $c2_0) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c2_1 (f64x2.add (local.get $c2_1) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c3_0 (f64x2.add (local.get $c3_0) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c3_1 (f64x2.add (local.get $c3_1) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $p (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    ;; Accumulate rather than store: C was zeroed once and collects every KC slice of k.
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c0_0)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c0_1)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c1_0)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c1_1)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c2_0)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c2_1)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c3_0)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c3_1))))

  ;; Packs A[0:mc, 0:kc] (row stride lda bytes) into MR-row panels, p-major within a panel;
  ;; rows ≥ mc are written as zeros. Separate (small) functions so V8 tiers each up on its own.
  (func $packA (param $a i32) (param $lda i32) (param $mc i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $r i32) (local $p i32) (local $row i32)
    (loop $panel
      (local.set $p (i32.const 0))
      (loop $col
        (local.set $r (i32.const 0))
        (loop $rows
          (local.set $row (i32.add (local.get $i) (local.get $r)))
          (f64.store (local.get $dst)
            (if (result f64) (i32.lt_u (local.get $row) (local.get $mc))
              (then (f64.load (i32.add (local.get $a)
                (i32.add (i32.mul (local.get $row) (local.get $lda)) (i32.shl (local.get $p) (i32.const 3))))))
              (else (f64.const 0))))
          (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
          (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
        (br_if $col (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))
      (br_if $panel (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $mc)))))

  ;; Packs B[0:kc, 0:nc] (row stride ldb bytes) into NR-column panels, p-major within a panel;
  ;; columns ≥ nc are written as zeros. Full panels are a straight 2×v128 copy per row.
  (func $packB (param $b i32) (param $ldb i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $q i32) (local $j i32) (local $p i32) (local $src i32)
    (loop $panel
      (local.set $p (i32.const 0))
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $q) (i32.const 3))))
      (if (i32.le_u (i32.add (local.get $q) (i32.const 4)) (local.get $nc))
        (then
          (loop $full
            (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $src (i32.add (local.get $src) (local.get $ldb)))
            (br_if $full (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc)))))
        (else
          (loop $edge
            (local.set $j (i32.const 0))
            (loop $cols
              (f64.store (local.get $dst)
                (if (result f64) (i32.lt_u (i32.add (local.get $q) (local.get $j)) (local.get $nc))
                  (then (f64.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3)))))
                  (else (f64.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
              (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 4))))
            (local.set $src (i32.add (local.get $src) (local.get $ldb)))
            (br_if $edge (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))
      (br_if $panel (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 4))) (local.get $nc)))))

  ;; Returns the smaller of x and y (unsigned).
  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))

  ;; C (padded, zeroed; see header) += A[m×k] · B[k×n]. a, b, c, pa, pb are byte offsets.
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32)
    (param $n i32) (param $pa i32) (param $pb i32)
    (local $jc i32) (local $pc i32) (local $ic i32) (local $jr i32) (local $ir i32)
    (local $nc i32) (local $kc i32) (local $mc i32) (local $ldc i32) (local $kc8 i32)
    ;; ldc in bytes = roundup(n, 4) · 8
    (local.set $ldc (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 3)))
    (loop $jcl
      (local.set $nc (call $min (global.get $NC) (i32.sub (local.get $n) (local.get $jc))))
      (local.set $pc (i32.const 0))
      (loop $pcl
        (local.set $kc (call $min (global.get $KC) (i32.sub (local.get $k) (local.get $pc))))
        (local.set $kc8 (i32.shl (local.get $kc) (i32.const 3)))
        (call $packB
          (i32.add (local.get $b)
            (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $n)) (local.get $jc)) (i32.const 3)))
          (i32.shl (local.get $n) (i32.const 3)) (local.get $kc) (local.get $nc) (local.get $pb))
        (local.set $ic (i32.const 0))
        (loop $icl
          (local.set $mc (call $min (global.get $MC) (i32.sub (local.get $m) (local.get $ic))))
          (call $packA
            (i32.add (local.get $a)
              (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $k)) (local.get $pc)) (i32.const 3)))
            (i32.shl (local.get $k) (i32.const 3)) (local.get $mc) (local.get $kc) (local.get $pa))
          (local.set $jr (i32.const 0))
          (loop $jrl
            (local.set $ir (i32.const 0))
            (loop $irl
              ;; panel offsets: (ir / MR) · kc · MR · 8 = ir · kc · 8, likewise for jr
              (call $kernel (local.get $kc)
                (i32.add (local.get $pa) (i32.mul (local.get $ir) (local.get $kc8)))
                (i32.add (local.get $pb) (i32.mul (local.get $jr) (local.get $kc8)))
                (i32.add (local.get $c)
                  (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                    (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 3))))
                (local.get $ldc))
              (br_if $irl (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (i32.const 4))) (local.get $mc))))
            (br_if $jrl (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (i32.const 4))) (local.get $nc))))
          (br_if $icl (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (local.get $mc))) (local.get $m))))
        (br_if $pcl (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kc))) (local.get $k))))
      (br_if $jcl (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (local.get $nc))) (local.get $n))))))
