package draw

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Axis ticks fall on round values: 1, 2 or 5 times a power of ten, and the
// ends of a linear axis are multiples of its step, so that a 0–3 loss axis
// reads 0 1 2 3 and an accuracy axis 90% 95% 100%, never 0.75 or
// 120000000. A log axis runs between 1-2-5 values and is labelled at the
// 1-2-5 values (0.05 0.1 0.2 0.5 1 2) or, when rows are few, at the
// decades (0.01 0.1 1).

// tick is a labelled value on an axis.
type tick struct {
	v     float64
	label string
}

// Scale maps the values of an axis, lo to hi, linearly or logarithmically,
// and lists its ticks.
type Scale struct {
	lo, hi float64
	log    bool
	ticks  []tick
}

// Range is the values at the ends of the scale, lo and hi.
func (s Scale) Range() (lo, hi float64) { return s.lo, s.hi }

// frac is where v lies between lo (0) and hi (1); on a log scale a value
// ≤ 0 is NaN: it cannot be drawn.
func (s Scale) frac(v float64) float64 {
	if s.log {
		if v <= 0 {
			return math.NaN()
		}
		return math.Log(v/s.lo) / math.Log(s.hi/s.lo)
	}
	return (v - s.lo) / (s.hi - s.lo)
}

// niceStep is the smallest step of the form 1, 2 or 5 × 10^k that is at
// least raw, or 1 for a raw that is not a positive number.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	e := math.Floor(math.Log10(raw))
	for {
		for _, m := range []float64{1, 2, 5} {
			if s := m125(m, int(e)); s >= raw*(1-1e-9) {
				return s
			}
		}
		e++
	}
}

// nextStep is the 1-2-5 step after step: 0.2 → 0.5 → 1 → 2.
func nextStep(step float64) float64 { return niceStep(step * 1.01) }

// m125 is m × 10^e computed so that it prints as it reads (0.02, not
// 0.020000000000000004).
func m125(m float64, e int) float64 {
	v, _ := strconv.ParseFloat(fmt.Sprintf("%ge%d", m, e), 64)
	return v
}

// linearTicks are lo, lo+step, … up to hi, labelled with as many decimals
// as step needs and the unit appended ("95%").
func linearTicks(lo, hi, step float64, unit string) []tick {
	var ts []tick
	for i := 0; ; i++ {
		v := lo + float64(i)*step
		if v > hi+step*1e-6 {
			return ts
		}
		if math.Abs(v) < step*1e-6 {
			v = 0
		}
		ts = append(ts, tick{v, tickLabel(v, step) + unit})
	}
}

