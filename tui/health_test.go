package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// batches is a Progress covering n batches of the given loss and accuracy.
func batches(n int, loss, acc float64) engine.Progress {
	p := engine.Progress{Epoch: 1, Batch: n, Batches: 1875, Step: n}
	for range n {
		p.Losses, p.Accs = append(p.Losses, loss), append(p.Accs, acc)
	}
	return p
}

// plateauFlow is the gradient flow of lenet5 under sigmoid at Adam 0.001
// at step 300 of a real run (printed by analysis.TestVerdictsOnRealRuns'
// run): dL/da 4.7e-3 at OUTPUT, 2.4e-7 at S2, hardly a unit saturated.
func plateauFlow(step int) engine.Flow {
	nan := math.NaN()
	return engine.Flow{Step: step, Layers: []engine.LayerFlow{
		{Name: "C1", Activation: engine.Sigmoid, GradRMS: 2.4e-5, InputGradRMS: nan, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "S2", Activation: engine.Sigmoid, GradRMS: 2.0e-4, InputGradRMS: 2.4e-7, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "C3", Activation: engine.Sigmoid, GradRMS: 9.4e-5, InputGradRMS: 3.9e-6, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "S4", Activation: engine.Sigmoid, GradRMS: 1.6e-3, InputGradRMS: 1.1e-5, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "C5", Activation: engine.Sigmoid, GradRMS: 6.3e-4, InputGradRMS: 1.9e-4, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "F6", Activation: engine.Sigmoid, GradRMS: 2.4e-3, InputGradRMS: 1.2e-3, Saturated: 0, DeadMaps: nan, Silent: nan},
		{Name: "OUTPUT", GradRMS: 1.9e-2, InputGradRMS: 4.7e-3, Saturated: nan, DeadMaps: nan, Silent: nan},
	}}
}

// TestPlateauSaidInPlace: sigmoid's plateau is named as what it is, with
// its numbers and the keys that help, on the status line: the header is as
// tall as before, so no panel moves; and no "lower the rate".
func TestPlateauSaidInPlace(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		m, _, _ := newTestModel(t, asciiStyles(), size[0], size[1])
		feed(m, batches(100, 2.31, 0.11))
		before := m.View()
		feed(m, plateauFlow(300), batches(200, 2.31, 0.11))
		after := m.View()
		h := ansi.Strip(m.header.view())
		for _, want := range []string{"lateau", "S2", "20,000", "a"} {
			if !strings.Contains(h, want) {
				t.Errorf("%dx%d: header on the plateau lacks %q:\n%s", size[0], size[1], want, h)
			}
		}
		if strings.Contains(strings.ToLower(h), "lower") || strings.Contains(h, "−") {
			t.Errorf("%dx%d: header on the plateau advises lowering the rate:\n%s", size[0], size[1], h)
		}
		if rowOf(before, "Layers") != rowOf(after, "Layers") || strings.Count(before, "\n") != strings.Count(after, "\n") {
			t.Errorf("%dx%d: the verdict moved the panels: the layers panel's title at row %d, then %d", size[0], size[1], rowOf(before, "Layers"), rowOf(after, "Layers"))
		}
	}
}

// rowOf is the first row of screen that holds s, -1 if none.
func rowOf(screen, s string) int {
	for i, l := range strings.Split(ansi.Strip(screen), "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// TestCollapseSaid: ten presses of + in the story's terms: the loss climbs
// from where it was to chance, and the header says so and what helps (−),
// and forgets it when a setting changes.
func TestCollapseSaid(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 120, 40)
	feed(m, batches(300, 0.2, 0.95), batches(400, 2.3026, 0.098))
	v := strings.Join(strings.Fields(ansi.Strip(m.header.view())), " ")
	for _, want := range []string{"Diverging", "0.20 → 2.30", "above ln 10", "− lowers the rate"} {
		if !strings.Contains(v, want) {
			t.Errorf("header after the collapse lacks %q:\n%s", want, v)
		}
	}
	feed(m, engine.LRChanged{Step: 700, LR: 0.001})
	if v := ansi.Strip(m.header.view()); strings.Contains(v, "Diverging") {
		t.Errorf("header still says diverging right after the rate changed:\n%s", v)
	}
}

// TestStuckWithoutFlow: at chance with no flow data to tell a cause, the
// header says what it sees, and no cause.
func TestStuckWithoutFlow(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 120, 40)
	feed(m, batches(400, math.Log(10), 0.1135))
	v := strings.Join(strings.Fields(ansi.Strip(m.header.view())), " ")
	for _, want := range []string{"Not learning", "every digit gets the same answer", "ln 10"} {
		if !strings.Contains(v, want) {
			t.Errorf("header at chance lacks %q:\n%s", want, v)
		}
	}
	for _, not := range []string{"dead", "rate"} {
		if strings.Contains(v, not) {
			t.Errorf("header at chance without flow data guesses a cause (%q):\n%s", not, v)
		}
	}
}
