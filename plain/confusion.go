package plain

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// Confusion writes a confusion matrix as text: the counts (true class down,
// predicted class across), then each class's images, recall (its accuracy)
// and precision, and the pair most often confused.
func Confusion(w io.Writer, c analysis.Confusion) error {
	k := c.Classes
	cw := len(fmt.Sprint(max(1, maxCount(c.Counts)))) + 1
	var b strings.Builder
	fmt.Fprintf(&b, "confusion matrix: true class down, predicted class across\n%5s", "")
	for q := range k {
		fmt.Fprintf(&b, "%*d", cw, q)
	}
	b.WriteByte('\n')
	for t := range k {
		fmt.Fprintf(&b, "%5d", t)
		for q := range k {
			fmt.Fprintf(&b, "%*d", cw, c.Counts[t*k+q])
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%5s  %6s  %9s  %9s\n", "class", "images", "recall", "precision")
	for _, s := range c.PerClass() {
		fmt.Fprintf(&b, "%5d  %6d  %9s  %9s\n", s.Class, s.Count, pctOrNone(s.Recall), pctOrNone(s.Precision))
	}
	if p, ok := c.MostConfused(); ok {
		fmt.Fprintf(&b, "most confused: %d read as %d, %d time(s)\n", p.True, p.Pred, p.Count)
	} else {
		b.WriteString("no mistakes\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ConfusionRecord is a confusion matrix as JSON fields: "confusion" (rows
// of counts, true class down), "classes" (each class's images, predicted,
// recall and precision, null for none) and "most_confused" (null for no
// mistake).
func ConfusionRecord(c analysis.Confusion) map[string]any {
	k := c.Classes
	rows := make([][]int, k)
	for t := range k {
		rows[t] = c.Counts[t*k : (t+1)*k]
	}
	classes := make([]map[string]any, k)
	for i, s := range c.PerClass() {
		r := map[string]any{"class": s.Class, "images": s.Count, "predicted": s.Predicted, "recall": s.Recall, "precision": s.Precision}
		NullNaN(r)
		classes[i] = r
	}
	var most any
	if p, ok := c.MostConfused(); ok {
		most = map[string]int{"true": p.True, "predicted": p.Pred, "count": p.Count}
	}
	return map[string]any{"confusion": rows, "classes": classes, "most_confused": most}
}

func maxCount(v []int) int {
	m := 0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func pctOrNone(f float64) string {
	if math.IsNaN(f) {
		return "none"
	}
	return fmt.Sprintf("%.2f%%", 100*f)
}
