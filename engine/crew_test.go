package engine

import (
	"math"
	"sync/atomic"
	"testing"
)

// TestCrewSameBitsWhoeverRuns trains the same steps twice: once with the
// crew's goroutines, and once with none, so that the trainer's goroutine
// runs every worker's job itself, as it does when the other goroutine is
// away. Each job keeps to its worker's buffers, so the weights, losses
// and gradient flow come out bit for bit the same.
func TestCrewSameBitsWhoeverRuns(t *testing.T) {
	s := settings()
	s.Batch = 30 // three shares of 10
	run := func(alone bool) (w []float32, losses []float64, flows []Flow) {
		tr := smallRun(t, s, 3)
		tr.cfg.FlowEvery = 1
		for _, w := range tr.ws {
			w.net.meter = newFlowMeter(w.net)
		}
		if alone {
			n := len(tr.ws)
			tr.crew = &crew{ws: tr.ws, jobs: make([]job, n), taken: make([]atomic.Uint64, n), done: make(chan struct{}, 1)}
		} else {
			tr.startWorkers(nil)
			defer tr.stopWorkers()
		}
		n := firstBatch(tr, s.Batch)
		for range 5 {
			tr.meter(true)
			loss, _ := tr.trainStep(tr.batch.x, tr.batch.y, n)
			tr.meter(false)
			losses = append(losses, loss)
			flows = append(flows, tr.flow(0))
		}
		return tr.net.w, losses, flows
	}
	wa, la, fa := run(false)
	wb, lb, fb := run(true)
	for i := range wa {
		if math.Float32bits(wa[i]) != math.Float32bits(wb[i]) {
			t.Fatalf("weight %d: %v with the crew's goroutines, %v with the trainer's alone", i, wa[i], wb[i])
		}
	}
	for i := range la {
		if la[i] != lb[i] {
			t.Errorf("step %d: loss %v with the crew's goroutines, %v with the trainer's alone", i+1, la[i], lb[i])
		}
		for j := range fa[i].Layers {
			a, b := fa[i].Layers[j], fb[i].Layers[j]
			if a.GradRMS != b.GradRMS && !(math.IsNaN(a.GradRMS) && math.IsNaN(b.GradRMS)) ||
				a.InputGradRMS != b.InputGradRMS && !(math.IsNaN(a.InputGradRMS) && math.IsNaN(b.InputGradRMS)) ||
				a.DeadMapCount != b.DeadMapCount {
				t.Errorf("step %d, %s: flow %+v with the crew's goroutines, %+v with the trainer's alone", i+1, a.Name, a, b)
			}
		}
	}
}

// TestCrewIdlePanic: a panic in the work a goroutine does between rounds
// (filling batches) is raised on the trainer's goroutine at the end of a
// round, where Run turns it into a Failed event, rather than ending the
// program from a goroutine nobody can recover.
func TestCrewIdlePanic(t *testing.T) {
	s := settings()
	tr := smallRun(t, s)
	tr.startWorkers(func() bool { panic("boom: a bug between rounds") })
	defer tr.stopWorkers()
	n := firstBatch(tr, s.Batch)
	raised := func() (r any) {
		defer func() { r = recover() }()
		for range 1000 {
			tr.trainStep(tr.batch.x, tr.batch.y, n)
		}
		return nil
	}()
	c, ok := raised.(*crash)
	if !ok || c.value != "boom: a bug between rounds" {
		t.Fatalf("after 1000 steps: raised %#v, want the idle work's panic as a *crash", raised)
	}
}
