package draw

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Fit cuts lines to at most h lines of at most w cells each.
func Fit(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(out, "\n")
}

// Block cuts or pads lines to exactly h lines of exactly w cells each: a
// block that can be joined to others without measuring it again.
func Block(lines []string, w, h int) string {
	out := make([]string, h)
	for i := range out {
		l := ""
		if i < len(lines) {
			l = ansi.Truncate(lines[i], w, "…")
		}
		out[i] = l + Spaces(w-ansi.StringWidth(l))
	}
	return strings.Join(out, "\n")
}

// SplitLines is the lines of s; none for "".
func SplitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Spaces is n spaces; none for n ≤ 0.
func Spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// PadRight pads s with spaces to w cells.
func PadRight(s string, w int) string { return s + Spaces(w-ansi.StringWidth(s)) }

// PadLeft right-aligns s in w cells.
func PadLeft(s string, w int) string { return Spaces(w-ansi.StringWidth(s)) + s }

// Pick is the first label that fits in w cells, or the last; labels are
// chosen, never cut.
func Pick(w int, labels ...string) string {
	for _, l := range labels {
		if ansi.StringWidth(l) <= w {
			return l
		}
	}
	return labels[len(labels)-1]
}

// Truncate cuts s to at most n cells, ending with '…' when cut.
func Truncate(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// PickJoined joins the parts of the first variant that fits in w cells, or of
// the last.
func PickJoined(w int, sep string, variants ...[]string) string {
	var line string
	for _, parts := range variants {
		if line = strings.Join(parts, sep); lipgloss.Width(line) <= w {
			break
		}
	}
	return line
}
