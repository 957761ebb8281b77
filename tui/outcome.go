package tui

import "github.com/lenet-tui/lenet-tui/engine"

// Outcome is what the terminal UI leaves behind for the command line to
// say once the screen is gone, as the plain trainer says it at its end:
// how the last run ended, where it is kept and the checkpoints written.
type Outcome struct {
	Info       engine.RunInfo
	Activation engine.Activation // in force at the end
	// Epoch is the last epoch that ended, with its test evaluation; nil
	// when none did.
	Epoch *engine.EpochEnd
	// Done is the run's end; nil when the program was left before it.
	Done   *engine.Done
	Failed *engine.Failed
	// Left is the last batch reported, where a run left early stood.
	Left   engine.Progress
	RunDir string   // the run folder; "" for none (--no-save)
	Saved  []string // the checkpoints s wrote, in order
}

// outcome is the header's account of its run.
func (h *header) outcome() Outcome {
	return Outcome{Info: h.info, Activation: h.activation, Epoch: h.epoch, Done: h.done, Failed: h.failed,
		Left: h.prog, RunDir: h.runDir, Saved: h.saved}
}
