package tui

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// The chart story is trainedModel's with what the real trainer also sends
// the charts: an Evaluation every quarter epoch (on a slice of
// chartSlice of the fixture's test images, as EvalImages would set it)
// and, after storyHalfLR, two more lr changes within a few batches, which
// the charts draw as one marker.
const chartSlice = 500

// quickEval is the Evaluation after step of the chart story.
func quickEval(step int) engine.Evaluation {
	loss := 0.4*math.Exp(-float64(step)/150) + 0.08 + 0.03*math.Sin(float64(step)/7)
	return engine.Evaluation{Step: step, Epoch: float64(step) / fixtureBatches, Images: chartSlice,
		TestLoss: loss, TestAcc: 1 - loss/3}
}

// chartModel plays the chart story up to step `upto` at w×h.
func chartModel(t *testing.T, st styles, w, h, upto int) *model {
	t.Helper()
	m, _, _ := newTestModel(t, st, w, h)
	from := 1
	for step := 10; step <= upto; step += 10 {
		ep, b := (step-1)/fixtureBatches+1, (step-1)%fixtureBatches+1
		feed(m, progress(ep, b, from))
		from = step + 1
		switch step {
		case storyReLU:
			feed(m, engine.ActivationChanged{Step: step, Activation: engine.ReLU})
		case storyHalfLR:
			feed(m, engine.LRChanged{Step: step, LR: fixtureLR / 2})
		case storyHalfLR + 10:
			feed(m, engine.LRChanged{Step: step - 7, LR: fixtureLR}, engine.LRChanged{Step: step, LR: fixtureLR / 4})
		}
		if b == fixtureBatches {
			feed(m, storyEpochEnd(ep, step))
		} else if step%(fixtureBatches/4) == 0 {
			feed(m, quickEval(step))
		}
	}
	return m
}

// charts is the loss and the accuracy chart side by side.
func charts(m *model) string {
	return lipgloss.JoinHorizontal(lipgloss.Top, m.loss.view(), m.acc.view())
}

// TestChartsGolden renders both charts 2½ epochs into the chart story.
func TestChartsGolden(t *testing.T) {
	for _, sz := range sizes {
		m := chartModel(t, asciiStyles(), sz[0], sz[1], storyStep)
		golden(t, "charts-"+sizeName(sz), charts(m))
	}
	m := chartModel(t, asciiStyles(), 120, 40, storyStep)
	press(m, "L")
	golden(t, "charts-linear-120x40", charts(m))
	m = chartModel(t, asciiStyles(), 120, 40, 40)
	golden(t, "charts-early-120x40", charts(m))
}

// TestLogScaleDefault checks that the loss axis is linear until the loss
// has fallen tenfold, log after, and that L then decides for good.
func TestLogScaleDefault(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	batch := func(step int, loss float64) engine.Progress {
		return engine.Progress{Epoch: 1, Batch: step, Batches: fixtureBatches, Step: step, Losses: []float64{loss}, Accs: []float64{0.5}}
	}
	wantEq(t, "log scale with no data", m.loss.logScale(), false)
	feed(m, batch(1, 2.3))
	step := 1
	for loss := 2.3; loss > 0.5; loss *= 0.9 {
		step++
		feed(m, batch(step, loss))
	}
	wantEq(t, "log scale after a fall to ~1/4", m.loss.logScale(), false)
	if v := ansi.Strip(m.loss.view()); !strings.Contains(v, "linear scale (L)") {
		t.Errorf("loss chart does not say its scale is linear:\n%s", v)
	}
	for m.loss.ema > 0.2 {
		step++
		feed(m, batch(step, 0.1))
	}
	wantEq(t, "log scale after a tenfold fall", m.loss.logScale(), true)
	if v := ansi.Strip(m.loss.view()); !strings.Contains(v, "log scale (L)") {
		t.Errorf("loss chart does not say its scale is log:\n%s", v)
	}
	press(m, "L")
	wantEq(t, "log scale after L", m.loss.logScale(), false)
	step++
	feed(m, batch(step, 0.01))
	wantEq(t, "log scale after L and a further fall", m.loss.logScale(), false)
	press(m, "L")
	wantEq(t, "log scale after L twice", m.loss.logScale(), true)
	m.Update(press(m, "r")[0]())
	wantEq(t, "loss points after a restart", len(m.loss.batch), 0)
	wantEq(t, "log scale after L twice and a restart", m.loss.logScale(), true)
}

