package tui

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/digit"
	"github.com/lenet-tui/lenet-tui/engine"
)

// padSide is the side of the drawing pad's canvas in pixels: MNIST's, so
// that a stroke drawn a cell wide is about as thick as an MNIST stroke.
const padSide = digit.Size

// The brush: a pixel whose centre is within brushCore of the stroke is full
// ink, and the ink fades to nothing at brushEdge, so strokes have the grey
// edges of MNIST's anti-aliased digits. The eraser is wider.
const (
	brushCore, brushEdge = 0.5, 1.5
	eraserEdge           = 2.5
)

// padPanel is a drawing pad in the feature maps' place (d): draw a digit
// with the mouse (the right button erases) or with the keyboard (the arrow
// keys move a pen, space lifts or lowers it, x or backspace clears). Every
// change is prepared as MNIST was (package digit) and sent to the model as
// useImageMsg, which makes it the probe: the net classifies it live, the
// maps and the probe panel show it, and the pad lists the top 3. With an
// image folder to add to (folder), enter asks for the drawing's class and
// keeps it there as a labelled example (padfolder.go).
type padPanel struct {
	frame
	canvas   []float64 // (padSide, padSide) ink in [0, 1], 0 background
	penX     int       // the keyboard pen, in pixels
	penY     int
	penDown  bool
	stroke   bool    // a mouse button is held: the next motion continues the line
	lastX    float64 // where the stroke is, in pixels
	lastY    float64
	prepared []uint8   // the canvas as the net sees it (digit.Prepare); nil while blank
	probs    []float32 // the net's answer for the drawing; nil until a snapshot of it
	step     int       // the step of that answer
	area     padArea   // where the canvas is in the body, from the last drawing
	names    classNames

	folder    string   // the image folder drawings are added to (Options.PadFolder); "" for none
	asking    bool     // enter was pressed: the drawing's class is being typed
	class     []rune   // the class typed
	offered   []string // the classes ↑/↓ offer: the run's, then those added to
	status    []string // what became of the last drawing added, or why its class was refused
	statusBad bool
}

// padArea places the canvas in the panel's body: its top-left cell inside
// the border and its size in cells; each cell shows padSide/cols pixels
// across and padSide/rows down (1 and 2 when there is room).
type padArea struct{ x, y, cols, rows int }

func newPadPanel(st styles) padPanel {
	return padPanel{frame: newFrame(st, "Draw a digit"), canvas: make([]float64, padSide*padSide), penX: padSide / 2, penY: padSide / 2}
}

func (p *padPanel) reset(info engine.RunInfo) {
	p.probs, p.names = nil, info.Classes
	for _, c := range info.Classes {
		p.offer(c)
	}
	p.touch()
}

// offer adds class to those ↑/↓ offer, once.
func (p *padPanel) offer(class string) {
	if !slices.Contains(p.offered, class) {
		p.offered = append(p.offered, class)
	}
}

// update keeps the net's answer for the drawing; a snapshot of a test digit
// means the probe is no longer the drawing (n, p).
func (p *padPanel) update(ev engine.Event) {
	if s, ok := ev.(engine.Snapshot); ok {
		p.probs, p.step = nil, s.Step
		if s.Own {
			p.probs = s.Probs
		}
		p.touch()
	}
}

// takeKey moves the pen (arrows), lowers or lifts it (space, painting where
// it is when lowered), clears the canvas (x, backspace) and, with a
// folder to add to, asks for the drawing's class (enter); while it asks,
// it takes every key (askKey).
func (p *padPanel) takeKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	if p.asking {
		return true, p.askKey(msg)
	}
	if p.status != nil {
		p.status = nil
		p.touch()
	}
	dx, dy := 0, 0
	switch msg.String() {
	case "enter":
		return p.ask()
	case "left":
		dx = -1
	case "right":
		dx = 1
	case "up":
		dy = -1
	case "down":
		dy = 1
	case " ":
		p.penDown = !p.penDown
		p.touch()
		if !p.penDown {
			return true, nil
		}
		p.paint(float64(p.penX)+0.5, float64(p.penY)+0.5, false)
		return true, p.changed()
	case "x", "backspace":
		clear(p.canvas)
		p.touch()
		return true, p.changed()
	default:
		return false, nil
	}
	fromX, fromY := float64(p.penX)+0.5, float64(p.penY)+0.5
	p.penX, p.penY = clamp(p.penX+dx, 0, padSide-1), clamp(p.penY+dy, 0, padSide-1)
	p.touch()
	if !p.penDown {
		return true, nil
	}
	p.line(fromX, fromY, float64(p.penX)+0.5, float64(p.penY)+0.5, false)
	return true, p.changed()
}

