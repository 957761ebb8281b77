//go:build !noasm && !gccgo && !safe

package gemm

import "testing"

// BenchmarkFMAPeak measures one core's AVX2 FMA peak: fmaPeakAVX2, twelve
// independent 8-lane FMAs per step on registers. The GFLOP/s of the other
// benchmarks here and in package dconv are read as a fraction of it
// (per core: the kernels run on one goroutine each).
func BenchmarkFMAPeak(b *testing.B) {
	if !useAsm {
		b.Skip("no AVX2 and FMA on this CPU")
	}
	const steps = 1 << 12
	for b.Loop() {
		fmaPeakAVX2(steps)
	}
	b.ReportMetric(2*8*12*steps*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkKernelL1 is the 6×16 micro-kernel on packed panels that stay in
// L1 (6×256 of A, 256×16 of B): the best the blocked Sgemm can do.
func BenchmarkKernelL1(b *testing.B) {
	if !useAsm {
		b.Skip("no AVX2 and FMA on this CPU")
	}
	const kc = 256
	var a [mr * kc]float32
	var bp [kc * nr]float32
	var c [mr * nr]float32
	for i := range a {
		a[i] = float32(i%7) / 8
	}
	for i := range bp {
		bp[i] = float32(i%5) / 8
	}
	for b.Loop() {
		kern6x16AVX2(kc, &a[0], 4, mr*4, &bp[0], nr*4, &c[0], nr*4, 0)
	}
	b.ReportMetric(2*mr*nr*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkFMAPeak512 is BenchmarkFMAPeak on 16-lane AVX-512 vectors: the
// peak of package dconv's 16-lane kernels.
func BenchmarkFMAPeak512(b *testing.B) {
	if fmaPeak512 == nil {
		b.Skip("no AVX-512F on this CPU")
	}
	const steps = 1 << 12
	for b.Loop() {
		fmaPeakAVX512(steps)
	}
	b.ReportMetric(2*16*12*steps*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
