package tui

import (
	"sort"

	"github.com/lenet-tui/lenet-tui/engine"
)

// timeline is the columns every sparkline of one flow view shares, so that
// a column is the same moment in each row: a measurement (an index into the
// panel's history) or markCol, an activation switch between its neighbours.
type timeline struct {
	cols     []int
	from, to int // the steps of the first and the newest measurement shown
}

// markCol is a column that marks an activation switch.
const markCol = -1

// timeline lays the history out in at most cells columns.
//
// Without an activation switch it shows the whole history. After one it
// shows a window in which the last switch sits in the middle, as many
// measurements after it as before, so that what changed is as wide as what
// was: right after the switch one column per measurement (the newest few
// hundred batches, the switch at the right), widening as the run goes on
// until it is the whole history again. Where the window holds more
// measurements than columns, each column shows the last of an even share.
//
// Every switch within the window is a ┊ column between the measurements
// before and after it (one ┊ for switches that fall between the same two
// columns); a switch after the newest measurement is a ┊ at the end, so a
// key press shows at once.
func (p *flowPanel) timeline(cells int) timeline {
	n := len(p.hist)
	if n == 0 || cells < 2 {
		return timeline{}
	}
	after := func(step int) int { return sort.Search(n, func(i int) bool { return p.hist[i].Step > step }) }
	lo := 0
	if k := len(p.switches); k > 0 {
		since := n - after(p.switches[k-1].step)
		lo = max(0, n-max(cells-1, 2*since))
	}
	start := p.dropped // a switch at or after start falls within the window
	if lo > 0 {
		start = p.hist[lo-1].Step
	}
	var marks []int // steps of the switches shown, ascending
	gaps := map[int]bool{}
	for _, m := range p.switches {
		if m.step >= start {
			marks = append(marks, m.step)
			gaps[after(m.step)] = true
		}
	}
	span := n - lo
	d := max(1, min(span, cells-len(gaps)))
	var cols []int
	mi := 0
	for c := range d {
		j := lo + (c+1)*span/d - 1 // the last of column c's share
		if mi < len(marks) && marks[mi] < p.hist[j].Step {
			cols = append(cols, markCol)
			for mi < len(marks) && marks[mi] < p.hist[j].Step {
				mi++
			}
		}
		cols = append(cols, j)
	}
	if mi < len(marks) {
		cols = append(cols, markCol)
	}
	if len(cols) > cells { // more switches than room: keep the newest
		cols = cols[len(cols)-cells:]
	}
	return timeline{cols: cols, from: p.hist[lo].Step, to: p.hist[n-1].Step}
}

// flows are the measurements the timeline shows, oldest first.
func (p *flowPanel) flows(tl timeline) []engine.Flow {
	var out []engine.Flow
	for _, j := range tl.cols {
		if j != markCol {
			out = append(out, p.hist[j])
		}
	}
	return out
}
