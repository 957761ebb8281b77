package tui

import (
	"fmt"
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// inspector is the state of "inspect" (i): one output value of the
// selected block, taken apart for the probe digit, as CNN Explainer does
// in a browser: a convolution's or pooling layer's window
// (engine.Snapshot.Explain), or a dense unit's dot product
// (engine.Snapshot.ExplainUnit, unitinspect.go).
type inspector struct {
	on      bool
	m, y, x int  // the output value: map (a dense layer's unit), row, column
	term    int  // the input map shown in full (tab), of those the value reads; on the output, the page
	back    bool // b: the weight under the value, its gradient and step (weightgrad.go)
}

// inspect starts or ends inspecting; it reports false (and does nothing)
// when the selected block computes nothing to take apart (a pad) or
// there is no snapshot yet. On the output it starts at the answer.
func (p *mapsPanel) inspect() bool {
	if p.insp.on {
		p.insp.on = false
		p.touch()
		return true
	}
	b, i, ok := p.block()
	units := ok && p.unitBlock(i)
	if !ok || (!units && b.Kind != "conv" && b.Kind != "pool") {
		return false
	}
	p.insp = inspector{on: true, m: min(p.insp.m, b.Shape.C-1), y: b.Shape.H / 2, x: b.Shape.W / 2}
	if ls, err := p.snap.LossSteps(); err == nil && units && p.lastBlock(i) {
		p.insp.m = ls.Pred // the output: the answer's class
	}
	p.touch()
	return true
}

// takeKey moves the inspected value (cursor keys, [ ] for the map, tab
// for the input shown) and leaves inspect (esc, i); with kernels shown,
// [ and ] turn their pages. Other keys keep their meaning.
func (p *mapsPanel) takeKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	b, i, ok := p.block()
	if !ok {
		return false, nil
	}
	if !p.insp.on {
		if !p.kernels || b.Kernels == nil || b.KShape[1] == 1 {
			return false, nil
		}
		switch msg.String() {
		case "[":
			p.page--
		case "]":
			p.page++
		default:
			return false, nil
		}
		p.page = max(p.page, 0) // the view clamps the top
		p.touch()
		return true, nil
	}
	in := &p.insp
	switch msg.String() {
	case "b":
		in.back = !in.back
		p.touch()
		if in.back {
			return true, p.askWeight()
		}
		return true, nil
	case "esc":
		if in.back {
			in.back = false
			p.touch()
			return true, nil
		}
	}
	taken, cmd := p.moveValue(msg, b, i)
	if taken && in.on && in.back {
		return true, p.askWeight() // the weight under the value moved with it
	}
	return taken, cmd
}

// moveValue applies a key of inspect's to the inspected value of block i.
func (p *mapsPanel) moveValue(msg tea.KeyMsg, b engine.BlockMaps, i int) (bool, tea.Cmd) {
	in := &p.insp
	if p.unitBlock(i) {
		return p.takeUnitKey(msg, b)
	}
	switch msg.String() {
	case "up":
		in.y--
	case "down":
		in.y++
	case "left":
		in.x--
	case "right":
		in.x++
	case "[":
		in.m, in.term = in.m-1, 0
	case "]":
		in.m, in.term = in.m+1, 0
	case "tab":
		in.term++
	case "shift+tab":
		in.term--
	case "esc", "i":
		in.on = false
	default:
		return false, nil
	}
	in.m = (in.m + b.Shape.C) % b.Shape.C
	in.y, in.x = clamp(in.y, 0, b.Shape.H-1), clamp(in.x, 0, b.Shape.W-1)
	p.touch()
	return true, nil
}

// takeUnitKey moves the inspected unit of a dense block: ← ↑ [ the one
// before, → ↓ ] the next, wrapping; tab turns the output's pages.
func (p *mapsPanel) takeUnitKey(msg tea.KeyMsg, b engine.BlockMaps) (bool, tea.Cmd) {
	in := &p.insp
	switch msg.String() {
	case "left", "up", "[":
		in.m--
	case "right", "down", "]":
		in.m++
	case "tab":
		in.term++
	case "shift+tab":
		in.term--
	case "esc", "i":
		in.on = false
	default:
		return false, nil
	}
	in.m = (in.m + b.Shape.C) % b.Shape.C
	p.touch()
	return true, nil
}

