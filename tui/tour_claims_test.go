package tui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// tourPlan is the layers of the net a tour request builds: its
// architecture's defaults, as cli's tourRun makes it.
func tourPlan(t *testing.T, req *RunRequest) map[string]engine.LayerInfo {
	t.Helper()
	spec, err := engine.LookupArch(req.Arch)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := engine.Plan(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, spec.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]engine.LayerInfo{}
	for _, li := range infos {
		out[li.Name] = li
	}
	return out
}

// stepText is the text of the tour's step titled title.
func stepText(t *testing.T, title string) string {
	t.Helper()
	for _, s := range tourSteps {
		if s.title == title {
			return s.text
		}
	}
	t.Fatalf("no step %q", title)
	return ""
}

// says fails unless the step's text says each of claims.
func says(t *testing.T, title string, claims ...string) {
	t.Helper()
	text := stepText(t, title)
	for _, c := range claims {
		if !strings.Contains(text, c) {
			t.Errorf("step %q does not say %q (the engine's figure): %s", title, c, text)
		}
	}
}

// TestTourCountsAreTheEngines: every number the layer steps quote is the
// engine's for the net the step runs.
func TestTourCountsAreTheEngines(t *testing.T) {
	l := tourPlan(t, tourLeNet)
	c1, s2, c3, c5, f6, out := l["C1"], l["S2"], l["C3"], l["C5"], l["F6"], l["OUTPUT"]
	says(t, "C1: kernels that slide",
		fmt.Sprintf("C1's %d maps", c1.Out.C), fmt.Sprintf("%d×%d kernel", c1.Kernel, c1.Kernel),
		strings.Replace(c1.ParamsFormula, "=", " = ", 1)+" parameters", fmt.Sprintf("%d×%d places", c1.Out.H, c1.Out.W))
	says(t, "S2: subsampling, trained", strings.Replace(s2.ParamsFormula, "=", " = ", 1)+" parameters")
	links := 0
	for _, row := range c3.Table {
		for _, on := range row {
			if on {
				links++
			}
		}
	}
	full := c3.Out.C * (c3.In.C*c3.Kernel*c3.Kernel + 1)
	says(t, "C3: a partial table", fmt.Sprintf("%d maps from S2's %d", c3.Out.C, c3.In.C),
		fmt.Sprintf("keeps %d of the %d links", links, c3.In.C*c3.Out.C),
		fmt.Sprintf("%s parameters instead of %s", engine.Thousands(c3.Params), engine.Thousands(full)))
	says(t, "C5, F6 and the output", fmt.Sprintf("C5's %d units", c5.Out.Size()),
		fmt.Sprintf("all %d×%d×%d = %d values of S4", c5.In.C, c5.In.H, c5.In.W, c5.In.Size()),
		fmt.Sprintf("F6 has %d units", f6.Out.Size()), fmt.Sprintf("OUTPUT %d logits", out.Out.Size()))
}

// TestTourInputScaling: the input step's numbers are what the trainer does
// to MNIST: its training set's pixel mean and spread, and what a blank and
// a full pixel become.
func TestTourInputScaling(t *testing.T) {
	train, _, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	mean, std := train.PixelStats()
	says(t, "The input", fmt.Sprintf("(p/255 − %.4f)/%.4f", mean, std),
		fmt.Sprintf("background is −%.2f", mean/std), fmt.Sprintf("full ink +%.2f", (1-mean)/std))
}

// tourRunOf trains the run req asks for on MNIST, as cli's tourRun builds
// it (the architecture's defaults, changed as req says), judged as the
// header judges it; it returns the trainer and a function that trains to
// step n and returns the verdict then, or the failure.
func tourRunOf(t *testing.T, req *RunRequest) (*engine.Trainer, func(n int) (analysis.Verdict, *engine.Failed)) {
	t.Helper()
	train, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	spec, err := engine.LookupArch(req.Arch)
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	if req.Activation != "" {
		s.Activation = req.Activation
	}
	if req.Init != "" {
		s.Init = req.Init
	}
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
	t.Cleanup(func() {
		cancel()
		for range tr.Events() {
		}
	})
	h := newHealth(tr.Info())
	step := 0
	return tr, func(n int) (analysis.Verdict, *engine.Failed) {
		t.Helper()
		for step < n {
			ev, ok := <-tr.Events()
			if !ok {
				t.Fatalf("the run ended at step %d, before step %d", step, n)
			}
			h.update(ev)
			switch e := ev.(type) {
			case engine.Progress:
				step = e.Step
			case engine.Failed:
				return h.verdict(), &e
			}
		}
		return h.verdict(), nil
	}
}

// TestTourRunsDoWhatTheySay: the steps that start runs say what those runs
// do — sigmoid's plateau and ReLU leaving it, the note's σ = 1 ReLU net
// going NaN in its first batch, and the same net learning with He's
// initialisation.
func TestTourRunsDoWhatTheySay(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("trains on MNIST for seconds (many more under -race or emulation); .ci/run runs it without -race")
	}
	t.Run("plateau", func(t *testing.T) {
		says(t, "Sigmoid's plateau", "loss sits near ln 10 = 2.30", "accuracy near 10%", "shrinks thousands of times")
		tr, until := tourRunOf(t, tourSigmoid)
		v, f := until(300)
		if f != nil || v.Kind != analysis.Plateau || math.Abs(v.Loss-math.Log(10)) > 0.1 || v.Acc > 0.15 || v.Fall < 1000 {
			t.Fatalf("the tour's sigmoid run at batch 300: %+v (failed: %v), want on the plateau: loss within 0.1 of ln 10, under 15%%, dL/da over 1,000× smaller", v, f)
		}
		tr.Send(engine.SetActivation{Name: engine.ReLU}) // the step's action: a
		if v, _ := until(600); v.Kind != analysis.Fine || v.Acc < 0.5 {
			t.Errorf("300 batches after a: %+v, want it off the plateau, over 50%%", v)
		}
	})
	t.Run("the note's NaN", func(t *testing.T) {
		says(t, "The note's NaN", "σ = 1", "NaN in the first batch", "softmax rounds a probability to 0")
		_, until := tourRunOf(t, tourNote)
		_, f := until(5)
		if f == nil || f.Epoch != 1 || f.Batch != 1 || f.Cause != engine.CauseLogZero {
			t.Fatalf("the note's ReLU run: failure %+v, want NaN in epoch 1, batch 1, from log 0", f)
		}
	})
	t.Run("He", func(t *testing.T) {
		says(t, "He initialisation", "the loss stays finite and the net learns")
		_, until := tourRunOf(t, tourHe)
		v, f := until(150)
		if f != nil || v.Acc < 0.5 || math.IsNaN(v.Loss) {
			t.Fatalf("the note's ReLU net with He's initialisation at batch 150: %+v (failed: %v), want learning, over 50%%", v, f)
		}
	})
}
