package tui

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
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
		s := defaults("lenet5")
		s.Epochs, s.Activation = 1, act
		if act == engine.Sigmoid {
			s.Init, s.InitStd = engine.InitTruncNormal, 1
		}
		train, test := fixtureSets()
		tr := fixtureTrainer("lenet5", train, test.Head(100), engine.TrainConfig{Settings: s, Workers: 1, FlowEvery: 10})
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
	return p
}

func TestFlowPanelGolden(t *testing.T) {
	for _, sz := range [][2]int{{44, 19}, {78, 13}, {60, 11}, {104, 13}, {132, 13}} {
		p := flowModel(sz[0], sz[1])
		golden(t, "flow-"+sizeName(sz), p.view())
	}
}

// deadOfMaps is a relu row's dead maps out of all, "0/6".
var deadOfMaps = regexp.MustCompile(`\b\d+/\d+\b`)

// TestFlowPanelTellsTheStory: saturated sigmoid units before the switch,
// relu's dead maps after it, a ┊ at the switch in every row, and a
// sparkline cell per measurement.
func TestFlowPanelTellsTheStory(t *testing.T) {
	p := flowModel(100, 14)
	v := ansi.Strip(p.view())
	rows := 0
	for _, l := range strings.Split(v, "\n") {
		f := strings.Fields(strings.Trim(l, "│ "))
		if len(f) < 2 || !slices.Contains([]string{"C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT"}, f[0]) {
			continue
		}
		rows++
		if !strings.Contains(l, "┊") {
			t.Errorf("row %q has no switch mark", l)
		}
		if f[1] == "relu" && !deadOfMaps.MatchString(l) {
			t.Errorf("relu row %q does not say how many of its maps are dead", l)
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

// TestFlowKeyCompact: at 80×24 the gradient flow has a row per block, both
// gradients side by side, nothing cut.
func TestFlowKeyCompact(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 80, 24)
	for _, f := range realFlows()[engine.ReLU] {
		feed(m, f)
	}
	m.Update(keyMsg("g"))
	v := ansi.Strip(m.View())
	for _, want := range []string{"Gradient flow", "dL/da", "OUTPUT"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 80×24 the gradient flow lacks %q:\n%s", want, v)
		}
	}
	golden(t, "screen-flow-80x24", v)
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

// flowPanelOf is a flow panel w×h fed flows and switches (steps at which
// the activation switched, to relu) in step order.
func flowPanelOf(w, h int, flows []engine.Flow, switches ...int) *flowPanel {
	p := newFlowPanel(asciiStyles())
	p.setSize(w, h)
	for _, f := range flows {
		for len(switches) > 0 && switches[0] < f.Step {
			p.update(engine.ActivationChanged{Step: switches[0], Activation: engine.ReLU})
			switches = switches[1:]
		}
		p.update(f)
	}
	for _, s := range switches {
		p.update(engine.ActivationChanged{Step: s, Activation: engine.ReLU})
	}
	return p
}

// TestFlowTimeline works the columns out by hand for 20 measurements at
// steps 20, 40, …, 400 in 4 columns.
func TestFlowTimeline(t *testing.T) {
	var hist []engine.Flow
	for step := 20; step <= 400; step += 20 {
		hist = append(hist, engine.Flow{Step: step})
	}
	for _, c := range []struct {
		name     string
		switches []int
		want     []int // indices into hist, markCol for ┊
		from     int
	}{
		// the whole history, each column the last of five
		{"no switch", nil, []int{4, 9, 14, 19}, 20},
		// one measurement since the switch: a column per measurement, the
		// switch between 380 and 400
		{"a recent switch", []int{390}, []int{17, 18, markCol, 19}, 360},
		// the switch after step 30, before the first column's sample (120):
		// it is marked first, not dropped
		{"an early switch", []int{30}, []int{markCol, 5, 12, 19}, 20},
		// the switch before the first measurement: marked first too
		{"a switch before any measurement", []int{5}, []int{markCol, 5, 12, 19}, 20},
		// pressed after the newest measurement: marked at the end at once
		{"a switch just now", []int{400}, []int{17, 18, 19, markCol}, 360},
		// ten measurements after the switch and ten before: the window is
		// the whole history; the switch falls between the samples at 120
		// (index 5) and 260 (index 12)
		{"a switch halfway", []int{200}, []int{5, markCol, 12, 19}, 20},
		// an old switch falls outside the window the recent one opens
		{"two switches", []int{30, 390}, []int{17, 18, markCol, 19}, 360},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := flowPanelOf(40, 10, hist, c.switches...)
			tl := p.timeline(4)
			if !slices.Equal(tl.cols, c.want) || tl.from != c.from || tl.to != 400 {
				t.Errorf("timeline(4) with switches %v = %v from %d to %d, want %v from %d to 400", c.switches, tl.cols, tl.from, tl.to, c.want, c.from)
			}
		})
	}
	// A switch older than the history kept (512 measurements) is not
	// marked at the start of what is left; one after the oldest kept is.
	var long []engine.Flow
	for step := 20; step <= 20*600; step += 20 {
		long = append(long, engine.Flow{Step: step})
	}
	for _, c := range []struct {
		at   int
		want bool
	}{{30, false}, {20 * 100, true}} {
		tl := flowPanelOf(40, 10, long, c.at).timeline(4)
		if got := slices.Contains(tl.cols, markCol); got != c.want {
			t.Errorf("600 measurements, a switch at step %d: marked %v, want %v (the oldest kept is step %d)", c.at, got, c.want, 20*89)
		}
	}
}

