package plain

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// Compare prints kept runs side by side, a line each: the folder, the
// epochs completed, the last test accuracy and loss, how it ended, and the
// value of each setting in keys (those that differ between the runs).
func Compare(w io.Writer, runs []*runfolder.Run, keys []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"run", "epochs", "test acc", "test loss", "ended"}
	fmt.Fprintln(tw, strings.Join(append(head, keys...), "\t"))
	for _, r := range runs {
		loss, acc, epochs := r.Final()
		row := []string{filepath.Base(r.Dir), fmt.Sprint(epochs), pct(acc), fixed(loss), short(r)}
		for _, k := range keys {
			v, ok := r.Value(k)
			if !ok {
				v = "(unset)"
			}
			row = append(row, v)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if len(keys) == 0 && len(runs) > 1 {
		fmt.Fprintln(tw, "(the runs' settings are the same)")
	}
	return tw.Flush()
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*x)
}

func fixed(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.4f", x)
}

// short says how a run ended in a table cell.
func short(r *runfolder.Run) string {
	switch {
	case r.End == nil:
		return "cut short"
	case r.End.Type == "failed":
		return fmt.Sprintf("failed: %s at epoch %d, batch %d", r.End.Cause, r.End.Epoch, r.End.Batch)
	}
	return r.End.Type // done, stopped
}
