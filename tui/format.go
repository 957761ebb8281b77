package tui

import (
	"fmt"
	"strconv"
	"time"
)

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
