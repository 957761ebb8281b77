package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// maxTable is the largest number of kernels (inputs × outputs) drawn as a
// table of inputs by outputs; a convolution with more (C5: 16 × 120) shows
// one output unit's kernels at a time.
const maxTable = 16 * 16

// kernelView draws a convolution's kernels on the diverging scale, one
// range for the whole layer, centred on zero: with one input map (C1),
// every kernel; with a few (C3), the table of input rows by output
// columns, blank where the connection table has no connection, a page of
// output columns at a time; with many (C5), the kernels of one output unit.
// [ and ] turn the pages or pick the unit.
func (p *mapsPanel) kernelView(b engine.BlockMaps, iw, ih int) string {
	cout, cin, k := b.KShape[0], b.KShape[1], b.KShape[2]
	a := kernelRange(b)
	ramp := p.st.div.Strip(7)
	legend := draw.PickJoined(iw, " ", []string{"one scale for the layer:", short(-a), ramp, "+" + short(a)}, []string{short(-a), ramp, "+" + short(a)})
	var what string
	var lines []string
	switch {
	case cin == 1:
		what = fmt.Sprintf("%s %d kernels %d×%d", b.Name, cout, k, k)
		lines = p.grid(kernelItems(b, 0, a), iw, ih-2, p.st.div, false)
	case cin*cout <= maxTable:
		var first, last int
		lines, first, last = p.kernelTable(b, a, iw, ih-2)
		what = fmt.Sprintf("%s %d×%d, out %d–%d of %d ([ ])", b.Name, k, k, first, last, cout)
	default:
		p.page = clamp(p.page, 0, cout-1)
		what = fmt.Sprintf("%s unit %d of %d, its %d kernels ([ ])", b.Name, p.page, cout, cin)
		lines = p.grid(kernelItems(b, p.page, a), iw, ih-2, p.st.div, false)
	}
	head := []string{p.st.Label.Render(what), p.st.Label.Render(legend)}
	return strings.Join(append(head, lines...), "\n")
}

// kernelRange is the largest |weight| of the layer: its kernels are drawn
// on −a..a, so that zero is the scale's middle and signs compare.
func kernelRange(b engine.BlockMaps) float64 {
	lo, hi := draw.MinMax(b.Kernels)
	return math.Max(math.Max(-lo, hi), 1e-12)
}

// kernelItems are the kernels of output unit o, one per connected input,
// each on −a..a; with one input map, every unit's single kernel.
func kernelItems(b engine.BlockMaps, o int, a float64) []heatItem {
	cout, cin, k := b.KShape[0], b.KShape[1], b.KShape[2]
	kk := k * k
	var items []heatItem
	add := func(o, i int, label string) {
		off := (o*cin + i) * kk
		items = append(items, heatItem{vals: b.Kernels[off : off+kk], h: k, w: k, label: label, lo: -a, hi: a})
	}
	if cin == 1 {
		for o := range cout {
			add(o, 0, fmt.Sprint(o))
		}
		return items
	}
	for i := range cin {
		if b.Table == nil || b.Table[i][o] {
			add(o, i, fmt.Sprintf("%d←%d", o, i))
		}
	}
	return items
}