// TestMarkerMerge checks that markers a column or two apart are one line
// whose labels, widest first, each name every setting that changed there
// (the switch to sigmoid is not lost among rate changes), a lone change
// its new value, and that far ones are not merged. The axis turns events
// into markers, so what a change was from is the axis's own account of
// the settings in force; a step is a column.
func TestMarkerMerge(t *testing.T) {
	act := func(step int, a engine.Activation) engine.Event {
		return engine.ActivationChanged{Step: step, Activation: a}
	}
	lr := func(step int, v float64) engine.Event { return engine.LRChanged{Step: step, LR: v} }
	known := engine.RunInfo{Activation: engine.ReLU, LR: 0.003}
	tests := []struct {
		name string
		info engine.RunInfo
		evs  []engine.Event
		want [][]string // each line's labels, widest first
	}{
		{"one switch", known, []engine.Event{act(5, engine.Sigmoid)}, [][]string{{"→ sigmoid", "sigmoid", "act"}}},
		{"one rate", known, []engine.Event{lr(5, 0.006)}, [][]string{{"lr 0.006", "lr"}}},
		{"far apart", known, []engine.Event{act(5, engine.Sigmoid), lr(20, 0.0015)},
			[][]string{{"→ sigmoid", "sigmoid", "act"}, {"lr 0.0015", "lr"}}},
		{"three apart", known, []engine.Event{lr(10, 0.006), lr(13, 0.012)}, [][]string{{"lr 0.006", "lr"}, {"lr 0.012", "lr"}}},
		{"a burst of + keys", known, []engine.Event{lr(10, 0.006), lr(11, 0.012), lr(11, 0.024)},
			[][]string{{"lr 0.003→0.024", "lr 0.024", "lr ×8", "lr"}}},
		{"a burst of - keys", known, []engine.Event{lr(10, 0.0015), lr(11, 0.00075)},
			[][]string{{"lr 0.003→0.00075", "lr 0.00075", "lr ÷4", "lr"}}},
		{"+ then -: back where it was", known, []engine.Event{lr(10, 0.006), lr(11, 0.003)},
			[][]string{{"lr 0.003→0.003", "lr 0.003", "lr"}}},
		{"a run: within two of the first", known, []engine.Event{lr(10, 0.006), lr(12, 0.012), lr(14, 0.024), lr(15, 0.048), lr(16, 0.096)},
			[][]string{{"lr 0.003→0.012", "lr 0.012", "lr ×4", "lr"}, {"lr 0.012→0.096", "lr 0.096", "lr ×8", "lr"}}},
		{"switched away and back", known, []engine.Event{act(10, engine.Sigmoid), act(11, engine.ReLU)},
			[][]string{{"relu→…→relu", "→ relu", "relu", "act"}}},
		{"switched twice", known, []engine.Event{act(10, engine.Sigmoid), act(11, "tanh")},
			[][]string{{"relu→tanh", "→ tanh", "tanh", "act"}}},
		{"nothing known before", engine.RunInfo{}, []engine.Event{lr(10, 0.006), lr(11, 3221225472)},
			[][]string{{"lr 3.22e+09", "lr"}}},
		{"a switch and a rate", known, []engine.Event{act(10, engine.Sigmoid), lr(10, 0.0015)}, [][]string{{
			"→ sigmoid, lr 0.0015", "sigmoid, lr 0.0015", "act, lr 0.0015", "→ sigmoid, lr", "sigmoid, lr", "act+lr"}}},
		{"the audit's: a, then + four times", known,
			[]engine.Event{act(10, engine.Sigmoid), lr(10, 0.006), lr(11, 0.012), lr(11, 0.024), lr(12, 0.048)}, [][]string{{
				"→ sigmoid, lr 0.003→0.048", "sigmoid, lr 0.003→0.048", // 25, 23 cells
				"→ sigmoid, lr 0.048", "act, lr 0.003→0.048", // 19 each: in order of the switch's form
				"→ sigmoid, lr ×16", "sigmoid, lr 0.048", "sigmoid, lr ×16", "→ sigmoid, lr", // 17 … 13
				"act, lr 0.048", "sigmoid, lr", "act, lr ×16", "act+lr"}}}, // 13, 11, 11, 6
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newEpochAxis(tt.info)
			a.bpe = 1
			for _, ev := range tt.evs {
				a.update(ev)
			}
			cols := make([]int, len(a.markers))
			for i, m := range a.markers {
				cols[i] = int(m.x)
			}
			var got [][]string
			for _, g := range draw.MergeCols(cols) {
				ms := make([]marker, len(g))
				for i, j := range g {
					ms[i] = a.markers[j]
				}
				got = append(got, markerLabels(ms))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("markerLabels of draw.MergeCols(%+v) lines =\n%q\nwant\n%q", a.markers, got, tt.want)
			}
		})
	}
}

