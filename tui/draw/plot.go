package draw

import (
	"math"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/charmbracelet/lipgloss"
)

// A plot is a chart of series against an x axis from 0 that reads in
// whole units (epochs), drawn on an ntcharts canvas: y labels and axis,
// braille lines and glyphs, vertical marks with labels where they hide no
// data, the unit boundaries in the cells left empty, and the x axis with
// its labels.

// Glyphs of the lines the plot draws itself, for legends to show.
const (
	GlyphMark = '┊' // a mark (Plot.Marks)
	GlyphUnit = '╎' // a whole unit of the x axis (an epoch)
)

// Point is one data point of a series.
type Point struct{ X, Y float64 }

// Series is one line of a plot: a braille line through its points, or
// one glyph at each point.
type Series struct {
	Pts   []Point
	Style lipgloss.Style
	Glyph rune // 0 for a line
}

// Plot is one frame of a chart: the x span, the y scale for a given
// number of rows, the series (drawn in order, later over earlier) and the
// marks.
type Plot struct {
	XSpan  float64 // the x axis runs from 0 to XSpan
	YScale func(rows int) Scale
	Lines  []Series
	// Marks are the x of vertical dotted lines, in order; marks within
	// MergeCells columns of each other are one line (see MergeCols).
	Marks []float64
	// MarkLabels are the labels of one line, for the marks (indices into
	// Marks) drawn as it, widest first: the widest that fits is written.
	MarkLabels func(marks []int) []string
	// Axis styles the axes, their labels and the unit boundaries; Marker
	// the marks and their labels.
	Axis, Marker lipgloss.Style
}

// YLabelCells is the width kept for y labels at the least: "100%", "0.05".
// Plots of the same width share their x ticks' columns.
const YLabelCells = 4

// MergeCells is how close, in columns, marks are merged into one line.
const MergeCells = 2

// MergeCols groups marks (in order, at columns cols) into lines: a mark
// within MergeCells columns of a group's first one joins it, so that lines
// are more than MergeCells apart and a group spans no more than that. A
// group is the marks' indices; its line is at the column of the first.
func MergeCols(cols []int) [][]int {
	var gs [][]int
	first := 0
	for i, c := range cols {
		if len(gs) == 0 || c-first > MergeCells {
			gs, first = append(gs, nil), c
		}
		gs[len(gs)-1] = append(gs[len(gs)-1], i)
	}
	return gs
}

// Draw renders p in w×h cells: y labels and axis, the series, the marks
// with their labels where they hide no data, the unit boundaries in the
// cells left empty, and the x axis with its labels. Every call draws the
// whole chart from the data, so a push or a resize always shows (STYLE.md
// 16). It is "" when w×h is too small for a chart.
func (p Plot) Draw(w, h int) string { return p.DrawOn(nil, w, h) }

// Sheet is a canvas kept from one drawing to the next of a chart that is
// drawn again and again: a canvas cell holds a whole lipgloss style, so a
// 200-column screen's chart is a couple of megabytes to allocate and for
// the collector to scan each time, where wiping the old one is a copy.
type Sheet struct {
	c canvas.Model
}

// get returns the sheet's canvas, blank, at w×h.
func (s *Sheet) get(w, h int) *canvas.Model {
	if s.c.Width() != w || s.c.Height() != h {
		s.c = canvas.New(w, h)
	} else {
		s.c.Fill(canvas.Cell{})
	}
	return &s.c
}

// DrawOn is Draw on the canvas of s, which may be nil (a new canvas).
func (p Plot) DrawOn(s *Sheet, w, h int) string {
	gh := h - 2 // the x axis and its labels take the last two rows
	if w < 8 || gh < 1 {
		return ""
	}
	ys := p.YScale(gh)
	lw := YLabelCells // the same on every chart, so their x ticks match
	for _, t := range ys.ticks {
		lw = max(lw, lipgloss.Width(t.label))
	}
	gw := w - lw - 1
	if gw < 2 {
		return ""
	}
	xs := epochScale(p.XSpan, gw)
	if s == nil {
		s = new(Sheet)
	}
	c := s.get(w, h)
	g := grid{c: c, x0: lw + 1, gw: gw, gh: gh, xs: xs, ys: ys}

	graph.DrawXYAxis(c, canvas.Point{X: lw, Y: gh}, p.Axis)
	for _, t := range ys.ticks {
		r := g.row(t.v)
		c.SetStringWithStyle(canvas.Point{X: lw - lipgloss.Width(t.label), Y: r}, t.label, p.Axis)
		c.SetCell(canvas.Point{X: lw, Y: r}, canvas.NewCellWithStyle('┤', p.Axis))
	}
	for _, s := range p.Lines {
		if s.Glyph == 0 {
			g.line(s)
		} else {
			g.glyphs(s)
		}
	}
	g.marks(p.Marks, p.MarkLabels, p.Marker)
	g.epochs(p.Axis)
	g.xLabels(p.Axis)
	return view(c, w, h)
}

// grid is the plotting area of a chart's canvas: gw×gh cells from column
// x0, row 0, with the scales of both axes.
type grid struct {
	c      *canvas.Model
	x0     int
	gw, gh int
	xs, ys Scale
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
func (g grid) line(s Series) {
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
	for _, pt := range s.Pts {
		f := g.ys.frac(pt.Y)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			flush()
			prev = mean{}
			continue
		}
		col := math.Round(g.xs.frac(pt.X) * dots)
		if cur.n > 0 && col != cur.col {
			flush()
		}
		cur.col, cur.sum, cur.n = col, cur.sum+f, cur.n+1
	}
	flush()
	graph.DrawBraillePatterns(g.c, canvas.Point{X: g.x0, Y: 0}, bg.BraillePatterns(), s.Style)
}

// glyphs draws s's glyph at each of its points on the chart.
func (g grid) glyphs(s Series) {
	for _, pt := range s.Pts {
		if math.IsNaN(pt.Y) || math.IsInf(pt.Y, 0) || !g.inY(pt.Y) {
			continue
		}
		g.c.SetCell(canvas.Point{X: g.col(pt.X), Y: g.row(pt.Y)}, canvas.NewCellWithStyle(s.Glyph, s.Style))
	}
}

// empty reports whether the cell at (x, y) of the plotting area is free.
func (g grid) empty(x, y int) bool {
	return x >= g.x0 && x < g.x0+g.gw && y >= 0 && y < g.gh && g.c.Cell(canvas.Point{X: x, Y: y}).Rune == 0
}

// marks draws the marks at xs inside the x range, merged by column
// (MergeCols), as dotted lines in the cells the series left empty, then
// labels each line where it hides nothing.
func (g grid) marks(xs []float64, labels func(marks []int) []string, st lipgloss.Style) {
	var in, cols []int // the marks in range, and their columns
	for i, x := range xs {
		if x >= g.xs.lo && x <= g.xs.hi {
			in, cols = append(in, i), append(cols, g.col(x))
		}
	}
	groups := MergeCols(cols)
	for _, grp := range groups {
		col := cols[grp[0]]
		for y := range g.gh {
			if g.empty(col, y) {
				g.c.SetCell(canvas.Point{X: col, Y: y}, canvas.NewCellWithStyle(GlyphMark, st))
			}
		}
	}
	if labels == nil {
		return
	}
	for _, grp := range groups {
		marks := make([]int, len(grp))
		for i, j := range grp {
			marks[i] = in[j]
		}
		g.label(cols[grp[0]], labels(marks), st)
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
				g.c.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCellWithStyle(GlyphUnit, st))
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
