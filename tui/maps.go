package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// heatItem is one map to draw: h×w values, row-major, its label and the
// range lo..hi its shades span.
type heatItem struct {
	vals   []float32
	h, w   int
	label  string
	lo, hi float64
}

// mapsPanel draws the selected block's output maps for the probe digit as
// heatmaps on the scale v picks (scale.go); with k, a convolution's kernels
// (kernels.go) or a subsampling layer's coefficients (subsample.go); with
// i, the arithmetic of one output value (inspect.go). Vectors (C5's
// 120@1×1, dense layers) are drawn as a strip.
type mapsPanel struct {
	frame
	snap    *engine.Snapshot
	first   *engine.Snapshot   // the run's first snapshot: where the coefficients started
	infos   []engine.LayerInfo // the run's blocks, for their receptive fields
	name    string             // selected block
	kernels bool
	scale   scaleMode
	page    int // the kernels' page (a table of kernels) or output unit (C5)
	insp    inspector
	wask    weightAsk // b while inspecting: the weight asked for and the answer (weightgrad.go)
	names   classNames
}

func newMapsPanel(st styles) mapsPanel { return mapsPanel{frame: newFrame(st, "Feature maps")} }

func (p *mapsPanel) reset(info engine.RunInfo) {
	p.snap, p.first, p.infos, p.names = nil, nil, info.Layers, info.Classes
	p.wask = weightAsk{}
	p.touch()
}

// show selects the block to draw and whether to draw its kernels.
func (p *mapsPanel) show(name string, kernels bool) {
	if name != p.name {
		p.page, p.insp = 0, inspector{}
	}
	p.name, p.kernels = name, kernels
	p.touch()
}

// cycleScale switches to the next scale mode.
func (p *mapsPanel) cycleScale() {
	p.scale = p.scale.next()
	p.touch()
}

func (p *mapsPanel) update(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Snapshot:
		p.snap = &e
		if p.first == nil {
			p.first = &e
		}
		p.touch()
	case engine.WeightExplained:
		p.weightAnswer(e)
	}
}

func (p *mapsPanel) view() string { return p.draw(p.body) }

// block is the selected block of the snapshot and its index.
func (p *mapsPanel) block() (engine.BlockMaps, int, bool) {
	if p.snap == nil {
		return engine.BlockMaps{}, -1, false
	}
	for i, b := range p.snap.Blocks {
		if b.Name == p.name {
			return b, i, true
		}
	}
	return engine.BlockMaps{}, -1, false
}

// body is a line on what is drawn and its scale over the heatmaps; the
// title says maps, kernels, coefficients or inspect.
func (p *mapsPanel) body(iw, ih int) string {
	p.title = "Feature maps"
	b, i, ok := p.block()
	if !ok {
		msg := "waiting for a snapshot of the probe digit…"
		if p.snap != nil {
			msg = "no maps for " + p.name
		}
		p.note = p.name
		return p.st.Label.Render(msg)
	}
	p.note = fmt.Sprintf("probe #%d, step %d", p.snap.Probe, p.snap.Step)
	if p.snap.Own {
		p.note = fmt.Sprintf("your digit, step %d", p.snap.Step)
	}
	switch {
	case p.insp.on && p.insp.back:
		return p.backwardView(iw, ih)
	case p.insp.on:
		p.title = "Inspect"
		return p.inspectView(i, iw, ih)
	case p.kernels && b.Kernels != nil:
		p.title = "Kernels"
		return p.kernelView(b, iw, ih)
	case p.kernels && b.Weights != nil:
		p.title = "Weights"
		return p.weightView(b, i, iw, ih)
	case p.kernels && b.Pool == engine.PoolSubsample:
		p.title = "Subsampling"
		return p.coefView(i, iw, ih)
	}
	act := rangeActivation(p.snap.Blocks, i)
	what, mode, lines, lo, hi := p.heatmaps(b, i, act, iw, ih)
	if p.kernels {
		what = "no kernels here; " + what
	}
	head := p.caption(iw, ih, what, mode, act, lo, hi, b.Maps)
	for k, l := range head {
		head[k] = p.st.Label.Render(l)
	}
	return strings.Join(append(head, lines...), "\n")
}

// heatmaps draws block i's maps (b) in iw×ih less the caption: a strip of
// values for a vector, a grid of heatmaps for maps; what says what is
// drawn, mode the scale used (a vector has one map), lo..hi its range.
func (p *mapsPanel) heatmaps(b engine.BlockMaps, i int, act engine.Activation, iw, ih int) (what string, mode scaleMode, lines []string, lo, hi float64) {
	mode = p.scale
	if b.Shape.H == 1 && b.Shape.W == 1 {
		if mode == scalePerMap {
			mode = scalePerLayer // a vector's values are one map
		}
		lo, hi = mapRange(mode, act, b.Maps, b.Maps)
		what = fmt.Sprintf("%s %d %s", b.Name, b.Shape.C, valuesWord(p.snap, i))
		return what, mode, p.strip(b.Maps, iw, ih-capLines(ih), lo, hi), lo, hi
	}
	items := make([]heatItem, b.Shape.C)
	n := b.Shape.H * b.Shape.W
	for c := range items {
		vals := b.Maps[c*n : (c+1)*n]
		it := heatItem{vals: vals, h: b.Shape.H, w: b.Shape.W, label: fmt.Sprint(c)}
		it.lo, it.hi = mapRange(mode, act, b.Maps, vals)
		items[c] = it
	}
	what = fmt.Sprintf("%s %s", b.Name, b.Shape)
	return what, mode, p.grid(items, iw, ih-capLines(ih), p.st.heat, true), items[0].lo, items[0].hi
}

