package tui

import (
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// The two charts share one x axis in epochs (fractional), from 0 to the
// same end (epochSpan of the furthest epoch reached), because both see
// every event and keep it in the same epochAxis; their y labels take the
// same width, so their x ticks fall on the same columns too. On both, the
// training series is a braille line through the EMA after every batch,
// the test series are glyphs (• on the quick test slice, ◆ on the whole
// test set) so that they are told apart without colour, epoch boundaries
// are faint lines, and a setting change is a dotted line with a label,
// nearby ones merged into one. Ticks are in ticks.go.

// emaAlpha smooths the per-batch training loss and accuracy:
// ema ← α·x + (1−α)·ema, started at the first batch's value. With α = 0.05
// a point averages roughly the last 20 batches.
const emaAlpha = 0.05

// Glyphs of the series and marks, shared by the charts and their legends.
const (
	glyphTrain = "━" // the legend's sample of a braille line
	glyphSlice = '•' // a test on the quick slice
	glyphFull  = '◆' // a test on the whole test set
)

// emaLine is the EMA of a per-batch value, one point per batch.
type emaLine struct {
	ema    float64
	ok     bool
	batch  []draw.Point // (epoch, EMA) after every batch
	behind bool         // points came since the chart was last drawn (chartpace.go)
}

// add takes the values of the batches ending at steps first, first+1, …
// of an epoch of bpe batches; non-finite values are skipped.
func (e *emaLine) add(first, bpe int, vals []float64) {
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if !e.ok {
			e.ema, e.ok = v, true
		} else {
			e.ema = emaAlpha*v + (1-emaAlpha)*e.ema
		}
		e.batch = append(e.batch, draw.Point{X: float64(first+i) / float64(max(bpe, 1)), Y: e.ema})
		e.behind = true
	}
}

// epochAxis is what both charts know of the x axis: batches per epoch, the
// furthest epoch reached and the setting changes, from the same events.
// It follows the settings in force (act, lr) so that a marker knows what a
// change was from.
type epochAxis struct {
	bpe     int
	last    float64 // epochs trained so far
	markers []marker
	act     string  // the activation in force, "" while unknown
	lr      float64 // the learning rate in force, 0 while unknown
}

func newEpochAxis(info engine.RunInfo) epochAxis {
	bpe := 1
	if info.Batch > 0 && info.TrainCount > 0 {
		bpe = (info.TrainCount + info.Batch - 1) / info.Batch
	}
	return epochAxis{bpe: bpe, act: info.Activation.String(), lr: info.LR}
}

// update follows the run's progress and turns ActivationChanged and
// LRChanged into markers; it reports whether ev concerned the axis.
func (a *epochAxis) update(ev engine.Event) bool {
	switch e := ev.(type) {
	case engine.Progress:
		if e.Batches > 0 {
			a.bpe = e.Batches
		}
		a.last = math.Max(a.last, float64(e.Step)/float64(max(a.bpe, 1)))
	case engine.Evaluation:
		a.last = math.Max(a.last, e.Epoch)
	case engine.EpochEnd:
		a.last = math.Max(a.last, float64(e.Epoch))
	case engine.ActivationChanged:
		to := e.Activation.String()
		a.markers = append(a.markers, marker{x: a.at(e.Step), kind: kindAct, from: a.act, to: to})
		a.act = to
	case engine.LRChanged:
		m := marker{x: a.at(e.Step), kind: kindLR, to: num(e.LR)}
		if a.lr > 0 {
			m.from, m.factor = num(a.lr), e.LR/a.lr
		}
		a.markers = append(a.markers, m)
		a.lr = e.LR
	default:
		return false
	}
	return true
}

// at is the epoch at the end of step.
func (a *epochAxis) at(step int) float64 { return float64(step) / float64(max(a.bpe, 1)) }

// span is the end of the x axis.
func (a *epochAxis) span() float64 { return draw.EpochSpan(a.last) }

// stepMarker marks the batch where a setting changed: the new setting is in
// force from step+1. The flow panel keeps its activation switches so.
type stepMarker struct {
	step  int
	label string
}

