package tui

import (
	"path/filepath"
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

// TestSaveFollowsTheRun: s writes into the current run's folder — after a
// restart (r), the second run's, not the first's beside another run's
// history; --save's file whatever the run; with no folder, the fallback.
func TestSaveFollowsTheRun(t *testing.T) {
	lastSave := func(t *testing.T, env *fakeEnv) engine.Command {
		t.Helper()
		for i := len(env.sent) - 1; i >= 0; i-- {
			if s, ok := env.sent[i].(engine.Save); ok {
				return s
			}
		}
		t.Fatalf("no Save among the commands sent: %v", env.sent)
		return nil
	}
	restart := func(t *testing.T, m *model, dir string) {
		t.Helper()
		_, cmd := m.Update(keyMsg("r"))
		if cmd == nil {
			t.Fatal("r: no command")
		}
		msg, ok := cmd().(runStartedMsg)
		if !ok {
			t.Fatalf("r's command gave %T, want runStartedMsg", msg)
		}
		msg.run.dir = dir
		m.Update(msg)
		if m.run == nil || m.run.id != msg.id {
			t.Fatalf("after r the current run is %v, want run %d", m.run, msg.id)
		}
	}
	for _, tc := range []struct {
		name                 string
		savePath, saveElse   string
		secondDir            string
		wantFirst, wantAfter string
	}{
		{"run folders", "", "lenet5.safetensors", "runs/second",
			filepath.Join("runs/first", CheckpointFile), filepath.Join("runs/second", CheckpointFile)},
		{"--save", "net.safetensors", "lenet5.safetensors", "runs/second", "net.safetensors", "net.safetensors"},
		{"no folder after the restart", "", "lenet5.safetensors", "", filepath.Join("runs/first", CheckpointFile), "lenet5.safetensors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, env, _ := newTestModel(t, asciiStyles(), 120, 40)
			m.runDir, m.savePath, m.saveElse = "runs/first", tc.savePath, tc.saveElse
			feed(m, progress(1, 10, 1))
			m.Update(keyMsg("s"))
			if got := lastSave(t, env); got != (engine.Save{Path: tc.wantFirst}) {
				t.Errorf("s in the first run sent %v, want Save{%s}", got, tc.wantFirst)
			}
			restart(t, m, tc.secondDir)
			feed(m, progress(1, 10, 1))
			m.Update(keyMsg("s"))
			if got := lastSave(t, env); got != (engine.Save{Path: tc.wantAfter}) {
				t.Errorf("s after r sent %v, want Save{%s}", got, tc.wantAfter)
			}
		})
	}
}