// g3 formats a gradient as the panel promises to: three significant
// digits, "—" for none.
func g3(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// flowRows are the lines of a flow panel's view that begin with one of
// names (the blocks'), in order, as fields and as text.
func flowRows(view string, names map[string]bool) (rows [][]string, lines []string) {
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		f := strings.Fields(strings.Trim(l, "│ "))
		if len(f) > 0 && names[f[0]] {
			rows, lines = append(rows, f), append(lines, strings.Trim(l, "│ "))
		}
	}
	return rows, lines
}

// TestFlowPanelShowsInputGradients: at the panel's sizes of a 120×40 and
// an 80×24 screen, every block's latest dL/da is on the screen as the
// event has it, beside its weight gradient; tall, a table of its own with
// a row per block that has an input, in the order of the net.
func TestFlowPanelShowsInputGradients(t *testing.T) {
	flows := realFlows()[engine.Sigmoid]
	last := flows[len(flows)-1]
	names := map[string]bool{}
	for _, l := range last.Layers {
		names[l.Name] = true
	}
	t.Run("120x40: stacked", func(t *testing.T) {
		v := flowPanelOf(44, 19, flows).view()
		rows, lines := flowRows(v, names)
		var inputs []engine.LayerFlow
		for _, l := range last.Layers {
			if !math.IsNaN(l.InputGradRMS) {
				inputs = append(inputs, l)
			}
		}
		if len(rows) != len(last.Layers)+len(inputs) {
			t.Fatalf("%d rows, want %d for ∇W and %d for dL/da:\n%s", len(rows), len(last.Layers), len(inputs), ansi.Strip(v))
		}
		for k, l := range last.Layers {
			if f := rows[k]; f[0] != l.Name || f[2] != g3(l.GradRMS) {
				t.Errorf("∇W row %q, want %s … %s", lines[k], l.Name, g3(l.GradRMS))
			}
		}
		for k, l := range inputs {
			f := rows[len(last.Layers)+k]
			if f[0] != l.Name || f[len(f)-1] != g3(l.InputGradRMS) {
				t.Errorf("dL/da row %q, want %s … %s", lines[len(last.Layers)+k], l.Name, g3(l.InputGradRMS))
			}
		}
		if !strings.Contains(v, "dL/da") || strings.Contains(v, "…") {
			t.Errorf("the panel should head the input gradients dL/da and cut nothing:\n%s", ansi.Strip(v))
		}
	})
	t.Run("80x24: side by side", func(t *testing.T) {
		v := flowPanelOf(58, 10, flows).view()
		_, lines := flowRows(v, names)
		if len(lines) != len(last.Layers) {
			t.Fatalf("%d rows, want one per block, %d:\n%s", len(lines), len(last.Layers), ansi.Strip(v))
		}
		for k, l := range last.Layers {
			row := lines[k] + " "
			w, in := strings.Index(row, " "+g3(l.GradRMS)+" "), strings.LastIndex(row, " "+g3(l.InputGradRMS)+" ")
			if !strings.HasPrefix(lines[k], l.Name+" ") || w < 0 || in <= w {
				t.Errorf("row %q, want %s, its ∇W %s, then its dL/da %s", lines[k], l.Name, g3(l.GradRMS), g3(l.InputGradRMS))
			}
		}
		if !strings.Contains(v, "dL/da") || strings.Contains(v, "…") {
			t.Errorf("the panel should name dL/da and cut nothing:\n%s", ansi.Strip(v))
		}
	})
}