// The kinds of setting a marker stands for.
const (
	kindAct = "act"
	kindLR  = "lr"
)

// marker is a vertical line at x where a setting (kind) changed from one
// value to another, both formatted ("relu", "0.006"); from is "" when the
// value before is unknown. factor is new/old of a learning rate, 0 when
// unknown or not a rate.
type marker struct {
	x        float64
	kind     string
	from, to string
	factor   float64
}

// change is what a group of markers did to one setting: from the value
// before its first change to the value after its last, in n changes, the
// rate multiplied by factor (0 when unknown).
type change struct {
	kind     string
	from, to string
	n        int
	factor   float64
}

// changes is what the markers drawn as one line (draw.MergeCols) did:
// one change per kind, in order of first appearance.
func changes(ms []marker) []change {
	var out []change
	for _, m := range ms {
		i := slices.IndexFunc(out, func(ch change) bool { return ch.kind == m.kind })
		if i < 0 {
			out = append(out, change{kind: m.kind, from: m.from, factor: 1})
			i = len(out) - 1
		}
		ch := &out[i]
		ch.to, ch.n = m.to, ch.n+1
		ch.factor *= m.factor // 0 once any step is unknown
	}
	return out
}

// forms are the ways to name a change, most telling first; each says
// which setting changed, the last in the fewest cells ("act", "lr"):
//
//	one switch     → sigmoid, sigmoid, act
//	several        relu→sigmoid (or relu→…→relu), → sigmoid, sigmoid, act
//	one rate       lr 0.006, lr
//	several        lr 0.006→0.048, lr 0.048, lr ×8, lr
func (c change) forms() []string {
	if c.kind == kindAct {
		out := []string{"→ " + c.to, c.to, kindAct}
		switch {
		case c.n == 1 || c.from == "":
		case c.from == c.to: // switched away and back
			out = append([]string{c.from + "→…→" + c.to}, out...)
		default:
			out = append([]string{c.from + "→" + c.to}, out...)
		}
		return out
	}
	lr := kindLR + " " + c.to
	if c.n == 1 {
		return []string{lr, kindLR}
	}
	var out []string
	if c.from != "" {
		out = append(out, kindLR+" "+c.from+"→"+c.to)
	}
	out = append(out, lr)
	switch f := c.factor; {
	case f > 1+1e-9:
		out = append(out, kindLR+" ×"+num(f))
	case f > 0 && f < 1-1e-9:
		out = append(out, kindLR+" ÷"+num(1/f))
	}
	return append(out, kindLR)
}

// markerLabels are the labels of the markers drawn as one line, widest
// first: every combination of a form of each change, joined by ", ", and
// last the settings' names alone joined by "+" ("act+lr"). So each label
// names every setting the line stands for, and the widest that fits says
// the most.
func markerLabels(ms []marker) []string {
	chs := changes(ms)
	if len(chs) == 0 {
		return nil
	}
	combos := []string{""}
	for i, ch := range chs {
		var next []string
		for _, c := range combos {
			for _, f := range ch.forms() {
				if i > 0 {
					f = c + ", " + f
				}
				next = append(next, f)
			}
		}
		combos = next
	}
	if len(chs) > 1 {
		names := make([]string, len(chs))
		for i, ch := range chs {
			names[i] = ch.kind
		}
		combos[len(combos)-1] = strings.Join(names, "+")
	}
	var out []string
	for _, c := range combos {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return lipgloss.Width(b) - lipgloss.Width(a) })
	return out
}

// imagesLabel names a count of test images shortly: 1k, 10k, 500, 1.5k.
func imagesLabel(n int) string {
	if n >= 1000 {
		return num(float64(n)/1000) + "k"
	}
	return engine.Thousands(n)
}

// testSeries are the test measurements of a chart: on the quick slice at
// every Evaluation and on the whole test set at every epoch's end.
type testSeries struct {
	quick  []draw.Point // (epoch, value) of every Evaluation
	test   []draw.Point // (epoch, value) of every EpochEnd
	quickN int          // test images of an Evaluation
	testN  int          // test images of an EpochEnd: the whole test set
}

