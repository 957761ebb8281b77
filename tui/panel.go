package tui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// panel is the contract of every part of the screen. The layout (layout.go)
// gives a panel its size and says whether it is bare (drawn without a
// border); view then returns exactly w×h cells — or, for height natural,
// w cells by as many lines as the content needs (the header, the footer).
//
// Every panel embeds a frame, which implements setSize and setBare, keeps
// the title, the note and the focus, and draws them around the body the
// panel gives it. A new panel is a file with a type that embeds frame and
// has a view method, and one line in the layout table — or, for a view
// shown in the maps' place on a key, one line in the deck's cards
// (layout.go). A panel that follows the run implements runObserver and the
// layout finds it (layout.go, observers); one with keys or a mouse of its
// own implements keyTaker or mouseTaker.
type panel interface {
	setSize(w, h int)
	setBare(bare bool)
	setOrigin(x, y int)
	view() string
}

// natural as a height asks a panel to be as tall as its content.
const natural = 0

// frame is what all panels share: the size the layout gave, the border with
// a bold title line and a right-aligned note, and the focus (the panel the
// arrow keys steer has an accented border). It keeps its last drawing until
// the size changes or the panel calls touch after its data changed, so that
// a View of unchanged panels costs nothing.
type frame struct {
	st      styles
	w, h    int
	x, y    int    // the top-left cell on the screen, for the mouse
	bare    bool   // no border and no title line
	title   string // "" for none: then there is no title line
	note    string // right-aligned on the title line, dropped when it does not fit
	focused bool

	out   string // the last drawing
	stale bool   // out needs drawing again
}

func newFrame(st styles, title string) frame { return frame{st: st, title: title, stale: true} }

func (f *frame) setSize(w, h int) {
	if w != f.w || h != f.h {
		f.w, f.h, f.stale = w, h, true
	}
}

func (f *frame) setBare(bare bool) {
	if bare != f.bare {
		f.bare, f.stale = bare, true
	}
}

func (f *frame) setOrigin(x, y int) { f.x, f.y = x, y }

// at turns a screen cell into one of the body's; ok is false outside the
// body (on the border, the title line, or another panel).
func (f *frame) at(x, y int) (bx, by int, ok bool) {
	bx, by = x-f.x, y-f.y
	if !f.bare {
		bx -= f.st.Panel.GetBorderLeftSize() + f.st.Panel.GetPaddingLeft()
		by -= f.st.Panel.GetBorderTopSize() + f.st.Panel.GetPaddingTop()
		if f.title != "" {
			by--
		}
	}
	iw, ih := f.inner()
	return bx, by, bx >= 0 && by >= 0 && bx < iw && by < ih
}

// touch marks the drawing out of date: the panel's data changed.
func (f *frame) touch() { f.stale = true }

// inner is the size of the body: the frame less its border, padding and
// title line. The height is 0 for a natural height.
func (f *frame) inner() (w, h int) {
	if f.bare {
		return f.w, f.h
	}
	w = f.w - f.st.Panel.GetHorizontalFrameSize()
	if f.h == natural {
		return w, 0
	}
	h = f.h - f.st.Panel.GetVerticalFrameSize()
	if f.title != "" {
		h--
	}
	return w, max(h, 0)
}

// draw returns the panel: the body, made by body for the inner size, in
// the frame. body may set the title and the note. It is called only when
// something changed since the last drawing.
func (f *frame) draw(body func(w, h int) string) string {
	if !f.stale {
		return f.out
	}
	f.stale = false
	iw, ih := f.inner()
	if f.w <= 0 || iw <= 0 || (f.h != natural && f.h <= 0) {
		f.out = ""
		return f.out
	}
	b := body(iw, ih)
	h := f.h
	switch {
	case f.bare && h == natural:
		lines := draw.SplitLines(b)
		f.out = draw.Block(lines, f.w, len(lines))
	case f.bare:
		lines := draw.SplitLines(b)
		f.out = draw.Block(lines, f.w, h)
	default:
		if h == natural {
			h = lipgloss.Height(b) + f.st.Panel.GetVerticalFrameSize()
			if f.title != "" {
				h++
			}
		}
		f.out = f.st.box(f.title, f.note, b, f.w, h, f.focused)
	}
	return f.out
}

// box renders a bordered panel of exactly w×h cells: a bold title line
// (with an optional right-aligned note) unless the title is empty, and the
// body, cut to fit.
func (s styles) box(title, note, body string, w, h int, focused bool) string {
	st := s.Panel
	if focused {
		st = s.PanelFocused
	}
	iw := w - st.GetHorizontalFrameSize()
	ih := h - st.GetVerticalFrameSize()
	if iw <= 0 || ih <= 0 {
		return ""
	}
	lines := draw.SplitLines(body)
	if title != "" {
		head := s.PanelTitle.Render(title)
		if note != "" {
			gap := iw - lipgloss.Width(head) - lipgloss.Width(note) - 1
			if gap >= 0 {
				head += draw.Spaces(gap+1) + s.Label.Render(note)
			}
		}
		lines = append([]string{head}, lines...)
	}
	content := draw.Fit(lines, iw, ih)
	return st.Width(w - st.GetHorizontalBorderSize()).Height(h - st.GetVerticalBorderSize()).Render(content)
}
