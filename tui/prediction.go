package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// prediction shows the probe digit as the net sees it, its true label and
// the net's top-3 class probabilities as bars.
type prediction struct {
	frame
	lastSnapshot
	lit   *[4]int      // rows r0..r1, columns c0..c1 of the input to highlight; nil for none
	field engine.Field // the receptive field lit shows
	names classNames
}

func newPrediction(st styles) prediction { return prediction{frame: newFrame(st, "Probe")} }

func (p *prediction) reset(info engine.RunInfo) {
	p.snap, p.names = nil, info.Classes
	p.touch()
}

func (p *prediction) update(ev engine.Event) {
	if p.take(ev) {
		p.touch()
	}
}

// lastSnapshot keeps the run's latest Snapshot for a panel that draws the
// probe; nil until the first.
type lastSnapshot struct{ snap *engine.Snapshot }

// take keeps ev if it is a Snapshot and reports whether it was.
func (l *lastSnapshot) take(ev engine.Event) bool {
	s, ok := ev.(engine.Snapshot)
	if ok {
		l.snap = &s
	}
	return ok
}

func (p *prediction) view() string { return p.draw(p.body) }

// setHighlight lights the receptive field of an inspected value on the
// digit (inspect.go), rows r0..r1 and columns c0..c1 of lit, half-open;
// with ok false, nothing.
func (p *prediction) setHighlight(lit [4]int, f engine.Field, ok bool) {
	switch {
	case !ok && p.lit != nil:
		p.lit = nil
	case ok && (p.lit == nil || *p.lit != lit || p.field != f):
		p.lit, p.field = &lit, f
	default:
		return
	}
	p.touch()
}

// body is the digit over its true label and the top-3 bars.
func (p *prediction) body(iw, ih int) string {
	p.note = ""
	if p.snap == nil {
		return p.st.Label.Render("waiting for a snapshot…")
	}
	s := p.snap
	bars := p.bars(iw)
	digitRows := ih - 1 - len(bars) // the label line
	var caption []string
	if p.lit != nil {
		caption = p.fieldCaption(iw, len(s.Input))
		if digitRows-len(caption) < 8 {
			caption = caption[:1] // a small terminal: the digit first
		}
		digitRows -= len(caption)
	}
	var lines []string
	if h, w := inputShape(len(s.Input)); digitRows > 0 && h > 0 {
		cw := min(iw, w, int(float64(2*digitRows*w)/float64(h)))
		rh := max(1, int(math.Ceil(float64(cw*h)/float64(2*w))))
		lo, hi := draw.MinMax(s.Input)
		pad := draw.Spaces((iw - cw) / 2)
		for _, l := range p.st.heat.RenderMasked(s.Input, h, w, cw, min(rh, digitRows), lo, hi, p.lit) {
			lines = append(lines, pad+l)
		}
	}
	lines = append(lines, caption...)
	p.note = fmt.Sprintf("test #%d", s.Probe)
	if s.Own {
		lines = append(lines, p.st.Label.Render("your digit"))
		p.note = "drawn"
	} else {
		lines = append(lines, p.names.fit(iw, func(name func(int) string) string {
			return p.st.Label.Render("true label ") + p.st.Value.Render(name(s.Label))
		}, func(name func(int) string) string {
			return p.st.Label.Render("true ") + p.st.Value.Render(name(s.Label))
		}))
	}
	lines = append(lines, bars...)
	return strings.Join(lines, "\n")
}

// fieldCaption says where the highlighted field lies: "field 14×14 of
// the 28×28 input", then "rows 3–16, cols 5–18", with a note when it
// reaches past the image into the padding.
func (p *prediction) fieldCaption(iw, n int) []string {
	h, w := inputShape(n)
	l := *p.lit
	head := fmt.Sprintf("field %s of the %d×%d", p.field, h, w)
	where := fmt.Sprintf("rows %d–%d, cols %d–%d", l[0], l[1]-1, l[2], l[3]-1)
	if l[0] < 0 || l[2] < 0 || l[1] > h || l[3] > w {
		where = draw.PickJoined(iw, " ", []string{where, "(<0: padding)"}, []string{where})
	}
	return []string{p.st.Label.Render(draw.PickJoined(iw, "", []string{head}, []string{"field " + p.field.String()})), p.st.Label.Render(where)}
}

// inputShape guesses the (H, W) of a flattened input: square if it can be.
func inputShape(n int) (h, w int) {
	r := int(math.Round(math.Sqrt(float64(n))))
	if r*r == n {
		return r, r
	}
	return 1, n
}

// bars renders the top-3 classes: "7 ████████░░ 97.1% ✔", the classes
// by name in a column as wide as the widest ("Ankle boot ███░ 92.5%✔"),
// cut so that the bar keeps at least 4 cells; in a panel too narrow for a
// bar beside names of 7 cells, the names and probabilities without bars.
func (p *prediction) bars(iw int) []string {
	s := p.snap
	idx := make([]int, len(s.Probs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.Probs[idx[a]] > s.Probs[idx[b]] })
	idx = idx[:min(3, len(idx))]
	nameW := max(1, min(p.names.widest(), iw-14))
	barW := max(4, iw-nameW-10) // the name, a space, the bar, " 100.0%" and the mark
	if nameW < min(p.names.widest(), 7) {
		nameW, barW = max(1, min(p.names.widest(), iw-8)), 0 // the name, a space, "100.0%" and the mark
	}
	lines := make([]string, 0, len(idx))
	for rank, c := range idx {
		pr := float64(s.Probs[c])
		if math.IsNaN(pr) {
			pr = 0
		}
		full := clamp(int(math.Round(pr*float64(barW))), 0, barW)
		st := p.st.BarFull
		mark := " "
		if rank == 0 && !s.Own { // a drawing has no true label to check against
			if c == s.Label {
				st, mark = p.st.MetricGood, p.st.MetricGood.Render("✔")
			} else {
				st, mark = p.st.MetricBad, p.st.MetricBad.Render("✘")
			}
		}
		name := draw.PadRight(p.names.cut(c, nameW), nameW)
		if barW == 0 {
			if rank == 0 && !s.Own {
				name = st.Render(name) // no bar to colour
			}
			lines = append(lines, fmt.Sprintf("%s %5.1f%%%s", name, 100*pr, mark))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s%s %6.1f%%%s", name,
			st.Render(strings.Repeat("█", full)), p.st.BarEmpty.Render(strings.Repeat("░", barW-full)), 100*pr, mark))
	}
	return lines
}
