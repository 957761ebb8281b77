package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// flowPanel shows why a net learns or does not, block by block over time:
// how large the gradient of each block's weights is (∇W), how large the
// gradient flowing into its input is (dL/da: with sigmoid it shrinks block
// by block toward the input, decades in all, the vanishing gradient; with
// relu far less), both as sparklines on one log scale, and how its units
// fare: the share saturated (sigmoid, tanh: a derivative under 1% of its
// maximum), or for relu the maps dead (0 at every position of every image of
// the batch: the filter is lost) apart from the positions silent (0 on every
// image: normal where the digits never reach, C1's border). An activation
// switch is a ┊ in every row.
//
// Tall enough, the panel stacks two tables on one time axis: ∇W with the
// units, then dL/da. Otherwise one table gives each block a row with both
// gradients side by side and the units' share now.
type flowPanel struct {
	frame
	hist     []engine.Flow // oldest first, at most maxFlowHistory
	dropped  int           // the step of the newest measurement dropped from hist; 0 while none is
	switches []stepMarker  // activation switches, as the charts mark them
}

// maxFlowHistory bounds the measurements kept: more than any panel is wide.
const maxFlowHistory = 512

// sparks are the eight heights of a sparkline cell.
var sparks = []rune("▁▂▃▄▅▆▇█")

func newFlowPanel(st styles) *flowPanel { return &flowPanel{frame: newFrame(st, "Gradient flow")} }

func (p *flowPanel) reset(engine.RunInfo) {
	p.hist, p.switches, p.dropped = nil, nil, 0
	p.touch()
}

func (p *flowPanel) update(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Flow:
		if len(p.hist) == maxFlowHistory {
			p.dropped = p.hist[0].Step
			p.hist = append(p.hist[:0], p.hist[1:]...)
		}
		p.hist = append(p.hist, e)
		p.touch()
	case engine.ActivationChanged:
		p.switches = append(p.switches, stepMarker{e.Step, e.Activation.String()})
		p.touch()
	}
}

func (p *flowPanel) view() string { return p.draw(p.body) }

// The widths of a row's columns, in cells: the activation (with its space;
// shown from flowWideW), a value. The units' cell is as wide as its form
// at the panel's width needs (see shareForms). The sparklines share the
// rest.
const flowActW, flowValW, flowWideW = 9, 8, 70

// shareForms are the forms of a relu block's units cell, widest first, and
// the panel width each needs: its dead maps out of all (right-aligned), then
// the share of its positions silent, each number after its words. The
// head names the two numbers of the last, which has no words.
var shareForms = []struct {
	minW              int
	dead, silent, pct string
}{{120, "dead maps ", " · silent ", "%.0f%%"}, {100, "dead ", " · silent ", "%.0f%%"}, {0, "", " ", "%5.0f%%"}}

// flowLayout is one drawing's columns.
type flowLayout struct {
	nameW, actW int
	gradW       int // each gradient sparkline; 0 for none
	unitW       int // the units' sparkline (stacked only); 0 for none
	form        int // the relu units cell's, of shareForms
	mapsW       int // the widest "dead/maps" of a relu block
	shareW      int // the units cell
}

// body is one or two tables, a row per block, and a legend as far as it
// fits.
func (p *flowPanel) body(iw, ih int) string {
	p.note = ""
	if len(p.hist) == 0 {
		return p.st.Label.Render("waiting for the first measurement of the gradients…")
	}
	last := p.hist[len(p.hist)-1]
	weights, inputs, every := flowBlocks(last.Layers)
	l := p.columns(last.Layers, every, iw)
	lines, tl := p.tables(l, weights, inputs, every, iw, ih)
	p.setNote(tl, last.Step)
	return p.withLegend(lines, tl, iw, ih)
}

// flowBlocks is the blocks each table has a row for: those with a weight
// gradient, saturation or dead maps to show (weights), those with an input
// gradient (inputs), and those with either (every).
func flowBlocks(layers []engine.LayerFlow) (weights, inputs, every []int) {
	for i, b := range layers {
		hasW := !math.IsNaN(b.GradRMS) || !math.IsNaN(b.Saturated) || !math.IsNaN(b.DeadMaps)
		hasIn := !math.IsNaN(b.InputGradRMS)
		if hasW {
			weights = append(weights, i)
		}
		if hasIn {
			inputs = append(inputs, i)
		}
		if hasW || hasIn {
			every = append(every, i)
		}
	}
	return weights, inputs, every
}

