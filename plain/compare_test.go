package plain

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// TestCompareHeaders: each column of compare's table has its own heading,
// even when the runs differ in epochs (the setting, beside the epochs
// done) or a settings.yaml has a key named like a column; what the run
// folders hold is shown escaped.
func TestCompareHeaders(t *testing.T) {
	run := func(dir, epochs string) *runfolder.Run {
		return &runfolder.Run{Dir: dir, Settings: []runfolder.Setting{{Key: "epochs", Value: epochs}, {Key: "ended", Value: epochs}, {Key: "\x1b[2J", Value: "\x1b]0;pwned\a"}},
			End: &runfolder.End{Type: "done", Epochs: 1}}
	}
	runs := []*runfolder.Run{run("a", "1"), run("b\x1b[2J", "5")}
	var b bytes.Buffer
	if err := Compare(&b, runs, runfolder.Differing(runs)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	head := strings.Split(strings.SplitN(out, "\n", 2)[0], "  ")
	var cols []string
	for _, h := range head {
		if h = strings.TrimSpace(h); h != "" {
			cols = append(cols, h)
		}
	}
	want := []string{"run", "epochs done", "test acc", "test loss", "ended", "epochs", "ended (setting)"}
	if !slices.Equal(cols, want) {
		t.Errorf("headings %q, want %q", cols, want)
	}
	if strings.ContainsAny(out, "\x1b\a") || !strings.Contains(out, `b\x1b[2J`) {
		t.Errorf("table with control characters unescaped:\n%q", out)
	}
}
