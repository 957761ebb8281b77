package tui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// overviewPanel is the probe's whole forward pass on one card: the input,
// then each block's output as a band of thumbnails (the maps of a
// convolution or pooling layer, the values of a dense one as a strip),
// then the logits and the probabilities — or, in its gradient mode (tab,
// gradmaps.go), the same pass taken backwards: under each block's maps the
// gradient of the probe's loss with respect to them, on a diverging scale.
// It draws from the Snapshots the trainer sends (Snapshot.Blocks, Probs,
// Grads). The bands share the body's lines (overviewFit): every map shown
// first, then larger thumbnails where they are smallest against their
// maps; what does not fit ends its band with "and N more".
type overviewPanel struct {
	frame
	lastSnapshot
	grads bool // the gradient mode: each block's ∂L/∂a under its maps
	names classNames
}

func newOverviewPanel(st styles) *overviewPanel {
	return &overviewPanel{frame: newFrame(st, "Forward pass")}
}

func (p *overviewPanel) reset(info engine.RunInfo) {
	p.snap, p.names = nil, info.Classes
	p.touch()
}

func (p *overviewPanel) update(ev engine.Event) {
	if p.take(ev) {
		p.touch()
	}
}

// takeKey: tab switches between the forward pass and its gradients.
func (p *overviewPanel) takeKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	if msg.Type != tea.KeyTab {
		return false, nil
	}
	p.grads = !p.grads
	p.touch()
	return true, nil
}

func (p *overviewPanel) hints(k keyMap) []hint {
	b := k.GradMode
	if p.grads {
		b.SetHelp("tab", "forward")
	}
	return []hint{{b, 0}}
}

func (p *overviewPanel) view() string { return p.draw(p.body) }

func (p *overviewPanel) body(iw, ih int) string {
	p.title, p.note = "Forward pass", ""
	if p.grads {
		p.title = "Gradients of the loss"
	}
	s := p.snap
	if s == nil {
		return p.st.Label.Render("waiting for a snapshot…")
	}
	p.note = probeNote(s, p.names, iw-ansi.StringWidth(p.title)-2)
	var secs []ovSection
	var out []string
	if p.grads {
		if s.Grads == nil {
			return p.st.Label.Render("this run's snapshots carry no gradients")
		}
		secs, out = p.backward(s, iw, ih)
	} else {
		secs, out = p.forward(s), p.outputs(s, iw)
	}
	if ih < minClassLines {
		out = []string{p.topLine(s, iw)}
	}
	return strings.Join(layoutBands(secs, iw, ih-len(out), p.st), "\n") + "\n" + strings.Join(out, "\n")
}

// probeNote names the probe, its class as names says, and the step of the
// snapshot, in w cells: without the step when the name needs its room.
func probeNote(s *engine.Snapshot, names classNames, w int) string {
	if s.Own {
		return fmt.Sprintf("your digit, step %d", s.Step)
	}
	return names.fit(w, func(name func(int) string) string {
		return fmt.Sprintf("probe #%d (a %s), step %d", s.Probe, name(s.Label), s.Step)
	}, func(name func(int) string) string { return fmt.Sprintf("probe #%d (a %s)", s.Probe, name(s.Label)) })
}

// forward is a band for the input and one for each block but the last
// (whose outputs are the logits, drawn by outputs).
func (p *overviewPanel) forward(s *engine.Snapshot) []ovSection {
	h, w := inputShape(len(s.Input))
	secs := []ovSection{heatSection("input", "", []ovThumb{p.heatThumb(s.Input, h, w)})}
	for _, b := range s.Blocks[:max(0, len(s.Blocks)-1)] {
		secs = append(secs, heatSection(b.Name, shapeNote(b.Shape), p.heatThumbs(b)))
	}
	return secs
}

// heatThumbs are block b's maps, or its values as one strip, on one scale
// for the whole layer.
func (p *overviewPanel) heatThumbs(b engine.BlockMaps) []ovThumb {
	lo, hi := draw.MinMax(b.Maps)
	return splitThumbs(b.Maps, b.Shape, p.st.heat, lo, hi)
}

func (p *overviewPanel) heatThumb(v []float32, h, w int) ovThumb {
	lo, hi := draw.MinMax(v)
	return ovThumb{vals: v, h: h, w: w, pal: p.st.heat, lo: lo, hi: hi}
}

