package tui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// realFlows are the Flow events of a real lenet5 run on the fixture data:
// one epoch, measured every 10 batches, with sigmoid and σ=1 weights (so
// its units saturate) or with the default ReLU and He.
var realFlows = sync.OnceValue(func() map[engine.Activation][]engine.Flow {
	out := map[engine.Activation][]engine.Flow{}
	for _, act := range []engine.Activation{engine.Sigmoid, engine.ReLU} {
		spec, _ := engine.LookupArch("lenet5")
		s := spec.Defaults
		s.Epochs, s.Activation = 1, act
		if act == engine.Sigmoid {
			s.Init, s.InitStd = engine.InitTruncNormal, 1
		}
		net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
		if err != nil {
			panic(err)
		}
		train, test := fixtureSets()
		tr, err := engine.NewTrainer(net, train, test.Head(100), engine.TrainConfig{Settings: s, Workers: 1, FlowEvery: 10})
		if err != nil {
			panic(err)
		}
		go tr.Run(context.Background())
		for ev := range tr.Events() {
			if f, ok := ev.(engine.Flow); ok {
				out[act] = append(out[act], f)
			}
		}
	}
	return out
})

// flowModel is a flow panel w×h fed a sigmoid run's flows, a switch to relu
// at step 100 and the relu run's flows after it.
func flowModel(w, h int) *flowPanel {
	p := newFlowPanel(asciiStyles())
	p.setSize(w, h)
	for _, f := range realFlows()[engine.Sigmoid] {
		if f.Step <= 100 {
			p.update(f)
		}
	}
	p.update(engine.ActivationChanged{Step: 100, Activation: engine.ReLU})
	for _, f := range realFlows()[engine.ReLU] {
		if f.Step > 100 {
			p.update(f)
		}
	}
	return &p
}

func TestFlowPanelGolden(t *testing.T) {
	for _, sz := range [][2]int{{78, 13}, {60, 11}} {
		p := flowModel(sz[0], sz[1])
		golden(t, "flow-"+sizeName(sz), p.view())
	}
}

// TestFlowPanelTellsTheStory: saturated sigmoid units before the switch,
// relu's dead share after it, a ┊ at the switch in every row, and a
// sparkline cell per measurement.
func TestFlowPanelTellsTheStory(t *testing.T) {
	p := flowModel(100, 14)
	v := ansi.Strip(p.view())
	rows := 0
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(strings.Trim(l, "│ "))
		if len(f) < 2 || !strings.HasPrefix(f[0], "C") && !strings.HasPrefix(f[0], "S") && !strings.HasPrefix(f[0], "F") && f[0] != "OUTPUT" {
			continue
		}
		rows++
		if !strings.Contains(l, "┊") {
			t.Errorf("row %q has no switch mark", l)
		}
		if f[1] == "relu" && !strings.Contains(l, "dead") {
			t.Errorf("relu row %q does not say how many units are dead", l)
		}
	}
	if rows != 7 {
		t.Errorf("%d block rows, want lenet5's 7:\n%s", rows, v)
	}
	var before []engine.Flow
	for _, f := range realFlows()[engine.Sigmoid] {
		if f.Step <= 100 {
			before = append(before, f)
		}
	}
	if sat := before[len(before)-1].Layers[4].Saturated; !(sat > 0.5) {
		t.Errorf("the sigmoid fixture's C5 (it sums 400 inputs) is %.0f%% saturated: not the story (want most)", 100*sat)
	}
}

// TestFlowKey: g puts the gradient flow where the feature maps were, and
// back; it is measured whichever is shown.
func TestFlowKey(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	for _, f := range realFlows()[engine.ReLU] {
		feed(m, f)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Feature maps") || strings.Contains(v, "Gradient flow") {
		t.Fatalf("before g the screen should show the feature maps:\n%s", v)
	}
	m.Update(keyMsg("g"))
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Gradient flow") || strings.Contains(v, "Feature maps") || !strings.Contains(v, "dead") {
		t.Errorf("after g the screen should show the gradient flow in the maps' place:\n%s", v)
	}
	golden(t, "screen-flow-120x40", v)
	m.Update(keyMsg("g"))
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Feature maps") {
		t.Errorf("a second g should bring the feature maps back:\n%s", v)
	}
}

func TestFitHistory(t *testing.T) {
	var hist []engine.Flow
	for step := 20; step <= 400; step += 20 {
		hist = append(hist, engine.Flow{Step: step})
	}
	got := fitHistory(hist, 4)
	var steps []int
	for _, f := range got {
		steps = append(steps, f.Step)
	}
	if want := []int{100, 200, 300, 400}; !slices.Equal(steps, want) {
		t.Errorf("fitHistory(20 flows, 4) steps %v, want %v: evenly spread, ending with the newest", steps, want)
	}
	if got := fitHistory(hist[:3], 4); len(got) != 3 {
		t.Errorf("fitHistory(3 flows, 4) = %d flows, want all 3", len(got))
	}
}

// TestAugmentKey: u puts distortions of the probe where the feature maps
// were, a row per kind with the run's own marked, and back.
func TestAugmentKey(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	m.Update(keyMsg("u"))
	v := ansi.Strip(m.View())
	for _, want := range []string{"Augmented probe", "affine", "elastic", "this run: none"} {
		if !strings.Contains(v, want) {
			t.Errorf("after u the screen lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Feature maps") || strings.Contains(v, "● affine") || strings.Contains(v, "● elastic") {
		t.Errorf("after u, augment none: no feature maps and no row marked as the run's:\n%s", v)
	}
	golden(t, "screen-augment-120x40", v)
	m.Update(keyMsg("u"))
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Feature maps") {
		t.Errorf("a second u should bring the feature maps back:\n%s", v)
	}
}

// TestAugmentKeyCompact: too low for a row of each kind, the panel shows
// one (affine, the run having none) with digits large enough to read.
func TestAugmentKeyCompact(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 80, 24)
	m.Update(keyMsg("u"))
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "affine") || strings.Contains(v, "elastic") {
		t.Errorf("at 80×24 the augment panel should show the affine row only:\n%s", v)
	}
	golden(t, "screen-augment-80x24", v)
}

// TestFlowLabelsFit: the column heads shorten rather than break off.
func TestFlowLabelsFit(t *testing.T) {
	for w, want := range map[int]string{30: "weight gradient RMS", 8: "∇W RMS", 3: "∇W"} {
		if got := gradientLabel(w); got != want {
			t.Errorf("gradientLabel(%d) = %q, want %q", w, got, want)
		}
	}
	for w, want := range map[int]string{30: "units: saturated or dead", 14: "sat or dead"} {
		if got := unitsLabel(w); got != want {
			t.Errorf("unitsLabel(%d) = %q, want %q", w, got, want)
		}
	}
}
