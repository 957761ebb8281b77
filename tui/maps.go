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
	frame
	snap    *engine.Snapshot
	name    string // selected block
	kernels bool
}

func newMapsPanel(st styles) mapsPanel { return mapsPanel{frame: newFrame(st, "Feature maps")} }

func (p *mapsPanel) reset(engine.RunInfo) {
	p.snap = nil
	p.touch()
}

// show selects the block to draw and whether to draw its kernels.
func (p *mapsPanel) show(name string, kernels bool) {
	p.name, p.kernels = name, kernels
	p.touch()
}

func (p *mapsPanel) update(ev engine.Event) {
	if s, ok := ev.(engine.Snapshot); ok {
		p.snap = &s
		p.touch()
	}
}

func (p *mapsPanel) view() string { return p.draw(p.body) }

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

// body is a line on what is drawn and its scale over the heatmaps; the
// title says maps or kernels.
func (p *mapsPanel) body(iw, ih int) string {
	p.title = "Feature maps"
	b, ok := p.block()
	if !ok {
		msg := "waiting for a snapshot of the probe digit…"
		if p.snap != nil {
			msg = "no maps for " + p.name
		}
		p.note = p.name
		return p.st.Label.Render(msg)
	}
	var what, detail string // the caption: what is drawn, and a detail to drop first
	var lines []string
	perMap := true // each map normalised to its own range
	switch {
	case p.kernels && b.Kernels != nil:
		p.title = "Kernels"
		what = fmt.Sprintf("%s kernels %d×%d×%d×%d", b.Name, b.KShape[0], b.KShape[1], b.KShape[2], b.KShape[3])
		detail = ", out←first input"
		lines = p.grid(kernelItems(b), iw, ih-1)
	case b.Shape.H == 1 && b.Shape.W == 1:
		what, perMap = fmt.Sprintf("%s %d values", b.Name, b.Shape.C), false
		lines = p.strip(b.Maps, iw, ih-1)
	default:
		items := make([]heatItem, b.Shape.C)
		n := b.Shape.H * b.Shape.W
		for c := range items {
			items[c] = heatItem{vals: b.Maps[c*n : (c+1)*n], h: b.Shape.H, w: b.Shape.W, label: fmt.Sprint(c)}
		}
		what = fmt.Sprintf("%s %s", b.Name, b.Shape)
		lines = p.grid(items, iw, ih-1)
	}
	if p.kernels && b.Kernels == nil {
		what = "no kernels here (not a conv); " + what
	}
	vals := b.Maps
	if p.title == "Kernels" {
		vals = b.Kernels
	}
	p.note = fmt.Sprintf("probe #%d, step %d", p.snap.Probe, p.snap.Step)
	if p.snap.Own {
		p.note = fmt.Sprintf("your digit, step %d", p.snap.Step)
	}
	return p.st.Label.Render(p.caption(iw, what, detail, perMap, vals)) + "\n" + strings.Join(lines, "\n")
}

// caption says what is drawn, the colour scale and the range of vals in iw
// cells, leaving out the detail, then "per map", then the range when they
// do not fit.
func (p *mapsPanel) caption(iw int, what, detail string, perMap bool, vals []float32) string {
	lo, hi := minMax(vals)
	scale := "min " + p.st.heat.scale(6) + " max"
	rng := fmt.Sprintf("all %s–%s", short(lo), short(hi))
	full := scale
	if perMap {
		full = "per map " + scale
	}
	return fitting(iw, "; ", []string{what + detail, full, rng}, []string{what, scale, rng}, []string{what, scale})
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

// grid lays items out in rows, each with a label line above, at the map
// width gridCells chooses; when not all fit, it says how many are left out.
func (p *mapsPanel) grid(items []heatItem, iw, ih int) []string {
	if len(items) == 0 || iw <= 0 || ih <= 0 {
		return nil
	}
	cw, shown := gridCells(items[0].h, items[0].w, len(items), iw, ih)
	cols := max(1, (iw+1)/(cw+1))
	var lines []string
	for start := 0; start < shown; start += cols {
		lines = append(lines, p.gridRow(items[start:min(start+cols, shown)], cw)...)
	}
	if shown < len(items) {
		lines = append(lines, p.st.Label.Render(fmt.Sprintf("… and %d more (enlarge the terminal to see them)", len(items)-shown)))
	}
	return lines
}

// gridCells is the largest map width, in cells, at which n maps of h×w fit
// in iw×ih with a label line over each row, and how many are shown: all,
// or when none fits, as many as fit at a small width.
func gridCells(h, w, n, iw, ih int) (cw, shown int) {
	for cw := min(3*w, 32); cw >= 3; cw-- {
		cols := (iw + 1) / (cw + 1)
		if cols > 0 && (n+cols-1)/cols*(heatRows(cw, h, w)+1) <= ih {
			return cw, n
		}
	}
	cw = min(max(w, 3), iw)
	cols := max(1, (iw+1)/(cw+1))
	return cw, min(n, max(1, (ih-1)/(heatRows(cw, h, w)+1))*cols)
}

// heatRows is how many text rows an h×w map drawn cw cells wide takes:
// each cell shows two pixels, one above the other.
func heatRows(cw, h, w int) int { return max(1, int(math.Ceil(float64(cw*h)/float64(2*w)))) }

// gridRow draws items side by side, cw cells each, under their labels (the
// index and, when it fits, the range).
func (p *mapsPanel) gridRow(items []heatItem, cw int) []string {
	rh := heatRows(cw, items[0].h, items[0].w)
	labels := make([]string, 0, len(items))
	cells := make([][]string, 0, len(items))
	for _, it := range items {
		lo, hi := minMax(it.vals)
		lbl := it.label
		if r := fmt.Sprintf("%s %s–%s", it.label, short(lo), short(hi)); lipglossWidth(r) <= cw {
			lbl = r
		}
		labels = append(labels, padRight(truncate(lbl, cw), cw))
		cells = append(cells, p.st.heat.render(it.vals, it.h, it.w, cw, rh, lo, hi))
	}
	lines := []string{p.st.Label.Render(strings.Join(labels, " "))}
	for y := range rh {
		row := make([]string, len(cells))
		for i := range cells {
			row[i] = cells[i][y]
		}
		lines = append(lines, strings.Join(row, " "))
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
