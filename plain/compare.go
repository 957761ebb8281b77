package plain

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// Compare prints kept runs side by side, a line each: the folder, the
// epochs completed ("epochs done"), the last test accuracy and loss, how it
// ended, and the value of each setting in keys (those that differ between
// the runs) as the run went, switches included (runfolder.Course), headed
// by its key ("epochs": the epochs the run was set to
// train). What the run folders hold is shown escaped (runfolder.Shown).
func Compare(w io.Writer, runs []*runfolder.Run, keys []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"run", "epochs done", "test acc", "test loss", "ended"}
	fixedCols := len(head)
	for _, k := range keys {
		k = runfolder.Shown(k)
		if slices.Contains(head[:fixedCols], k) {
			k += " (setting)" // a settings.yaml key named as a column of the table
		}
		head = append(head, k)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range runs {
		loss, acc, epochs := r.Final()
		row := []string{runfolder.Shown(filepath.Base(r.Dir)), fmt.Sprint(epochs), pct(acc), fixed(loss), short(r)}
		for _, k := range keys {
			v, ok := r.Course(k) // with its switches: sigmoid→relu @1.9 ep
			if !ok {
				v = "(unset)"
			}
			row = append(row, runfolder.Shown(v))
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
		return fmt.Sprintf("failed: %s at epoch %d, batch %d", runfolder.Shown(r.End.Cause), r.End.Epoch, r.End.Batch)
	}
	return runfolder.Shown(r.End.Type) // done, stopped
}
