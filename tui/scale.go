package tui

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// scaleMode is how the feature maps' values become shades (v cycles it).
// Per map, every map uses its whole scale, so faint structure shows but
// two maps cannot be compared; per layer, the maps of a block share one
// range, so a weak map looks weak; absolute, the range is the activation's
// own ([0, 1] for the sigmoid, [−1.7159, 1.7159] for the scaled tanh, [0,
// the layer's largest value] for ReLU), so a saturated sigmoid layer looks
// saturated and a dead ReLU map looks dead.
type scaleMode int

const (
	scalePerMap scaleMode = iota
	scalePerLayer
	scaleAbsolute
)

func (s scaleMode) String() string { return [...]string{"per map", "per layer", "absolute"}[s] }

// next is the mode after s in the v cycle.
func (s scaleMode) next() scaleMode { return (s + 1) % 3 }

// mapRange is the lo..hi one map is drawn with under mode: its own range
// (per map), the block's (per layer) or the activation act's (absolute);
// act without a fixed range (ReLU) gives [0, the block's largest value],
// no activation at all the block's range. layer holds every map of the
// block, one a single map.
func mapRange(mode scaleMode, act engine.Activation, layer, one []float32) (lo, hi float64) {
	switch mode {
	case scalePerMap:
		return draw.MinMax(one)
	case scaleAbsolute:
		if lo, hi, ok := act.Range(); ok {
			return lo, hi
		}
		if act == engine.ReLU {
			_, hi := draw.MinMax(layer)
			return 0, math.Max(hi, 0)
		}
	}
	return draw.MinMax(layer)
}

// shade is the step of an n-step scale that v takes in lo..hi: 0 at or
// below lo (and for NaN), n−1 at or above hi, evenly in between; a flat
// range (lo = hi) draws everything at 0.
func shade(v, lo, hi float64, n int) int {
	if hi <= lo {
		return 0
	}
	return draw.Level((v-lo)/(hi-lo), n)
}

// rangeActivation is the activation whose range bounds the values of
// block i: its own, or for a pooling block without one (max pooling after
// an activation), that of the block it pools.
func rangeActivation(blocks []engine.BlockMaps, i int) engine.Activation {
	for ; i >= 0; i-- {
		b := blocks[i]
		if b.Activation != "" || (b.Pool != engine.PoolMax && b.Pool != engine.PoolAvg) {
			return b.Activation
		}
	}
	return ""
}
