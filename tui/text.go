package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// fit cuts lines to at most h lines of at most w cells each.
func fit(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(out, "\n")
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// padRight pads s with spaces to w cells.
func lipglossWidth(s string) int { return ansi.StringWidth(s) }

func padRight(s string, w int) string { return s + spaces(w-ansi.StringWidth(s)) }

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string { return spaces(w-ansi.StringWidth(s)) + s }

// duration formats d for people: "42s", "3m05s", "1h02m".
func duration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	default:
		return fmt.Sprintf("%ds", s)
	}
}

// percent formats a fraction as "97.12%".
func percent(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// short formats a value compactly for labels: 3 significant digits.
func short(v float64) string { return fmt.Sprintf("%.3g", v) }

// num formats a setting's value for people, in at most three significant
// digits: 0.003, 0.00213, 3.22e+06.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// pick is the first label that fits in w cells, or the last; labels are
// chosen, never cut.
func pick(w int, labels ...string) string {
	for _, l := range labels {
		if ansi.StringWidth(l) <= w {
			return l
		}
	}
	return labels[len(labels)-1]
}