// TestMarkersDrawn plays the audit's keys, `a` and then `+` four times a
// batch apart, and checks that each chart draws one dotted line and
// labels it with both settings, at 140×45 with the values and at 80×24 in
// whatever words fit (never a bare count).
func TestMarkersDrawn(t *testing.T) {
	for _, tt := range []struct {
		w, h int
		want *regexp.Regexp // the label, on each chart
	}{
		{140, 45, regexp.MustCompile(`→ sigmoid, lr 0\.003→0\.048`)},
		{80, 24, regexp.MustCompile(`(sigmoid|act)(, |\+)lr`)},
	} {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			m, _, _ := newArchModel(t, asciiStyles(), tt.w, tt.h, "lenet5", engine.ReLU, fixtureLR)
			feed(m, progress(1, 100, 1), engine.ActivationChanged{Step: 60, Activation: engine.Sigmoid})
			lr := fixtureLR
			for step := 60; step < 64; step++ {
				lr *= 2
				feed(m, engine.LRChanged{Step: step, LR: lr})
			}
			for name, v := range map[string]string{"loss": m.loss.view(), "accuracy": m.acc.view()} {
				v = ansi.Strip(v)
				if strings.Contains(v, "┊┊") || strings.Contains(v, "┊ ┊") {
					t.Errorf("%s chart piles markers up:\n%s", name, v)
				}
				if strings.Contains(v, "×5") || strings.Contains(v, "×2") {
					t.Errorf("%s chart labels the line with a count:\n%s", name, v)
				}
				if !tt.want.MatchString(v) {
					t.Errorf("%s chart lacks a label matching %s:\n%s", name, tt.want, v)
				}
			}
		})
	}
}

// TestAccuracyCurve checks that the accuracy chart draws the EMA of every
// batch's accuracy, the quick evaluations and the epoch's full test.
func TestAccuracyCurve(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	accs := []float64{0.1, 0.5, 0.9}
	feed(m, engine.Progress{Epoch: 1, Batch: 3, Batches: fixtureBatches, Step: 3, Losses: []float64{2, 1, 0.5}, Accs: accs})
	wantEq(t, "accuracy points", len(m.acc.batch), 3)
	wantEq(t, "first point", m.acc.batch[0], draw.Point{X: 1.0 / fixtureBatches, Y: 10})
	want := 10 + emaAlpha*(50-10)
	want += emaAlpha * (90 - want)
	if got := m.acc.batch[2].Y; math.Abs(got-want) > 1e-9 {
		t.Errorf("EMA after 3 batches = %g, want %g", got, want)
	}
	feed(m, progress(1, 50, 4), quickEval(50))
	wantEq(t, "quick points", len(m.acc.quick), 1)
	wantEq(t, "quick point", m.acc.quick[0], draw.Point{X: 0.25, Y: 100 * quickEval(50).TestAcc})
	v := ansi.Strip(m.acc.view())
	for _, want := range []string{"━ train EMA α=0.05", "• test 500", "test 500 "} {
		if !strings.Contains(v, want) {
			t.Errorf("accuracy chart lacks %q:\n%s", want, v)
		}
	}
	if !strings.ContainsRune(v, glyphSlice) || !strings.ContainsFunc(v, func(r rune) bool { return r > 0x2800 && r <= 0x28FF }) {
		t.Errorf("accuracy chart lacks the quick test glyph or a braille curve:\n%s", v)
	}
	feed(m, progress(1, fixtureBatches, 51), engine.EpochEnd{Epoch: 1, Epochs: 3, Step: fixtureBatches, TestLoss: 0.2, TestAcc: 0.97})
	if v := ansi.Strip(m.acc.view()); !strings.ContainsRune(v, glyphFull) || !strings.Contains(v, "test 97.00%") {
		t.Errorf("accuracy chart lacks the full test point or its note:\n%s", v)
	}
}

// TestAccuracyRange checks when the accuracy chart shows the whole climb
// from 0% and when it zooms: a run that starts below the zoom (a fresh
// run at 10%) or has an activation switch in view starts at 0%; a run
// that starts high (loaded at 97%), with or without an lr change, zooms.
func TestAccuracyRange(t *testing.T) {
	// accs is a run of 200 batches whose accuracy goes from first to
	// last, the EMA of the chart following it.
	accs := func(first, last float64) engine.Progress {
		a := make([]float64, 200)
		for i := range a {
			a[i] = first + (last-first)*(1-math.Exp(-float64(i)/30))
		}
		return engine.Progress{Epoch: 2, Batch: 200 - fixtureBatches, Batches: fixtureBatches, Step: 200, Losses: make([]float64, 200), Accs: a}
	}
	for _, tt := range []struct {
		name string
		evs  []engine.Event
		zoom bool // the axis starts at 90% or above, else at 0%
	}{
		{"fresh run from 10%", []engine.Event{accs(0.10, 0.98)}, false},
		{"loaded run at 97%", []engine.Event{accs(0.97, 0.99)}, true},
		{"loaded run with an lr change", []engine.Event{engine.LRChanged{Step: 50, LR: fixtureLR / 2}, accs(0.97, 0.99)}, true},
		{"loaded run with a switch", []engine.Event{engine.ActivationChanged{Step: 50, Activation: engine.ReLU}, accs(0.97, 0.99)}, false},
		{"no data", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
			feed(m, tt.evs...)
			lo, hi := m.acc.yScale(12).Range()
			if hi != 100 || (tt.zoom && lo < 90) || (!tt.zoom && lo != 0) {
				t.Errorf("accChart.yScale(12).Range() = %g, %g, want 100 at the top and a zoom from ≥ 90%% %v", lo, hi, tt.zoom)
			}
			if v := ansi.Strip(m.acc.view()); tt.evs != nil && strings.Contains(v, " 0%┤") == tt.zoom {
				t.Errorf("accuracy chart's 0%% tick shown = %v, want %v:\n%s", !tt.zoom, !tt.zoom, v)
			}
		})
	}
}

