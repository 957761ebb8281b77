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
// class (in braille dots; under NO_COLOR, or for more classes than there
// are colours, each class's mark: its digit, or a letter past 9). Redrawn
// at each evaluation, it shows the classes pull apart as the net learns.
// Both axes share one scale, so a wide cloud is wide along the first
// component. The legend maps each colour or mark to its class's name.
type embeddingPanel struct {
	frame
	names   classNames
	classes int // of the run
	layer   string
	epoch   float64
	labels  []uint8
	proj    *analysis.Projection
	err     string // why the latest embedding could not be projected
	// next is the latest embedding, projected only when the panel is drawn:
	// a PCA at every evaluation would cost the trainer's cores for a view
	// that is mostly not on screen.
	next *engine.Embedding
}

func newEmbeddingPanel(st styles) *embeddingPanel {
	return &embeddingPanel{frame: newFrame(st, "Embedding")}
}

func (p *embeddingPanel) reset(info engine.RunInfo) {
	*p = embeddingPanel{frame: p.frame, names: info.Classes, classes: len(info.Classes)}
	p.touch()
}

func (p *embeddingPanel) update(ev engine.Event) {
	b, ok := ev.(engine.Breakdown)
	if !ok || len(b.Embedding.Labels) < 2 {
		return
	}
	p.layer, p.epoch, p.next, p.classes = b.Embedding.Layer, b.Epoch, &b.Embedding, b.Classes
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
	legend := p.legend(iw, ih)
	rows := max(1, ih-len(legend))
	var lines []string
	if p.marked() {
		lines = p.digitMarks(iw, rows)
	} else {
		lines = p.braille(iw, rows)
	}
	lines = append(lines, legend...)
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

// marked reports whether the points are drawn as their classes' marks:
// without colour, or with more classes than colours.
func (p *embeddingPanel) marked() bool { return p.st.noColor || p.classes > len(classColours) }

// braille draws the points as braille dots (2×4 to a cell, square on a
// usual terminal font), each cell in the colour of the class with most
// points in it.
func (p *embeddingPanel) braille(cols, rows int) []string {
	at := p.place(2*cols, 4*rows, 1)
	dots := make([]rune, cols*rows)
	votes := newBallot(cols * rows)
	for i, l := range p.labels {
		x, y := at(i)
		c := (y/4)*cols + x/2
		dots[c] |= brailleBits[y%4][x%2]
		votes.add(c, int(l))
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
			b.WriteString(p.st.Class[votes.winner(i)%len(classColours)].Render(string(0x2800 + dots[i])))
		}
		lines[r] = b.String()
	}
	return lines
}

// digitMarks draws each cell holding points as the mark of the class most
// of them have (classMark), for a terminal without colour or for more
// classes than colours (then each mark in its class's colour, the colours
// taken in turn): a cell is twice as tall as wide.
func (p *embeddingPanel) digitMarks(cols, rows int) []string {
	at := p.place(cols, rows, 2)
	votes := newBallot(cols * rows)
	for i, l := range p.labels {
		x, y := at(i)
		votes.add(y*cols+x, int(l))
	}
	lines := make([]string, rows)
	for r := range rows {
		var b strings.Builder
		for c := range cols {
			class := votes.winner(r*cols + c)
			switch {
			case class < 0:
				b.WriteByte(' ')
			case p.st.noColor:
				b.WriteByte(classMark(class))
			default:
				b.WriteString(p.st.Class[class%len(classColours)].Render(string(classMark(class))))
			}
		}
		lines[r] = b.String()
	}
	return lines
}

// classMarks are the marks of the classes in the embedding, by index;
// the classes past them share otherMark.
const classMarks = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// otherMark marks the classes past classMarks.
const otherMark = '+'

// classMark is class c's mark.
func classMark(c int) byte {
	if c < len(classMarks) {
		return classMarks[c]
	}
	return otherMark
}

// ballot counts the points of each class in each cell of a grid, keeping
// each cell's winner as it goes: the class with the most points, the
// lowest among equals.
type ballot struct {
	votes map[[2]int]int // (cell, class) → points
	best  []int          // per cell: the winning class, −1 for none
}

func newBallot(cells int) ballot {
	b := ballot{votes: map[[2]int]int{}, best: make([]int, cells)}
	for i := range b.best {
		b.best[i] = -1
	}
	return b
}

// add counts a point of class in cell.
func (b ballot) add(cell, class int) {
	k := [2]int{cell, class}
	b.votes[k]++
	best := b.best[cell]
	if lead := b.votes[[2]int{cell, best}]; best < 0 || b.votes[k] > lead || b.votes[k] == lead && class < best {
		b.best[cell] = class
	}
}

// winner is the class with most points in cell, −1 for none.
func (b ballot) winner(cell int) int { return b.best[cell] }

// legend is the key to the classes, in at most a third of the h lines (at
// least one), and the share of the variance each axis shows. The key is
// each class's colour (■) or mark with its name, the names cut as short as
// it takes; for digits, whose marks are their names, "■0 ■1 …" in colour
// and a sentence without.
func (p *embeddingPanel) legend(iw, h int) []string {
	s := p.st
	axes := s.Label.Render(draw.Truncate(fmt.Sprintf("→ PC1 %.0f%% of the variance · ↑ PC2 %.0f%%", 100*p.proj.Explained[0], 100*p.proj.Explained[1]), iw))
	var key []string
	switch {
	case p.names.numbered() && p.marked():
		key = []string{s.Label.Render("each mark is the class of its digits")}
	case p.names.numbered():
		var line string
		for c := range p.classes {
			line += s.Class[c%len(classColours)].Render(fmt.Sprintf("■%d ", c))
		}
		key = []string{ansi.Truncate(line, iw, "")}
	default:
		key = p.names.fitLines(iw, max(1, h/3), p.namedKey)
	}
	return append(key, axes)
}

// namedKey is the key to named classes, each as name gives it after its
// colour or mark: "■T-shirt/top  ■Trouser  …", "0 T-shirt/top  1 Trouser
// …"; with more classes than marks, "+ the others".
func (p *embeddingPanel) namedKey(name func(c int) string) string {
	s := p.st
	parts := make([]string, 0, p.classes)
	for c := range min(p.classes, len(classMarks)) {
		switch {
		case !p.marked():
			parts = append(parts, s.Class[c].Render("■"+name(c)))
		case s.noColor:
			parts = append(parts, string(classMark(c))+nbsp+name(c))
		default:
			parts = append(parts, s.Class[c%len(classColours)].Render(string(classMark(c)))+nbsp+name(c))
		}
	}
	if p.classes > len(classMarks) {
		parts = append(parts, string(otherMark)+nbsp+"the"+nbsp+"others")
	}
	return strings.Join(parts, "  ")
}
