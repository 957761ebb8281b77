package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// Inspecting a dense unit (engine.Snapshot.ExplainUnit): C5 as a dot
// product over S4's 400 values, F6 over C5's 120, OUTPUT over F6's 84;
// and on OUTPUT, the probe's way from the last layer to its probabilities
// and loss (engine.Snapshot.LossSteps), softmax or the paper's eq. 9.

// Pages of inspect on the last block: the way to the loss, then the
// selected class's unit.
const (
	pageLoss = 0
	pageUnit = 1
)

// unitBlock reports whether block i of the snapshot is inspected as units
// (a dense layer, or a convolution whose kernels cover its whole input).
func (p *mapsPanel) unitBlock(i int) bool {
	_, err := p.snap.ExplainUnit(i, 0)
	return err == nil
}

// lastBlock reports whether i is the snapshot's last block, the output.
func (p *mapsPanel) lastBlock(i int) bool { return i == len(p.snap.Blocks)-1 }

// unitInspectView draws the inspected unit of block i, or on the last
// block's first page (tab) the way to the loss.
func (p *mapsPanel) unitInspectView(i, iw, ih int) string {
	b := p.snap.Blocks[i]
	in := &p.insp
	in.m = clamp(in.m, 0, b.Shape.C-1)
	if p.lastBlock(i) {
		in.term = (in.term%2 + 2) % 2
		if in.term == pageLoss {
			return p.lossView(iw, ih)
		}
	}
	un, err := p.snap.ExplainUnit(i, in.m)
	if err != nil {
		return p.st.Label.Render(err.Error())
	}
	src := "input"
	if i > 0 {
		src = p.snap.Blocks[i-1].Name
	}
	what := "unit"
	switch {
	case p.lastBlock(i) && un.RBF:
		what = "RBF distance y"
	case p.lastBlock(i):
		what = "logit"
	}
	where := draw.PickJoined(iw, " · ", []string{fmt.Sprintf("%s %s %d of %d", b.Name, what, un.Unit, b.Shape.C), fmt.Sprintf("%d inputs from %s", len(un.Terms), src)},
		[]string{fmt.Sprintf("%s %s %d of %d", b.Name, what, un.Unit, b.Shape.C)})
	tail := p.unitArithmetic(b, un, iw, ih < 12)
	lines := []string{p.st.Label.Render(where)}
	room := ih - len(lines) - len(tail)
	if room >= 9 {
		room-- // for the keys; in a low panel the footer has them
	}
	if room >= 3 {
		lines = append(lines, p.termRows(b, un, src, iw, room)...)
	}
	lines = append(lines, tail...)
	if len(lines) < ih {
		keys := "←→ [ ] unit · esc"
		if p.lastBlock(i) {
			keys = "←→ [ ] class · tab the loss · esc"
		}
		lines = append(lines, p.st.Label.Render(draw.PickJoined(iw, "", []string{keys}, []string{"←→ [ ] esc"})))
	}
	return strings.Join(lines, "\n")
}