// kernelTable draws the kernels as the connection table: a row per input
// map, a column per output map, as many columns as fit from page·cols on;
// it returns the lines and the first and last output shown.
func (p *mapsPanel) kernelTable(b engine.BlockMaps, a float64, iw, ih int) ([]string, int, int) {
	cout, cin, k := b.KShape[0], b.KShape[1], b.KShape[2]
	lw := len(fmt.Sprint(cin-1)) + 1 // the input label column
	cols := max(1, (iw-lw+1)/(k+1))
	pages := (cout + cols - 1) / cols
	cols = (cout + pages - 1) / pages // as even as the pages can be: 8 and 8, not 9 and 7
	p.page = clamp(p.page, 0, pages-1)
	first := p.page * cols
	last := min(cout, first+cols) - 1
	rh := heatRows(k, k, k)
	var head strings.Builder
	head.WriteString(draw.Spaces(lw))
	for o := first; o <= last; o++ {
		head.WriteString(draw.PadRight(fmt.Sprint(o), k+1))
	}
	lines := []string{p.st.Label.Render(strings.TrimRight(head.String(), " "))}
	for i := range cin {
		if len(lines)+rh > ih {
			lines = append(lines, p.st.Label.Render(fmt.Sprintf("… inputs %d–%d below (enlarge the terminal)", i, cin-1)))
			break
		}
		cells := make([][]string, 0, last-first+1)
		for o := first; o <= last; o++ {
			if b.Table != nil && !b.Table[i][o] {
				cells = append(cells, make([]string, rh)) // no connection: blank
				continue
			}
			off := (o*cin + i) * k * k
			cells = append(cells, p.st.div.Render(b.Kernels[off:off+k*k], k, k, k, rh, -a, a))
		}
		for y := range rh {
			lbl := draw.Spaces(lw)
			if y == 0 {
				lbl = p.st.Label.Render(draw.PadRight(fmt.Sprint(i), lw))
			}
			row := make([]string, len(cells))
			for c, cell := range cells {
				row[c] = draw.PadRight(cell[y], k)
			}
			lines = append(lines, lbl+strings.Join(row, " "))
		}
	}
	return lines, first, last
}

// weightView draws a dense layer's weights (Out, In) as one heatmap on
// the diverging scale the kernels use, a row per unit and a column per
// input, one range for the layer centred on zero; for the RBF output, its
// fixed ±1 bitmaps, each class's 84 weights as the paper's 7×12 field.
func (p *mapsPanel) weightView(b engine.BlockMaps, i, iw, ih int) string {
	out, in := b.Shape.C, b.In.Size()
	lo, hi := draw.MinMax(b.Weights)
	a := math.Max(math.Max(-lo, hi), 1e-12)
	ramp := p.st.div.Strip(7)
	legend := draw.PickJoined(iw, " ", []string{"one scale for the layer:", short(-a), ramp, "+" + short(a)}, []string{short(-a), ramp, "+" + short(a)})
	src := "input"
	if i > 0 {
		src = p.snap.Blocks[i-1].Name
	}
	if i == len(p.snap.Blocks)-1 && p.snap.Output == engine.OutputRBF && in == 84 {
		what := draw.Pick(iw, fmt.Sprintf("%s %d fixed RBF bitmaps 7×12 (±1) over %s", b.Name, out, src), fmt.Sprintf("%s %d fixed RBF bitmaps 7×12, ±1", b.Name, out))
		items := make([]heatItem, out)
		for c := range items {
			items[c] = heatItem{vals: b.Weights[c*in : (c+1)*in], h: 12, w: 7, label: fmt.Sprint(c), lo: -a, hi: a}
		}
		head := []string{p.st.Label.Render(draw.Truncate(what, iw)), p.st.Label.Render(legend)}
		return strings.Join(append(head, p.grid(items, iw, ih-2, p.st.div, false)...), "\n")
	}
	what := draw.PickJoined(iw, "; ", []string{fmt.Sprintf("%s weights %d×%d", b.Name, out, in), fmt.Sprintf("a row per unit, a column per %s value", src)},
		[]string{fmt.Sprintf("%s weights %d×%d", b.Name, out, in), "rows units"}, []string{fmt.Sprintf("%s %d×%d", b.Name, out, in)})
	// A row of text per unit when they fit, labelled; else the matrix
	// squeezed into the room there is.
	lw := len(fmt.Sprint(out-1)) + 1
	rows := min(out, max(1, ih-3))
	labels := rows == out
	cols := min(in, iw)
	if labels {
		cols = min(in, iw-lw)
	}
	cells := p.st.div.Render(b.Weights, out, in, cols, rows, -a, a)
	lines := []string{p.st.Label.Render(what), p.st.Label.Render(legend)}
	for y, c := range cells {
		if labels {
			c = p.st.Label.Render(draw.PadRight(fmt.Sprint(y), lw)) + c
		}
		lines = append(lines, c)
	}
	axis := fmt.Sprintf("%s 0 … %d →", src, in-1)
	if !labels {
		axis = fmt.Sprintf("units 0–%d top to bottom; %s", out-1, axis)
	}
	if len(lines) < ih {
		lines = append(lines, p.st.Label.Render(draw.Truncate(axis, iw)))
	}
	return strings.Join(lines, "\n")
}