// columns is the layout's columns but the sparklines' for iw cells: the
// names of the blocks in every, the activation, the widest dead/maps, and
// the units cell's form and width.
func (p *flowPanel) columns(layers []engine.LayerFlow, every []int, iw int) flowLayout {
	l := flowLayout{nameW: len("layer")}
	for _, i := range every {
		l.nameW = max(l.nameW, ansi.StringWidth(layers[i].Name))
	}
	for _, b := range layers {
		if !math.IsNaN(b.DeadMaps) {
			l.mapsW = max(l.mapsW, len(fmt.Sprintf("%d/%d", b.DeadMapCount, b.Maps)))
		}
	}
	if iw >= flowWideW {
		l.actW = flowActW
	}
	for l.form < len(shareForms)-1 && iw < shareForms[l.form].minW {
		l.form++
	}
	l.shareW = len("sat 100%")
	if l.mapsW > 0 && l.form == len(shareForms)-1 { // room for the head that names the numbers
		l.shareW = ansi.StringWidth(p.unitsHead(l, 0))
	}
	for _, b := range layers {
		l.shareW = max(l.shareW, ansi.StringWidth(p.share(l, b)))
	}
	return l
}

// tables is the rows: stacked (weights, then inputs) when ih holds two
// heads and every row, side by side otherwise; the sparklines take the
// width the other columns leave.
func (p *flowPanel) tables(l flowLayout, weights, inputs, every []int, iw, ih int) ([]string, timeline) {
	if ih >= len(weights)+len(inputs)+2 { // two heads and the rows; the legend if it fits
		rest := iw - (l.nameW + 1 + l.actW + 1 + flowValW + 1 + l.shareW + 1)
		if rest >= 13 {
			l.unitW = max(4, rest/4)
		}
		l.gradW = max(2, rest-l.unitW)
		tl := p.timeline(l.gradW)
		return p.stackedTables(l, tl, weights, inputs), tl
	}
	rest := iw - (l.nameW + 1 + l.actW + 2*(flowValW+1) + l.shareW)
	if l.gradW = rest/2 - 1; l.gradW < 4 {
		l.gradW = 0
	}
	tl := p.timeline(l.gradW)
	return p.sideBySide(l, tl, every, ih > len(every)), tl
}

// setNote names the steps the sparklines span, or the last measurement's
// step, unless the tables left a note of their own.
func (p *flowPanel) setNote(tl timeline, step int) {
	if p.note == "" && tl.cols != nil {
		p.note = fmt.Sprintf("steps %s–%s", engine.Thousands(tl.from), engine.Thousands(tl.to))
	} else if p.note == "" {
		p.note = fmt.Sprintf("step %s", engine.Thousands(step))
	}
}

// withLegend is lines and the legend under them (after a blank line when
// all of it fits), cut to ih lines.
func (p *flowPanel) withLegend(lines []string, tl timeline, iw, ih int) string {
	lo, hi := p.logRange(tl)
	legend := p.legend(lo, hi, iw)
	if len(lines)+1+len(legend) <= ih {
		lines = append(lines, "")
	}
	for _, l := range legend {
		lines = append(lines, p.st.Label.Render(l))
	}
	return strings.Join(lines[:min(len(lines), max(ih, 1))], "\n")
}

// stackedTables is the tall drawing: a table of the weight gradients and
// the units, then one of the input gradients, their sparklines one above
// the other on the same time axis.
func (p *flowPanel) stackedTables(l flowLayout, tl timeline, weights, inputs []int) []string {
	s := p.st
	last := p.hist[len(p.hist)-1]
	lo, hi := p.logRange(tl)
	unitTL := p.timeline(l.unitW)
	span := l.gradW + 1 + flowValW // a head spans the sparkline and the value
	head := p.head(l) + draw.PadRight(s.Label.Render(draw.Pick(span, "∇W: gradient of the block's weights", "∇W: weight gradient", "weight gradient ∇W", "∇W RMS", "∇W")), span) + " " +
		s.Label.Render(p.unitsHead(l, l.shareW+1+l.unitW))
	lines := []string{head}
	for _, i := range weights {
		b := last.Layers[i]
		row := p.name(l, b) + p.sparkline(tl, i, gradOf(lo, hi), l.gradW) + " " +
			draw.PadRight(s.Value.Render(rms(b.GradRMS)), flowValW) + " " + draw.PadRight(p.share(l, b), l.shareW)
		if l.unitW > 0 {
			row += " " + p.sparkline(unitTL, i, unitShare, l.unitW)
		}
		lines = append(lines, row)
	}
	rest := ansi.StringWidth(head) - ansi.StringWidth(p.head(l)) // nothing to the right of this table's values
	lines = append(lines, p.head(l)+s.Label.Render(draw.Pick(rest, "dL/da: the gradient into the block's input", "dL/da: gradient into the block's input",
		"dL/da: gradient into the input", "input gradient dL/da", "dL/da RMS", "dL/da")))
	for _, i := range inputs {
		b := last.Layers[i]
		lines = append(lines, p.name(l, b)+p.sparkline(tl, i, inputGradOf(lo, hi), l.gradW)+" "+s.Value.Render(rms(b.InputGradRMS)))
	}
	return lines
}

