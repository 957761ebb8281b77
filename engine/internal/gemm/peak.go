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
	const steps = 1 << 12
	const flopPerStep = 2 * 8 * 12
	fmaPeak(steps) // warm up
	best := 0.0
	for range 3 {
		calls, start := 0, time.Now()
		for time.Since(start) < d/3 {
			fmaPeak(steps)
			calls++
		}
		best = max(best, flopPerStep*steps*float64(calls)/time.Since(start).Seconds()/1e9)
	}
	return best
}
