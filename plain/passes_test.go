package plain

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
)

// TestBenchPasses prints a real pass table of the tiny net, as text and as
// JSON, and checks its rows and bottom line are there (not its times).
func TestBenchPasses(t *testing.T) {
	modern, err := engine.LookupArch("lenet5-modern")
	if err != nil {
		t.Fatal(err)
	}
	s := modern.Defaults
	s.Batch = 8
	pt, err := engine.BenchPasses(tiny, s, engine.Shape{C: 1, H: 12, W: 12}, 10, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := BenchPasses(&b, pt, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"C1   forward", "C3  backward", "update", "other", "step", "FLOP a trained image"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("BenchPasses(tiny) = %q, want it to hold %q", b.String(), want)
		}
	}
	b.Reset()
	if err := BenchPasses(&b, pt, true); err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Passes engine.PassTable `json:"passes"`
	}
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil || len(rec.Passes.Rows) != len(pt.Rows) {
		t.Errorf("BenchPasses(tiny, json) = %q, %v; want a record of %d rows", b.String(), err, len(pt.Rows))
	}
}
