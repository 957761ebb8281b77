//go:build !noasm && !gccgo && !safe

package gemm

import "golang.org/x/sys/cpu"

// fmaPeak is the routine PeakGFLOPS times: the AVX2 one in peak_amd64.s.
var fmaPeak = fmaPeakAVX2

// fmaPeak512 is the routine Peak512GFLOPS times, nil without AVX-512F.
var fmaPeak512 = func() func(int) {
	if cpu.X86.HasAVX512F {
		return fmaPeakAVX512
	}
	return nil
}()
