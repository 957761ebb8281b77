package analysis_test

import (
	"context"
	"testing"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// watched is a real run of lenet5 on MNIST judged by a Health as a view
// would: every Progress, Flow and switch goes to it.
type watched struct {
	t      *testing.T
	tr     *engine.Trainer
	h      *analysis.Health
	cancel context.CancelFunc
	step   int
}

func watch(t *testing.T, act engine.Activation, lr float64) *watched {
	t.Helper()
	train, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Activation, s.LR, s.Seed = act, lr, 1
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, train.Classes, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, FlowEvery: 20})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go tr.Run(ctx)
	w := &watched{t: t, tr: tr, h: analysis.NewHealth(train.Classes, act), cancel: cancel}
	t.Cleanup(func() {
		cancel()
		for range tr.Events() {
		}
	})
	return w
}

// until trains to step n (at least) and returns the verdict then.
func (w *watched) until(n int) analysis.Verdict {
	w.t.Helper()
	for w.step < n {
		ev, ok := <-w.tr.Events()
		if !ok {
			w.t.Fatalf("the run ended at step %d, before step %d", w.step, n)
		}
		w.h.Event(ev)
		switch e := ev.(type) {
		case engine.Progress:
			w.step = e.Step
		case engine.Failed:
			w.t.Fatalf("the run failed: %v", e)
		}
	}
	return w.h.Verdict()
}

// TestVerdictsOnRealRuns: each verdict on a run that produces it, and the
// view's advice for it, taken, does not make that run worse.
func TestVerdictsOnRealRuns(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("trains on MNIST for half a minute (many more under -race or emulation); .ci/run runs it without -race")
	}
	t.Run("plateau", func(t *testing.T) {
		w := watch(t, engine.Sigmoid, 0.001) // the defaults, on sigmoid
		v := w.until(300)
		if v.Kind != analysis.Plateau || v.Layer != "S2" || v.Fall < 1000 {
			t.Fatalf("sigmoid at step 300: %+v, want Plateau with dL/da over 1,000× smaller at S2", v)
		}
		// the advice: a, ReLU
		w.tr.Send(engine.SetActivation{Name: engine.ReLU})
		if v := w.until(600); v.Kind != analysis.Fine || v.Acc < 0.5 {
			t.Errorf("300 batches after a switch to ReLU on the plateau: %+v, want Fine, accuracy over 50%%", v)
		}
	})
	t.Run("plateau, unaided", func(t *testing.T) {
		w := watch(t, engine.Sigmoid, 0.001)
		if v := w.until(300); v.Kind != analysis.Plateau {
			t.Fatalf("sigmoid at step 300: %+v, want Plateau", v)
		}
		if v := w.until(1875); v.Kind != analysis.Fine || v.Acc < 0.5 {
			t.Errorf("sigmoid after one epoch, left alone: %+v, want Fine, accuracy over 50%%", v)
		}
	})
	t.Run("dead", func(t *testing.T) {
		w := watch(t, engine.ReLU, 0.5)
		v := w.until(200)
		if v.Kind != analysis.Dead || v.Share < 0.9 {
			t.Fatalf("relu at lr 0.5, step 200: %+v, want Dead, a layer over 90%% of its maps dead", v)
		}
		if v.Maps == 0 || float64(v.DeadMaps)/float64(v.Maps) != v.Share {
			t.Errorf("relu at lr 0.5, step 200: %d of %d maps dead, share %g; want the counts behind the share", v.DeadMaps, v.Maps, v.Share)
		}
		t.Logf("relu at lr 0.5, step 200: %d of %s's %d maps dead", v.DeadMaps, v.Layer, v.Maps)
		// the advice: lower the rate (−) and restart (r); a tenth of it learns
		w2 := watch(t, engine.ReLU, 0.05)
		if v := w2.until(300); v.Kind != analysis.Fine || v.Acc < 0.8 {
			t.Errorf("relu at lr 0.05, step 300: %+v, want Fine, accuracy over 80%%", v)
		}
	})
	t.Run("saturated", func(t *testing.T) {
		w := watch(t, engine.Sigmoid, 0.3)
		v := w.until(200)
		if v.Kind != analysis.Saturated || v.Share < 0.9 {
			t.Fatalf("sigmoid at lr 0.3, step 200: %+v, want Saturated, a layer over 90%% saturated", v)
		}
		// the advice: lower the rate (−) and restart (r)
		w2 := watch(t, engine.Sigmoid, 0.03)
		if v := w2.until(200); v.Kind == analysis.Saturated {
			t.Errorf("sigmoid at lr 0.03, step 200: %+v, want it no longer saturated", v)
		}
	})
	t.Run("diverging", func(t *testing.T) {
		w := watch(t, engine.Tanh, 1)
		v := w.until(340)
		if v.Kind != analysis.Diverging || v.Loss < v.Chance+1 {
			t.Fatalf("tanh at lr 1, step 400: %+v, want Diverging, loss over ln 10 + 1", v)
		}
		// the advice: lower the rate
		w.tr.Send(engine.SetLR{LR: 0.01})
		if v := w.until(740); v.Loss > v.Chance {
			t.Errorf("tanh at lr 1, lowered to 0.01 at step 340, step 740: %+v, want the loss below ln 10", v)
		}
	})
	t.Run("switched", func(t *testing.T) {
		w := watch(t, engine.ReLU, 0.001)
		w.until(1000)
		w.tr.Send(engine.SetActivation{Name: engine.Sigmoid})
		v := w.until(1200)
		if v.Kind != analysis.Switched || v.From != engine.ReLU || v.AccBefore < 0.9 || v.Acc > 0.5 {
			t.Fatalf("relu for 1,000 batches, then sigmoid for 200: %+v, want Switched from relu, over 90%% before, under 50%% now", v)
		}
		// the advice: switch back
		w.tr.Send(engine.SetActivation{Name: engine.ReLU})
		if v := w.until(1400); v.Kind != analysis.Fine || v.Acc < 0.9 {
			t.Errorf("switched back to relu for 200 batches: %+v, want Fine, accuracy over 90%%", v)
		}
	})
}
