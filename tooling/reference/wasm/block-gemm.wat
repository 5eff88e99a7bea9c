;; float64 in-place block GEMM for WebAssembly SIMD (f64x2): C += alpha · op(A) · op(B), where A, B and C are
;; row-major views (byte offset + row stride) anywhere in this module's own linear memory. @x/linalg's dense
;; factorizations (packages/linalg/src/internal/block-gemm.ts) copy a matrix in once and run every trailing
;; update, panel solve and rank-k update here on blocks of that one copy, so no update pays for moving its
;; operands in and its result out (the general gemmF64 of @x/tensor has to, ~1/5 of a Cholesky at n = 1000).
;;
;; Loop nest, blocking and the 4×4 register micro-kernel are those of tooling/reference/wasm/matmul.wat
;; (Goto & van de Geijn, ACM TOMS 34(3), 2008); build-block-gemm.mjs splices matmul.wat's $kernel in at
;; KERNEL below, so there is one copy of it. What differs: operands are strided views (lda/ldb/ldc), packing
;; reads op(A) and op(B) through either transpose and folds alpha into packed A, and C is not padded, so tiles
;; that stick out of C are accumulated in a 4×4 scratch tile and only their valid part is added to C.
;;
;; Fixed layout (byte offsets, exported): packed A block at PA (MC·KC doubles), packed B block at PB (KC·NC),
;; scratch tile at TILE; the caller's work area starts at WORK and the caller grows memory as needed.
(module
  (memory (export "memory") 69)

  (global $MR (export "MR") i32 (i32.const 4))
  (global $NR (export "NR") i32 (i32.const 4))
  (global $KC (export "KC") i32 (i32.const 256))
  (global $MC (export "MC") i32 (i32.const 128))
  (global $NC (export "NC") i32 (i32.const 2048))
  (global $PA (export "PA") i32 (i32.const 0))
  (global $PB (export "PB") i32 (i32.const 262144))
  (global $TILE (export "TILE") i32 (i32.const 4456448))
  (global $WORK (export "WORK") i32 (i32.const 4456576))

  ;; KERNEL: (func $kernel (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32))
  ;; C[4×4] += Apanel[kc×4] · Bpanel[kc×4], ldc in bytes (spliced from matmul.wat by the build script).

  ;; Packs a kc-deep slice of `lanes` vectors into 4-lane panels, depth-major within a panel: element (l, p) is
  ;; read at src + l·ls + p·ds and stored times s; lanes ≥ nl are zeros. With (ls, ds) = (lda, 8) this packs
  ;; rows of A, with (8, lda) rows of Aᵀ; with (8, ldb) columns of B, with (ldb, 8) columns of Bᵀ.
  (func $pack (param $src i32) (param $ls i32) (param $ds i32) (param $nl i32) (param $kc i32) (param $s f64)
    (param $dst i32)
    (local $q i32) (local $p i32) (local $r i32) (local $at i32) (local $ls2 i32) (local $ls3 i32)
    (local.set $ls2 (i32.add (local.get $ls) (local.get $ls)))
    (local.set $ls3 (i32.add (local.get $ls2) (local.get $ls)))
    (loop $panel
      (local.set $at (i32.add (local.get $src) (i32.mul (local.get $q) (local.get $ls))))
      (local.set $p (i32.const 0))
      (if (i32.le_u (i32.add (local.get $q) (i32.const 4)) (local.get $nl))
        (then
          (loop $full
            (f64.store offset=0 (local.get $dst) (f64.mul (local.get $s) (f64.load (local.get $at))))
            (f64.store offset=8 (local.get $dst)
              (f64.mul (local.get $s) (f64.load (i32.add (local.get $at) (local.get $ls)))))
            (f64.store offset=16 (local.get $dst)
              (f64.mul (local.get $s) (f64.load (i32.add (local.get $at) (local.get $ls2)))))
            (f64.store offset=24 (local.get $dst)
              (f64.mul (local.get $s) (f64.load (i32.add (local.get $at) (local.get $ls3)))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $at (i32.add (local.get $at) (local.get $ds)))
            (br_if $full (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc)))))
        (else
          (loop $edge
            (local.set $r (i32.const 0))
            (loop $lane
              (f64.store (local.get $dst)
                (if (result f64) (i32.lt_u (i32.add (local.get $q) (local.get $r)) (local.get $nl))
                  (then (f64.mul (local.get $s)
                    (f64.load (i32.add (local.get $at) (i32.mul (local.get $r) (local.get $ls))))))
                  (else (f64.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
              (br_if $lane (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
            (local.set $at (i32.add (local.get $at) (local.get $ds)))
            (br_if $edge (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))
      (br_if $panel (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 4))) (local.get $nl)))))

  ;; One 4×4 tile of C at c (row stride ldc bytes) of which only rows < mr and columns < nr exist: the kernel
  ;; accumulates into the zeroed scratch tile, whose valid part is then added to C.
  (func $edgeTile (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32) (param $mr i32)
    (param $nr i32)
    (local $i i32) (local $j i32) (local $t i32) (local $ci i32)
    (v128.store offset=0 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=16 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=32 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=48 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=64 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=80 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=96 (global.get $TILE) (v128.const i64x2 0 0))
    (v128.store offset=112 (global.get $TILE) (v128.const i64x2 0 0))
    (call $kernel (local.get $kc) (local.get $pa) (local.get $pb) (global.get $TILE) (i32.const 32))
    (loop $rows
      (local.set $t (i32.add (global.get $TILE) (i32.shl (local.get $i) (i32.const 5))))
      (local.set $ci (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $j (i32.const 0))
      (loop $cols
        (f64.store (local.get $ci) (f64.add (f64.load (local.get $ci)) (f64.load (local.get $t))))
        (local.set $ci (i32.add (local.get $ci) (i32.const 8)))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $nr))))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $mr)))))

  ;; Returns the smaller of x and y (unsigned).
  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))

  ;; C[m×n] += alpha · op(A)[m×k] · op(B)[k×n]. a, b, c are byte offsets of the views' first elements, lda, ldb,
  ;; ldc their row strides in bytes; ta / tb nonzero read A (stored k×m) / B (stored n×k) transposed.
  ;; Requires m, n, k ≥ 1; C must not overlap A or B.
  (func (export "gemm") (param $m i32) (param $n i32) (param $k i32) (param $alpha f64)
    (param $a i32) (param $lda i32) (param $ta i32) (param $b i32) (param $ldb i32) (param $tb i32)
    (param $c i32) (param $ldc i32)
    (local $jc i32) (local $pc i32) (local $ic i32) (local $jr i32) (local $ir i32)
    (local $nc i32) (local $kc i32) (local $mc i32) (local $kc8 i32)
    (local $als i32) (local $ads i32) (local $bls i32) (local $bds i32) (local $ct i32)
    ;; Lane and depth strides of the packed operands (see $pack).
    (local.set $als (select (i32.const 8) (local.get $lda) (local.get $ta)))
    (local.set $ads (select (local.get $lda) (i32.const 8) (local.get $ta)))
    (local.set $bls (select (local.get $ldb) (i32.const 8) (local.get $tb)))
    (local.set $bds (select (i32.const 8) (local.get $ldb) (local.get $tb)))
    (loop $jcl
      (local.set $nc (call $min (global.get $NC) (i32.sub (local.get $n) (local.get $jc))))
      (local.set $pc (i32.const 0))
      (loop $pcl
        (local.set $kc (call $min (global.get $KC) (i32.sub (local.get $k) (local.get $pc))))
        (local.set $kc8 (i32.shl (local.get $kc) (i32.const 3)))
        (call $pack
          (i32.add (local.get $b)
            (i32.add (i32.mul (local.get $jc) (local.get $bls)) (i32.mul (local.get $pc) (local.get $bds))))
          (local.get $bls) (local.get $bds) (local.get $nc) (local.get $kc) (f64.const 1) (global.get $PB))
        (local.set $ic (i32.const 0))
        (loop $icl
          (local.set $mc (call $min (global.get $MC) (i32.sub (local.get $m) (local.get $ic))))
          (call $pack
            (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $ic) (local.get $als)) (i32.mul (local.get $pc) (local.get $ads))))
            (local.get $als) (local.get $ads) (local.get $mc) (local.get $kc) (local.get $alpha) (global.get $PA))
          (local.set $jr (i32.const 0))
          (loop $jrl
            (local.set $ir (i32.const 0))
            (loop $irl
              (local.set $ct (i32.add (local.get $c)
                (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                  (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 3)))))
              ;; panel offsets: (ir / MR) · kc · MR · 8 = ir · kc · 8, likewise for jr
              (if (i32.and (i32.le_u (i32.add (local.get $ir) (i32.const 4)) (local.get $mc))
                    (i32.le_u (i32.add (local.get $jr) (i32.const 4)) (local.get $nc)))
                (then
                  (call $kernel (local.get $kc)
                    (i32.add (global.get $PA) (i32.mul (local.get $ir) (local.get $kc8)))
                    (i32.add (global.get $PB) (i32.mul (local.get $jr) (local.get $kc8)))
                    (local.get $ct) (local.get $ldc)))
                (else
                  (call $edgeTile (local.get $kc)
                    (i32.add (global.get $PA) (i32.mul (local.get $ir) (local.get $kc8)))
                    (i32.add (global.get $PB) (i32.mul (local.get $jr) (local.get $kc8)))
                    (local.get $ct) (local.get $ldc)
                    (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)))
                    (call $min (i32.const 4) (i32.sub (local.get $nc) (local.get $jr))))))
              (br_if $irl (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (i32.const 4))) (local.get $mc))))
            (br_if $jrl (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (i32.const 4))) (local.get $nc))))
          (br_if $icl (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (local.get $mc))) (local.get $m))))
        (br_if $pcl (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kc))) (local.get $k))))
      (br_if $jcl (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (local.get $nc))) (local.get $n))))))
