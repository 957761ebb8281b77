package engine

import (
	"context"
	"math"
)

// applyCommands applies the queued commands and, while paused, waits for
// more. It reports whether the run must stop.
func (t *Trainer) applyCommands(ctx context.Context) (stop bool) {
	for {
		t.mu.Lock()
		queue := t.queue
		t.queue = nil
		t.mu.Unlock()
		for _, c := range queue {
			if t.apply(ctx, c) {
				return true
			}
		}
		if !t.paused {
			return ctx.Err() != nil
		}
		select {
		case <-ctx.Done():
			return true
		case <-t.wake:
		}
	}
}

func (t *Trainer) apply(ctx context.Context, c Command) (stop bool) {
	switch c := c.(type) {
	case Pause:
		if !t.paused {
			t.paused = true
			t.rate = rateMeter{}
			t.emit(ctx, StateChanged{Step: t.step, Paused: true})
		}
	case Resume:
		if t.paused {
			t.paused = false
			t.emit(ctx, StateChanged{Step: t.step, Paused: false})
		}
	case SetActivation:
		if checkEnum("activation", c.Name) != nil || c.Name == t.net.hidden {
			return false
		}
		for _, w := range t.ws {
			_ = w.net.SetActivation(c.Name) // checked above
		}
		t.emit(ctx, ActivationChanged{Step: t.step, Activation: c.Name})
		t.snapshot(ctx)
	case SetLR:
		if c.LR > 0 && !math.IsInf(c.LR, 0) {
			t.lr = float32(c.LR)
			t.emit(ctx, LRChanged{Step: t.step, LR: c.LR})
		}
	case SetProbe:
		t.probe = ((c.Index % t.test.Count) + t.test.Count) % t.test.Count
		t.own = nil
		t.snapshot(ctx)
	case SetProbeImage:
		if len(c.Pixels) == t.net.in.Size() {
			t.own = c.Pixels
			t.snapshot(ctx)
		}
	case TakeSnapshot:
		t.snapshot(ctx)
	case Save:
		ev := Saved{Step: t.step, Path: c.Path}
		if err := t.save(c.Path); err != nil {
			ev.Err = err.Error()
		}
		ev.TestLoss, ev.TestAcc = t.testLoss, t.testAcc
		t.emit(ctx, ev)
	case Stop:
		return true
	}
	return false
}