// TestFlowVanishingGradient: in the sigmoid fixture (σ=1 weights) the
// gradient flowing into each block's input is smaller the nearer the block
// is to the input: S2's at least ten times below the output's.
func TestFlowVanishingGradient(t *testing.T) {
	flows := realFlows()[engine.Sigmoid]
	byName := map[string]float64{}
	for _, l := range flows[len(flows)-1].Layers {
		byName[l.Name] = l.InputGradRMS
	}
	if s2, out := byName["S2"], byName["OUTPUT"]; !(s2 > 0 && out > 10*s2) {
		t.Errorf("sigmoid fixture: dL/da of S2 %.3g, of OUTPUT %.3g: want the input's side at least ten times smaller", s2, out)
	}
}

// TestFlowSwitchEarlyMarked: a switch after the first of 200 measurements
// is a ┊ at the start of every sparkline, in both drawings — not lost in
// the first column — and one pressed after the newest is a ┊ at the end.
func TestFlowSwitchEarlyMarked(t *testing.T) {
	sig, relu := realFlows()[engine.Sigmoid], realFlows()[engine.ReLU]
	flows := []engine.Flow{sig[0]}
	for k := range 10 { // relu's 20 measurements, ten times over
		for _, f := range relu {
			f.Step += 200 * k
			flows = append(flows, f)
		}
	}
	names := map[string]bool{}
	for _, l := range sig[0].Layers {
		names[l.Name] = true
	}
	for _, sz := range [][2]int{{44, 19}, {58, 10}} {
		p := flowPanelOf(sz[0], sz[1], flows, sig[0].Step)
		_, lines := flowRows(p.view(), names)
		for _, l := range lines {
			cells := []rune(l)
			if i := slices.Index(cells, '┊'); i != 7 && !(strings.HasPrefix(l, "C1 ") && i > 7) {
				t.Errorf("%d×%d: row %q: the switch after the first measurement should open the sparkline (cell 7)", sz[0], sz[1], l)
			}
		}
		if len(lines) == 0 {
			t.Errorf("%d×%d: no rows:\n%s", sz[0], sz[1], ansi.Strip(p.view()))
		}
		now := flowPanelOf(sz[0], sz[1], flows, flows[len(flows)-1].Step)
		_, lines = flowRows(now.view(), names)
		for _, l := range lines {
			if spark := strings.Fields(l)[1]; !strings.HasSuffix(spark, "┊") {
				t.Errorf("%d×%d: row %q: a switch just now should end the first sparkline", sz[0], sz[1], l)
			}
		}
	}
}
