package engine

import "github.com/lenet-tui/lenet-tui/engine/internal/gemm"

// sgemm computes c = op(a)·op(b) + beta·c for row-major matrices, where op(a)
// is m×k and op(b) is k×n. beta is 0 or 1.
func sgemmRef(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		}
		for p := 0; p < k; p++ {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			if av == 0 {
				continue
			}
			if !transB {
				bp := b[p*ldb : p*ldb+n]
				for j, bv := range bp {
					ci[j] += av * bv
				}
			} else {
				for j := range ci {
					ci[j] += av * b[j*ldb+p]
				}
			}
		}
	}
}

// sgemm computes c = op(a)·op(b) + beta·c with the fastest kernel the CPU
// has; see package gemm.
func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// grow returns buf with length n, reallocating only when its capacity is short.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