// splitThumbs cuts (C, H, W) values into a thumbnail per map, or, for
// maps of one value (a dense layer), one strip of all of them.
func splitThumbs(v []float32, sh engine.Shape, pal draw.Palette, lo, hi float64) []ovThumb {
	if sh.H*sh.W == 1 {
		return []ovThumb{{vals: v, h: 1, w: len(v), pal: pal, lo: lo, hi: hi, strip: true}}
	}
	n := sh.H * sh.W
	out := make([]ovThumb, sh.C)
	for c := range out {
		out[c] = ovThumb{vals: v[c*n : (c+1)*n], h: sh.H, w: sh.W, pal: pal, lo: lo, hi: hi}
	}
	return out
}

// shapeNote is a block's output in few cells: "6@28²", or "120" for a
// strip of values.
func shapeNote(sh engine.Shape) string {
	switch {
	case sh.H*sh.W == 1:
		return fmt.Sprint(sh.C)
	case sh.H == sh.W:
		return fmt.Sprintf("%d@%d²", sh.C, sh.H)
	}
	return fmt.Sprintf("%d@%d×%d", sh.C, sh.H, sh.W)
}

// outputs are the last lines: the classes, the logits on a diverging
// scale and the probabilities, each class in a column.
func (p *overviewPanel) outputs(s *engine.Snapshot, iw int) []string {
	last := s.Blocks[len(s.Blocks)-1]
	a := maxAbs(last.Maps)
	name := draw.PickJoined(iw, " ",
		[]string{p.st.Value.Render(last.Name), p.st.Label.Render(fmt.Sprintf("%d logits z, their softmax p", len(last.Maps)))},
		[]string{p.st.Value.Render(last.Name), p.st.Label.Render("z, p")},
		[]string{p.st.Value.Render(last.Name)})
	return append([]string{name}, p.classLines(s, iw, []ovClassRow{
		{label: "z", cell: func(c, cw int) string {
			return p.st.div.Render(last.Maps[c:c+1], 1, 1, cw, 1, -a, a)[0]
		}},
		{label: "p", cell: func(c, cw int) string { return draw.PadLeft(probText(s.Probs[c], cw), cw) }},
	})...)
}

// minClassLines is the fewest body lines with room for the classes'
// columns; below, one line names the top classes (topLine).
const minClassLines = 14

// topLine is the output block's name and its top classes with their
// probabilities, and in the gradient mode the loss.
func (p *overviewPanel) topLine(s *engine.Snapshot, iw int) string {
	last := s.Blocks[len(s.Blocks)-1]
	order := make([]int, len(s.Probs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.Probs[b], s.Probs[a]) })
	return p.names.fit(iw, func(name func(int) string) string {
		parts := []string{p.st.Value.Render(last.Name)}
		for _, c := range order[:min(3, len(order))] {
			parts = append(parts, fmt.Sprintf("%s %s", name(c), probText(s.Probs[c], 5)))
		}
		if p.grads && s.Grads != nil {
			parts = append(parts, p.st.Label.Render(fmt.Sprintf("· L %.3g for %s", s.Grads.Loss, name(s.Grads.Class))))
		}
		return draw.PickJoined(iw, " ", parts, parts[:min(3, len(parts))], parts[:1])
	})
}

// ovClassRow is a line of the outputs: a label and a cell per class.
type ovClassRow struct {
	label string
	cell  func(class, w int) string
}

// classLines draws the classes over rows, a column of cw cells and a
// space per class after a two-cell label: each class's index, or its name
// cut to the column when the column has room for a few letters of it; the
// true class is marked.
func (p *overviewPanel) classLines(s *engine.Snapshot, iw int, rows []ovClassRow) []string {
	k := len(s.Probs)
	lw := 2 // the rows' labels, left out when a column would be too narrow for ".93"
	cw := min(6, (iw-lw)/max(1, k)-1)
	if cw < 3 {
		lw, cw = 0, max(1, iw/max(1, k)-1)
	}
	head := ""
	if lw > 0 {
		head = p.st.Label.Render(draw.PadRight("#", lw))
	}
	for c := range k {
		d := draw.PadLeft(fmt.Sprint(c), cw)
		if cw > minCut && !p.names.numbered() {
			d = draw.PadLeft(p.names.cut(c, cw), cw)
		}
		if c == s.Label {
			d = p.st.MetricGood.Render(d)
		}
		head += " " + d
	}
	lines := []string{head}
	for _, r := range rows {
		line := ""
		if lw > 0 {
			line = p.st.Label.Render(draw.PadRight(r.label, lw))
		}
		for c := range k {
			line += " " + r.cell(c, cw)
		}
		lines = append(lines, line)
	}
	return lines
}