// hints are the keys takeKey takes, for the footer.
func (p *padPanel) hints(k keyMap) []hint {
	if p.asking {
		return []hint{{k.ClassPick, 0}, {k.ClassAdd, 0}, {k.ClassStop, 0}}
	}
	hs := []hint{{k.PenMove, 1}, {k.PenDown, 1}, {k.PenClear, 1}}
	if p.folder != "" {
		hs = append(hs, hint{k.PadAdd, 1})
	}
	return hs
}

// typing reports whether the pad is asking for a class: it takes every
// key, letters included, before the screen's keys.
func (p *padPanel) typing() bool { return p.asking }

// takeMouse paints while the left button is held (press, then motion) and
// erases with the right one; a release ends the stroke.
func (p *padPanel) takeMouse(msg tea.MouseMsg) tea.Cmd {
	if p.asking {
		return nil
	}
	p.status = nil
	erase := msg.Button == tea.MouseButtonRight
	if msg.Action == tea.MouseActionRelease || (msg.Button != tea.MouseButtonLeft && !erase) {
		p.stroke = false
		return nil
	}
	x, y, ok := p.pixelAt(msg.X, msg.Y)
	if !ok {
		p.stroke = false // leaving the canvas lifts the brush
		return nil
	}
	if msg.Action == tea.MouseActionMotion && p.stroke {
		p.line(p.lastX, p.lastY, x, y, erase)
	} else {
		p.paint(x, y, erase)
	}
	p.stroke, p.lastX, p.lastY = true, x, y
	p.touch()
	return p.changed()
}

// pixelAt is the canvas point under screen cell (x, y): the centre of the
// cell, in pixels; ok is false off the canvas.
func (p *padPanel) pixelAt(x, y int) (px, py float64, ok bool) {
	bx, by, ok := p.at(x, y)
	a := p.area
	cx, cy := bx-a.x, by-a.y
	if !ok || a.cols == 0 || cx < 0 || cy < 0 || cx >= a.cols || cy >= a.rows {
		return 0, 0, false
	}
	return (float64(cx) + 0.5) * padSide / float64(a.cols), (float64(cy) + 0.5) * padSide / float64(a.rows), true
}

// line paints (or erases) from one point to another, a dab every half
// pixel, so that a fast stroke whose motion events skip cells stays whole.
func (p *padPanel) line(x0, y0, x1, y1 float64, erase bool) {
	n := int(math.Ceil(2 * math.Hypot(x1-x0, y1-y0)))
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		p.paint(x0+t*(x1-x0), y0+t*(y1-y0), erase)
	}
	if n == 0 {
		p.paint(x1, y1, erase)
	}
}

// paint puts one dab of the soft brush (or the eraser) at (x, y), in pixels;
// a pixel keeps the most ink any dab gave it. On a pad shown smaller than
// its canvas the brush grows with the pixels a cell holds.
func (p *padPanel) paint(x, y float64, erase bool) {
	scale := 1.0
	if p.area.cols > 0 {
		scale = max(1, padSide/float64(p.area.cols))
	}
	core, edge := brushCore*scale, brushEdge*scale
	if erase {
		core, edge = eraserEdge*scale, eraserEdge*scale+1
	}
	for py := max(0, int(y-edge)); py < min(padSide, int(y+edge)+1); py++ {
		for px := max(0, int(x-edge)); px < min(padSide, int(x+edge)+1); px++ {
			d := math.Hypot(float64(px)+0.5-x, float64(py)+0.5-y)
			ink := math.Min(1, math.Max(0, (edge-d)/(edge-core)))
			i := py*padSide + px
			if erase {
				p.canvas[i] = math.Min(p.canvas[i], 1-ink)
			} else {
				p.canvas[i] = math.Max(p.canvas[i], ink)
			}
		}
	}
}

// changed prepares the canvas as MNIST was and returns the command that
// hands it to the model: the drawing becomes the probe, or, once blank,
// the test digit is again.
func (p *padPanel) changed() tea.Cmd {
	prepared, err := digit.Prepare(p.canvas, padSide, padSide)
	if err != nil {
		prepared = nil // blank
	}
	p.prepared = prepared
	return func() tea.Msg { return useImageMsg{Pixels: prepared} }
}

func (p *padPanel) view() string { return p.draw(p.body) }

// padSideW is the width of the column beside the canvas: the top 3.
const padSideW = 9

// padHelp is what the pad says of its keys: beside the canvas when the
// column there is wide enough, else under it when there is room.
var padHelp = []string{"mouse: draw; right button: erase", "←↑↓→ pen · space up/down · x clear"}

