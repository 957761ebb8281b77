package engine

import "math"

// scheduleFactor is the multiple of the set learning rate to use at step
// (0-based) of total.
func scheduleFactor(name Schedule, step, total int) float64 {
	if name != ScheduleOneCycle || total <= 1 {
		return 1
	}
	const (
		pctStart  = 0.3
		div       = 25.0
		finalDiv  = 1e4
		startFrac = 1 / div
		endFrac   = 1 / (div * finalDiv)
	)
	warm := pctStart*float64(total) - 1
	s := float64(step)
	cos := func(from, to, frac float64) float64 { return to + (from-to)*(1+math.Cos(math.Pi*frac))/2 }
	if s <= warm {
		return cos(startFrac, 1, s/warm)
	}
	return cos(1, endFrac, (s-warm)/(float64(total)-1-warm))
}
