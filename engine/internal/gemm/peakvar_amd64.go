//go:build !noasm && !gccgo && !safe

package gemm

// fmaPeak is the routine PeakGFLOPS times: the AVX2 one in peak_amd64.s.
var fmaPeak = fmaPeakAVX2
