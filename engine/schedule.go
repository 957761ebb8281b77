package engine

import (
	"fmt"
	"math"
)

// Learning-rate schedules.
const (
	ScheduleConstant = "constant" // the learning rate as set, throughout
	// ScheduleOneCycle is Smith & Topin's one-cycle policy as PyTorch's
	// OneCycleLR runs it: from lr/25 up to lr over the first 30% of the steps,
	// then down to lr/250,000 along a cosine.
	ScheduleOneCycle = "onecycle"
)

// CheckSchedule returns an error unless name is a known schedule.
func CheckSchedule(name string) error {
	if name != ScheduleConstant && name != ScheduleOneCycle {
		return fmt.Errorf("unknown schedule %q (want constant or onecycle)", name)
	}
	return nil
}

// scheduleFactor is the multiple of the set learning rate to use at step
// (0-based) of total.
func scheduleFactor(name string, step, total int) float64 {
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
