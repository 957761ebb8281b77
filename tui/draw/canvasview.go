package draw

import (
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/charmbracelet/lipgloss"
)

// view is the w×h canvas c as text, as c.View() gives it, but with each
// run of cells in one style rendered at once. ntcharts renders every cell
// on its own: a lipgloss Render, and an escape sequence and a reset on
// the wire, for each of a chart's thousands of cells, most of them blank
// or in a series' colour next to more of the same. The charts' cells
// differ in colour and weight only (the styles of a Plot), so those are
// what tells one run from the next.
//
// A cell never drawn on (rune 0) is a blank with the zero style, the most
// common cell by far: it is told apart by its rune alone, without reading
// its style's looks.
func view(c *canvas.Model, w, h int) string {
	var b strings.Builder
	b.Grow(4 * w * h)
	run := make([]rune, 0, w)
	var style lipgloss.Style
	var key cellLook
	plain := true // the run is of blanks: written as they are
	flush := func() {
		if len(run) == 0 {
			return
		}
		if plain {
			b.WriteString(string(run))
		} else {
			b.WriteString(style.Render(string(run)))
		}
		run = run[:0]
	}
	for y := range h {
		for x := range w {
			cell := c.Cell(canvas.Point{X: x, Y: y})
			r, k := cell.Rune, cellLook{}
			if r == 0 {
				r = ' '
			} else {
				k = lookOf(cell.Style)
			}
			if len(run) == 0 || k != key {
				flush()
				key, plain = k, cell.Rune == 0
				if !plain {
					style = cell.Style
				}
			}
			run = append(run, r)
		}
		flush()
		if y < h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// cellLook is what a chart's cell styles set.
type cellLook struct {
	fg, bg             lipgloss.TerminalColor
	bold, faint, rev   bool
	italic, underlined bool
}

func lookOf(s lipgloss.Style) cellLook {
	return cellLook{
		fg: s.GetForeground(), bg: s.GetBackground(),
		bold: s.GetBold(), faint: s.GetFaint(), rev: s.GetReverse(),
		italic: s.GetItalic(), underlined: s.GetUnderline(),
	}
}
