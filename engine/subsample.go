package engine

import (
	"fmt"
	"math"
)

// Reading is what one map of a subsampling layer does with its window,
// after LeCun et al. (1998) and the 2017 note: the trainable coefficient
// and bias set how non-linear f(c·Σx + b) is. A small coefficient keeps
// the argument on the straight part of f, so the layer averages: a blur.
// A large one makes a threshold of it, and the bias puts the threshold
// where one input in the window is enough (a noisy OR) or where all must
// be on (a noisy AND).
type Reading struct {
	Kind ReadingKind
	// Span is how far the argument c·Σx + b moves as the window goes from
	// all inputs at their lowest to all at their highest: |c|·n·(hi−lo).
	Span float64
	// On is the number of the window's n inputs that must be fully on (at
	// hi, the others at lo) for the argument to reach the middle of f (0);
	// NaN when the coefficient is 0.
	On float64
	N  int // the window's size, 4 for 2×2
}

// ReadingKind names what a subsampling map does.
type ReadingKind int

const (
	ReadLinear    ReadingKind = iota // the argument stays on f's straight part: a blur
	ReadOR                           // on when about one input is: a noisy OR
	ReadAND                          // on only when about all are: a noisy AND
	ReadNOR                          // a negative coefficient: on only when none is
	ReadNAND                         // a negative coefficient: off only when all are
	ReadThreshold                    // on when about On of the N inputs are
	ReadOn                           // on whatever the window holds
	ReadOff                          // off whatever the window holds
	ReadCut                          // ReLU: linear above a cut at On of the N inputs, 0 below
)

func (k ReadingKind) String() string {
	return [...]string{"≈ linear: a blur", "noisy OR", "noisy AND", "noisy NOR", "noisy NAND", "threshold", "always on", "always off", "a blur with a cut"}[k]
}

// String is the reading for people, e.g. "noisy OR (0.8 of 4 on)".
func (r Reading) String() string {
	switch r.Kind {
	case ReadLinear, ReadOn, ReadOff:
		return r.Kind.String()
	case ReadThreshold:
		return fmt.Sprintf("%.1f of %d on", r.On, r.N)
	case ReadCut:
		return fmt.Sprintf("%s below %.1f of %d on", r.Kind, r.On, r.N)
	}
	return fmt.Sprintf("%s (%.1f of %d on)", r.Kind, r.On, r.N)
}

// maxBend is how far f may bend away from a straight line over the
// arguments a window can give, as a share of its rise, and still be read
// as linear: the sigmoid bends this much over about ±2.
const maxBend = 0.05

// bend is the largest distance between f and the chord from (a0, f(a0))
// to (a1, f(a1)), over a0..a1, as a share of |f(a1) − f(a0)|: 0 for a
// straight f; 0 also when f does not rise at all (a0 = a1).
func bend(fn Activation, a0, a1 float64) float64 {
	f0, f1 := activate64(fn, a0), activate64(fn, a1)
	rise := math.Abs(f1 - f0)
	if a1 <= a0 || rise == 0 {
		return 0
	}
	var most float64
	for k := 1; k < 256; k++ {
		t := float64(k) / 256
		a := a0 + t*(a1-a0)
		most = math.Max(most, math.Abs(activate64(fn, a)-(f0+t*(f1-f0))))
	}
	return most / rise
}

// ReadSubsample reads one map of a subsampling layer: f(coef·Σx + bias)
// over a window of n inputs, each between lo and hi. The window's sums
// give arguments from amin to amax; where f is nearly straight over them
// (it bends away from its chord by at most 5% of its rise) the map
// averages, a blur. Otherwise f acts as a threshold at the sum −bias/coef,
// expressed as On, the inputs fully on it takes: under one and a half, a
// noisy OR; within one and a half of all n, a noisy AND. ReLU, straight
// on either side of 0, makes a blur with a cut instead.
func ReadSubsample(fn Activation, coef, bias float64, n int, lo, hi float64) Reading {
	r := Reading{N: n, Span: math.Abs(coef) * float64(n) * (hi - lo), On: math.NaN()}
	if coef != 0 && hi > lo {
		r.On = (-bias/coef - float64(n)*lo) / (hi - lo)
	}
	a0, a1 := coef*float64(n)*lo+bias, coef*float64(n)*hi+bias // the argument at all-low and all-high
	amin, amax := math.Min(a0, a1), math.Max(a0, a1)
	switch {
	case fn == "":
		r.Kind = ReadLinear
	case fn == ReLU && amax <= 0:
		r.Kind = ReadOff
	case bend(fn, amin, amax) <= maxBend:
		r.Kind = ReadLinear
	case fn == ReLU:
		r.Kind = ReadCut
	case amin >= 0:
		r.Kind = ReadOn
	case amax <= 0:
		r.Kind = ReadOff
	case r.On < 1.5 && coef > 0:
		r.Kind = ReadOR
	case r.On > float64(n)-1.5 && coef > 0:
		r.Kind = ReadAND
	case r.On < 1.5:
		r.Kind = ReadNOR
	case r.On > float64(n)-1.5:
		r.Kind = ReadNAND
	default:
		r.Kind = ReadThreshold
	}
	return r
}

// Reading reads map m of subsampling block i of the snapshot, with the
// inputs' range taken from the activation before it ([0, 1] after a
// sigmoid) or, when that has no fixed bound (ReLU), from the probe's
// values of those inputs.
func (s Snapshot) Reading(i, m int) (Reading, error) {
	if i <= 0 || i >= len(s.Blocks) || s.Blocks[i].Pool != PoolSubsample {
		return Reading{}, fmt.Errorf("block %d is not a subsampling layer after another block", i)
	}
	b, prev := s.Blocks[i], s.Blocks[i-1]
	if m < 0 || m >= len(b.Coef) {
		return Reading{}, fmt.Errorf("%s: no map %d", b.Name, m)
	}
	lo, hi, ok := prev.Activation.Range()
	if !ok {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range prev.Maps {
			if f := float64(v); !math.IsNaN(f) && !math.IsInf(f, 0) {
				lo, hi = math.Min(lo, f), math.Max(hi, f)
			}
		}
		if lo > hi {
			lo, hi = 0, 0
		}
	}
	return ReadSubsample(b.Activation, float64(b.Coef[m]), float64(b.Bias[m]), b.Size*b.Size, lo, hi), nil
}