// termRows lists the unit's largest contributions in at most rows lines:
// a heading, the largest positive products first and the most negative
// last (an RBF unit's terms are never negative: the largest only), and
// between them the sum of the rest.
func (p *mapsPanel) termRows(b engine.BlockMaps, un engine.Unit, src string, iw, rows int) []string {
	head := "largest x·w (input: x × w = x·w)"
	if un.RBF {
		head = "largest (x − w)² (input: x − w → (x−w)²)"
	}
	var lines []string
	if rows >= 5 { // else the terms alone
		lines = append(lines, p.st.Label.Render(draw.Truncate(head, iw)))
	}
	n := len(un.Terms)
	show := min(rows-len(lines)-1, n) // the heading and the rest's line
	var pos, neg int                  // terms shown from the top and from the bottom
	if un.RBF {
		pos = show
	} else {
		npos := 0
		for _, t := range un.Terms {
			if t.Value > 0 {
				npos++
			}
		}
		pos = min(npos, (show+1)/2)
		neg = min(n-npos, show-pos)
		pos = min(npos, show-neg)
	}
	if pos+neg >= n { // all fit: no line for the rest
		pos, neg = n, 0
	}
	row := func(t engine.Product) string {
		name := inputName(src, b.In, t.Input)
		op := "×"
		if un.RBF {
			op = "−"
		}
		long := fmt.Sprintf("%-10s %7s %s %7s = %8s", name, fitNum(t.X, 7), op, fitNum(t.W, 7), fitNum(t.Value, 8))
		if un.RBF {
			long = fmt.Sprintf("%-10s %7s %s %7s → %8s", name, fitNum(t.X, 7), op, fitNum(t.W, 7), fitNum(t.Value, 8))
		}
		return draw.PickJoined(iw, "", []string{long}, []string{fmt.Sprintf("%-10s %8s", name, fitNum(t.Value, 8))})
	}
	for _, t := range un.Terms[:pos] {
		lines = append(lines, row(t))
	}
	if rest := n - pos - neg; rest > 0 {
		var sum float64
		for _, t := range un.Terms[pos : n-neg] {
			sum += t.Value
		}
		lines = append(lines, p.st.Label.Render(draw.PickJoined(iw, "", []string{fmt.Sprintf("  … the other %d: %s", rest, signed(sum))}, []string{fmt.Sprintf("… %d: %s", rest, signed(sum))})))
	}
	for _, t := range un.Terms[n-neg:] {
		lines = append(lines, row(t))
	}
	return lines
}

// unitArithmetic is the last lines: the sum, the bias, the
// pre-activation, the activation and the check against the value the
// engine's forward pass holds for it.
func (p *mapsPanel) unitArithmetic(b engine.BlockMaps, un engine.Unit, iw int, tight bool) []string {
	got := float64(b.Maps[un.Unit])
	ok := math.Abs(got-un.Out) <= 1e-4*math.Max(1, math.Abs(got))
	long, brief := p.st.MetricGood.Render("✓ = the map"), p.st.MetricGood.Render("✓")
	if !ok {
		long, brief = p.st.MetricBad.Render("✘ the map has "+signed(got)), p.st.MetricBad.Render("✘ "+signed(got))
	}
	if un.RBF {
		sum := fmt.Sprintf("y%d = Σ (x − w)² = %s  (%d terms)", un.Unit, signed(un.Sum), len(un.Terms))
		return []string{sum, draw.PickJoined(iw, " ", []string{"no bias, no activation", long}, []string{"no bias", brief})}
	}
	lines := []string{
		fmt.Sprintf("Σ w·x = %s  (%d products)", signed(un.Sum), len(un.Terms)),
		fmt.Sprintf("+ bias %s", signed(un.Bias)),
		fmt.Sprintf("= %s pre-activation", signed(un.Pre)),
	}
	if one := fmt.Sprintf("Σ w·x %s + bias %s = %s pre-activation", signed(un.Sum), signed(un.Bias), signed(un.Pre)); tight && len([]rune(one)) <= iw {
		lines = []string{one}
	}
	value := fmt.Sprintf("no activation: %s", signed(un.Out))
	if un.Activation != "" {
		value = fmt.Sprintf("%s(%s) = %s", un.Activation, signed(un.Pre), signed(un.Out))
	}
	return append(lines, draw.PickJoined(iw, " ", []string{value, long}, []string{value, brief}))
}

// inputName names value j of an input of shape sh read from src: "C5 17"
// for a vector, "S4 3(2,1)" for map 3, row 2, column 1.
func inputName(src string, sh engine.Shape, j int) string {
	if sh.H*sh.W == 1 {
		return fmt.Sprintf("%s %d", src, j)
	}
	c, y, x := j/(sh.H*sh.W), j/sh.W%sh.H, j%sh.W
	return fmt.Sprintf("%s %d(%d,%d)", src, c, y, x)
}