// hints are the keys the maps take while inspecting or showing paged
// kernels, for the footer.
func (p *mapsPanel) hints(k keyMap) []hint {
	b, i, ok := p.block()
	switch {
	case !ok:
		return nil
	case p.insp.on && p.insp.back:
		return []hint{{k.Backward, 0}, {k.ValueMove, 2}, {k.ValueDone, 0}}
	case p.insp.on && p.unitBlock(i):
		hs := []hint{{k.ValueMove, 1}}
		if p.lastBlock(i) {
			hs = append(hs, hint{k.ValueInput, 2})
		}
		return append(hs, hint{k.Backward, 3}, hint{k.ValueDone, 0})
	case p.insp.on:
		hs := []hint{{k.ValueMove, 1}}
		if b.Shape.C > 1 {
			hs = append(hs, hint{k.ValueMap, 1})
		}
		return append(hs, hint{k.ValueInput, 2}, hint{k.Backward, 3}, hint{k.ValueDone, 0})
	case p.kernels && b.Kernels != nil && b.KShape[1] != 1:
		return []hint{{k.Page, 1}}
	}
	return nil
}

// highlight is the inspected value's receptive field on the input, rows
// r0..r1 and columns c0..c1 (half-open, possibly past the image into the
// padding), and its size; ok is false when not inspecting.
func (p *mapsPanel) highlight() (lit [4]int, f engine.Field, ok bool) {
	_, i, found := p.block()
	if !p.insp.on || !found || i >= len(p.infos) {
		return lit, f, false
	}
	f = p.infos[i].Field
	r0, r1 := f.Rows(p.insp.y)
	c0, c1 := f.Cols(p.insp.x)
	return [4]int{r0, r1, c0, c1}, f, true
}

// inspectView draws the arithmetic of the inspected value: the window(s)
// it reads, the kernel, the sum of products, the coefficient and bias,
// the pre-activation and the activation, with the snapshot's numbers.
func (p *mapsPanel) inspectView(i, iw, ih int) string {
	if p.unitBlock(i) {
		return p.unitInspectView(i, iw, ih)
	}
	b := p.snap.Blocks[i]
	in := &p.insp
	in.m, in.y, in.x = clamp(in.m, 0, b.Shape.C-1), clamp(in.y, 0, b.Shape.H-1), clamp(in.x, 0, b.Shape.W-1)
	px, err := p.snap.Explain(i, in.m, in.y, in.x)
	if err == nil && len(px.Terms) == 0 {
		err = fmt.Errorf("%s map %d reads no input map", b.Name, in.m)
	}
	if err != nil {
		return p.st.Label.Render(err.Error())
	}
	src := "input"
	if i > 0 {
		src = p.snap.Blocks[i-1].Name
	}
	where := fmt.Sprintf("%s map %d, row %d, col %d", b.Name, in.m, in.y, in.x)
	in.term = (in.term%len(px.Terms) + len(px.Terms)) % len(px.Terms)
	t := px.Terms[in.term]
	// The window and the kernel in numbers, when there is room for them
	// and for the arithmetic below (not in an 80×24 terminal).
	detail := []string{p.st.Label.Render(fmt.Sprintf("%s map %d · rows %d–%d · cols %d–%d", src, t.Map, t.Y0, t.Y0+t.H-1, t.X0, t.X0+t.W-1))}
	window := numberRows(t.Window, t.W, iw)
	numbers := window
	if t.Kernel != nil {
		numbers = append(append([]string{}, window...), p.st.Label.Render(fmt.Sprintf("kernel %d←%d", in.m, t.Map)))
		numbers = append(numbers, numberRows(t.Kernel, t.W, iw)...)
	}
	tail := p.arithmetic(b, px, iw)
	if b.Pool == engine.PoolSubsample {
		if r, err := p.snap.Reading(i, in.m); err == nil {
			tail = append(tail, p.st.Label.Render(draw.PickJoined(iw, " ", []string{"reading:", r.String()}, []string{readingText(r)})))
		}
	}
	// What must show: where, and the arithmetic. Then, as room allows, the
	// window and kernel in numbers, each input map's sum, the keys.
	lines := append([]string{p.st.Label.Render(where)}, fitDetail(ih-1-len(tail), len(px.Terms) > 1, detail, window, numbers)...)
	if len(px.Terms) > 1 && ih-len(lines)-len(tail) >= 2 {
		lines = append(lines, p.termSums(px, iw, ih-len(lines)-len(tail))...)
	}
	lines = append(lines, tail...)
	if len(lines) < ih {
		lines = append(lines, p.st.Label.Render(draw.PickJoined(iw, "", []string{"←↑↓→ move · [ ] map · tab input · esc"}, []string{"←↑↓→ [ ] tab esc"})))
	}
	return strings.Join(lines, "\n")
}