// valuesWord names what block i's values are: the output's logits
// (softmax) or RBF distances, or values.
func valuesWord(s *engine.Snapshot, i int) string {
	switch {
	case i != len(s.Blocks)-1:
		return "values"
	case s.Output == engine.OutputRBF:
		return "RBF distances"
	}
	return "logits"
}

// capLines is how many lines the maps' caption takes in a body ih high.
func capLines(ih int) int {
	if ih >= 12 {
		return 2
	}
	return 1
}

// caption says what is drawn and how values become shades: the mode and
// the key that changes it, then the scale with the values at its ends,
// so that the high end shows. With room for two lines it takes two;
// otherwise the hints go first.
func (p *mapsPanel) caption(iw, ih int, what string, mode scaleMode, act engine.Activation, lo, hi float64, vals []float32) []string {
	ramp := p.st.heat.Strip(6)
	var how, scale string
	switch mode {
	case scalePerMap:
		alo, ahi := draw.MinMax(vals)
		how, scale = "each map on its own range", fmt.Sprintf("min %s max; all %s–%s", ramp, short(alo), short(ahi))
	case scaleAbsolute:
		how = "absolute: no fixed range, per layer"
		if alo, ahi, ok := act.Range(); ok {
			how = fmt.Sprintf("absolute: %s [%s, %s]", act, short(alo), short(ahi))
		} else if act == engine.ReLU {
			how = "absolute: relu [0, max]"
		}
		scale = fmt.Sprintf("%s %s %s", short(lo), ramp, short(hi))
	default:
		how, scale = "one range for the layer", fmt.Sprintf("%s %s %s", short(lo), ramp, short(hi))
	}
	if ih >= 12 {
		return []string{draw.PickJoined(iw, "; ", []string{what, how + " (v)"}, []string{what, mode.String() + " (v)"}, []string{what}), scale}
	}
	return []string{draw.PickJoined(iw, "; ", []string{what, mode.String() + " (v)", scale}, []string{what, scale}, []string{what})}
}

// grid lays items out in rows, each with a label line above, at the map
// width gridCells chooses, in palette pal; when not all fit, it says how
// many are left out. With ranges the labels carry each map's own range
// when it fits.
func (p *mapsPanel) grid(items []heatItem, iw, ih int, pal draw.Palette, ranges bool) []string {
	if len(items) == 0 || iw <= 0 || ih <= 0 {
		return nil
	}
	cw, shown := gridCells(items[0].h, items[0].w, len(items), iw, ih)
	cols := max(1, (iw+1)/(cw+1))
	var lines []string
	for start := 0; start < shown; start += cols {
		lines = append(lines, p.gridRow(items[start:min(start+cols, shown)], cw, pal, ranges)...)
	}
	if shown < len(items) {
		lines = append(lines, p.st.Label.Render(moreMaps(len(items)-shown, iw)))
	}
	return lines
}

// moreMaps says how many maps were left out, in the longest words that fit
// in w cells.
func moreMaps(n, w int) string {
	return draw.Pick(w, fmt.Sprintf("… and %d more (enlarge the terminal to see them)", n),
		fmt.Sprintf("… and %d more: enlarge the terminal", n), fmt.Sprintf("… and %d more maps", n), fmt.Sprintf("+%d more", n))
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
// index and, with ranges and when it fits, the map's own range).
func (p *mapsPanel) gridRow(items []heatItem, cw int, pal draw.Palette, ranges bool) []string {
	rh := heatRows(cw, items[0].h, items[0].w)
	labels := make([]string, 0, len(items))
	cells := make([][]string, 0, len(items))
	for _, it := range items {
		lbl := it.label
		if lo, hi := draw.MinMax(it.vals); ranges {
			if r := fmt.Sprintf("%s %s–%s", it.label, short(lo), short(hi)); ansi.StringWidth(r) <= cw {
				lbl = r
			}
		}
		labels = append(labels, draw.PadRight(draw.Truncate(lbl, cw), cw))
		cells = append(cells, pal.Render(it.vals, it.h, it.w, cw, rh, it.lo, it.hi))
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

// strip draws a vector as rows of coloured cells on the range lo..hi,
// with value indices under short vectors.
func (p *mapsPanel) strip(vals []float32, iw, ih int, lo, hi float64) []string {
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
	var lines []string
	for r := range nrows {
		row := vals[r*perRow : min(n, (r+1)*perRow)]
		cells := p.st.heat.Render(row, 1, len(row), len(row)*cw, rh, lo, hi)
		lines = append(lines, cells...)
	}
	if cw >= 2 {
		var b strings.Builder
		for i := range perRow {
			b.WriteString(draw.PadRight(fmt.Sprint(i%10), cw))
		}
		lines = append(lines, p.st.Label.Render(b.String()))
	}
	return lines
}