// sideBySide is the low drawing: a row per block with its weight gradient
// and its input gradient, each a sparkline (when there is room) and its
// latest value, then its units' share now. Without room for a head line
// (withHead false) the title line names the columns instead.
func (p *flowPanel) sideBySide(l flowLayout, tl timeline, blocks []int, withHead bool) []string {
	s := p.st
	last := p.hist[len(p.hist)-1]
	lo, hi := p.logRange(tl)
	span := l.gradW + 1 + flowValW
	if l.gradW == 0 {
		span = flowValW
	}
	var lines []string
	if withHead {
		heads := [][2]string{{"∇W: weight gradient", "dL/da: input gradient"}, {"∇W RMS", "dL/da RMS"}, {"∇W", "dL/da"}}
		h := heads[len(heads)-1]
		for _, c := range heads { // the longest pair that fits, alike
			if ansi.StringWidth(c[1]) < span {
				h = c
				break
			}
		}
		lines = append(lines, p.head(l)+draw.PadRight(s.Label.Render(h[0]), span)+" "+draw.PadRight(s.Label.Render(h[1]), span)+" "+s.Label.Render(p.unitsHead(l, l.shareW)))
	} else {
		p.note = "∇W · dL/da · " + p.unitsHead(l, 13)
	}
	value := func(i int, f func(engine.LayerFlow) float64, v float64) string {
		out := draw.PadRight(s.Value.Render(rms(v)), flowValW)
		if l.gradW == 0 {
			return out
		}
		return p.sparkline(tl, i, f, l.gradW) + " " + out
	}
	for _, i := range blocks {
		b := last.Layers[i]
		lines = append(lines, p.name(l, b)+value(i, gradOf(lo, hi), b.GradRMS)+" "+
			value(i, inputGradOf(lo, hi), b.InputGradRMS)+" "+p.share(l, b))
	}
	return lines
}

// head is a table's first cells: "layer" and, if shown, "act".
func (p *flowPanel) head(l flowLayout) string {
	return draw.PadRight(p.st.Label.Render("layer"), l.nameW) + " " + draw.PadRight(p.actHead(l), l.actW)
}

func (p *flowPanel) actHead(l flowLayout) string {
	if l.actW == 0 {
		return ""
	}
	return p.st.Label.Render("act")
}

// name is a row's first cells: the block's name and, if shown, its
// activation.
func (p *flowPanel) name(l flowLayout, b engine.LayerFlow) string {
	s := p.st
	out := draw.PadRight(s.Value.Render(b.Name), l.nameW) + " "
	if l.actW > 0 {
		act := b.Activation.String()
		if act == "" {
			act = "-"
		}
		out += draw.PadRight(s.Label.Render(act), l.actW)
	}
	return out
}

// gradOf and inputGradOf place a block's gradients on the log scale.
func gradOf(lo, hi float64) func(engine.LayerFlow) float64 {
	return func(b engine.LayerFlow) float64 { return logFrac(b.GradRMS, lo, hi) }
}

func inputGradOf(lo, hi float64) func(engine.LayerFlow) float64 {
	return func(b engine.LayerFlow) float64 { return logFrac(b.InputGradRMS, lo, hi) }
}

// logFrac places v on the log scale [lo, hi] as a fraction; NaN for none,
// −1 for a zero gradient.
func logFrac(v, lo, hi float64) float64 {
	switch {
	case math.IsNaN(v):
		return math.NaN()
	case !(v > 0):
		return -1
	}
	return (math.Log10(v) - lo) / (hi - lo)
}

// unitShare is a block's share of maps dead (relu) or of units saturated,
// NaN when it has neither.
func unitShare(l engine.LayerFlow) float64 {
	if !math.IsNaN(l.DeadMaps) {
		return l.DeadMaps
	}
	return l.Saturated
}

