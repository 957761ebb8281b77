package engine

import (
	"os"
	"strings"
	"testing"
)

// explosive is a layer that panics in Forward, standing in for a bug.
type explosive struct{ Layer }

func (explosive) Forward([]float32, int) []float32 { panic("boom: a bug in a layer") }

// TestTrainerRecoversPanic makes a layer panic, on the trainer's goroutine
// (worker 0, whose net also draws the first snapshot) and on another
// worker's: the run ends with a Failed event that
// says so, names a log file with the stack, offers no remedy, and closes
// its channel; the program does not crash.
func TestTrainerRecoversPanic(t *testing.T) {
	for _, worker := range []int{0, 1} {
		tr := smallRun(t, settings())
		b := tr.ws[worker].net.blocks[1]
		b.op = explosive{b.op}
		evs := collect(t, tr)
		f, ok := evs[len(evs)-1].(Failed)
		if !ok {
			t.Fatalf("worker %d: last event %#v, want Failed", worker, evs[len(evs)-1])
		}
		if f.Cause != CausePanic || !strings.Contains(f.Panic, "boom") || f.Remedies() != nil || f.Epoch != 1 || f.Batch != 1 {
			t.Errorf("worker %d: Failed = %+v, want CausePanic with the message, epoch 1, batch 1, no remedies", worker, f)
		}
		if !strings.Contains(f.String(), "the trainer crashed at epoch 1, batch 1 (step 1): boom: a bug in a layer; its stack is in "+f.Log) {
			t.Errorf("worker %d: String() = %q", worker, f.String())
		}
		log, err := os.ReadFile(f.Log)
		if err != nil || !strings.Contains(string(log), "goroutine") || !strings.Contains(string(log), "explosive") {
			t.Errorf("worker %d: log %s = %q, %v; want the stack through explosive.Forward", worker, f.Log, log, err)
		}
		os.Remove(f.Log)
	}
}