// TestSharedXRange checks that both charts have the same x range and
// ticks, whatever the point of the run.
func TestSharedXRange(t *testing.T) {
	for _, upto := range []int{10, 50, 200, 210, storyStep} {
		m := chartModel(t, asciiStyles(), 140, 45, upto)
		if l, a := m.loss.span(), m.acc.span(); l != a || l != draw.EpochSpan(float64(upto)/fixtureBatches) {
			t.Errorf("after step %d: x spans loss %g, accuracy %g, want both %g", upto, l, a, draw.EpochSpan(float64(upto)/fixtureBatches))
		}
		lossLines, accLines := strings.Split(ansi.Strip(m.loss.view()), "\n"), strings.Split(ansi.Strip(m.acc.view()), "\n")
		n := len(lossLines)
		if len(accLines) != n || lossLines[n-2] != accLines[n-2] {
			t.Errorf("after step %d: x labels differ:\nloss     %s\naccuracy %s", upto, lossLines[n-2], accLines[n-2])
		}
	}
}

// TestChartLegends checks, in NO_COLOR styles, that the train and test
// series are told apart by glyph and name, and that nothing of the legends
// is cut: all of it from 120×40, the series' names at 80×24.
func TestChartLegends(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sizeName(sz), func(t *testing.T) {
			m := chartModel(t, asciiStyles(), sz[0], sz[1], storyStep)
			want := []string{"━ train EMA α=0.05", "• test 500", "◆ test 1k", "┊ switch"}
			if sz[0] < 120 {
				want = []string{"━ train", "•◆ test"}
			}
			for name, v := range map[string]string{"loss": m.loss.view(), "accuracy": m.acc.view()} {
				v = ansi.Strip(v)
				for _, w := range want {
					if !strings.Contains(v, w) {
						t.Errorf("%s chart at %v lacks %q:\n%s", name, sz, w, v)
					}
				}
				if strings.Contains(v, "…") {
					t.Errorf("%s chart at %v cuts something:\n%s", name, sz, v)
				}
			}
		})
	}
}

// TestChartsPaced checks that training points alone draw the charts again
// only once chartEvery frames' worth of time has passed since they were
// last drawn, and that a pause draws them at once.
func TestChartsPaced(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	m.interval = frameInterval
	batch := func(step int) engine.Progress {
		return engine.Progress{Epoch: 3, Batch: step - 2*fixtureBatches, Batches: fixtureBatches, Step: step,
			Losses: []float64{3}, Accs: []float64{0.05}} // a spike: the line's end must move
	}
	step := storyStep + 1
	m.apply(batch(step))
	t0 := time.Now()
	m.paceCharts(t0, true) // drawn now
	before := m.loss.view()
	for i, dt := range []time.Duration{0, frameInterval, 2 * frameInterval} {
		step++
		m.apply(batch(step))
		m.paceCharts(t0.Add(dt), false)
		if got := m.loss.view(); got != before {
			t.Fatalf("frame %d (%v after the last drawing): the loss chart was drawn again; want it held back until %v", i, dt, chartEvery*frameInterval/2)
		}
	}
	m.paceCharts(t0.Add(chartEvery*frameInterval/2), false)
	if m.loss.view() == before {
		t.Fatalf("%v after the last drawing, the loss chart still shows none of the new points", chartEvery*frameInterval/2)
	}
	drawn := m.loss.view()
	step++
	m.apply(batch(step))
	m.apply(engine.StateChanged{Paused: true})
	m.paceCharts(t0.Add(chartEvery*frameInterval/2+time.Millisecond), m.state != stateTraining)
	if m.loss.view() == drawn {
		t.Error("paused: the loss chart does not show the last point at once")
	}
}
