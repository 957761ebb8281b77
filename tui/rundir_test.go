package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// TestRunDirShown: the header says where each run's history goes — the
// first run's from Options.RunDir, a restart's from its handle — until the
// first epoch ends.
func TestRunDirShown(t *testing.T) {
	env := &fakeEnv{}
	m := newModel(asciiStyles(), env.start, engine.ReLU, fixtureLR)
	m.runDir = "runs/first"
	m.interval = 0
	m.Update(tea.WindowSizeMsg{Width: 140, Height: 45})
	m.Update(m.Init()())
	if v := ansi.Strip(m.View()); !strings.Contains(v, "run folder → runs/first") {
		t.Errorf("first run: the header does not say run folder → runs/first:\n%s", v)
	}
	h, _ := env.start(2, RunRequest{Activation: engine.ReLU, LR: fixtureLR})
	h.dir = "runs/second"
	m.runID = 2
	m.Update(runStartedMsg{id: 2, run: h})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "run folder → runs/second") {
		t.Errorf("restart: the header does not say run folder → runs/second:\n%s", v)
	}
	feed(m, engine.EpochEnd{Epoch: 1, Epochs: 3, Step: 1, TestAcc: 0.5, TestLoss: 1})
	if v := ansi.Strip(m.View()); strings.Contains(v, "run folder →") {
		t.Errorf("after the first epoch the header still says where the history goes:\n%s", v)
	}
}
