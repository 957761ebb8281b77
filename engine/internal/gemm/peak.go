package gemm

import "time"

// PeakGFLOPS measures this core's FMA peak in GFLOP/s for about d: the
// best of three runs of fmaPeak, twelve independent 8-lane FMAs a step on
// registers and nothing else (BenchmarkFMAPeak's measure). It returns 0
// where there is no assembly kernel (noasm builds, other architectures, a
// CPU without AVX2 and FMA): no bound to read the kernels against.
func PeakGFLOPS(d time.Duration) float64 {
	if fmaPeak == nil || !useAsm {
		return 0
	}
	return peak(fmaPeak, 8, d)
}

// Peak512GFLOPS is PeakGFLOPS on 16-lane AVX-512 vectors (fmaPeakAVX512):
// the bound of the kernels that use them (package dconv's 16-lane ones). It
// returns 0 without AVX-512F or assembly.
func Peak512GFLOPS(d time.Duration) float64 {
	if fmaPeak512 == nil || !useAsm {
		return 0
	}
	return peak(fmaPeak512, 16, d)
}

// peak times f, twelve independent FMAs of lanes lanes a step, for about
// d and returns its best GFLOP/s of three runs, after a warm-up.
func peak(f func(int), lanes int, d time.Duration) float64 {
	const steps = 1 << 12
	flopPerStep := float64(2 * lanes * 12)
	f(steps)
	best := 0.0
	for range 3 {
		calls, start := 0, time.Now()
		for time.Since(start) < d/3 {
			f(steps)
			calls++
		}
		best = max(best, flopPerStep*steps*float64(calls)/time.Since(start).Seconds()/1e9)
	}
	return best
}
