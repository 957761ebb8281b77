package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// embeddingPanel answers "what has F6 learned?": the outputs of the layer
// before the classifier for the same 1,000 test digits, projected onto
// their two principal components and drawn as a scatter coloured by true
// class (in braille dots; the digits themselves under NO_COLOR). Redrawn at
// each evaluation, it shows the classes pull apart as the net learns. Both
// axes share one scale, so a wide cloud is wide along the first component.
type embeddingPanel struct {
	frame
	layer  string
	epoch  float64
	labels []uint8
	proj   *analysis.Projection
	err    string // why the latest embedding could not be projected
	// next is the latest embedding, projected only when the panel is drawn:
	// a PCA at every evaluation would cost the trainer's cores for a view
	// that is mostly not on screen.
	next *engine.Embedding
}

func newEmbeddingPanel(st styles) *embeddingPanel {
	return &embeddingPanel{frame: newFrame(st, "Embedding")}
}

func (p *embeddingPanel) reset(engine.RunInfo) {
	*p = embeddingPanel{frame: p.frame}
	p.touch()
}

func (p *embeddingPanel) update(ev engine.Event) {
	b, ok := ev.(engine.Breakdown)
	if !ok || len(b.Embedding.Labels) < 2 {
		return
	}
	p.layer, p.epoch, p.next = b.Embedding.Layer, b.Epoch, &b.Embedding
	p.touch()
}

// project turns the latest embedding into the points drawn, oriented as
// the last ones were (analysis.PCA2), if it has not been yet.
func (p *embeddingPanel) project() {
	e := p.next
	if e == nil {
		return
	}
	p.next = nil
	proj, err := analysis.PCA2(e.Values, len(e.Labels), e.Dim, p.proj)
	p.err = ""
	if err != nil {
		p.err = err.Error()
	} else {
		p.proj, p.labels = &proj, e.Labels
	}
}

func (p *embeddingPanel) view() string { return p.draw(p.body) }

func (p *embeddingPanel) body(iw, ih int) string {
	s := p.st
	p.title, p.note = "Embedding", ""
	if p.layer == "" {
		return s.Label.Render("waiting for the first test evaluation…")
	}
	p.project()
	p.title = fmt.Sprintf("%s by PCA · epoch %s", p.layer, trimFloat(p.epoch))
	p.note = fmt.Sprintf("%s test digits", engine.Thousands(len(p.labels)))
	if p.err != "" && p.proj == nil {
		return s.MetricBad.Render(ansi.Wrap(p.err, iw, " "))
	}
	rows := max(1, ih-2)
	var lines []string
	if s.noColor {
		lines = p.digitMarks(iw, rows)
	} else {
		lines = p.braille(iw, rows)
	}
	lines = append(lines, p.legend(iw)...)
	if p.err != "" {
		lines[len(lines)-1] = s.MetricBad.Render(ansi.Truncate("latest: "+p.err, iw, "…"))
	}
	return strings.Join(lines[:min(len(lines), ih)], "\n")
}

// place returns a function mapping a point to a grid of w×h units, y up,
// with one scale for both axes (a y unit is aspect x units tall) and the
// cloud centred.
func (p *embeddingPanel) place(w, h int, aspect float64) func(i int) (x, y int) {
	pr := p.proj
	x0, x1 := extent(pr.X)
	y0, y1 := extent(pr.Y)
	scale := math.Inf(1)
	if x1 > x0 {
		scale = float64(w-1) / (x1 - x0)
	}
	if y1 > y0 {
		scale = math.Min(scale, aspect*float64(h-1)/(y1-y0))
	}
	if math.IsInf(scale, 1) {
		scale = 0
	}
	cx, cy := (x0+x1)/2, (y0+y1)/2
	return func(i int) (int, int) {
		x := int(math.Round(float64(w-1)/2 + (pr.X[i]-cx)*scale))
		y := int(math.Round(float64(h-1)/2 - (pr.Y[i]-cy)*scale/aspect))
		return min(max(x, 0), w-1), min(max(y, 0), h-1)
	}
}

func extent(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// brailleBits is the dot of a braille cell at column x (0, 1) and row y
// (0…3), as an offset from U+2800.
var brailleBits = [4][2]rune{{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}

// braille draws the points as braille dots (2×4 to a cell, square on a
// usual terminal font), each cell in the colour of the class with most
// points in it.
func (p *embeddingPanel) braille(cols, rows int) []string {
	at := p.place(2*cols, 4*rows, 1)
	dots := make([]rune, cols*rows)
	votes := make([][10]int, cols*rows)
	for i, l := range p.labels {
		x, y := at(i)
		c := (y/4)*cols + x/2
		dots[c] |= brailleBits[y%4][x%2]
		votes[c][int(l)%10]++
	}
	lines := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		for c := range cols {
			i := r*cols + c
			if dots[i] == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(p.st.Class[majority(votes[i])].Render(string(0x2800 + dots[i])))
		}
		lines[r] = b.String()
	}
	return lines
}

// digitMarks draws each cell holding points as the class most of them
// have, for a terminal without colour: a cell is twice as tall as wide.
func (p *embeddingPanel) digitMarks(cols, rows int) []string {
	at := p.place(cols, rows, 2)
	votes := make([][10]int, cols*rows)
	seen := make([]bool, cols*rows)
	for i, l := range p.labels {
		x, y := at(i)
		votes[y*cols+x][int(l)%10]++
		seen[y*cols+x] = true
	}
	lines := make([]string, rows)
	for r := range rows {
		b := []byte(draw.Spaces(cols))
		for c := range cols {
			if seen[r*cols+c] {
				b[c] = byte('0' + majority(votes[r*cols+c]))
			}
		}
		lines[r] = string(b)
	}
	return lines
}

// majority is the class with the most votes, the lowest among equals.
func majority(v [10]int) int {
	best := 0
	for c, n := range v {
		if n > v[best] {
			best = c
		}
	}
	return best
}

// legend is the classes' colours (or what the marks mean) and the share of
// the variance each axis shows.
func (p *embeddingPanel) legend(iw int) []string {
	s := p.st
	var key string
	if s.noColor {
		key = s.Label.Render("each mark is the class of its digits")
	} else {
		for c := range 10 {
			key += s.Class[c].Render(fmt.Sprintf("■%d ", c))
		}
	}
	axes := fmt.Sprintf("→ PC1 %.0f%% of the variance · ↑ PC2 %.0f%%", 100*p.proj.Explained[0], 100*p.proj.Explained[1])
	return []string{ansi.Truncate(key, iw, ""), s.Label.Render(draw.Truncate(axes, iw))}
}