// logRange is the log10 range of every block's gradient RMS, of its
// weights and of its input, in the measurements tl shows, widened to whole
// decades; a zero gradient sits at the bottom.
func (p *flowPanel) logRange(tl timeline) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, f := range p.flows(tl) {
		for _, l := range f.Layers {
			for _, g := range []float64{l.GradRMS, l.InputGradRMS} {
				if g > 0 && !math.IsInf(g, 0) {
					v := math.Log10(g)
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if lo > hi {
		return -1, 0
	}
	lo, hi = math.Floor(lo), math.Ceil(hi)
	if hi == lo {
		hi++
	}
	return lo, hi
}

// sparkline draws value(block i) in tl's columns, as a fraction of the
// cell's height: blank for NaN, _ for −1 (no gradient at all), ┊ where the
// activation switched; w cells in all.
func (p *flowPanel) sparkline(tl timeline, i int, value func(engine.LayerFlow) float64, w int) string {
	s := p.st
	var b strings.Builder
	for _, j := range tl.cols {
		if j == markCol {
			b.WriteString(s.Marker.Render("┊"))
			continue
		}
		v := math.NaN()
		if f := p.hist[j]; i < len(f.Layers) {
			v = value(f.Layers[i])
		}
		switch {
		case math.IsNaN(v):
			b.WriteString(" ")
		case v < 0:
			b.WriteString(s.MetricBad.Render("_"))
		default:
			b.WriteString(s.Value.Render(string(sparks[clamp(int(v*float64(len(sparks))), 0, len(sparks)-1)])))
		}
	}
	return draw.PadRight(b.String(), w)
}

// share is a block's units now in l's form: for relu its maps dead out of
// all, coloured by how bad, and its positions silent (no fault in itself);
// otherwise its share saturated, coloured by how bad; "" for neither.
func (p *flowPanel) share(l flowLayout, b engine.LayerFlow) string {
	s := p.st
	bad := func(v float64, text string) string {
		switch {
		case v >= 0.5:
			return s.MetricBad.Render(text)
		case v >= 0.2:
			return s.MetricWarn.Render(text)
		}
		return s.MetricGood.Render(text)
	}
	switch {
	case !math.IsNaN(b.DeadMaps):
		f := shareForms[l.form]
		return s.Label.Render(f.dead) + bad(b.DeadMaps, fmt.Sprintf("%*s", l.mapsW, fmt.Sprintf("%d/%d", b.DeadMapCount, b.Maps))) +
			s.Label.Render(f.silent) + s.Value.Render(fmt.Sprintf(f.pct, 100*b.Silent))
	case !math.IsNaN(b.Saturated):
		return s.Label.Render("sat ") + bad(b.Saturated, fmt.Sprintf("%4.0f%%", 100*b.Saturated))
	}
	return ""
}

// unitsHead names the units cells in at most w cells: the narrow form of a
// relu cell has no words of its own.
func (p *flowPanel) unitsHead(l flowLayout, w int) string {
	switch {
	case l.mapsW > 0 && l.form == len(shareForms)-1: // over the numbers
		return fmt.Sprintf("%*s %6s", l.mapsW, "dead", "silent")
	case l.mapsW > 0:
		return "units"
	}
	return draw.Pick(w, "units: saturated", "units")
}

// legend explains the rows in lines of at most w cells, the most needed
// first: the gradients' log scale [lo, hi] (decades), the units' measures
// the panel has shown and the marks; each part goes into the first line
// with room; body keeps what fits.
func (p *flowPanel) legend(lo, hi float64, w int) []string {
	parts := []string{fmt.Sprintf("RMS on a log scale %s–%s", num(math.Pow(10, lo)), num(math.Pow(10, hi))),
		"dL/da: the gradient into a block's input"}
	var sat, relu, reluNow bool
	for _, f := range p.hist {
		for _, l := range f.Layers {
			sat, relu = sat || !math.IsNaN(l.Saturated), relu || !math.IsNaN(l.DeadMaps)
		}
	}
	for _, l := range p.hist[len(p.hist)-1].Layers {
		reluNow = reluNow || !math.IsNaN(l.DeadMaps)
	}
	satPart := []string{"sat: f′ < 1% of its peak"}
	reluParts := []string{"dead map: 0 everywhere on every image", "silent: a position 0 on every image", "C1's border is silent in a healthy net"}
	switch { // the measures shown now first
	case reluNow && sat:
		parts = slices.Concat(parts, reluParts, satPart)
	case relu && sat:
		parts = slices.Concat(parts, satPart, reluParts)
	case relu:
		parts = append(parts, reluParts...)
	case sat:
		parts = append(parts, satPart...)
	}
	parts = append(parts, "_ no gradient", "┊ switch")
	var lines []string
next:
	for _, part := range parts {
		for i, l := range lines { // the first line with room
			if ansi.StringWidth(l+" · "+part) <= w {
				lines[i] += " · " + part
				continue next
			}
		}
		lines = append(lines, draw.Truncate(part, w))
	}
	return lines
}

// rms formats a gradient RMS: "—" when there is none.
func rms(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return num(v)
}