// lossView draws the probe's way from the output to its probabilities
// and loss: per class z, z − m, e^(z−m) and p (RBF: y, y − m, e^−(y−m),
// p), then m, S, the check against the probe's bars and the loss.
func (p *mapsPanel) lossView(iw, ih int) string {
	ls, err := p.snap.LossSteps()
	if err != nil {
		return p.st.Label.Render(err.Error())
	}
	b := p.snap.Blocks[len(p.snap.Blocks)-1]
	heads, where := [3]string{"z", "z−m", "e^(z−m)"}, fmt.Sprintf("%s: logits z → softmax p → loss", b.Name)
	if ls.Output == engine.OutputRBF {
		heads = [3]string{"y", "y−m", "e^−(y−m)"}
		where = draw.Pick(iw, fmt.Sprintf("%s: RBF distances y → p → loss (eq. 9)", b.Name), fmt.Sprintf("%s: RBF distances y → p → eq. 9", b.Name))
	}
	tail := p.lossTail(ls, iw, false)
	if ih-1-len(tail) < len(ls.Z)+1 {
		tail = p.lossTail(ls, iw, true)
	}
	lines := []string{p.st.Label.Render(draw.Truncate(where, iw))}
	if rows := ih - len(lines) - len(tail); rows >= 2 {
		lines = append(lines, p.lossTable(ls, heads, iw, rows)...)
	}
	lines = append(lines, tail...)
	if len(lines) < ih {
		lines = append(lines, p.st.Label.Render(draw.PickJoined(iw, "", []string{"▸ answer ◂ label · tab unit · ←→ class · esc"}, []string{"▸ answer ◂ label · tab unit · esc"}, []string{"tab ←→ esc"})))
	}
	return strings.Join(lines, "\n")
}

// lossTable is the loss view's table in at most rows lines (rows ≥ 2): the
// heads (the output, its shift by m, the exponential, p), then a row
// per class, as many as fit; the answer, the label and the most probable
// first when not all do, and the rest's Σ p when there is room.
func (p *mapsPanel) lossTable(ls engine.LossSteps, heads [3]string, iw, rows int) []string {
	wide := iw >= 40
	cells := func(mark, k, a, b, c, d string) string {
		if wide {
			return fmt.Sprintf("%1s%2s %7s %7s %8s %8s", mark, k, a, b, c, d)
		}
		return fmt.Sprintf("%1s%2s %7s %8s %8s", mark, k, a, c, d)
	}
	if rows > len(ls.Z)+1 {
		rows-- // for the keys
	}
	lines := []string{p.st.Label.Render(cells("", "k", heads[0], heads[1], heads[2], "p"))}
	shown := classesShown(ls, rows-1)
	for k := range ls.Z {
		if !shown[k] {
			continue
		}
		mark := ""
		if k == ls.Pred {
			mark = "▸"
		}
		r := cells(mark, fmt.Sprint(k), fitNum(ls.Z[k], 7), fitNum(ls.Z[k]-ls.M, 7), fitNum(ls.E[k], 8), fitNum(ls.P[k], 8))
		if k == ls.Label {
			r += " ◂"
		}
		if k == p.insp.m {
			r = p.st.Selected.Render(r)
		}
		lines = append(lines, r)
	}
	if hidden := len(ls.Z) - len(shown); hidden > 0 && rows >= 3 {
		var rest float64
		for k, pk := range ls.P {
			if !shown[k] {
				rest += pk
			}
		}
		lines = append(lines, p.st.Label.Render(fmt.Sprintf("  … %d more, Σ p = %s", hidden, fitNum(rest, 8))))
	}
	return lines
}

