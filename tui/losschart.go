package tui

import (
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
)

// emaAlpha smooths the per-batch training loss:
// ema ← α·loss + (1−α)·ema, started at the first batch's loss. With α = 0.05
// a point averages roughly the last 20 batches.
const emaAlpha = 0.05

// stepMarker marks the batch where a setting changed: the new setting is in
// force from step+1.
type stepMarker struct {
	step  int
	label string
}

// markerUpdate turns ActivationChanged and LRChanged events into markers.
func markerUpdate(ms []stepMarker, ev engine.Event) []stepMarker {
	switch e := ev.(type) {
	case engine.ActivationChanged:
		return append(ms, stepMarker{e.Step, e.Activation.String()})
	case engine.LRChanged:
		return append(ms, stepMarker{e.Step, fmt.Sprintf("lr %g", e.LR)})
	}
	return ms
}

// epochMarkers places markers on an axis in epochs.
func epochMarkers(ms []stepMarker, bpe int) []marker {
	out := make([]marker, len(ms))
	for i, m := range ms {
		out[i] = marker{x: float64(m.step) / float64(max(bpe, 1)), label: m.label}
	}
	return out
}

// lossChart plots the smoothed training loss of every batch and the test
// loss of every epoch against epochs, with markers where the activation or
// the learning rate changed.
type lossChart struct {
	frame

	bpe      int     // batches per epoch
	ema      float64 // smoothed loss so far
	haveEMA  bool
	lastStep int
	batch    []point // (step, ema loss): every batch
	test     []point // (step, test loss): every epoch
	markers  []stepMarker
}

func newLossChart(st styles) lossChart {
	c := lossChart{frame: newFrame(st, "Loss")}
	c.note = "cross-entropy vs epoch"
	return c
}

func (c *lossChart) reset(info engine.RunInfo) {
	*c = lossChart{frame: c.frame, bpe: batchesPerEpoch(info)}
	c.touch()
}

// batchesPerEpoch is ⌈train/batch⌉, or 1 when unknown.
func batchesPerEpoch(info engine.RunInfo) int {
	if info.Batch <= 0 || info.TrainCount <= 0 {
		return 1
	}
	return (info.TrainCount + info.Batch - 1) / info.Batch
}

func (c *lossChart) update(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Progress:
		if e.Batches > 0 {
			c.bpe = e.Batches
		}
		first := e.Step - len(e.Losses) + 1
		for i, l := range e.Losses {
			if math.IsNaN(l) || math.IsInf(l, 0) {
				continue
			}
			if !c.haveEMA {
				c.ema, c.haveEMA = l, true
			} else {
				c.ema = emaAlpha*l + (1-emaAlpha)*c.ema
			}
			c.batch = append(c.batch, point{float64(first + i), c.ema})
		}
		c.lastStep = max(c.lastStep, e.Step)
	case engine.EpochEnd:
		c.test = append(c.test, point{float64(e.Step), e.TestLoss})
		c.lastStep = max(c.lastStep, e.Step)
	case engine.ActivationChanged, engine.LRChanged:
		c.markers = markerUpdate(c.markers, ev)
	default:
		return
	}
	c.touch()
}

func (c *lossChart) view() string { return c.draw(c.body) }

// body is the legend over the chart, drawn from all the data.
func (c *lossChart) body(iw, ih int) string {
	bpe := float64(max(c.bpe, 1))
	toEpochs := func(ps []point) []point {
		out := make([]point, len(ps))
		for i, p := range ps {
			out[i] = point{p.x / bpe, p.y}
		}
		return out
	}
	yMax := 0.0
	for _, ps := range [][]point{c.batch, c.test} {
		for _, p := range ps {
			if !math.IsNaN(p.y) && !math.IsInf(p.y, 0) {
				yMax = math.Max(yMax, p.y)
			}
		}
	}
	p := plot{
		xMin: 0, xMax: math.Max(1, math.Ceil(float64(c.lastStep)/bpe)),
		yMin: 0, yMax: niceCeil(yMax * 1.05),
		xFmt: epochLabel, yFmt: lossLabel,
		lines: []series{
			{pts: toEpochs(c.batch), style: c.st.SeriesTrain},
			{pts: toEpochs(c.test), style: c.st.SeriesTest},
		},
		markers: epochMarkers(c.markers, c.bpe),
	}
	leg := legend(c.st, iw,
		legendEntry{"━", fmt.Sprintf("train (EMA α=%g)", emaAlpha), "train EMA", c.st.SeriesTrain},
		legendEntry{"━", "test/epoch", "test", c.st.SeriesTest},
		legendEntry{"┊", "switch", "", c.st.Marker})
	return leg + "\n" + p.draw(iw, ih-1, c.st)
}

func epochLabel(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func lossLabel(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2g", v)
}
