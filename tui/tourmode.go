package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/lenet-tui/lenet-tui/engine"
)

// pace is how fast the run is let go, for a class to follow it.
type pace int

const (
	paceAsFast  pace = iota // as fast as it goes
	paceMinute              // slowed so the whole run takes about a minute
	paceByBatch             // paused, one batch at a time ('.')
)

func (p pace) String() string {
	return [...]string{"full speed", "slowed: the run in about a minute", "one batch at a time: . trains one"}[p]
}

// batchesPerSecond is the slowed pace of a run: its batches over a minute.
func batchesPerSecond(info engine.RunInfo) float64 {
	if info.Batch <= 0 {
		return 0
	}
	batches := (info.TrainCount + info.Batch - 1) / info.Batch
	return float64(info.Epochs*batches) / 60
}

// setPace asks the run for pace p: full speed or slowed (SetPace), or one
// batch at a time (paused; '.' lets one go).
func (m *model) setPace(p pace) {
	m.pace = p
	bps := 0.0
	if p == paceMinute && m.run != nil {
		bps = batchesPerSecond(m.run.info)
	}
	m.send(engine.SetPace{BatchesPerSecond: bps})
	if (p == paceByBatch) != m.wantPaused {
		m.togglePause()
	}
	m.status = "pace: " + p.String()
}

// keepPace gives a run just started the pace and pause asked for: a run
// asked for paused (RunRequest.Paused) is paused from its first batch.
func (m *model) keepPace() {
	paused := m.setup.Paused || m.pace == paceByBatch
	m.setup.Paused = false // once: a restart (r) of the run trains
	if paused {
		m.wantPaused = true
		m.header.setPendingPause(true)
		m.send(engine.Pause{}) // already paused when asked at the start: a no-op
	}
	if m.pace == paceMinute {
		m.send(engine.SetPace{BatchesPerSecond: batchesPerSecond(m.run.info)})
	}
}

// stepBatch trains one batch of a paused run.
func (m *model) stepBatch() {
	if m.state == statePaused || m.wantPaused {
		m.send(engine.Advance{Batches: 1})
	}
}

// tourKey gives msg to the tour while it is open: the arrows step through
// it and esc leaves it; taken reports whether it used the key.
func (m *model) tourKey(msg tea.KeyMsg) (taken bool, cmd tea.Cmd) {
	if !m.tourOpen || m.keysOpen {
		return false, nil
	}
	switch {
	case key.Matches(msg, m.keys.Next):
		if m.tourStep+1 < len(tourSteps) {
			return true, m.goToStep(m.tourStep + 1)
		}
		return true, nil
	case key.Matches(msg, m.keys.Prev):
		if m.tourStep > 0 {
			return true, m.goToStep(m.tourStep - 1)
		}
		return true, nil
	case key.Matches(msg, m.keys.Back):
		m.tourOpen = false
		m.header.setTouring(false)
		m.layout()
		return true, nil
	}
	return false, nil
}

// openTour opens the tour at its first step.
func (m *model) openTour() tea.Cmd {
	m.tourOpen = true
	m.header.setTouring(true)
	return m.goToStep(0)
}

// goToStep shows step i of the tour and sets up what it needs: a run of
// its kind (started afresh only when the one on screen is not), the view,
// the layer, pause or training, and the pace.
func (m *model) goToStep(i int) tea.Cmd {
	m.header.setTouring(true)
	m.tourStep = i
	m.tourText.setStep(i)
	s := tourSteps[i].setup
	var cmd tea.Cmd
	if s.run != nil && (!m.runIs(*s.run) || s.paused == trainIt && m.state.ended()) {
		req := *s.run
		req.Paused = s.paused == pauseIt
		cmd = m.startRequest(req)
	} else {
		switch {
		case s.paused == pauseIt && !m.wantPaused, s.paused == trainIt && m.wantPaused:
			m.togglePause()
		}
	}
	switch s.pace {
	case paceFull:
		m.setPace(paceAsFast)
	case paceSlow:
		m.setPace(paceMinute)
	}
	m.status = ""
	m.showView(s.view, s.layer)
	m.layout()
	return tea.Batch(cmd, m.mouseFor(nil))
}

// runIs reports whether the run on screen is of the kind req asks for:
// its architecture, activation and initialisation.
func (m *model) runIs(req RunRequest) bool {
	if m.run == nil || m.run.info.Arch != req.Arch {
		return false
	}
	return (req.Activation == "" || m.wantAct == req.Activation) && m.setup.Init == req.Init
}

// startRequest starts the run req asks for, with fresh weights, its own
// activation and its architecture's rate.
func (m *model) startRequest(req RunRequest) tea.Cmd {
	m.setup = req
	if req.Activation != "" {
		m.wantAct = req.Activation
	}
	m.wantLR = req.LR                 // 0: the architecture's own
	if m.run == nil && m.runID == 0 { // the first run of all
		m.runID++
		return startRun(m.start, m.runID, m.request())
	}
	return m.restart()
}

// showView puts v in the maps' place with layer selected (if the run has
// it; a run still starting gets it once started, tourLayer).
func (m *model) showView(v tourView, layer string) {
	m.tourLayer = layer
	m.selectNamed(layer)
	m.kernels = v == viewKernels
	m.syncSelection()
	if m.maps.insp.on != (v == viewInspect) {
		m.maps.inspect()
	}
	card := map[tourView]key.Binding{viewFlow: m.keys.Flow, viewConfusion: m.keys.Confusion, viewDraw: m.keys.Draw, viewEmbedding: m.keys.Embedding}[v]
	shown := 0
	for i, c := range m.lower.cards {
		if i > 0 && card.Enabled() && sameKey(c.key, card) {
			shown = i
		}
	}
	if m.lower.shown != shown {
		m.lower.shown = 0
		m.lower.show(shown)
	}
}

// selectNamed selects the layer called name, if the run has one.
func (m *model) selectNamed(name string) {
	for i, info := range m.layers.infos {
		if name != "" && info.Name == name {
			m.selected = i
		}
	}
}
