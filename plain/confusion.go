package plain

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// Confusion writes a confusion matrix as text: the counts (true class down,
// predicted class across), then each class's images, recall (its accuracy)
// and precision, and the pair most often confused. names are the classes'
// names by index: with names other than the indexes (Fashion-MNIST's, an
// image folder's), each row and class says its name after its index, and
// the pair is said by name ("Shirt read as T-shirt/top"); nil or MNIST's
// digits, the indexes alone.
func Confusion(w io.Writer, c analysis.Confusion, names []string) error {
	k := c.Classes
	cw := len(fmt.Sprint(max(1, maxCount(c.Counts)))) + 1
	label, lw := classLabels(names, k)
	var b strings.Builder
	fmt.Fprintf(&b, "confusion matrix: true class down, predicted class across\n%*s", lw, "")
	for q := range k {
		fmt.Fprintf(&b, "%*d", cw, q)
	}
	b.WriteByte('\n')
	for t := range k {
		b.WriteString(label(t))
		for q := range k {
			fmt.Fprintf(&b, "%*d", cw, c.Counts[t*k+q])
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%-*s  %6s  %9s  %9s\n", lw, "class", "images", "recall", "precision")
	for _, s := range c.PerClass() {
		fmt.Fprintf(&b, "%s  %6d  %9s  %9s\n", label(s.Class), s.Count, pctOrNone(s.Recall), pctOrNone(s.Precision))
	}
	if p, ok := c.MostConfused(); ok {
		fmt.Fprintf(&b, "most confused: %s read as %s, %d time(s)\n", className(names, p.True), className(names, p.Pred), p.Count)
	} else {
		b.WriteString("no mistakes\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// classLabels is how Confusion labels the rows of k classes, and the
// labels' width: the index in 5 cells, then with names other than the
// indexes, the name.
func classLabels(names []string, k int) (label func(c int) string, width int) {
	if numbered(names) {
		return func(c int) string { return fmt.Sprintf("%5d", c) }, 5
	}
	nw := 0
	for c := range k {
		nw = max(nw, utf8.RuneCountInString(className(names, c)))
	}
	return func(c int) string {
		name := className(names, c)
		return fmt.Sprintf("%5d %s%s", c, name, strings.Repeat(" ", nw-utf8.RuneCountInString(name)))
	}, 6 + nw
}

// className is class c's name, its index when names has none.
func className(names []string, c int) string {
	if c >= 0 && c < len(names) {
		return names[c]
	}
	return strconv.Itoa(c)
}

// numbered reports whether every class is named by its index (MNIST's
// digits, or no names).
func numbered(names []string) bool {
	for c, n := range names {
		if n != strconv.Itoa(c) {
			return false
		}
	}
	return true
}

// ConfusionRecord is a confusion matrix as JSON fields: "confusion" (rows
// of counts, true class down), "classes" (each class's index, images,
// predicted, recall and precision, null for none) and "most_confused"
// (null for no mistake). With names (the classes' names by index) it also
// has "class_names", and each class and the pair their names beside their
// indexes: "name"; "true_name" and "predicted_name".
func ConfusionRecord(c analysis.Confusion, names []string) map[string]any {
	k := c.Classes
	rows := make([][]int, k)
	for t := range k {
		rows[t] = c.Counts[t*k : (t+1)*k]
	}
	classes := make([]map[string]any, k)
	for i, s := range c.PerClass() {
		r := map[string]any{"class": s.Class, "images": s.Count, "predicted": s.Predicted, "recall": s.Recall, "precision": s.Precision}
		NullNaN(r)
		if names != nil {
			r["name"] = className(names, s.Class)
		}
		classes[i] = r
	}
	var most any
	if p, ok := c.MostConfused(); ok {
		m := map[string]any{"true": p.True, "predicted": p.Pred, "count": p.Count}
		if names != nil {
			m["true_name"], m["predicted_name"] = className(names, p.True), className(names, p.Pred)
		}
		most = m
	}
	r := map[string]any{"confusion": rows, "classes": classes, "most_confused": most}
	if names != nil {
		r["class_names"] = names
	}
	return r
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