// legend is the legend of a chart whose training series is named train:
// with α and the test image counts where there is room, the two test
// series as one entry where there is not; an entry shows once its series
// has data.
func (t testSeries) legend(st styles, iw, ih int, train string, markers bool) string {
	tr := st.SeriesTrain.Render(glyphTrain)
	slice, full := st.SeriesTest.Render(string(glyphSlice)), st.SeriesTest.Render(string(glyphFull))
	named := func(n int) string {
		if n <= 0 {
			return "test"
		}
		return "test " + imagesLabel(n)
	}
	var tests, both []draw.LegendEntry
	var glyphs string
	if len(t.quick) > 0 {
		tests = append(tests, draw.LegendEntry{Glyph: slice, Name: named(t.quickN)})
		glyphs += slice
	}
	if len(t.test) > 0 {
		tests = append(tests, draw.LegendEntry{Glyph: full, Name: named(t.testN)})
		glyphs += full
	}
	if glyphs != "" {
		both = append(both, draw.LegendEntry{Glyph: glyphs, Name: "test"})
	}
	var sw []draw.LegendEntry
	if markers {
		sw = append(sw, draw.LegendEntry{Glyph: st.Marker.Render(string(draw.GlyphMark)), Name: "switch"})
	}
	join := func(parts ...[]draw.LegendEntry) []draw.LegendEntry {
		var out []draw.LegendEntry
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	long := []draw.LegendEntry{{Glyph: tr, Name: train + " EMA α=" + num(emaAlpha)}}
	short := []draw.LegendEntry{{Glyph: tr, Name: train}}
	return draw.Legend(st.Label, iw, draw.LegendLines(ih),
		join(long, tests, sw), join(short, tests, sw), join(short, both, sw), join(short, both))
}

// update records the test measurements in ev, with value picking the loss
// or the accuracy; it reports whether there was one.
func (t *testSeries) update(ev engine.Event, value func(loss, acc float64) float64) bool {
	switch e := ev.(type) {
	case engine.Evaluation:
		t.quick = append(t.quick, draw.Point{X: e.Epoch, Y: value(e.TestLoss, e.TestAcc)})
		t.quickN = e.Images
	case engine.EpochEnd:
		t.test = append(t.test, draw.Point{X: float64(e.Epoch), Y: value(e.TestLoss, e.TestAcc)})
	default:
		return false
	}
	return true
}

// rowsGap is how many rows apart y ticks are on a chart of rows rows.
func rowsGap(rows int) int {
	if rows >= 6 {
		return 2
	}
	return 1
}

// drawChart is the body both charts share: the legend over the plot of the
// train line, the quick test slice (•) and the full test set (◆) against
// epochs, with the switches marked, in iw×ih cells.
func drawChart(st styles, sheet *draw.Sheet, iw, ih int, ax *epochAxis, train *emaLine, test *testSeries, yScale func(rows int) draw.Scale) string {
	p := draw.Plot{
		XSpan:  ax.span(),
		YScale: yScale,
		Lines: []draw.Series{
			{Pts: train.batch, Style: st.SeriesTrain},
			{Pts: test.quick, Style: st.SeriesTest, Glyph: glyphSlice},
			{Pts: test.test, Style: st.SeriesTest, Glyph: glyphFull},
		},
		Axis: st.Axis, Marker: st.Marker,
	}
	p.Marks, p.MarkLabels = ax.marks()
	leg := test.legend(st, iw, ih, "train", len(ax.markers) > 0)
	return leg + "\n" + p.DrawOn(sheet, iw, ih-lipgloss.Height(leg))
}

// marks are the markers as a plot takes them: their x, and the labels of
// those the plot draws as one line.
func (a *epochAxis) marks() (xs []float64, labels func(marks []int) []string) {
	ms := a.markers
	xs = make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = m.x
	}
	return xs, func(marks []int) []string {
		group := make([]marker, len(marks))
		for i, j := range marks {
			group[i] = ms[j]
		}
		return markerLabels(group)
	}
}
