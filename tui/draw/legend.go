package draw

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// LegendEntry is one item of a legend: its glyph (rendered in its series'
// style) and its name.
type LegendEntry struct{ Glyph, Name string }

// Legend renders the first of the variants whose entries, two spaces
// apart, wrap into at most lines lines of w cells; if none does, the last
// variant's entries that fit on one line.
func Legend(label lipgloss.Style, w, lines int, variants ...[]LegendEntry) string {
	render := func(e LegendEntry) string { return e.Glyph + " " + label.Render(e.Name) }
	for _, v := range variants {
		var out []string
		cur, ok := "", true
		for _, e := range v {
			r := render(e)
			switch {
			case lipgloss.Width(r) > w:
				ok = false
			case cur == "":
				cur = r
			case lipgloss.Width(cur)+2+lipgloss.Width(r) <= w:
				cur += "  " + r
			default:
				out, cur = append(out, cur), r
			}
		}
		if cur != "" {
			out = append(out, cur)
		}
		if ok && len(out) <= lines {
			return strings.Join(out, "\n")
		}
	}
	last := variants[len(variants)-1]
	for n := len(last); n > 1; n-- {
		parts := make([]string, n)
		for i, e := range last[:n] {
			parts[i] = render(e)
		}
		if l := strings.Join(parts, "  "); lipgloss.Width(l) <= w {
			return l
		}
	}
	if len(last) == 0 {
		return ""
	}
	return ansi.Truncate(render(last[0]), w, "…")
}

// LegendLines is how many lines a chart of inner height ih gives its
// legend: two from 12 rows, else one.
func LegendLines(ih int) int {
	if ih >= 12 {
		return 2
	}
	return 1
}
