package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
)

// startedBy runs cmd as Bubble Tea would for the messages a tour step
// causes: a run started (runStartedMsg) is given to the model; the event
// reader it arms, and other commands, are not run (the fake runs send
// nothing by themselves).
func startedBy(m *model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			startedBy(m, c)
		}
	case runStartedMsg:
		m.Update(msg)
	}
}

// tourAt is a model at w×h with the tour open at step i, reached from the
// first step with →, as a student would; each run a step starts is fed
// what the fake trainer's story, or the real seed-code run, sends.
func tourAt(t *testing.T, w, h, i int) (*model, *fakeEnv) {
	t.Helper()
	env := &fakeEnv{}
	m := newModel(asciiStyles(), env.start, engine.ReLU, fixtureLR)
	m.interval = 0
	m.tourOpen = true
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	startedBy(m, m.Init())
	feedStep(m)
	for range i {
		before := m.runID
		_, cmd := m.Update(keyMsg("right"))
		startedBy(m, cmd)
		if m.runID != before {
			feedStep(m)
		}
	}
	return m, env
}

// feedStep gives a run just started what its trainer would send first:
// the note's seed-code program on ReLU its real events up to its failure,
// any other run the fake story's first batches and a real snapshot.
func feedStep(m *model) {
	if m.run.info.Arch == "seed-code" && m.setup.Init == "" {
		feed(m, seedCodeEvents(engine.ReLU, 0)...)
		return
	}
	feed(m, initialSnapshot())
	if m.wantAct == engine.Sigmoid { // on the plateau, as a real run is at batch 200
		feed(m, batches(200, 2.31, 0.11), plateauFlow(200), realSnapshot(200))
		return
	}
	for step := 10; step <= 60; step += 10 {
		feed(m, progress(1, step, step-9))
	}
	feed(m, realSnapshot(60))
}

// TestTourSteps: every step shows its whole text and its action, with the
// view it is about and the run it needs, at 80×24 and 120×40; the panels
// below the tour's band start on the same row at every step; each step's
// screen is a golden file.
func TestTourSteps(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		first := -1
		for i, s := range tourSteps {
			name := fmt.Sprintf("tour-%02d-%dx%d", i+1, w, h)
			t.Run(name, func(t *testing.T) {
				m, env := tourAt(t, w, h, i)
				v := m.View()
				band := strings.ReplaceAll(ansi.Strip(m.tourText.view()), "│", " ")
				flat := strings.Join(strings.Fields(band), " ")
				if !strings.Contains(flat, strings.Join(strings.Fields(s.text), " ")) {
					t.Errorf("step %d's text is not whole in its band:\n%s", i+1, band)
				}
				if !strings.Contains(flat, "▶ "+s.action) {
					t.Errorf("step %d's action %q is not on screen", i+1, s.action)
				}
				if run := s.setup.run; run != nil && (m.run.info.Arch != run.Arch || run.Activation != "" && m.wantAct != run.Activation) {
					t.Errorf("step %d runs %s on %s, want %s on %s (asked: %+v)", i+1, m.run.info.Arch, m.wantAct, run.Arch, run.Activation, env.reqs)
				}
				row := rowOf(v, "Probe")
				if first < 0 {
					first = row
				}
				if row != first || lipglossHeight(v) != h {
					t.Errorf("step %d: the probe panel starts on row %d (step 1: %d), screen %d rows tall", i+1, row, first, lipglossHeight(v))
				}
				golden(t, name, v)
			})
		}
	}
}

func lipglossHeight(s string) int { return strings.Count(s, "\n") + 1 }

// TestTourViews: each step shows the view and the layer it is about.
func TestTourViews(t *testing.T) {
	for i, s := range tourSteps {
		m, _ := tourAt(t, 120, 40, i)
		shown := m.lower.current()
		switch s.setup.view {
		case viewMaps, viewInspect, viewKernels:
			if m.lower.shown != 0 || m.kernels != (s.setup.view == viewKernels) || m.maps.insp.on != (s.setup.view == viewInspect) {
				t.Errorf("step %d: card %d, kernels %v, inspect %v; want the maps' %v", i+1, m.lower.shown, m.kernels, m.maps.insp.on, s.setup.view)
			}
		case viewFlow:
			if _, ok := shown.(*flowPanel); !ok {
				t.Errorf("step %d shows %T, want the gradient flow", i+1, shown)
			}
		case viewConfusion:
			if _, ok := shown.(*confusionPanel); !ok {
				t.Errorf("step %d shows %T, want the confusion matrix", i+1, shown)
			}
		case viewDraw:
			if _, ok := shown.(*padPanel); !ok {
				t.Errorf("step %d shows %T, want the drawing pad", i+1, shown)
			}
		case viewEmbedding:
			if _, ok := shown.(*embeddingPanel); !ok {
				t.Errorf("step %d shows %T, want the embedding", i+1, shown)
			}
		}
		if l := s.setup.layer; l != "" && m.layers.infos[m.selected].Name != l {
			t.Errorf("step %d selects %s, want %s", i+1, m.layers.infos[m.selected].Name, l)
		}
	}
}

// TestTourPausedAtStart: the tour's first run is asked for paused, before
// its first batch; its third step lets it train, slowed.
func TestTourPausedAtStart(t *testing.T) {
	m, env := tourAt(t, 120, 40, 0)
	if len(env.reqs) != 1 || !env.reqs[0].Paused || env.reqs[0].Arch != "lenet5" {
		t.Fatalf("the tour's first run was asked as %+v, want lenet5, paused", env.reqs)
	}
	if !m.wantPaused {
		t.Errorf("the tour's first step does not show the run paused")
	}
	for range 2 {
		m.Update(keyMsg("right"))
	}
	if m.wantPaused || m.pace != paceMinute {
		t.Errorf("step 3: paused %v, pace %v; want training, slowed", m.wantPaused, m.pace)
	}
	var paced bool
	for _, c := range env.sent {
		if p, ok := c.(engine.SetPace); ok && p.BatchesPerSecond > 0 {
			paced = true
		}
	}
	if !paced {
		t.Errorf("step 3 sent no SetPace: %v", env.sent)
	}
}

// TestTourLeave: esc leaves the tour and keeps the run; ← on the first
// step and → on the last stay.
func TestTourLeave(t *testing.T) {
	m, _ := tourAt(t, 120, 40, len(tourSteps)-1)
	id := m.run.id
	m.Update(keyMsg("right"))
	wantEq(t, "step after → on the last", m.tourStep, len(tourSteps)-1)
	m.Update(keyMsg("esc"))
	if m.tourOpen || m.run.id != id || m.active.tour {
		t.Errorf("after esc: tour open %v, run %d (was %d), layout %q; want closed, the same run, no band", m.tourOpen, m.run.id, id, m.active.name)
	}
}
