package tui

import (
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
)

// The training line gains a point at every batch, hundreds a second at full
// speed, and drawing a chart again costs milliseconds on the cores that
// train. So a Progress only marks the charts as behind, and the model draws
// them again at most every chartEvery frames' worth of time; a test point,
// a setting change, a pause or the end of the run draws them at once.
// Between two drawings the line is at most a quarter of a second old.
const chartEvery = 5 // in frame intervals, rounded: 100 ms frames → 250 ms … 500 ms

// progressOnly reports an event that only adds training points: one the
// charts draw at their own pace rather than at once.
func progressOnly(ev engine.Event) bool {
	_, ok := ev.(engine.Progress)
	return ok
}

// paceCharts draws the charts again if they are behind and it is time (or
// force: the run paused, ended or was switched, which the screen must show
// as it is). With no frame interval (tests) they are never held back.
func (m *model) paceCharts(now time.Time, force bool) {
	if !m.loss.behind && !m.acc.behind {
		return
	}
	if !force && m.interval > 0 && now.Sub(m.chartsDrawn) < chartEvery*m.interval/2 {
		return
	}
	for _, c := range []*frame{&m.loss.frame, &m.acc.frame} {
		c.touch()
	}
	m.loss.behind, m.acc.behind = false, false
	m.chartsDrawn = now
}
