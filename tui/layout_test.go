package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// lipglossCompose is compose as lipgloss's joins do it, measuring and
// padding every line: the reference the fast join must equal.
func lipglossCompose(c cell) string {
	if c.p != nil {
		return c.p.view()
	}
	views := make([]string, len(c.kids))
	for i, k := range c.kids {
		views[i] = lipglossCompose(k)
	}
	if c.across {
		return lipgloss.JoinHorizontal(lipgloss.Top, views...)
	}
	return lipgloss.JoinVertical(lipgloss.Left, views...)
}

// TestComposeIsExact holds compose to what it relies on: in every view
// (each card of the maps' place, the key help, the tour) at every size, in
// colour, the screen is exactly w×h cells, and joining without measuring
// gives what lipgloss's joins give.
func TestComposeIsExact(t *testing.T) {
	views := [][]string{nil, {"?"}, {"t"}}
	for _, key := range []string{"g", "c", "e", "d", "u", "o", "k", "i"} {
		views = append(views, []string{key})
	}
	for _, sz := range sizes {
		for _, keys := range views {
			m, _ := trainedModel(t, colorStyles(), sz[0], sz[1])
			press(m, keys...)
			if m.active == nil {
				continue
			}
			name := sizeName(sz) + " after " + strings.Join(keys, " ")
			got := m.View()
			if want := lipglossCompose(m.active.root); got != want {
				t.Errorf("%s: compose differs from lipgloss's joins\ngot:\n%s\nwant:\n%s", name, ansi.Strip(got), ansi.Strip(want))
				continue
			}
			lines := strings.Split(got, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%s: %d lines, want %d", name, len(lines), sz[1])
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("%s: line %d is %d cells wide, want %d: %q", name, i+1, w, sz[0], ansi.Strip(l))
					break
				}
			}
		}
	}
}
