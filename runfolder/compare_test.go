package runfolder

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
)

// switchedRun trains newTrainer's lenet5 (2 epochs of 10 batches) started
// with act, kept by a Recorder under parent as the terminal UI keeps a run,
// and sends the commands of at[step] once step batches are trained (at[0]
// before the first): a view switching the run as it trains. It returns
// the folder read back.
func switchedRun(t *testing.T, parent string, act engine.Activation, at map[int][]engine.Command) *Run {
	t.Helper()
	tr := newTrainer(t, act, 2)
	info := tr.Info()
	rec := NewRecorder(parent)
	r, err := rec.Record(tr, fmt.Appendf(nil, "arch: lenet5\nactivation: %s\nlr: %g\n", act, info.LR))
	if err != nil {
		t.Fatal(err)
	}
	// Paused, the trainer trains the batches Advance asks for and shows
	// each: a switch lands after exactly the batches asked.
	tr.Send(engine.Pause{})
	for _, c := range at[0] {
		tr.Send(c)
	}
	events := r.Events()
	go r.Run(context.Background())
	done := 0
	for step := 1; step <= 20; step++ {
		if cmds, ok := at[step]; ok {
			tr.Send(engine.Advance{Batches: step - done})
			for ev := range events {
				if p, ok := ev.(engine.Progress); ok && p.Step == step {
					break
				}
			}
			for _, c := range cmds {
				tr.Send(c)
			}
			done = step
		}
	}
	tr.Send(engine.Resume{})
	for range events {
	}
	if err := rec.Wait(); err != nil {
		t.Fatalf("Recorder: %v", err)
	}
	run, err := Read(rec.Dirs()[0])
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return run
}

// TestLabelsFollowSwitches names real runs switched as they trained by
// what they were at the end, with each switch and the epoch it came at.
func TestLabelsFollowSwitches(t *testing.T) {
	if testing.Short() {
		t.Skip("trains real nets")
	}
	lr := newTrainer(t, "relu", 1).Info().LR
	act := func(a engine.Activation) engine.Command { return engine.SetActivation{Name: a} }
	rate := func(f float64) engine.Command { return engine.SetLR{LR: f * lr} }
	runs := []struct {
		name  string
		start engine.Activation
		at    map[int][]engine.Command
		want  string
	}{
		{"sigmoid switched to relu", "sigmoid", map[int][]engine.Command{5: {act("relu")}}, "activation: sigmoid→relu @0.5 ep, lr: %[1]g"},
		{"relu throughout", "relu", nil, "activation: relu, lr: %[1]g"},
		{"relu switched to sigmoid", "relu", map[int][]engine.Command{15: {act("sigmoid")}}, "activation: relu→sigmoid @1.5 ep, lr: %[1]g"},
		{"switched before the first batch", "sigmoid", map[int][]engine.Command{0: {act("relu")}}, "activation: relu, lr: %[1]g"},
		{"a rate up twice at once, then back", "sigmoid", map[int][]engine.Command{4: {rate(2), rate(4)}, 12: {rate(1)}},
			"activation: sigmoid, lr: %[1]g→%[2]g→%[1]g @0.4, 1.2 ep"},
		{"four switches", "relu", map[int][]engine.Command{2: {act("sigmoid")}, 4: {act("relu")}, 6: {act("sigmoid")}, 8: {act("relu")}},
			"activation: relu→…→relu (4 switches, 0.2–0.8 ep), lr: %[1]g"},
	}
	parent := t.TempDir()
	kept := make([]*Run, len(runs))
	for i, r := range runs {
		kept[i] = switchedRun(t, parent, r.start, r.at)
	}
	keys := Differing(kept)
	if got := strings.Join(keys, ", "); got != "activation, lr" {
		t.Fatalf("Differing = %q, want activation, lr", got)
	}
	for i, r := range runs {
		if got, want := Label(kept[i], keys), fmt.Sprintf(r.want, lr, 4*lr); got != want {
			t.Errorf("%s: Label = %q, want %q", r.name, got, want)
		}
	}
	// Two runs started alike differ once one of them switched.
	if got := Differing([]*Run{kept[1], kept[2]}); strings.Join(got, ",") != "activation" {
		t.Errorf("Differing(relu, relu switched to sigmoid) = %q, want activation", got)
	}
	if chs := kept[2].Changes(); len(chs) != 1 || chs[0] != (Change{Key: "activation", From: "relu", To: "sigmoid", Step: 15, Epoch: 1.5}) {
		t.Errorf("Changes() = %+v, want relu→sigmoid at step 15, epoch 1.5", chs)
	}
}
