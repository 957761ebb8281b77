package tui

import (
	"fmt"
	"math"
	"slices"

	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// lossChart plots the training loss — the EMA of every batch's loss — and
// the test loss on the quick slice (•) and on the whole test set (◆)
// against epochs, with markers where the activation or the learning rate
// changed. Its y axis is logarithmic once the loss spans a factor of ten
// (it has fallen tenfold from its first values, or spiked), linear before;
// after L it is what the user chose, for this run and the next.
type lossChart struct {
	frame

	epochAxis
	emaLine
	testSeries
	sheet draw.Sheet // the canvas, kept between drawings

	logSet bool    // the user chose the scale with L
	log    bool    // the user's choice
	rbf    bool    // the run's loss is the 1998 paper's RBF loss (eq. 9), not a cross-entropy
	smooth float64 // label smoothing's ε: the loss is the smoothed cross-entropy, whose floor is above 0
}

func newLossChart(st styles) lossChart {
	return lossChart{frame: newFrame(st, "Loss"), epochAxis: newEpochAxis(engine.RunInfo{})}
}

// reset clears the data for a new run; the user's choice of scale stays.
func (c *lossChart) reset(info engine.RunInfo) {
	*c = lossChart{frame: c.frame, epochAxis: newEpochAxis(info), logSet: c.logSet, log: c.log}
	c.testN = info.TestCount
	c.rbf = info.Output == engine.OutputRBF
	c.smooth = info.LabelSmoothing
	c.touch()
}

func (c *lossChart) update(ev engine.Event) {
	changed := c.epochAxis.update(ev) && !progressOnly(ev) // drawn at the charts' pace
	if e, ok := ev.(engine.Progress); ok {
		c.add(e.Step-len(e.Losses)+1, c.bpe, e.Losses)
	}
	if c.testSeries.update(ev, func(loss, _ float64) float64 { return loss }) || changed {
		c.touch()
	}
}

// toggleLog switches between a log and a linear y axis; the choice then
// holds until the next L.
func (c *lossChart) toggleLog() {
	c.log, c.logSet = !c.logScale(), true
	c.touch()
}

// logScale reports whether the y axis is logarithmic.
func (c *lossChart) logScale() bool {
	if c.logSet {
		return c.log
	}
	lo, hi, ok := c.extent()
	return ok && hi >= 10*lo
}

// extent is the smallest and largest positive finite loss shown.
func (c *lossChart) extent() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, ps := range [][]draw.Point{c.batch, c.quick, c.test} {
		for _, p := range ps {
			if p.Y > 0 && !math.IsInf(p.Y, 0) {
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
	}
	return lo, hi, hi >= lo
}

// yScale is the y scale for rows rows: log from the lowest to the highest
// loss, or linear from 0 (up to 1 with no data yet).
func (c *lossChart) yScale(rows int) draw.Scale {
	gap := rowsGap(rows)
	lo, hi, ok := c.extent()
	if !ok {
		lo, hi = 1, 1
	}
	if c.logScale() {
		return draw.LogScale(lo, hi, rows, gap)
	}
	return draw.LinearScale(0, hi, (rows-1)/gap, "")
}

func (c *lossChart) view() string { return c.draw(c.body) }

// body is the legend over the chart; the note says the scale and its key.
func (c *lossChart) body(iw, ih int) string {
	name := "linear"
	if c.logScale() {
		name = "log"
	}
	loss := "cross-entropy, "
	switch {
	case c.rbf:
		loss = "RBF eq. 9, "
	case c.smooth > 0:
		loss = fmt.Sprintf("smoothed ε %g, ", c.smooth)
	}
	notes := []string{loss + name + " scale (L)", name + " scale (L)", name + " (L)"}
	if c.smooth > 0 { // worth a shorter scale word: the loss does not fall to 0
		notes = slices.Insert(notes, 1, loss+name+" (L)")
	}
	c.note = draw.Pick(iw-lipgloss.Width(c.title)-1, notes...)
	return drawChart(c.st, &c.sheet, iw, ih, &c.epochAxis, &c.emaLine, &c.testSeries, c.yScale)
}
