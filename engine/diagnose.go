package engine

import (
	"fmt"
	"math"
)

// Cause says what made a loss non-finite.
type Cause int

// The causes the trainer tells apart.
const (
	// CauseOverflow: a block's outputs overflowed float32 (Inf or NaN);
	// Failed.Layer names the first such block.
	CauseOverflow Cause = iota + 1
	// CauseLogZero: every output was finite, but softmax rounded a
	// probability to 0 and the naive loss took 0·log(0) = NaN.
	CauseLogZero
	// CauseLossOverflow: every output was finite, but the loss overflowed.
	CauseLossOverflow
	// CausePanic: the trainer panicked, a bug in lenet-tui: Failed.Panic
	// holds the message and Failed.Log names the file with the stack. No
	// setting is a remedy.
	CausePanic
)

// diagnose explains a non-finite loss in batch b of epoch from the state the
// workers were left in by it.
func (t *Trainer) diagnose(epoch, b int) Failed {
	f := Failed{Epoch: epoch, Batch: b, Step: t.step, Settings: t.cfg.Settings}
	f.Settings.Activation, f.Settings.LR = t.net.hidden, float64(t.lr)
	for _, w := range t.ws {
		if w.m > 0 && !finite(w.loss) {
			w.explain(&f)
			break
		}
	}
	return f
}

// explained is diagnose for a run that goes on (on_nan continue): the
// workers went on past the failing chunk, so each explained its own when it
// met it (worker.nan).
func (t *Trainer) explained(epoch, b int) Failed {
	f := Failed{Epoch: epoch, Batch: b, Step: t.step, Settings: t.cfg.Settings}
	f.Settings.Activation, f.Settings.LR = t.net.hidden, float64(t.lr)
	for _, w := range t.ws {
		if w.nan != nil {
			f.Cause, f.Layer, f.Largest, f.LogitSpan = w.nan.Cause, w.nan.Layer, w.nan.Largest, w.nan.LogitSpan
			break
		}
	}
	return f
}

// explain fills in the cause: the first block whose output is not finite,
// or else the spread of the logits.
func (w *worker) explain(f *Failed) {
	largest := 0.0
	for _, b := range w.net.blocks {
		big := 0.0
		for _, v := range b.out[:w.m*b.info.Out.Size()] {
			a := math.Abs(float64(v))
			if !finite(a) {
				f.Cause, f.Layer, f.Largest = CauseOverflow, b.info.Name, largest
				return
			}
			big = max(big, a)
		}
		largest = big
	}
	k := w.net.classes
	z := w.net.blocks[len(w.net.blocks)-1].out[:w.m*k]
	for s := range w.m {
		lo, hi := z[s*k], z[s*k]
		for _, v := range z[s*k : (s+1)*k] {
			lo, hi = min(lo, v), max(hi, v)
		}
		f.LogitSpan = max(f.LogitSpan, float64(hi)-float64(lo))
	}
	f.Cause = CauseLossOverflow
	if w.ce.naive {
		f.Cause = CauseLogZero
	}
}

// String says where and why, in plain words, without advice: advice is the
// views' (flags in the plain view, keys in the terminal UI).
func (f Failed) String() string {
	if f.Cause == CausePanic {
		s := fmt.Sprintf("the trainer crashed at epoch %d, batch %d (step %d): %s", f.Epoch, f.Batch, f.Step, f.Panic)
		switch {
		case f.LogErr != "":
			return s + "; its stack could not be written: " + f.LogErr
		case f.Log != "":
			return s + "; its stack is in " + f.Log
		}
		return s
	}
	where := fmt.Sprintf("the loss became NaN at epoch %d, batch %d (step %d)", f.Epoch, f.Batch, f.Step)
	switch f.Cause {
	case CauseOverflow:
		return fmt.Sprintf("%s: %s's outputs overflowed float32 (largest |value| before it: %.3g)", where, f.Layer, f.Largest)
	case CauseLogZero:
		return fmt.Sprintf("%s: the logits span %.3g, so softmax rounds some probabilities to 0 and the naive loss takes 0·log(0) = NaN", where, f.LogitSpan)
	case CauseLossOverflow:
		return fmt.Sprintf("%s: the logits span %.3g and the loss overflowed", where, f.LogitSpan)
	}
	return where
}

// Remedy is a change of settings that addresses what made a run fail. The
// engine says which apply; each view says how to make them in its own terms.
type Remedy int

// The remedies, in the order they are worth trying.
const (
	// RemedyInit: the initial weights were drawn wide enough (truncated-normal
	// with σ ≥ 0.5, as the 2017 note's σ=1) to make activations grow layer by
	// layer; a fan-in-scaled initialiser (he for ReLU, glorot for sigmoid)
	// keeps them in range.
	RemedyInit Remedy = iota + 1
	// RemedyStableLoss: the naive loss takes log(0) once softmax underflows;
	// the stable (log-sum-exp) loss never does.
	RemedyStableLoss
	// RemedyLowerLR: a smaller learning rate keeps weights from running away.
	// It applies only after an update: the first batch runs on the initial
	// weights.
	RemedyLowerLR
)

// Remedies lists what would address f, most telling first.
func (f Failed) Remedies() []Remedy {
	if f.Cause == CausePanic {
		return nil // a bug: no setting helps
	}
	var rs []Remedy
	if f.Settings.Init == InitTruncNormal && f.Settings.InitStd >= 0.5 {
		rs = append(rs, RemedyInit)
	}
	if f.Settings.Loss == LossNaive {
		rs = append(rs, RemedyStableLoss)
	}
	if f.Step > 1 {
		rs = append(rs, RemedyLowerLR)
	}
	return rs
}
