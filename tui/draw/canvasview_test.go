package draw

import (
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// view shows every cell as ntcharts' own View does: the same rune under
// the same SGR attributes, cell for cell, in fewer escape sequences.
func TestViewMatchesCanvas(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	styles := []lipgloss.Style{
		r.NewStyle(),
		r.NewStyle().Foreground(lipgloss.Color("#4FC3F7")),
		r.NewStyle().Foreground(lipgloss.Color("#FFB74D")).Bold(true),
		r.NewStyle().Foreground(lipgloss.Color("#FFB74D")),
		r.NewStyle().Background(lipgloss.Color("#5F0000")).Reverse(true),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const w, h = 37, 9
	c := canvas.New(w, h)
	for y := range h {
		for x := range w {
			if rng.IntN(3) == 0 {
				continue // an empty cell
			}
			s := styles[rng.IntN(len(styles))]
			if rng.IntN(2) == 0 && x > 0 { // runs of one style, as on a chart
				s = c.Cell(canvas.Point{X: x - 1, Y: y}).Style
			}
			c.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCellWithStyle(rune('a'+rng.IntN(26)), s))
		}
	}
	want, got := cellsOf(c.View()), cellsOf(view(&c, w, h))
	if len(got) != len(want) || len(want) != w*h+h-1 {
		t.Fatalf("view has %d cells, canvas %d, want %d", len(got), len(want), w*h+h-1)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("cell %d: view %+v, canvas %+v", i, got[i], want[i])
		}
	}
	if n, m := strings.Count(view(&c, w, h), "\x1b["), strings.Count(c.View(), "\x1b["); n >= m {
		t.Errorf("view writes %d escape sequences, no fewer than the canvas's %d", n, m)
	}
}

// shown is a rune on the screen and the SGR parameters in force there.
type shown struct {
	r   rune
	sgr string
}

// cellsOf reads s as a terminal would: the SGR parameters each rune is
// drawn under ("" after a reset).
func cellsOf(s string) []shown {
	var out []shown
	sgr := ""
	for len(s) > 0 {
		if strings.HasPrefix(s, "\x1b[") {
			end := strings.IndexByte(s, 'm')
			if p := s[2:end]; p == "0" || p == "" {
				sgr = ""
			} else {
				sgr = p
			}
			s = s[end+1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		out = append(out, shown{r, sgr})
		s = s[size:]
	}
	return out
}
