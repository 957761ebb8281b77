package tui

import (
	"math"
	"slices"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
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
	glyphTrain  = "━" // the legend's sample of a braille line
	glyphSlice  = '•' // a test on the quick slice
	glyphFull   = '◆' // a test on the whole test set
	glyphMarker = '┊' // a setting changed
	glyphEpoch  = '╎' // an epoch boundary
)

// point is one data point of a chart series.
type point struct{ x, y float64 }

// series is one line of a chart: a braille line through its points, or
// one glyph at each point.
type series struct {
	pts   []point
	style lipgloss.Style
	glyph rune // 0 for a line
}

// emaLine is the EMA of a per-batch value, one point per batch.
type emaLine struct {
	ema   float64
	ok    bool
	batch []point // (epoch, EMA) after every batch
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
		e.batch = append(e.batch, point{float64(first+i) / float64(max(bpe, 1)), e.ema})
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
func (a *epochAxis) span() float64 { return epochSpan(a.last) }

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

// markGroup is the markers drawn as one line, at the column of the first.
type markGroup struct {
	col     int
	changes []change // one per kind, in order of first appearance
}

// yLabelCells is the width kept for y labels at the least: "100%", "0.05".
const yLabelCells = 4

// mergeCells is how close, in columns, markers are merged into one.
const mergeCells = 2

// mergeMarkers groups markers (in order of x) by column: a marker within
// mergeCells columns of a group's first one joins it, so that lines are
// more than mergeCells apart and a group spans no more than that.
func mergeMarkers(ms []marker, col func(x float64) int) []markGroup {
	var gs []markGroup
	for _, m := range ms {
		c := col(m.x)
		if len(gs) == 0 || c-gs[len(gs)-1].col > mergeCells {
			gs = append(gs, markGroup{col: c})
		}
		g := &gs[len(gs)-1]
		i := slices.IndexFunc(g.changes, func(ch change) bool { return ch.kind == m.kind })
		if i < 0 {
			g.changes = append(g.changes, change{kind: m.kind, from: m.from, factor: 1})
			i = len(g.changes) - 1
		}
		ch := &g.changes[i]
		ch.to, ch.n = m.to, ch.n+1
		ch.factor *= m.factor // 0 once any step is unknown
	}
	return gs
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

// labels are the group's labels, widest first: every combination of a
// form of each change, joined by ", ", and last the settings' names alone
// joined by "+" ("act+lr"). So each label names every setting the line
// stands for, and the widest that fits says the most.
func (g markGroup) labels() []string {
	if len(g.changes) == 0 {
		return nil
	}
	combos := []string{""}
	for i, ch := range g.changes {
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
	if len(g.changes) > 1 {
		names := make([]string, len(g.changes))
		for i, ch := range g.changes {
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

// plot is one frame of a chart: the shared x span, the y scale for a given
// number of rows, the series (drawn in order, later over earlier) and the
// markers.
type plot struct {
	xSpan   float64
	yScale  func(rows int) scale
	lines   []series
	markers []marker
}

// draw renders p in w×h cells on an ntcharts canvas: y labels and axis, the
// series, the markers with their labels where they hide no data, the epoch
// boundaries in the cells left empty, and the x axis with its labels. Every
// call draws the whole chart from the data, so a push or a resize always
// shows (STYLE.md 16).
func (p plot) draw(w, h int, st styles) string {
	gh := h - 2 // the x axis and its labels take the last two rows
	if w < 8 || gh < 1 {
		return ""
	}
	ys := p.yScale(gh)
	lw := yLabelCells // the same on both charts, so their x ticks match
	for _, t := range ys.ticks {
		lw = max(lw, lipgloss.Width(t.label))
	}
	gw := w - lw - 1
	if gw < 2 {
		return ""
	}
	xs := epochScale(p.xSpan, gw)
	c := canvas.New(w, h)
	g := grid{c: &c, x0: lw + 1, gw: gw, gh: gh, xs: xs, ys: ys}

	graph.DrawXYAxis(&c, canvas.Point{X: lw, Y: gh}, st.Axis)
	for _, t := range ys.ticks {
		r := g.row(t.v)
		c.SetStringWithStyle(canvas.Point{X: lw - lipgloss.Width(t.label), Y: r}, t.label, st.Axis)
		c.SetCell(canvas.Point{X: lw, Y: r}, canvas.NewCellWithStyle('┤', st.Axis))
	}
	for _, s := range p.lines {
		if s.glyph == 0 {
			g.line(s)
		} else {
			g.glyphs(s)
		}
	}
	g.markers(p.markers, st.Marker)
	g.epochs(st.Axis)
	g.xLabels(st.Axis)
	return c.View()
}

// grid is the plotting area of a chart's canvas: gw×gh cells from column
// x0, row 0, with the scales of both axes.
type grid struct {
	c      *canvas.Model
	x0     int
	gw, gh int
	xs, ys scale
}

// col and row are the cell of a value, as ntcharts' braille grid puts it.
func (g grid) col(x float64) int { return g.x0 + cellOf(g.xs.frac(x), g.gw, 2) }
func (g grid) row(y float64) int { return g.gh - 1 - cellOf(g.ys.frac(y), g.gh, 4) }

// inY reports whether y is on the chart (with half a dot to spare).
func (g grid) inY(y float64) bool {
	f := g.ys.frac(y)
	tol := 0.5 / float64(4*g.gh)
	return f >= -tol && f <= 1+tol
}

// line draws s as a braille line through the mean of the points in each
// column of braille dots (a column holds many batches on a narrow chart;
// the line through all of them would be a smear of their noise): a gap at
// a non-finite value, and the part of a segment off the chart cut at its
// edge.
func (g grid) line(s series) {
	bg := graph.NewBrailleGrid(g.gw, g.gh, 0, 1, 0, 1)
	dots := float64(2*g.gw - 1)
	tol := 0.5 / float64(4*g.gh)
	in := func(f float64) bool { return f >= -tol && f <= 1+tol }
	dot := func(col, f float64) canvas.Point {
		return bg.GridPoint(canvas.Float64Point{X: col / dots, Y: math.Max(0, math.Min(1, f))})
	}
	type mean struct {
		col, sum float64
		n        int
	}
	var prev, cur mean
	flush := func() {
		if cur.n == 0 {
			return
		}
		f := cur.sum / float64(cur.n)
		switch {
		case prev.n > 0 && (in(prev.sum) || in(f)):
			for _, q := range graph.GetLinePoints(dot(prev.col, prev.sum), dot(cur.col, f)) {
				bg.Set(q)
			}
		case prev.n == 0 && in(f):
			bg.Set(dot(cur.col, f))
		}
		prev, cur = mean{cur.col, f, 1}, mean{}
	}
	for _, pt := range s.pts {
		f := g.ys.frac(pt.y)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			flush()
			prev = mean{}
			continue
		}
		col := math.Round(g.xs.frac(pt.x) * dots)
		if cur.n > 0 && col != cur.col {
			flush()
		}
		cur.col, cur.sum, cur.n = col, cur.sum+f, cur.n+1
	}
	flush()
	graph.DrawBraillePatterns(g.c, canvas.Point{X: g.x0, Y: 0}, bg.BraillePatterns(), s.style)
}

// glyphs draws s's glyph at each of its points on the chart.
func (g grid) glyphs(s series) {
	for _, pt := range s.pts {
		if math.IsNaN(pt.y) || math.IsInf(pt.y, 0) || !g.inY(pt.y) {
			continue
		}
		g.c.SetCell(canvas.Point{X: g.col(pt.x), Y: g.row(pt.y)}, canvas.NewCellWithStyle(s.glyph, s.style))
	}
}

// empty reports whether the cell at (x, y) of the plotting area is free.
func (g grid) empty(x, y int) bool {
	return x >= g.x0 && x < g.x0+g.gw && y >= 0 && y < g.gh && g.c.Cell(canvas.Point{X: x, Y: y}).Rune == 0
}

// markers draws the markers, merged by column, as dotted lines in the
// cells the series left empty, then labels each where it hides nothing.
func (g grid) markers(ms []marker, st lipgloss.Style) {
	var in []marker
	for _, m := range ms {
		if m.x >= g.xs.lo && m.x <= g.xs.hi {
			in = append(in, m)
		}
	}
	groups := mergeMarkers(in, g.col)
	for _, m := range groups {
		for y := range g.gh {
			if g.empty(m.col, y) {
				g.c.SetCell(canvas.Point{X: m.col, Y: y}, canvas.NewCellWithStyle(glyphMarker, st))
			}
		}
	}
	for _, m := range groups {
		g.label(m.col, m.labels(), st)
	}
}

// label writes the widest of labels that fits beside the line at column
// col, on the highest row where it and a cell of space each side cover
// nothing: right of the line if any label fits there (a label reads as
// the line's on its right), else left of it (not beside a y label); it
// reports whether one fitted.
func (g grid) label(col int, labels []string, st lipgloss.Style) bool {
	free := func(from, n, y int) bool {
		for x := from; x < from+n; x++ {
			if !g.empty(x, y) {
				return false
			}
		}
		if from == g.x0 && g.c.Cell(canvas.Point{X: g.x0 - 1, Y: y}).Rune != '│' {
			return false // beside a y label it would read as one
		}
		for _, x := range []int{from - 1, from + n} {
			if x != col && x >= g.x0 && x < g.x0+g.gw && !g.empty(x, y) {
				return false
			}
		}
		return true
	}
	for _, right := range []bool{true, false} {
		for _, s := range labels {
			n := lipgloss.Width(s)
			from := col - n
			if right {
				from = col + 1
			}
			for y := range g.gh {
				if free(from, n, y) {
					g.c.SetStringWithStyle(canvas.Point{X: from, Y: y}, s, st)
					return true
				}
			}
		}
	}
	return false
}

// epochs draws the epoch boundaries inside the chart as faint lines in
// the empty cells: every epoch when they are at least 4 columns apart,
// else the epochs that are x ticks.
func (g grid) epochs(st lipgloss.Style) {
	every := float64(g.gw)/(g.xs.hi-g.xs.lo) >= 4
	var at []float64
	if every {
		for e := math.Floor(g.xs.lo) + 1; e < g.xs.hi; e++ {
			at = append(at, e)
		}
	} else {
		for _, t := range g.xs.ticks {
			if t.v > g.xs.lo && t.v < g.xs.hi && t.v == math.Trunc(t.v) {
				at = append(at, t.v)
			}
		}
	}
	for _, e := range at {
		x := g.col(e)
		for y := range g.gh {
			if g.empty(x, y) {
				g.c.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCellWithStyle(glyphEpoch, st))
			}
		}
	}
}

// xLabels marks the x ticks on the axis and writes their labels under
// them, centred, leaving out a label that would touch the one before.
func (g grid) xLabels(st lipgloss.Style) {
	w := g.c.Width()
	end := -2
	for _, t := range g.xs.ticks {
		x := g.col(t.v)
		if x > g.x0 {
			g.c.SetCell(canvas.Point{X: x, Y: g.gh}, canvas.NewCellWithStyle('┬', st))
		}
		n := lipgloss.Width(t.label)
		from := max(0, min(x-(n-1)/2, w-n))
		if from <= end+1 {
			continue
		}
		g.c.SetStringWithStyle(canvas.Point{X: from, Y: g.gh + 1}, t.label, st)
		end = from + n - 1
	}
}

// legendEntry is one item of a legend: its glyph (rendered in its series'
// style) and its name.
type legendEntry struct{ glyph, name string }

// legend renders the first of the variants whose entries, two spaces
// apart, wrap into at most lines lines of w cells; if none does, the last
// variant's entries that fit on one line.
func legend(st styles, w, lines int, variants ...[]legendEntry) string {
	render := func(e legendEntry) string { return e.glyph + " " + st.Label.Render(e.name) }
	for _, v := range variants {
		var out []string
		cur, ok := "", true
		for _, e := range v {
			r := render(e)
			switch {
			case lipgloss.Width(r) > w:
				ok = false
			case cur == "":
				cur = r
			case lipgloss.Width(cur)+2+lipgloss.Width(r) <= w:
				cur += "  " + r
			default:
				out, cur = append(out, cur), r
			}
		}
		if cur != "" {
			out = append(out, cur)
		}
		if ok && len(out) <= lines {
			return strings.Join(out, "\n")
		}
	}
	last := variants[len(variants)-1]
	for n := len(last); n > 1; n-- {
		parts := make([]string, n)
		for i, e := range last[:n] {
			parts[i] = render(e)
		}
		if l := strings.Join(parts, "  "); lipgloss.Width(l) <= w {
			return l
		}
	}
	if len(last) == 0 {
		return ""
	}
	return ansi.Truncate(render(last[0]), w, "…")
}

// legendLines is how many lines a chart of inner height ih gives its
// legend: two from 12 rows, else one.
func legendLines(ih int) int {
	if ih >= 12 {
		return 2
	}
	return 1
}

// imagesLabel names a count of test images shortly: 1k, 10k, 500, 1.5k.
func imagesLabel(n int) string {
	if n >= 1000 {
		return num(float64(n)/1000) + "k"
	}
	return engine.Thousands(n)
}

// truncate cuts s to at most n cells, ending with '…' when cut.
func truncate(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// testSeries are the test measurements of a chart: on the quick slice at
// every Evaluation and on the whole test set at every epoch's end.
type testSeries struct {
	quick  []point // (epoch, value) of every Evaluation
	test   []point // (epoch, value) of every EpochEnd
	quickN int     // test images of an Evaluation
	testN  int     // test images of an EpochEnd: the whole test set
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
	var tests, both []legendEntry
	var glyphs string
	if len(t.quick) > 0 {
		tests = append(tests, legendEntry{slice, named(t.quickN)})
		glyphs += slice
	}
	if len(t.test) > 0 {
		tests = append(tests, legendEntry{full, named(t.testN)})
		glyphs += full
	}
	if glyphs != "" {
		both = append(both, legendEntry{glyphs, "test"})
	}
	var sw []legendEntry
	if markers {
		sw = append(sw, legendEntry{st.Marker.Render(string(glyphMarker)), "switch"})
	}
	join := func(parts ...[]legendEntry) []legendEntry {
		var out []legendEntry
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	long := []legendEntry{{tr, train + " EMA α=" + num(emaAlpha)}}
	short := []legendEntry{{tr, train}}
	return legend(st, iw, legendLines(ih),
		join(long, tests, sw), join(short, tests, sw), join(short, both, sw), join(short, both))
}

// update records the test measurements in ev, with value picking the loss
// or the accuracy; it reports whether there was one.
func (t *testSeries) update(ev engine.Event, value func(loss, acc float64) float64) bool {
	switch e := ev.(type) {
	case engine.Evaluation:
		t.quick = append(t.quick, point{e.Epoch, value(e.TestLoss, e.TestAcc)})
		t.quickN = e.Images
	case engine.EpochEnd:
		t.test = append(t.test, point{float64(e.Epoch), value(e.TestLoss, e.TestAcc)})
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
func drawChart(st styles, iw, ih int, ax *epochAxis, train *emaLine, test *testSeries, yScale func(rows int) scale) string {
	p := plot{
		xSpan:  ax.span(),
		yScale: yScale,
		lines: []series{
			{pts: train.batch, style: st.SeriesTrain},
			{pts: test.quick, style: st.SeriesTest, glyph: glyphSlice},
			{pts: test.test, style: st.SeriesTest, glyph: glyphFull},
		},
		markers: ax.markers,
	}
	leg := test.legend(st, iw, ih, "train", len(ax.markers) > 0)
	return leg + "\n" + p.draw(iw, ih-lipgloss.Height(leg), st)
}