// fitDetail is what of the window's place (detail), the window and the
// kernel in numbers (numbers, which begin with window) fits in room lines,
// leaving two for the per-map sums if there are several input maps: all,
// the window without the kernel, or the place alone.
func fitDetail(room int, sums bool, detail, window, numbers []string) []string {
	if sums {
		room -= 2
	}
	switch {
	case room >= len(detail)+len(numbers):
		return append(detail, numbers...)
	case room >= len(detail)+len(window):
		return append(detail, window...)
	case room+btoi(sums)*2 >= 1:
		return detail
	}
	return nil
}

// termSums lists each input map's Σ w·x, the one shown in full marked,
// in at most rows lines.
func (p *mapsPanel) termSums(px engine.Pixel, iw, rows int) []string {
	head := fmt.Sprintf("Σ w·x per %s map (tab):", "input")
	lines := []string{p.st.Label.Render(head)}
	var line string
	for k, t := range px.Terms {
		e := fmt.Sprintf("%d:%s", t.Map, signed(t.Sum))
		if k == p.insp.term {
			e = p.st.Selected.Render(e)
		}
		if line != "" && ansi.StringWidth(line)+1+ansi.StringWidth(e) > iw {
			if len(lines) >= rows-1 {
				lines = append(lines, line+" …")
				return lines
			}
			lines, line = append(lines, line), ""
		}
		if line != "" {
			line += " "
		}
		line += e
	}
	return append(lines, line)
}

// arithmetic is the last lines: the sum, the coefficient, the bias, the
// pre-activation, the activation and the value the engine's forward pass
// holds for it.
func (p *mapsPanel) arithmetic(b engine.BlockMaps, px engine.Pixel, iw int) []string {
	var lines []string
	n := len(px.Terms[0].Window)
	switch {
	case b.Kind == "conv":
		lines = append(lines, fmt.Sprintf("Σ w·x = %s  (%d products)", signed(px.Sum), n*len(px.Terms)))
		lines = append(lines, fmt.Sprintf("+ bias %s", signed(px.Bias)))
	case b.Pool == engine.PoolMax:
		lines = append(lines, fmt.Sprintf("max of %d = %s", n, signed(px.Sum)))
	case b.Pool == engine.PoolAvg:
		lines = append(lines, fmt.Sprintf("Σ of %d = %s, ÷%d = %s", n, signed(px.Sum), n, signed(px.Pre)))
	default:
		lines = append(lines, fmt.Sprintf("Σ of %d = %s", n, signed(px.Sum)))
		lines = append(lines, fmt.Sprintf("× coef %s = %s", signed(px.Coef), signed(px.Coef*px.Sum)))
		lines = append(lines, fmt.Sprintf("+ bias %s", signed(px.Bias)))
	}
	if b.Kind == "conv" || b.Pool == engine.PoolSubsample {
		lines = append(lines, fmt.Sprintf("= %s pre-activation", signed(px.Pre)))
	}
	got := float64(b.Maps[(px.Map*b.Shape.H+px.Y)*b.Shape.W+px.X])
	ok := math.Abs(got-px.Out) <= 1e-4*math.Max(1, math.Abs(got))
	value := fmt.Sprintf("no activation: %s", signed(px.Out))
	if px.Activation != "" {
		value = fmt.Sprintf("%s(%s) = %s", px.Activation, signed(px.Pre), signed(px.Out))
	}
	// The check against the engine's own output: in words when they fit.
	long, brief := p.st.MetricGood.Render("✓ = the map"), p.st.MetricGood.Render("✓")
	if !ok {
		long, brief = p.st.MetricBad.Render("✘ the map has "+signed(got)), p.st.MetricBad.Render("✘ "+signed(got))
	}
	return append(lines, draw.PickJoined(iw, " ", []string{value, long}, []string{value, brief}))
}

// numberRows prints an h×w block of values, w to a line, each in six
// cells, fewer when the line would not fit iw.
func numberRows(vals []float64, w, iw int) []string {
	cell := 6
	if w*cell > iw {
		cell = max(4, iw/w)
	}
	var lines []string
	for r := 0; r < len(vals); r += w {
		var b strings.Builder
		for _, v := range vals[r : r+w] {
			b.WriteString(draw.PadLeft(compact(v, cell-1), cell))
		}
		lines = append(lines, b.String())
	}
	return lines
}

// compact formats v in at most n cells (n ≥ 3), to two decimals when
// they fit.
func compact(v float64, n int) string {
	for d := 2; d >= 0; d-- {
		if s := fmt.Sprintf("%.*f", d, v); len(s) <= n {
			return s
		}
	}
	return fmt.Sprintf("%.0e", v)
}

// signed formats a value of the arithmetic: "0.4120", "-1.235".
func signed(v float64) string { return fmt.Sprintf("%.4g", v) }
