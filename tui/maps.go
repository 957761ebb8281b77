package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
)

// heatItem is one map to draw: h×w values, row-major, and its label.
type heatItem struct {
	vals  []float32
	h, w  int
	label string
}

// mapsPanel draws the selected block's output maps for the probe digit as
// heatmaps, each normalised to its own min..max, or for a convolution its
// kernels (k). Vectors (C5's 120@1×1, dense layers) are drawn as a strip.
type mapsPanel struct {
	st      styles
	w, h    int
	snap    *engine.Snapshot
	name    string // selected block
	kernels bool
	out     string
}

func newMapsPanel(st styles) mapsPanel { return mapsPanel{st: st} }

func (p *mapsPanel) reset() {
	p.snap = nil
	p.redraw()
}

func (p *mapsPanel) setSize(w, h int) {
	p.w, p.h = w, h
	p.redraw()
}

// show selects the block to draw and whether to draw its kernels.
func (p *mapsPanel) show(name string, kernels bool) {
	p.name, p.kernels = name, kernels
	p.redraw()
}

func (p *mapsPanel) update(ev engine.Event) {
	if s, ok := ev.(engine.Snapshot); ok {
		p.snap = &s
		p.redraw()
	}
}

func (p *mapsPanel) view() string { return p.out }

func (p *mapsPanel) block() (engine.BlockMaps, bool) {
	if p.snap == nil {
		return engine.BlockMaps{}, false
	}
	for _, b := range p.snap.Blocks {
		if b.Name == p.name {
			return b, true
		}
	}
	return engine.BlockMaps{}, false
}

func (p *mapsPanel) redraw() {
	if p.w <= 0 || p.h <= 0 {
		p.out = ""
		return
	}
	iw, ih := p.st.inner(p.w, p.h)
	title := "Feature maps"
	b, ok := p.block()
	if !ok {
		msg := "waiting for a snapshot of the probe digit…"
		if p.snap != nil {
			msg = "no maps for " + p.name
		}
		p.out = p.st.box(title, p.name, p.st.Label.Render(msg), p.w, p.h, false)
		return
	}
	var info string
	var lines []string
	switch {
	case p.kernels && b.Kernels != nil:
		title = "Kernels"
		items := kernelItems(b)
		info = fmt.Sprintf("%s kernels %d×%d×%d×%d, out←first input; ", b.Name, b.KShape[0], b.KShape[1], b.KShape[2], b.KShape[3])
		lines = p.grid(items, iw, ih-2)
	case b.Shape.H == 1 && b.Shape.W == 1:
		info = fmt.Sprintf("%s %d values; ", b.Name, b.Shape.C)
		lines = p.strip(b.Maps, iw, ih-2)
	default:
		items := make([]heatItem, b.Shape.C)
		n := b.Shape.H * b.Shape.W
		for c := range items {
			items[c] = heatItem{vals: b.Maps[c*n : (c+1)*n], h: b.Shape.H, w: b.Shape.W, label: fmt.Sprint(c)}
		}
		info = fmt.Sprintf("%s %s; ", b.Name, b.Shape)
		lines = p.grid(items, iw, ih-2)
	}
	if p.kernels && b.Kernels == nil {
		info = "no kernels here (not a conv); " + info
	}
	lo, hi := minMax(b.Maps)
	if title == "Kernels" {
		lo, hi = minMax(b.Kernels)
	}
	info += fmt.Sprintf("per map min %s max; all %s‥%s", p.st.heat.scale(6), short(lo), short(hi))
	body := p.st.Label.Render(info) + "\n" + strings.Join(lines, "\n")
	note := fmt.Sprintf("probe #%d, step %d", p.snap.Probe, p.snap.Step)
	p.out = p.st.box(title, note, body, p.w, p.h, false)
}

