package tui

import (
	"math"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/linechart"
	"github.com/charmbracelet/lipgloss"
)

// point is one data point of a chart series.
type point struct{ x, y float64 }

// series is a named line of a chart; every point is drawn.
type series struct {
	pts   []point
	style lipgloss.Style
}

// marker is a vertical line at x with a short label, such as an activation
// switch.
type marker struct {
	x     float64
	label string
}

// plot describes one frame of a line chart: ranges, series and markers.
type plot struct {
	xMin, xMax, yMin, yMax float64
	xFmt, yFmt             func(float64) string
	lines                  []series
	markers                []marker
}

// draw renders p as a w×h ntcharts line chart with labelled axes. Each
// series is drawn in braille with all its points; markers are drawn as
// dotted vertical lines where the series left the cells empty, labelled on
// the top row. This is the wrapper STYLE.md asks for: every call draws the
// whole chart from the data, so a push or a resize is always visible.
func (p plot) draw(w, h int, st styles) string {
	if w < 8 || h < 4 {
		return ""
	}
	if !(p.xMax > p.xMin) {
		p.xMax = p.xMin + 1
	}
	if !(p.yMax > p.yMin) {
		p.yMax = p.yMin + 1
	}
	xfmt := func(_ int, v float64) string { return p.xFmt(v) }
	yfmt := func(_ int, v float64) string { return p.yFmt(v) }
	ySteps := max(1, (h-2)/3)
	lc := linechart.New(w, h, p.xMin, p.xMax, p.yMin, p.yMax,
		linechart.WithXYSteps(max(6, w/6), ySteps),
		linechart.WithStyles(st.Axis, st.Axis, st.r.NewStyle()),
		linechart.WithXLabelFormatter(xfmt),
		linechart.WithYLabelFormatter(yfmt),
	)
	lc.DrawXYAxisAndLabel()
	if lc.GraphWidth() < 2 || lc.GraphHeight() < 1 {
		return lc.View()
	}
	start := canvas.Point{X: lc.Origin().X + 1, Y: 0}
	for _, s := range p.lines {
		p.drawSeries(&lc, s, start)
	}
	p.drawMarkers(&lc, start, st.Marker)
	return lc.View()
}

// drawSeries draws every point of s in braille, joining neighbours with
// lines and leaving gaps at non-finite values.
func (p plot) drawSeries(lc *linechart.Model, s series, start canvas.Point) {
	if len(s.pts) == 0 {
		return
	}
	grid := graph.NewBrailleGrid(lc.GraphWidth(), lc.GraphHeight(), p.xMin, p.xMax, p.yMin, p.yMax)
	var prev canvas.Point
	havePrev := false
	for _, pt := range s.pts {
		if math.IsNaN(pt.y) || math.IsInf(pt.y, 0) {
			havePrev = false
			continue
		}
		y := math.Max(p.yMin, math.Min(p.yMax, pt.y))
		gp := grid.GridPoint(canvas.Float64Point{X: pt.x, Y: y})
		if !havePrev {
			grid.Set(gp)
		} else {
			for _, q := range graph.GetLinePoints(prev, gp) {
				grid.Set(q)
			}
		}
		prev, havePrev = gp, true
	}
	graph.DrawBraillePatterns(&lc.Canvas, start, grid.BraillePatterns(), s.style)
}

// drawMarkers draws the markers as dotted vertical lines in the cells the
// series left empty, each labelled on the first of the top two rows with
// room for it.
func (p plot) drawMarkers(lc *linechart.Model, start canvas.Point, style lipgloss.Style) {
	gw, gh := lc.GraphWidth(), lc.GraphHeight()
	taken := make([][]bool, min(2, gh)) // label cells used, per top row
	for i := range taken {
		taken[i] = make([]bool, lc.Canvas.Width()+1)
	}
	for _, m := range p.markers {
		if m.x < p.xMin || m.x > p.xMax {
			continue
		}
		col := start.X + int(math.Round((m.x-p.xMin)/(p.xMax-p.xMin)*float64(gw-1)))
		for y := range gh {
			pt := canvas.Point{X: col, Y: y}
			if lc.Canvas.Cell(pt).Rune == 0 {
				lc.Canvas.SetCell(pt, canvas.NewCellWithStyle('┊', style))
			}
		}
		if m.label != "" {
			placeLabel(&lc.Canvas, taken, col+1, min(len(m.label), start.X+gw-col-1), m.label, style)
		}
	}
}

// legend renders "━ name" entries in their series' styles in at most w
// cells: with their long names if they fit, else their short ones, leaving
// out entries from the end while it is still too wide.
func legend(st styles, w int, entries ...legendEntry) string {
	render := func(entries []legendEntry, short bool) string {
		parts := make([]string, 0, len(entries))
		for _, e := range entries {
			name := e.name
			if short && e.short != "" {
				name = e.short
			}
			parts = append(parts, e.style.Render(e.glyph)+" "+st.Label.Render(name))
		}
		return strings.Join(parts, "  ")
	}
	if l := render(entries, false); lipgloss.Width(l) <= w {
		return l
	}
	for n := len(entries); n > 1; n-- {
		if l := render(entries[:n], true); lipgloss.Width(l) <= w {
			return l
		}
	}
	return render(entries[:1], true)
}

// legendEntry is one series of a legend: its glyph and style, its name and
// a shorter name for narrow charts ("" for the same).
type legendEntry struct {
	glyph, name, short string
	style              lipgloss.Style
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

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*e >= v {
			return m * e
		}
	}
	return 10 * e
}

// placeLabel writes label at column x of the first top row where cells
// x..x+n are free (and one cell after it), marking them taken; it skips the
// label when no row is free.
func placeLabel(c *canvas.Model, taken [][]bool, x, n int, label string, st lipgloss.Style) {
	if n <= 0 {
		return
	}
	for y, row := range taken {
		free := true
		for i := x; i <= x+n && i < len(row); i++ {
			free = free && !row[i]
		}
		if !free {
			continue
		}
		for i := x; i <= x+n && i < len(row); i++ {
			row[i] = true
		}
		c.SetStringWithStyle(canvas.Point{X: x, Y: y}, truncate(label, n), st)
		return
	}
}