// probText is p in w cells: ".93", "1.0", or with room "93.1%".
func probText(p float32, w int) string {
	pc := 100 * float64(p)
	switch {
	case w >= 5:
		return fmt.Sprintf("%.1f%%", pc)
	case w >= 4:
		return fmt.Sprintf("%.0f%%", pc)
	case p >= 0.995:
		return "1.0"
	}
	return fmt.Sprintf(".%02.0f", math.Min(99, pc))
}

func maxAbs(v []float32) float64 {
	lo, hi := draw.MinMax(v)
	return math.Max(math.Max(-lo, hi), 1e-12)
}

// ovThumb is one heatmap of a band: an h×w map (or a strip of values)
// drawn on pal with lo..hi.
type ovThumb struct {
	vals   []float32
	h, w   int
	pal    draw.Palette
	lo, hi float64
	strip  bool // a dense layer's values: one strip as wide as the band
}

// ovSection is one band of the overview: a label column and thumbnails,
// with an optional second set under the first (the gradient mode: each
// map's gradient under it).
type ovSection struct {
	name, note string
	thumbs     []ovThumb
	under      []ovThumb // nil, or one per thumb
	underName  string
}

func heatSection(name, note string, thumbs []ovThumb) ovSection {
	return ovSection{name: name, note: note, thumbs: thumbs}
}

// labelW is the label column of the bands.
const labelW = 7

// ovFit is how a band is drawn: rh lines a thumbnail (two pixels a line),
// wraps lines of thumbnails, and how many thumbnails it shows.
type ovFit struct {
	rh, wraps int
}

func (s ovSection) sets() int { return 1 + btoi(s.under != nil) }

// cols is the width of a thumbnail rh lines tall in a band w cells wide:
// square pixels, a strip as wide as the band.
func (s ovSection) cols(rh, w int) int {
	t := s.thumbs[0]
	if t.strip {
		return min(w, (len(t.vals)+2*rh-1)/(2*rh))
	}
	return max(1, int(math.Round(float64(2*rh*t.w)/float64(t.h))))
}

// perLine is how many thumbnails of a line fit w cells, one apart.
func (s ovSection) perLine(rh, w int) int {
	if s.thumbs[0].strip {
		return 1
	}
	return max(1, (w+1)/(s.cols(rh, w)+1))
}

func (s ovSection) lines(f ovFit) int { return f.rh * f.wraps * s.sets() }

// shown is how many thumbnails f shows: all that fit its lines, less the
// room "and N more" takes when not all do.
func (s ovSection) shown(f ovFit, w int) int {
	per := s.perLine(f.rh, w)
	n := min(len(s.thumbs), per*f.wraps)
	if n < len(s.thumbs) {
		more := len(fmt.Sprintf(" and %d more", len(s.thumbs)-n+2))
		n -= (more + s.cols(f.rh, w)) / (s.cols(f.rh, w) + 1)
	}
	return max(1, n)
}

// overviewFit shares h lines among the bands of w cells: each one line of
// thumbnails first; then, while lines are left, the band with the most
// maps hidden wraps onto another line, and once every map shows, the band
// whose thumbnails are smallest against their maps grows a line taller.
// Bands that do not fit at all are left out from the last.
func overviewFit(secs []ovSection, w, h int) []ovFit {
	fits := make([]ovFit, len(secs))
	used := 0
	for i, s := range secs {
		fits[i] = ovFit{rh: 1, wraps: 1}
		used += s.lines(fits[i])
	}
	for {
		best, bestScore := -1, 0.0
		var bestNext ovFit
		for i, s := range secs {
			next, score, ok := s.grow(fits[i], w)
			if ok && used+s.lines(next)-s.lines(fits[i]) <= h && score > bestScore {
				best, bestScore, bestNext = i, score, next
			}
		}
		if best < 0 {
			break
		}
		used += secs[best].lines(bestNext) - secs[best].lines(fits[best])
		fits[best] = bestNext
	}
	// Left out from the last while the bands of one line each overflow.
	for i := len(secs) - 1; i >= 0 && used > h; i-- {
		used -= secs[i].lines(fits[i])
		fits[i] = ovFit{}
	}
	return fits
}