// kernelItems picks, for each output map, the kernel of its first input
// channel with a nonzero weight (the first connected one under a
// connection table).
func kernelItems(b engine.BlockMaps) []heatItem {
	cout, cin, k := b.KShape[0], b.KShape[1], b.KShape[2]
	kk := k * k
	items := make([]heatItem, 0, cout)
	for o := range cout {
		in := 0
		for i := range cin {
			lo, hi := minMax(b.Kernels[(o*cin+i)*kk : (o*cin+i+1)*kk])
			if lo != 0 || hi != 0 {
				in = i
				break
			}
		}
		off := (o*cin + in) * kk
		items = append(items, heatItem{vals: b.Kernels[off : off+kk], h: k, w: k, label: fmt.Sprintf("%d←%d", o, in)})
	}
	return items
}

// grid lays items out in rows, each with a label line above, choosing the
// largest map width (in cells) at which all of them fit in iw×ih; when none
// does, it draws as many as fit and says how many are left out.
func (p *mapsPanel) grid(items []heatItem, iw, ih int) []string {
	if len(items) == 0 || iw <= 0 || ih <= 0 {
		return nil
	}
	h, w := items[0].h, items[0].w
	rowsFor := func(cw int) int { return max(1, int(math.Ceil(float64(cw*h)/float64(2*w)))) }
	best := 0
	for cw := min(3*w, 32); cw >= 3; cw-- {
		cols := (iw + 1) / (cw + 1)
		if cols == 0 {
			continue
		}
		nrows := (len(items) + cols - 1) / cols
		if nrows*(rowsFor(cw)+1) <= ih {
			best = cw
			break
		}
	}
	shown := len(items)
	cw := best
	if best == 0 {
		cw = min(max(w, 3), iw)
		cols := max(1, (iw+1)/(cw+1))
		shown = max(1, (ih-1)/(rowsFor(cw)+1)) * cols
		shown = min(shown, len(items))
	}
	rh := rowsFor(cw)
	cols := max(1, (iw+1)/(cw+1))
	var lines []string
	for start := 0; start < shown; start += cols {
		end := min(start+cols, shown)
		labels := make([]string, 0, end-start)
		cells := make([][]string, 0, end-start)
		for _, it := range items[start:end] {
			lo, hi := minMax(it.vals)
			lbl := it.label
			if r := fmt.Sprintf("%s %s‥%s", it.label, short(lo), short(hi)); lipglossWidth(r) <= cw {
				lbl = r
			}
			labels = append(labels, padRight(truncate(lbl, cw), cw))
			cells = append(cells, p.st.heat.render(it.vals, it.h, it.w, cw, rh, lo, hi))
		}
		lines = append(lines, p.st.Label.Render(strings.Join(labels, " ")))
		for y := range rh {
			row := make([]string, len(cells))
			for i := range cells {
				row[i] = cells[i][y]
			}
			lines = append(lines, strings.Join(row, " "))
		}
	}
	if shown < len(items) {
		lines = append(lines, p.st.Label.Render(fmt.Sprintf("… and %d more (enlarge the terminal to see them)", len(items)-shown)))
	}
	return lines
}

// strip draws a vector as rows of coloured cells, normalised together,
// with value indices under short vectors.
func (p *mapsPanel) strip(vals []float32, iw, ih int) []string {
	n := len(vals)
	if n == 0 || iw <= 0 || ih <= 0 {
		return nil
	}
	cw := 1
	for _, c := range []int{4, 3, 2} {
		if n*c <= iw {
			cw = c
			break
		}
	}
	perRow := max(1, min(n, iw/cw))
	nrows := (n + perRow - 1) / perRow
	rh := 1
	if nrows*3 <= ih {
		rh = 2
	}
	lo, hi := minMax(vals)
	var lines []string
	for r := range nrows {
		row := vals[r*perRow : min(n, (r+1)*perRow)]
		cells := p.st.heat.render(row, 1, len(row), len(row)*cw, rh, lo, hi)
		lines = append(lines, cells...)
	}
	if cw >= 2 {
		var b strings.Builder
		for i := range perRow {
			b.WriteString(padRight(fmt.Sprint(i%10), cw))
		}
		lines = append(lines, p.st.Label.Render(b.String()))
	}
	return lines
}
