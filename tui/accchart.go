package tui

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// accChart plots the training accuracy — the EMA of every batch's
// accuracy, as the loss chart smooths the loss — and the test accuracy on
// the quick slice (•) and on the whole test set (◆) against epochs, with
// the loss chart's markers. The y axis ends at 100% and starts at the
// lowest value in the last three quarters of the x axis, rounded down to a
// tick, so that it zooms in on the data once the first steep rise is
// behind; the part of the curve below comes in from the bottom edge.
type accChart struct {
	frame

	epochAxis
	emaLine // in percent
	testSeries
}

func newAccChart(st styles) accChart {
	return accChart{frame: newFrame(st, "Accuracy"), epochAxis: newEpochAxis(engine.RunInfo{})}
}

func (c *accChart) reset(info engine.RunInfo) {
	*c = accChart{frame: c.frame, epochAxis: newEpochAxis(info)}
	c.testN = info.TestCount
	c.touch()
}

func (c *accChart) update(ev engine.Event) {
	changed := c.epochAxis.update(ev)
	if e, ok := ev.(engine.Progress); ok {
		pct := make([]float64, len(e.Accs))
		for i, a := range e.Accs {
			pct[i] = 100 * a
		}
		c.add(e.Step-len(e.Accs)+1, c.bpe, pct)
	}
	if c.testSeries.update(ev, func(_, acc float64) float64 { return 100 * acc }) || changed {
		c.touch()
	}
}

// yScale is the y scale for rows rows, in percent, up to 100%.
func (c *accChart) yScale(rows int) draw.Scale {
	from := c.span() / 4
	lo, seen := math.Inf(1), false
	for _, whole := range []bool{false, true} {
		for _, ps := range [][]draw.Point{c.batch, c.quick, c.test} {
			for _, p := range ps {
				if (whole || p.X >= from) && !math.IsNaN(p.Y) {
					lo, seen = math.Min(lo, p.Y), true
				}
			}
		}
		if seen {
			break
		}
	}
	if !seen {
		lo = 0
	}
	return draw.FloorScale(math.Max(0, lo), 100, 1, (rows-1)/rowsGap(rows), "%")
}

func (c *accChart) view() string { return c.draw(c.body) }

// body is the legend over the chart; the note is the last test accuracy.
func (c *accChart) body(iw, ih int) string {
	c.note = ""
	if n := len(c.test); n > 0 {
		c.note = "test " + percent(c.test[n-1].Y/100)
	} else if n := len(c.quick); n > 0 {
		c.note = "test " + imagesLabel(c.quickN) + " " + percent(c.quick[n-1].Y/100)
	}
	return drawChart(c.st, iw, ih, &c.epochAxis, &c.emaLine, &c.testSeries, c.yScale)
}