// grow is the band's next step from f and how much it is wanted: a
// line more of thumbnails while some are hidden (wanted most, the more
// hidden), else thumbnails a line taller, wanted the more map rows a
// pixel row shows; ok is false when a strip shows every value already.
func (s ovSection) grow(f ovFit, w int) (next ovFit, score float64, ok bool) {
	t := s.thumbs[0]
	if hidden := len(s.thumbs) - min(len(s.thumbs), s.perLine(f.rh, w)*f.wraps); hidden > 0 {
		return ovFit{rh: f.rh, wraps: f.wraps + 1}, 1000 + float64(hidden), true
	}
	if t.strip {
		if s.cols(f.rh, w) >= (len(t.vals)+2*f.rh-1)/(2*f.rh) {
			return f, 0, false
		}
		return ovFit{rh: f.rh + 1, wraps: 1}, float64(len(t.vals)) / float64(8*f.rh*w), true
	}
	rh := f.rh + 1
	per := s.perLine(rh, w)
	return ovFit{rh: rh, wraps: (len(s.thumbs) + per - 1) / per}, float64(t.h) / float64(2*f.rh), true
}

// layoutBands draws the bands in w×h cells as overviewFit shares them.
func layoutBands(secs []ovSection, w, h int, st styles) []string {
	tw := w - labelW
	fits := overviewFit(secs, tw, h)
	var lines []string
	left := 0
	for i, s := range secs {
		f := fits[i]
		if f.rh == 0 {
			left++
			continue
		}
		lines = append(lines, s.band(f, tw, st)...)
	}
	if left > 0 && len(lines) > 0 {
		lines[len(lines)-1] = ansi.Truncate(lines[len(lines)-1], w-11, "") + st.Label.Render(fmt.Sprintf(" +%d layers", left))
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// band draws a section: per line of thumbnails, rh lines of the first set
// and, in the gradient mode, rh lines of the second under it, the label
// column on the left.
func (s ovSection) band(f ovFit, w int, st styles) []string {
	n := s.shown(f, w)
	per := s.perLine(f.rh, w)
	cw := s.cols(f.rh, w)
	var labels []string
	labels = append(labels, st.Value.Render(s.name))
	if s.note != "" {
		labels = append(labels, st.Label.Render(s.note))
	}
	var out []string
	for wrap := 0; wrap*per < n; wrap++ {
		lo, hi := wrap*per, min(n, (wrap+1)*per)
		sets := [][]ovThumb{s.thumbs[lo:hi]}
		if s.under != nil {
			sets = append(sets, s.under[lo:hi])
		}
		for si, set := range sets {
			rows := make([]string, f.rh)
			for j, t := range set {
				cells := t.render(cw, f.rh)
				for r := range rows {
					if j > 0 {
						rows[r] += " "
					}
					rows[r] += cells[r]
				}
			}
			if si == 1 && wrap == 0 {
				labels = append(labels[:min(len(labels), len(out))], make([]string, max(0, len(out)-len(labels)))...)
				labels = append(labels, st.Label.Render(s.underName))
			}
			out = append(out, rows...)
		}
	}
	if n < len(s.thumbs) {
		last := len(out) - 1
		if s.under != nil {
			last -= f.rh
		}
		last = max(0, last-(f.rh-1)/2)
		out[last] += st.Label.Render(fmt.Sprintf(" and %d more", len(s.thumbs)-n))
	}
	for i := range out {
		l := ""
		if i < len(labels) {
			l = labels[i]
		}
		out[i] = draw.PadRight(ansi.Truncate(l, labelW-1, "…"), labelW) + out[i]
	}
	return out
}

// render draws the thumbnail cw cells wide and rh lines tall; a strip's
// values run along its lines, two rows of pixels a line.
func (t ovThumb) render(cw, rh int) []string {
	if !t.strip {
		return t.pal.Render(t.vals, t.h, t.w, cw, rh, t.lo, t.hi)
	}
	rows := 2 * rh
	cols := (len(t.vals) + rows - 1) / rows
	vals := make([]float32, rows*cols)
	for i := range vals {
		vals[i] = float32(t.lo)
		if i < len(t.vals) {
			vals[i] = t.vals[i]
		}
	}
	return t.pal.Render(vals, rows, cols, min(cw, cols), rh, t.lo, t.hi)
}
