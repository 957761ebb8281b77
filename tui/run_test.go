package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// newEngineRun builds a real lenet5 trainer on small synthetic 28×28 data.
func newEngineRun(t *testing.T) func(RunRequest) (Trainer, error) {
	train := dataset.Synthetic(640, 28, 28, 1)
	test := dataset.Synthetic(128, 28, 28, 2)
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	return func(req RunRequest) (Trainer, error) {
		act, lr, probe := req.Activation, req.LR, req.Probe
		s := spec.Defaults
		s.Activation, s.LR, s.Batch, s.Epochs = act, lr, 32, 3
		net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
		if err != nil {
			return nil, err
		}
		return engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 2, SnapshotEvery: 50 * time.Millisecond, Probe: probe})
	}
}

// TestWithTrainer drives the model the way Bubble Tea does — every command
// run in its own goroutine, every message through Update on one goroutine —
// with the real trainer underneath, pressing keys as it trains. Run it with
// -race: the model and the trainer must share no memory.
func TestWithTrainer(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a real net")
	}
	runs := &runTracker{start: engineStarter(newEngineRun(t))}
	defer runs.stopAll()
	m := newModel(asciiStyles(), runs.startTracked, "sigmoid", 0.05)
	msgs := make(chan tea.Msg, 64)
	exec := func(cmd tea.Cmd) {
		if cmd != nil {
			go func() { msgs <- cmd() }()
		}
	}
	exec(m.Init())
	m.Update(tea.WindowSizeMsg{Width: 140, Height: 45})
	keys := []string{"a", "l", "k", "n", "+", "space", "space", "A", "-", "h", "r"}
	deadline := time.After(2 * time.Minute)
	restarted := false
	for {
		select {
		case <-deadline:
			t.Fatalf("run did not finish; state %v\n%s", m.state, ansi.Strip(m.View()))
		case msg := <-msgs:
			_, cmd := m.Update(msg)
			exec(cmd)
			// A key a frame; the rest at once if the run ends first.
			for len(keys) > 0 {
				k := keys[0]
				keys = keys[1:]
				restarted = restarted || k == "r"
				_, cmd := m.Update(keyMsg(k))
				exec(cmd)
				if !m.state.ended() {
					break
				}
			}
			_ = m.View()
			if m.state == stateFinished && restarted {
				v := ansi.Strip(m.View())
				for _, want := range []string{"✔ finished", "Final test accuracy", "Loss", "Accuracy", "Layers", "Kernels", "Probe"} {
					if !strings.Contains(v, want) {
						t.Errorf("final View() lacks %q:\n%s", want, v)
					}
				}
				if len(m.loss.batch) == 0 || len(m.acc.test) != 3 {
					t.Errorf("charts: %d loss points, %d test accuracies; want some and 3", len(m.loss.batch), len(m.acc.test))
				}
				if m.header.activation != "tanh" { // a: sigmoid→relu, A: relu→tanh
					t.Errorf("activation after the restart = %q, want tanh (kept from before r)", m.header.activation)
				}
				return
			}
		}
	}
}
