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
)

func (k ReadingKind) String() string {
	return [...]string{"≈ linear: a blur", "noisy OR", "noisy AND", "noisy NOR", "noisy NAND", "threshold", "always on", "always off"}[k]
}

// String is the reading for people, e.g. "noisy OR (0.8 of 4 on)".
func (r Reading) String() string {
	switch r.Kind {
	case ReadLinear, ReadOn, ReadOff:
		return r.Kind.String()
	case ReadThreshold:
		return fmt.Sprintf("%.1f of %d on", r.On, r.N)
	}
	return fmt.Sprintf("%s (%.1f of %d on)", r.Kind, r.On, r.N)
}

// linearSpan is how wide an interval of arguments around 0 an activation
// maps nearly linearly (within 2% of its range): |a| < 1 for the
// sigmoid, 0.5 for tanh, 0.75 for the scaled tanh (tanh of ⅔a). ReLU is
// linear on either side of 0, and no activation everywhere: +Inf.
func linearSpan(fn Activation) float64 {
	switch fn {
	case Sigmoid:
		return 2
	case Tanh:
		return 1
	case ScaledTanh:
		return 1.5
	}
	return math.Inf(1)
}

// ReadSubsample reads one map of a subsampling layer: f(coef·Σx + bias)
// over a window of n inputs, each between lo and hi.
func ReadSubsample(fn Activation, coef, bias float64, n int, lo, hi float64) Reading {
	r := Reading{N: n, Span: math.Abs(coef) * float64(n) * (hi - lo), On: math.NaN()}
	if coef != 0 && hi > lo {
		r.On = (-bias/coef - float64(n)*lo) / (hi - lo)
	}
	a0, a1 := coef*float64(n)*lo+bias, coef*float64(n)*hi+bias // the argument at all-low and all-high
	amin, amax := math.Min(a0, a1), math.Max(a0, a1)
	switch {
	case fn == ReLU && amin >= 0, fn == "":
		r.Kind = ReadLinear
	case fn == ReLU && amax <= 0:
		r.Kind = ReadOff
	case fn != ReLU && amin >= -linearSpan(fn)/2 && amax <= linearSpan(fn)/2:
		r.Kind = ReadLinear
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
