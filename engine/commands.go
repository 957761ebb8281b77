package engine

import (
	"context"
	"math"
	"time"
)

// applyCommands applies the queued commands and waits, while paused (but
// for the batches Advance lets go) or until the pace lets the next batch
// go, for more. It reports whether the run must stop.
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
		var timer *time.Timer // nil: wait until a command comes
		wait := make(<-chan time.Time)
		switch {
		case t.paused && t.advance > 0:
			t.advance--
			t.batchStart = time.Now()
			return ctx.Err() != nil
		case !t.paused:
			d := t.paceWait()
			if d <= 0 {
				t.batchStart = time.Now()
				return ctx.Err() != nil
			}
			timer = time.NewTimer(d)
			wait = timer.C
		}
		since := time.Now()
		select {
		case <-ctx.Done():
			return true
		case <-t.wake:
		case <-wait:
		}
		if timer != nil {
			timer.Stop()
		}
		if t.paused {
			t.pausedFor += time.Since(since)
		}
	}
}

// paceWait is how long the next batch must wait to keep to the pace.
func (t *Trainer) paceWait() time.Duration {
	if t.pace <= 0 || t.batchStart.IsZero() {
		return 0
	}
	return time.Until(t.batchStart.Add(time.Duration(float64(time.Second) / t.pace)))
}

func (t *Trainer) apply(ctx context.Context, c Command) (stop bool) {
	switch c := c.(type) {
	case Pause, Resume, Advance, SetPace:
		t.applyPace(ctx, c)
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
		if usableLR(c.LR) {
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
	case ExplainWeight:
		t.emit(ctx, t.explainWeight(c))
	case Stop:
		return true
	}
	return false
}

// applyPace applies the commands that set how fast the run goes: pause,
// resume, one batch more while paused, and the pace.
func (t *Trainer) applyPace(ctx context.Context, c Command) {
	switch c := c.(type) {
	case Pause:
		if !t.paused {
			t.paused = true
			t.rate = rateMeter{}
			t.emit(ctx, StateChanged{Step: t.step, Paused: true})
		}
	case Resume:
		if t.paused {
			t.paused, t.advance = false, 0
			t.emit(ctx, StateChanged{Step: t.step, Paused: false})
		}
	case Advance:
		if t.paused && c.Batches > 0 {
			t.advance += c.Batches
		}
	case SetPace:
		if c.BatchesPerSecond >= 0 && !math.IsInf(c.BatchesPerSecond, 0) {
			t.pace = c.BatchesPerSecond
			t.emit(ctx, PaceChanged{Step: t.step, BatchesPerSecond: c.BatchesPerSecond})
		}
	}
}

// usableLR says whether lr is a rate the trainer can train at: its float32
// value (what the optimiser multiplies by) finite and normal, not 0 or
// subnormal (a step of 0, or of 0 for all but the largest gradients) nor
// +Inf, which a float64 beyond float32's range becomes.
func usableLR(lr float64) bool {
	f := float64(float32(lr))
	return f >= 0x1p-126 && !math.IsInf(f, 0)
}
