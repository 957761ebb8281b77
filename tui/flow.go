package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
)

// flowPanel shows why a net learns or does not, block by block over time:
// how large the gradient of each block's weights is (a sparkline on one log
// scale shared by all blocks, so a vanishing gradient is a row that sinks
// below the others) and how its units fare: the share saturated (sigmoid,
// tanh: a derivative under 1% of its maximum) or dead (relu: 0 on every image
// of the batch). An activation switch is a ┊ in every row.
type flowPanel struct {
	frame
	hist     []engine.Flow // oldest first, at most maxFlowHistory
	switches []stepMarker  // activation switches, as the charts mark them
}

// maxFlowHistory bounds the measurements kept: more than any panel is wide.
const maxFlowHistory = 512

// sparks are the eight heights of a sparkline cell.
var sparks = []rune("▁▂▃▄▅▆▇█")

func newFlowPanel(st styles) flowPanel { return flowPanel{frame: newFrame(st, "Gradient flow")} }

func (p *flowPanel) reset(engine.RunInfo) {
	p.hist, p.switches = nil, nil
	p.touch()
}

func (p *flowPanel) update(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Flow:
		if len(p.hist) == maxFlowHistory {
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

// The columns of a row, in cells; the two sparklines share the rest. Below
// flowWideW the activation column goes.
const flowNameW, flowActW, flowValW, flowShareW, flowWideW = 7, 8, 8, 9, 70

// body is a header line, then a row per block: name, activation, the
// sparkline of its weight-gradient RMS and the latest value, then its units'
// saturated or dead share now and as a sparkline.
func (p *flowPanel) body(iw, ih int) string {
	p.note = ""
	s := p.st
	if len(p.hist) == 0 {
		return s.Label.Render("waiting for the first measurement of the gradients…")
	}
	last := p.hist[len(p.hist)-1]
	p.note = fmt.Sprintf("step %s", commas(last.Step))
	actW := flowActW + 1
	if iw < flowWideW {
		actW = 0
	}
	column := func(text string, w int) string {
		if w == 0 {
			return ""
		}
		return padRight(text, w-1) + " "
	}
	rest := max(8, iw-flowNameW-actW-flowValW-flowShareW-4)
	gradW, shareW := rest*3/5, rest-rest*3/5
	hist := fitHistory(p.hist, gradW)
	lo, hi := p.logRange(hist)
	head := padRight(s.Label.Render("layer"), flowNameW) + " " + column(s.Label.Render("act"), actW) +
		padRight(s.Label.Render(gradientLabel(gradW)), gradW) + " " +
		padRight(s.Label.Render("now"), flowValW) + " " + s.Label.Render(unitsLabel(flowShareW+shareW))
	lines := []string{head}
	cols := p.switchColumns(hist)
	shareHist := fitHistory(p.hist, shareW)
	shareCols := p.switchColumns(shareHist)
	for i, l := range last.Layers {
		if math.IsNaN(l.GradRMS) && math.IsNaN(l.Saturated) && math.IsNaN(l.Dead) {
			continue // nothing to learn and nothing to saturate: a max pool
		}
		act := l.Activation.String()
		if act == "" {
			act = "-"
		}
		grad := func(f engine.LayerFlow) float64 { return logFrac(f.GradRMS, lo, hi) }
		row := padRight(s.Value.Render(l.Name), flowNameW) + " " + column(s.Label.Render(act), actW) +
			p.sparkline(hist, i, grad, cols, gradW) + " " + padRight(s.Value.Render(rms(l.GradRMS)), flowValW) + " " +
			p.share(l) + " " + p.sparkline(shareHist, i, unitShare, shareCols, shareW)
		lines = append(lines, row)
	}
	lines = append(lines, "")
	for _, l := range p.legend(lo, hi, iw) {
		lines = append(lines, s.Label.Render(l))
	}
	return strings.Join(lines[:min(len(lines), max(ih, 1))], "\n")
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

// unitShare is a block's saturated or dead share, NaN when it has neither.
func unitShare(l engine.LayerFlow) float64 {
	if !math.IsNaN(l.Dead) {
		return l.Dead
	}
	return l.Saturated
}

// logRange is the log10 range of every block's weight-gradient RMS in hist,
// widened to whole decades; a zero gradient sits at the bottom.
func (p *flowPanel) logRange(hist []engine.Flow) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, f := range hist {
		for _, l := range f.Layers {
			if l.GradRMS > 0 && !math.IsInf(l.GradRMS, 0) {
				v := math.Log10(l.GradRMS)
				lo, hi = math.Min(lo, v), math.Max(hi, v)
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

// fitHistory is the whole history in at most w measurements, evenly spread
// and ending with the newest, so a sparkline shows the run from its start.
func fitHistory(hist []engine.Flow, w int) []engine.Flow {
	if len(hist) <= w || w <= 0 {
		return hist
	}
	out := make([]engine.Flow, w)
	for c := range out {
		out[c] = hist[(c+1)*len(hist)/w-1] // the last of column c's share
	}
	return out
}

// switchColumns maps each activation switch to the column of the first
// measurement after it, within hist.
func (p *flowPanel) switchColumns(hist []engine.Flow) map[int]bool {
	cols := map[int]bool{}
	for _, m := range p.switches {
		for c, f := range hist {
			if f.Step > m.step {
				if c > 0 {
					cols[c] = true
				}
				break
			}
		}
	}
	return cols
}

// sparkline draws value(block i) over hist, one cell a measurement, as a
// fraction of the cell's height: blank for NaN, _ for −1 (no gradient at
// all), ┊ where the activation switched; w cells in all.
func (p *flowPanel) sparkline(hist []engine.Flow, i int, value func(engine.LayerFlow) float64, switches map[int]bool, w int) string {
	s := p.st
	var b strings.Builder
	for c, f := range hist[max(0, len(hist)-w):] {
		v := math.NaN()
		if i < len(f.Layers) {
			v = value(f.Layers[i])
		}
		switch {
		case switches[c+max(0, len(hist)-w)]:
			b.WriteString(s.Marker.Render("┊"))
		case math.IsNaN(v):
			b.WriteString(" ")
		case v < 0:
			b.WriteString(s.MetricBad.Render("_"))
		default:
			b.WriteString(s.Value.Render(string(sparks[clamp(int(v*float64(len(sparks))), 0, len(sparks)-1)])))
		}
	}
	return padRight(b.String(), w)
}

// share is a block's saturated or dead share now, coloured by how bad.
func (p *flowPanel) share(l engine.LayerFlow) string {
	s := p.st
	word, v := "dead", l.Dead
	if math.IsNaN(v) {
		word, v = "sat", l.Saturated
	}
	if math.IsNaN(v) {
		return spaces(flowShareW)
	}
	style := s.MetricGood
	switch {
	case v >= 0.5:
		style = s.MetricBad
	case v >= 0.2:
		style = s.MetricWarn
	}
	return s.Label.Render(fmt.Sprintf("%-4s", word)) + style.Render(fmt.Sprintf("%4.0f%%", 100*v))
}

// legend explains the rows in lines of at most w cells: the gradients' log
// scale [lo, hi] (decades) and the marks; body keeps what fits.
func (p *flowPanel) legend(lo, hi float64, w int) []string {
	parts := []string{fmt.Sprintf("gradients on a log scale %s–%s", num(math.Pow(10, lo)), num(math.Pow(10, hi))),
		"sat: f′ < 1% of its peak", "dead: 0 on every image", "_ no gradient", "┊ switch"}
	var lines []string
	for _, part := range parts {
		if n := len(lines); n > 0 && ansi.StringWidth(lines[n-1]+" · "+part) <= w {
			lines[n-1] += " · " + part
			continue
		}
		lines = append(lines, truncate(part, w))
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

// unitsLabel heads the units' shares and sparklines in w cells.
func unitsLabel(w int) string {
	for _, l := range []string{"units: saturated or dead", "saturated or dead", "sat or dead"} {
		if len([]rune(l)) <= w {
			return l
		}
	}
	return truncate("units", w)
}

// gradientLabel heads the gradient sparklines in w cells.
func gradientLabel(w int) string {
	for _, l := range []string{"weight gradient RMS", "weight gradient", "∇W RMS", "∇W"} {
		if len([]rune(l)) <= w {
			return l
		}
	}
	return truncate("gradient", w)
}