// body is the canvas with the net's top 3 beside it and the keys beside
// or under it; the canvas has sides, and a top and a bottom when there is
// room.
func (p *padPanel) body(iw, ih int) string {
	s := p.st
	cols := min(padSide, iw-2-1-padSideW, 2*ih)
	withSide := cols >= 4
	if !withSide {
		cols = min(padSide, iw-2, 2*ih)
	}
	if cols < 4 {
		p.area = padArea{}
		return s.Label.Render("too small to draw in: enlarge the terminal")
	}
	rows := (cols + 1) / 2
	sideW := iw - cols - 3
	side := p.side(sideW)
	help := p.helpLines()
	var below []string // the keys' help under the canvas
	if withSide && sideW >= maxWidth(padHelp) && len(side)+len(help) <= rows {
		if len(side)+1+len(help) <= rows {
			side = append(side, "")
		}
		for _, h := range help {
			side = append(side, ansi.Truncate(h, sideW, "…"))
		}
	} else {
		below = help[:min(len(help), max(0, ih-rows))]
	}
	ends := ih-rows-len(below) >= 2 // the canvas's top and bottom
	p.area = padArea{x: 1, cols: cols, rows: rows}
	bar := s.Label.Render(strings.Repeat("─", cols))
	var lines []string
	if ends {
		p.area.y = 1
		lines = append(lines, s.Label.Render("┌")+bar+s.Label.Render("┐"))
	}
	for _, l := range p.render(cols, rows) {
		lines = append(lines, s.Label.Render("│")+l+s.Label.Render("│"))
	}
	if ends {
		lines = append(lines, s.Label.Render("└")+bar+s.Label.Render("┘"))
	}
	if withSide {
		for i, l := range side {
			if i < len(lines) {
				lines[i] += " " + l
			}
		}
	}
	for _, h := range below {
		lines = append(lines, ansi.Truncate(h, iw, "…"))
	}
	p.note = ""
	if p.probs != nil {
		p.note = fmt.Sprintf("step %s", engine.Thousands(p.step))
	}
	return strings.Join(lines, "\n")
}

// maxWidth is the width of the widest of lines, in cells.
func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// side is the column beside the canvas, w cells wide: the net's top 3
// for the drawing, or what to do, and whether the keyboard's pen is down.
func (p *padPanel) side(w int) []string {
	s := p.st
	var lines []string
	switch {
	case p.prepared == nil:
		lines = append(lines, s.Label.Render("draw a"), s.Label.Render("digit"))
	case p.probs == nil:
		lines = append(lines, s.Label.Render("reading…"))
	default:
		lines = append(append(lines, s.Label.Render("top 3")), p.top3(w)...)
	}
	pen := "pen up"
	if p.penDown {
		pen = "pen down"
	}
	return append(lines, s.Label.Render(pen))
}

// top3 is the net's three likeliest classes for the drawing, a line each
// ("7  97.1%") when their names fit in w cells, else each name over its
// probability.
func (p *padPanel) top3(w int) []string {
	order := make([]int, len(p.probs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p.probs[order[a]] > p.probs[order[b]] })
	order = order[:min(3, len(order))]
	oneLine := true
	for _, c := range order {
		oneLine = oneLine && ansi.StringWidth(p.names.name(c))+8 <= w
	}
	var lines []string
	for rank, c := range order {
		pct := fmt.Sprintf("%6.1f%%", 100*p.probs[c])
		entry := []string{p.names.name(c) + " " + pct}
		if !oneLine {
			entry = []string{p.names.cut(c, w), pct}
		}
		for _, l := range entry {
			if rank == 0 {
				l = p.st.Value.Render(l)
			}
			lines = append(lines, l)
		}
	}
	return lines
}

// render draws the canvas in cols×rows cells with the pen's cell marked:
// half blocks in colour (two pixels a cell, the heat scale), the
// character ramp without.
func (p *padPanel) render(cols, rows int) []string {
	vals := make([]float32, len(p.canvas))
	for i, v := range p.canvas {
		vals[i] = float32(v)
	}
	pen := "+"
	if p.penDown {
		pen = "o"
	}
	return p.st.heat.RenderMarked(vals, padSide, padSide, cols, rows, 0, 1, p.penX*cols/padSide, p.penY*rows/padSide, pen)
}

// useImageMsg asks the model to make a picture of one's own the probe
// digit (the drawing pad's): Pixels (28×28 bytes, prepared as MNIST), or
// nil to go back to the test digit.
type useImageMsg struct{ Pixels []uint8 }
