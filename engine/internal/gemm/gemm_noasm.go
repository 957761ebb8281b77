//go:build !amd64 || noasm || gccgo || safe

package gemm

// useAsm is false: there is no assembly kernel for this build.
var useAsm = false

// hasAVX512 is unused without assembly.
var hasAVX512 = false

func sgemmAsm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	return false
}

// fmaPeak and fmaPeak512 are nil: without assembly there is no FMA peak
// to measure (PeakGFLOPS and Peak512GFLOPS return 0).
var fmaPeak, fmaPeak512 func(n int)
