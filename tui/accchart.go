package tui

import (
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
)

// accChart plots train and test accuracy per epoch, plus the running train
// accuracy of the epoch in progress, with the same markers as the loss chart.
type accChart struct {
	frame

	epochs  int // planned
	bpe     int
	train   []point // (epoch, acc)
	test    []point // (epoch, acc)
	live    *point  // (fractional epoch, running train acc) of the epoch in progress
	markers []stepMarker
}

func newAccChart(st styles) accChart { return accChart{frame: newFrame(st, "Accuracy")} }

func (c *accChart) reset(info engine.RunInfo) {
	*c = accChart{frame: c.frame, epochs: info.Epochs, bpe: batchesPerEpoch(info)}
	c.touch()
}

func (c *accChart) update(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Progress:
		if e.Batches <= 0 {
			return
		}
		c.bpe = e.Batches
		x := float64(e.Epoch-1) + float64(e.Batch)/float64(e.Batches)
		c.live = &point{x, e.TrainAcc}
	case engine.EpochEnd:
		c.train = append(c.train, point{float64(e.Epoch), e.TrainAcc})
		c.test = append(c.test, point{float64(e.Epoch), e.TestAcc})
		c.live = nil
		if e.Epochs > 0 {
			c.epochs = e.Epochs
		}
	case engine.ActivationChanged, engine.LRChanged:
		c.markers = markerUpdate(c.markers, ev)
	default:
		return
	}
	c.touch()
}

func (c *accChart) view() string { return c.draw(c.body) }

// body is the legend over the chart; the note is the last test accuracy.
func (c *accChart) body(iw, ih int) string {
	train := append([]point(nil), c.train...)
	if c.live != nil {
		train = append(train, *c.live)
	}
	xMax := float64(max(c.epochs, 1))
	yMin := 1.0
	for _, ps := range [][]point{train, c.test} {
		for _, p := range ps {
			xMax = math.Max(xMax, math.Ceil(p.x))
			if !math.IsNaN(p.y) {
				yMin = math.Min(yMin, p.y)
			}
		}
	}
	yMin = math.Max(0, math.Floor(yMin*10)/10-0.1)
	if len(train)+len(c.test) == 0 {
		yMin = 0
	}
	p := plot{
		xMin: 0, xMax: xMax, yMin: yMin, yMax: 1,
		xFmt: epochLabel, yFmt: func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) },
		lines: []series{
			{pts: train, style: c.st.SeriesTrain},
			{pts: c.test, style: c.st.SeriesTest},
		},
		markers: epochMarkers(c.markers, c.bpe),
	}
	c.note = "vs epoch"
	if n := len(c.test); n > 0 {
		c.note = "test " + percent(c.test[n-1].y)
	}
	leg := legend(c.st, iw,
		legendEntry{"━", "train", "", c.st.SeriesTrain},
		legendEntry{"━", "test", "", c.st.SeriesTest},
		legendEntry{"┊", "switch", "", c.st.Marker})
	return leg + "\n" + p.draw(iw, ih-1, c.st)
}