// tickLabel formats a tick of an axis with the given step: with the
// decimals the step needs and no trailing zeros (0 0.5 1 1.5), in
// e-notation with two digits from 100,000 up (1.2e+08).
func tickLabel(v, step float64) string {
	if math.Abs(v) >= 1e5 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// LinearScale is a scale from lo to at least dataHi, with the step and hi
// chosen so that hi is a multiple of the step and there are at most
// maxIntervals steps (at least 1). Both ends are ticks.
func LinearScale(lo, dataHi float64, maxIntervals int, unit string) Scale {
	if !(dataHi > lo) {
		dataHi = lo + 1
	}
	maxIntervals = max(1, maxIntervals)
	step := niceStep((dataHi - lo) / float64(maxIntervals))
	for {
		hi := lo + math.Ceil((dataHi-lo)/step-1e-9)*step
		if n := math.Round((hi - lo) / step); n <= float64(maxIntervals) {
			return Scale{lo: lo, hi: hi, ticks: linearTicks(lo, hi, step, unit)}
		}
		step = nextStep(step)
	}
}

// FloorScale is a scale from dataLo rounded down to a multiple of the step
// up to hi (a multiple of every step it may take, such as 100 for a
// percentage), with at most maxIntervals steps and hi−lo at least minSpan.
func FloorScale(dataLo, hi, minSpan float64, maxIntervals int, unit string) Scale {
	dataLo = math.Min(dataLo, hi-minSpan)
	maxIntervals = max(1, maxIntervals)
	step := niceStep((hi - dataLo) / float64(maxIntervals))
	for {
		lo := math.Floor(dataLo/step+1e-9) * step
		if n := math.Round((hi - lo) / step); n <= float64(maxIntervals) {
			return Scale{lo: lo, hi: hi, ticks: linearTicks(lo, hi, step, unit)}
		}
		step = nextStep(step)
	}
}

// nice125 rounds v > 0 down (up=false) or up to 1, 2 or 5 × 10^k.
func nice125(v float64, up bool) float64 {
	e := int(math.Floor(math.Log10(v)))
	vals := []float64{m125(1, e), m125(2, e), m125(5, e), m125(1, e+1)}
	if up {
		for _, c := range vals {
			if c >= v*(1-1e-9) {
				return c
			}
		}
		return vals[3]
	}
	for i := len(vals) - 1; i >= 0; i-- {
		if vals[i] <= v*(1+1e-9) {
			return vals[i]
		}
	}
	return m125(5, e-1)
}

// LogScale is a log scale from dataLo rounded down to dataHi rounded up to
// 1-2-5 values (both > 0), with ticks whose rows, out of rows, are at least
// gap apart: the decades (every second or third one if need be), or the
// ends when there are not two decades, and then, unless decades were left
// out, the 5s and the 2s that have room between them.
func LogScale(dataLo, dataHi float64, rows, gap int) Scale {
	lo, hi := nice125(dataLo, false), nice125(dataHi, true)
	if !(hi > lo) {
		hi = nice125(lo*1.01, true)
	}
	s := Scale{lo: lo, hi: hi, log: true}
	byM := map[float64][]tick{} // the 1-2-5 values in range, by mantissa
	for e := int(math.Floor(math.Log10(lo))); m125(1, e) <= hi*(1+1e-9); e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m125(m, e); v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				byM[m] = append(byM[m], tick{v, logLabel(m, e)})
			}
		}
	}
	var ts []tick
	decades, thinned := byM[1], false
	for every := 1; every < len(decades); every++ {
		var d []tick
		for i := 0; i < len(decades); i += every {
			d = append(d, decades[i])
		}
		if s.spaced(d, rows, gap) {
			ts, thinned = d, every > 1
			break
		}
	}
	if thinned {
		s.ticks = ts
		return s
	}
	if ts == nil {
		ts = []tick{{lo, tickLabel(lo, lo)}, {hi, tickLabel(hi, hi)}}
		if !s.spaced(ts, rows, gap) {
			ts = ts[1:]
		}
	}
	for _, m := range []float64{5, 2, 1} {
		for _, t := range byM[m] {
			if with := insertTick(ts, t); s.spaced(with, rows, gap) {
				ts = with
			}
		}
	}
	s.ticks = ts
	return s
}

// insertTick is ts (sorted by value) with t in its place, if not there.
func insertTick(ts []tick, t tick) []tick {
	i := 0
	for i < len(ts) && ts[i].v < t.v {
		i++
	}
	if i < len(ts) && ts[i].v == t.v {
		return ts
	}
	return append(append(append([]tick(nil), ts[:i]...), t), ts[i:]...)
}

// logLabel formats m × 10^e: 0.05, 0.1, 2, 500, 1e+06.
func logLabel(m float64, e int) string {
	v := m125(m, e)
	if e >= 5 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', max(0, -e), 64)
}

// spaced reports whether the ticks fall on rows (0 at the bottom, rows-1
// at the top, as braille rows are drawn) at least gap apart.
func (s Scale) spaced(ts []tick, rows, gap int) bool {
	last := math.MinInt / 2
	for _, t := range ts {
		r := cellOf(s.frac(t.v), rows, 4)
		if r-last < gap {
			return false
		}
		last = r
	}
	return true
}

// cellOf is the cell, counted from 0 at the low end, of the dot nearest to
// frac along an axis of n cells of `dots` dots each (4 rows or 2 columns of
// braille), as ntcharts' braille grid places a point.
func cellOf(frac float64, n, dots int) int {
	d := int(math.Round(frac * float64(n*dots-1)))
	if d < 0 {
		return (d - dots + 1) / dots
	}
	return d / dots
}

// EpochSpan is the end of the shared epoch axis for a run that has
// reached epoch `last`: the next whole epoch, at least 1, rounded up to a
// multiple of the 1-2-5 unit that leaves at most ten units (11 → 12,
// 23 → 25, 120 → 120).
func EpochSpan(last float64) float64 {
	n := math.Max(1, math.Ceil(last-1e-9))
	unit := niceStep(n / 10)
	return math.Ceil(n/unit-1e-9) * unit
}

// epochScale is the x scale from 0 to span epochs for cols cells: ticks a
// 1-2-5 step apart with a label of w cells and two spaces each.
func epochScale(span float64, cols int) Scale {
	step := niceStep(span / 10)
	for {
		ts := linearTicks(0, span, step, "")
		widest := 0
		for _, t := range ts {
			widest = max(widest, len(t.label))
		}
		if float64(cols)/(span/step) >= float64(widest+2) || span/step <= 1 {
			return Scale{lo: 0, hi: span, ticks: ts}
		}
		step = nextStep(step)
	}
}