// classesShown picks the classes whose rows fit in rows lines: all, or
// (keeping a line for the rest) the answer, the label and then the most
// probable.
func classesShown(ls engine.LossSteps, rows int) map[int]bool {
	shown := map[int]bool{}
	if rows >= len(ls.Z) {
		for k := range ls.Z {
			shown[k] = true
		}
		return shown
	}
	n := max(1, rows-1) // the rest's line
	shown[ls.Pred] = true
	if ls.Label >= 0 && len(shown) < n {
		shown[ls.Label] = true
	}
	for len(shown) < n {
		best := -1
		for k, pk := range ls.P {
			if !shown[k] && (best < 0 || pk > ls.P[best]) {
				best = k
			}
		}
		shown[best] = true
	}
	return shown
}

// lossTail is m, S, the probabilities checked against the probe's bars
// and, with a label, the loss.
func (p *mapsPanel) lossTail(ls engine.LossSteps, iw int, tight bool) []string {
	rbf := ls.Output == engine.OutputRBF
	var worst float64 // the largest difference from the probe's bars
	for k, pk := range ls.P {
		worst = math.Max(worst, math.Abs(pk-float64(p.snap.Probs[k])))
	}
	long, brief := p.st.MetricGood.Render("✓ = the probe's bars"), p.st.MetricGood.Render("✓")
	if !(worst <= 1e-5) {
		long, brief = p.st.MetricBad.Render("✘ the bars differ by "+signed(worst)), p.st.MetricBad.Render("✘ "+signed(worst))
	}
	var lines []string
	if rbf {
		lines = append(lines,
			fmt.Sprintf("m = min y = %s (class %d)", signed(ls.M), ls.Pred),
			fmt.Sprintf("S = Σ e^−(y−m) = %s", signed(ls.S)),
			draw.PickJoined(iw, " ", []string{"p = e^−(y−m)/S", long}, []string{"p = e^−(y−m)/S", brief}))
	} else {
		lines = append(lines,
			fmt.Sprintf("m = max z = %s (class %d)", signed(ls.M), ls.Pred),
			fmt.Sprintf("S = Σ e^(z−m) = %s", signed(ls.S)),
			draw.PickJoined(iw, " ", []string{"p = e^(z−m)/S", long}, []string{"p = e^(z−m)/S", brief}))
	}
	// In a low panel, two lines become one where the width allows.
	join := func(a, b, sep string) []string {
		if j := a + sep + b; tight && len([]rune(j)) <= iw {
			return []string{j}
		}
		return []string{a, b}
	}
	lines = append(join(lines[0], lines[1], "; "), lines[2])
	d := ls.Label
	switch {
	case d < 0:
		lines = append(lines, "no label: no loss for your digit")
	case rbf:
		lines = append(lines, draw.PickJoined(iw, "", []string{fmt.Sprintf("E = y%d + log(e^−j + Σ e^−y), j = %s", d, signed(ls.J))}, []string{fmt.Sprintf("E = y%d + log(e^−j + Σe^−y)", d)}))
		lines = append(lines, join(fmt.Sprintf("  = %s + log(%s + %s)", signed(ls.Z[d]), signed(ls.EJ), signed(ls.SumExp)), fmt.Sprintf("= %s", signed(ls.Loss)), " ")...)
		if !tight {
			lines[len(lines)-1] = "  " + lines[len(lines)-1]
		}
	default:
		lines = append(lines, join(fmt.Sprintf("−log p%d = log S − (z%d − m)", d, d),
			fmt.Sprintf("= %s − %s = %s", signed(math.Log(ls.S)), signed(ls.Z[d]-ls.M), signed(ls.Loss)), " ")...)
		if len(lines) > 0 && !tight {
			lines[len(lines)-1] = "  " + lines[len(lines)-1]
		}
	}
	return lines
}

// fitNum formats v in at most n cells, with as many significant digits as
// fit (four at most).
func fitNum(v float64, n int) string {
	for d := 4; d >= 1; d-- {
		if s := fmt.Sprintf("%.*g", d, v); len(s) <= n {
			return s
		}
	}
	return fmt.Sprintf("%.0e", v)
}
