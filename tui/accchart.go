package tui

import (
	"math"
	"slices"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// accChart plots the training accuracy — the EMA of every batch's
// accuracy, as the loss chart smooths the loss — and the test accuracy on
// the quick slice (•) and on the whole test set (◆) against epochs, with
// the loss chart's markers. The y axis ends at 100%. It starts at 0%, so
// that the whole climb shows as the loss chart shows the whole run, when
// the run started well below the zoom (by more than the zoom spans) or
// an activation switch is in view (the plateau before a switch is the
// point of the picture). Otherwise it zooms, as a run loaded at 97%
// needs: it starts at the lowest value in the last three quarters of the
// x axis, rounded down to a tick. The y ticks say which range is drawn.
type accChart struct {
	frame

	epochAxis
	emaLine // in percent
	testSeries
	sheet draw.Sheet // the canvas, kept between drawings
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
	changed := c.epochAxis.update(ev) && !progressOnly(ev) // drawn at the charts' pace
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

// yScale is the y scale for rows rows, in percent, up to 100%: the whole
// climb from 0% or the zoom (whole).
func (c *accChart) yScale(rows int) draw.Scale {
	gaps := (rows - 1) / rowsGap(rows)
	zoom := draw.FloorScale(math.Max(0, c.zoomLo()), 100, 1, gaps, "%")
	if c.whole(zoom) {
		return draw.FloorScale(0, 100, 1, gaps, "%")
	}
	return zoom
}

// zoomLo is the lowest value in the last three quarters of the x axis, or
// in the whole chart when that part is empty; 0 without data.
func (c *accChart) zoomLo() float64 {
	from := c.span() / 4
	for _, whole := range []bool{false, true} {
		lo, seen := math.Inf(1), false
		for _, ps := range [][]draw.Point{c.batch, c.quick, c.test} {
			for _, p := range ps {
				if (whole || p.X >= from) && !math.IsNaN(p.Y) {
					lo, seen = math.Min(lo, p.Y), true
				}
			}
		}
		if seen {
			return lo
		}
	}
	return 0
}

// whole reports whether the chart shows the whole climb rather than zoom:
// when an activation switch is in view, or when the run started below
// zoom by more than zoom spans (a climb from 10% under a 90–100% zoom,
// not a run loaded at 97% under a 98–100% one).
func (c *accChart) whole(zoom draw.Scale) bool {
	if slices.ContainsFunc(c.markers, func(m marker) bool { return m.kind == kindAct }) {
		return true
	}
	lo, hi := zoom.Range()
	first, x := math.NaN(), math.Inf(1)
	for _, ps := range [][]draw.Point{c.batch, c.quick, c.test} {
		if i := slices.IndexFunc(ps, func(p draw.Point) bool { return !math.IsNaN(p.Y) }); i >= 0 && ps[i].X < x {
			first, x = ps[i].Y, ps[i].X
		}
	}
	return first < lo-(hi-lo)
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
	return drawChart(c.st, &c.sheet, iw, ih, &c.epochAxis, &c.emaLine, &c.testSeries, c.yScale)
}
