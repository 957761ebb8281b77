package tui

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
)

// frameInterval is the time between reads of the trainer's events: at most
// ten frames a second, each taking every event pending (see waitForEvents).
const frameInterval = 100 * time.Millisecond

// runState is what the header says the run is doing.
type runState int

const (
	stateStarting runState = iota
	stateTraining
	statePaused
	stateFinished
	stateFailed
	stateStopped
)

func (s runState) String() string {
	return [...]string{"starting", "training", "paused", "finished", "failed", "stopped"}[s]
}

// ended reports whether the run no longer takes commands.
func (s runState) ended() bool { return s >= stateFinished }

// model is the root Bubble Tea model.
type model struct {
	st    styles
	keys  keyMap
	start starter
	setup RunRequest // the run asked for beyond activation, rate and probe (the tour's); zero for the program's

	run      *runHandle // nil until the first run has started
	runID    int        // id of the newest run asked for
	runDir   string     // where the first run's history goes (Options.RunDir)
	savePath string     // where s writes a checkpoint whatever the run (Options.SavePath, --save's file); "" to follow the run
	saveElse string     // where s writes when neither savePath nor the run's folder says (Options.SaveFallback)
	state    runState
	interval time.Duration // frame throttling of progress events
	// chartsDrawn is when the charts were last drawn for new training
	// points (paceCharts).
	chartsDrawn time.Time

	width, height int
	layouts       []screen          // the layout table (layout.go)
	active        *screen           // the size class in use; nil when the terminal is too small
	wantAct       engine.Activation // activation asked for (applies to the next batch or run)
	wantPaused    bool              // pause asked for; the trainer confirms with StateChanged
	wantLR        float64           // learning rate asked for
	probe         int
	drawn         []uint8 // the drawing pad's digit while it is the probe (28×28 bytes); nil for test image probe
	selected      int
	kernels       bool

	header   header
	loss     lossChart
	acc      accChart
	layers   layersPanel
	maps     mapsPanel
	pad      padPanel
	lower    deck // the maps, or another view in their place (g, c, e, d, u): layout.go, cards
	pred     prediction
	help     helpPanel // the key bar at the bottom
	keysHelp keysPanel // every key by group, in the body while keysOpen
	keysOpen bool
	status   string // a passing note for the footer, such as "C1 is the first layer"; cleared by the next key

	pace      pace      // how fast the run is let go (w)
	tourText  tourPanel // the tour's text, over the panels while tourOpen
	tourOpen  bool      // the tour is open (t)
	tourStep  int       // its step shown
	tourLayer string    // the layer its step selects, once the run has it

	observers []runObserver // the panels of the layout that follow the run (layout.go, observers)
}

func newModel(st styles, start starter, activation engine.Activation, lr float64) *model {
	m := &model{
		st: st, keys: newKeyMap(), start: start,
		interval: frameInterval,
		wantAct:  activation, wantLR: lr,
	}
	m.header = newHeader(st)
	m.loss = newLossChart(st)
	m.acc = newAccChart(st)
	m.layers = newLayersPanel(st)
	m.maps = newMapsPanel(st)
	m.pad = newPadPanel(st)
	m.pred = newPrediction(st)
	m.help = newHelpPanel(st, m.keys)
	m.keysHelp = newKeysPanel(st, m.keys)
	m.tourText = newTourPanel(st)
	m.lower = deck{cards: m.cards()}
	m.header.setPending(activation, lr)
	m.syncFooter()
	m.layouts = m.screens()
	m.observers = observers(m.layouts)
	return m
}

// Init starts the first run: the program's, or the tour's first step's.
func (m *model) Init() tea.Cmd {
	if m.tourOpen {
		return m.goToStep(0)
	}
	m.runID++
	return startRun(m.start, m.runID, m.request())
}

// request is the run to start: the one asked for last (the program's, or
// a tour step's), with the activation, rate and probe chosen since.
func (m *model) request() RunRequest {
	r := m.setup
	r.Activation, r.LR, r.Probe = m.wantAct, m.wantLR, m.probe
	return r
}

// Update routes a message to the key, resize or training handler; the
// footer then names the keys of the view it leaves on the screen.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.syncFooter()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.handleKeys(msg)
	case tea.MouseMsg:
		if t, ok := m.lower.current().(mouseTaker); ok && !m.keysOpen {
			return m, t.takeMouse(msg)
		}
		return m, nil
	case useProbeMsg:
		return m, m.useProbe(msg.Index)
	case useImageMsg:
		return m, m.useImage(msg.Pixels)
	case padSavedMsg:
		return m, m.pad.saved(msg)
	case explainWeightMsg:
		if !m.send(engine.ExplainWeight{Tensor: msg.Tensor, Index: msg.Index}) {
			m.maps.unanswered("no run is training: the trainer explains a weight between its batches")
		}
		return m, nil
	case tea.WindowSizeMsg:
		m.handleResize(msg.Width, msg.Height)
		return m, nil
	case runStartedMsg:
		return m, m.handleRunStarted(msg)
	case eventsMsg:
		if m.run == nil || msg.run != m.run.id {
			return m, nil // a cancelled run
		}
		return m, m.handleTrainEvents(msg.evs)
	case probedMsg:
		if m.run != nil && msg.run == m.run.id && m.wanted(msg) {
			m.apply(msg.snap)
		}
		return m, nil
	case savedMsg:
		if m.run != nil && msg.run == m.run.id {
			m.apply(msg.ev)
		}
		return m, nil
	case runClosedMsg:
		if m.run != nil && msg.run == m.run.id && !m.state.ended() {
			m.setState(stateStopped)
		}
		return m, nil
	}
	return m, nil
}

// handleRunStarted installs a new run and arms the event reader.
func (m *model) handleRunStarted(msg runStartedMsg) tea.Cmd {
	if msg.id != m.runID {
		if msg.err == nil && msg.run.stop != nil {
			msg.run.stop() // superseded by a later restart
		}
		return nil
	}
	if msg.err != nil {
		m.setState(stateFailed)
		m.header.setStatus("could not start a run: "+msg.err.Error(), true)
		return nil
	}
	h := msg.run
	m.run = &h
	act, lr := m.wantAct, m.wantLR // asked for while the run was starting
	m.resetPanels(h.info)
	switch {
	case h.dir != "":
		m.header.runDir = h.dir
	case h.id == 1:
		m.header.runDir = m.runDir
	}
	m.setState(stateTraining)
	if act != h.info.Activation && act != "" {
		m.setActivation(act)
	}
	if lr != h.info.LR && lr > 0 {
		m.setLR(lr)
	}
	if m.drawn != nil {
		m.send(engine.SetProbeImage{Pixels: m.drawn}) // the new net reads the drawing too
	}
	m.keepPace()
	return waitForEvents(h.id, h.events, 0)
}

// resetPanels clears every panel for a fresh run.
func (m *model) resetPanels(info engine.RunInfo) {
	for _, o := range m.observers {
		o.reset(info)
	}
	m.wantAct, m.wantLR, m.wantPaused = info.Activation, info.LR, false
	if m.selected >= len(info.Layers) {
		m.selected = 0
	}
	if m.tourOpen {
		m.selectNamed(m.tourLayer)
	}
	m.syncSelection()
	m.layout()
}

func (m *model) setState(s runState) {
	m.state = s
	m.header.setState(s)
}

// send passes a command to the running trainer; it reports false when no
// run takes commands.
func (m *model) send(c engine.Command) bool {
	if m.run == nil || m.state.ended() || m.state == stateStarting {
		return false
	}
	m.run.send(c)
	return true
}

// handleKeys applies a key press, or each of the keys that arrived together
// (a burst such as ++++, or a held key, can come as one message of several
// runes; a paste is not keys).
func (m *model) handleKeys(msg tea.KeyMsg) tea.Cmd {
	defer m.syncHighlight()
	m.status = ""
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return m.handleKey(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
	}
	return tea.Batch(cmds...)
}

// syncHighlight lights the inspected value's receptive field on the probe
// while the maps are shown and inspecting.
// It also lays the screen out again when the maps' place wants more or
// fewer lines than before (layout.go, deep).
func (m *model) syncHighlight() {
	lit, f, ok := m.maps.highlight()
	m.pred.setHighlight(lit, f, ok && m.lower.shown == 0)
	if m.active != nil && m.active.deep != m.deep() {
		m.layout()
	}
}

// handleKey applies one key press: ctrl+c always quits; a key that shows
// a view in the maps' place shows it; the view shown has the first pick
// of the other keys (a cursor, a pad), and the rest act on the whole
// screen.
func (m *model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		m.stopRun()
		return tea.Quit
	}
	if t, ok := m.lower.current().(typist); ok && t.typing() && !m.keysOpen {
		_, cmd := t.takeKey(msg) // every key is text, q and esc included
		return cmd
	}
	if taken, cmd := m.tourKey(msg); taken {
		return cmd
	}
	if !m.keysOpen {
		if taken, cmd := m.lowerKey(msg); taken {
			return cmd
		}
	}
	if cmd, ok := m.runKey(msg); ok {
		return cmd
	}
	m.viewKey(msg)
	return nil
}

// lowerKey gives msg to the maps' place: a card's key shows the card, and
// the view shown may take the key; taken reports whether one did.
func (m *model) lowerKey(msg tea.KeyMsg) (taken bool, cmd tea.Cmd) {
	before := m.lower.current()
	if m.lower.press(msg) {
		return true, m.mouseFor(before)
	}
	if t, ok := m.lower.current().(keyTaker); ok {
		return t.takeKey(msg)
	}
	return false, nil
}

// runKey applies the keys that steer the run or leave the screen: quit,
// back, pause, the activation, the learning rate, the probe, restart and
// save; ok reports whether msg was one of them.
func (m *model) runKey(msg tea.KeyMsg) (cmd tea.Cmd, ok bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		m.stopRun()
		return tea.Quit, true
	case key.Matches(msg, k.Back):
		return m.back(), true
	case key.Matches(msg, k.Pause):
		m.togglePause()
	case key.Matches(msg, k.Activation):
		m.setActivation(otherActivation(m.wantAct))
	case key.Matches(msg, k.CycleAct):
		m.setActivation(nextActivation(m.wantAct))
	case key.Matches(msg, k.LRUp):
		m.stepLR(2)
	case key.Matches(msg, k.LRDown):
		m.stepLR(0.5)
	case key.Matches(msg, k.NextProbe):
		return m.setProbe(+1), true
	case key.Matches(msg, k.PrevProbe):
		return m.setProbe(-1), true
	case key.Matches(msg, k.Restart):
		return m.restart(), true
	case key.Matches(msg, k.Save):
		return m.save(), true
	case key.Matches(msg, k.Tour):
		return m.openTour(), true
	case key.Matches(msg, k.Pace):
		m.setPace((m.pace + 1) % 3)
	case key.Matches(msg, k.StepBatch):
		m.stepBatch()
	default:
		return nil, false
	}
	return nil, true
}

// viewKey applies the keys that change what the screen shows: the key
// help, the layer, kernels, the maps' scale, inspect and the loss scale.
func (m *model) viewKey(msg tea.KeyMsg) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.keysOpen = !m.keysOpen
		m.layout()
	case key.Matches(msg, k.Prev):
		m.selectLayer(-1)
	case key.Matches(msg, k.Next):
		m.selectLayer(+1)
	case key.Matches(msg, k.Kernels):
		m.kernels = !m.kernels
		m.syncSelection()
	case key.Matches(msg, k.Scale):
		m.maps.cycleScale()
	case key.Matches(msg, k.Inspect):
		m.lower.show(0)
		if !m.maps.inspect() {
			m.header.setStatus("inspect (i) takes apart a value a layer computes; a pad only copies: pick another with ←/→", false)
		}
	case key.Matches(msg, k.LogScale):
		m.loss.toggleLog()
	}
}

// back (esc) closes the key help, or else brings the feature maps back to
// the maps' place, from any view there, the kernels included.
func (m *model) back() tea.Cmd {
	if m.keysOpen {
		m.keysOpen = false
		m.layout()
		return nil
	}
	if m.lower.shown == 0 && m.kernels {
		m.kernels = false
		m.syncSelection()
		return nil
	}
	before := m.lower.current()
	m.lower.show(0)
	return m.mouseFor(before)
}

// togglePause asks for the opposite of what was last asked for, not of the
// state shown: a second space before the trainer confirms the first must
// undo it.
func (m *model) togglePause() {
	if m.state != stateTraining && m.state != statePaused {
		return
	}
	m.wantPaused = !m.wantPaused
	m.header.setPendingPause(m.wantPaused)
	if m.wantPaused {
		m.send(engine.Pause{})
	} else {
		m.send(engine.Resume{})
	}
}

// otherActivation is the `a` switch: sigmoid for relu, relu for any other.
func otherActivation(a engine.Activation) engine.Activation {
	if a == engine.ReLU {
		return engine.Sigmoid
	}
	return engine.ReLU
}

// nextActivation is the `A` cycle: sigmoid → relu → tanh → scaled-tanh.
func nextActivation(a engine.Activation) engine.Activation {
	activations := engine.Activations()
	for i, name := range activations {
		if name == a {
			return activations[(i+1)%len(activations)]
		}
	}
	return activations[0]
}

func (m *model) setActivation(name engine.Activation) {
	m.wantAct = name
	m.header.setPending(m.wantAct, m.wantLR)
	if !m.send(engine.SetActivation{Name: name}) {
		m.header.setStatus(fmt.Sprintf("activation %s applies when you restart (r)", name), false)
	}
}

// The learning rates + and - stop at: well inside float32's normal range,
// where the trainer's rate is neither 0 nor an overflow.
const (
	minKeyLR = 1e-8
	maxKeyLR = 10
)

// stepLR multiplies the rate asked for by f (+ doubles it, - halves it),
// stopping at minKeyLR and maxKeyLR, which the footer then says.
func (m *model) stepLR(f float64) {
	to := m.wantLR * f
	switch {
	case f > 1 && to > maxKeyLR:
		m.status = fmt.Sprintf("lr stops at %g: + goes no higher", float64(maxKeyLR))
		if m.wantLR >= maxKeyLR {
			return
		}
		to = maxKeyLR
	case f < 1 && to < minKeyLR:
		m.status = fmt.Sprintf("lr stops at %g: - goes no lower", minKeyLR)
		if m.wantLR <= minKeyLR {
			return
		}
		to = minKeyLR
	}
	m.setLR(to)
}

func (m *model) setLR(lr float64) {
	m.wantLR = lr
	m.header.setPending(m.wantAct, m.wantLR)
	if !m.send(engine.SetLR{LR: lr}) {
		m.header.setStatus(fmt.Sprintf("learning rate %g applies when you restart (r)", lr), false)
	}
}

// selectLayer steps d layers and stops at the first and the last, which
// the footer then says.
func (m *model) selectLayer(d int) {
	n := len(m.layers.infos)
	if n == 0 {
		return
	}
	to := m.selected + d
	switch {
	case to < 0:
		m.status = m.layers.infos[0].Name + " is the first layer"
	case to >= n:
		m.status = m.layers.infos[n-1].Name + " is the last layer"
	}
	m.selected = clamp(to, 0, n-1)
	m.syncSelection()
}

// syncFooter gives the footer the keys of the view shown (keyMap.footer).
func (m *model) syncFooter() {
	s := footerState{
		keysOpen: m.keysOpen,
		run:      m.state == stateTraining || m.state == statePaused,
		paused:   m.wantPaused,
		ended:    m.state.ended(),
		tour:     m.tourOpen,
	}
	if m.lower.shown > 0 {
		s.away, s.card = true, m.lower.cards[m.lower.shown].key
	} else {
		s.away, s.inspect = m.kernels, m.maps.insp.on
	}
	if h, ok := m.lower.current().(hinter); ok {
		s.own = h.hints(m.keys)
	}
	if t, ok := m.lower.current().(typist); ok && t.typing() {
		m.help.setHints(s.own, m.status) // only the keys of the text asked for
		return
	}
	m.help.setHints(m.keys.footer(s), m.status)
}

// syncSelection tells the panels that depend on the selected layer.
func (m *model) syncSelection() {
	m.layers.setSelected(m.selected)
	name := ""
	if m.selected < len(m.layers.infos) {
		name = m.layers.infos[m.selected].Name
	}
	m.maps.show(name, m.kernels)
}

// setProbe moves the probe digit by d.
func (m *model) setProbe(d int) tea.Cmd {
	return m.useProbe(m.probe + d)
}

// useProbe makes test image i (modulo the test set) the probe digit: the
// trainer takes a snapshot between batches (also while paused); after the
// run has ended, a forward pass of its net does.
func (m *model) useProbe(i int) tea.Cmd {
	n := 0
	if m.run != nil {
		n = m.run.info.TestCount
	}
	if n <= 0 {
		return nil
	}
	m.probe = (i%n + n) % n
	m.drawn = nil
	if m.send(engine.SetProbe{Index: m.probe}) || m.run.probe == nil || m.run.done == nil {
		return nil
	}
	return probeAfter(*m.run, m.probe)
}

// useImage makes a picture of one's own (the drawing pad's, prepared as
// MNIST) the probe, or with nil the test digit again; as useProbe, through
// the trainer or, after the run has ended, a forward pass of its net.
func (m *model) useImage(pixels []uint8) tea.Cmd {
	if pixels == nil {
		return m.useProbe(m.probe)
	}
	m.drawn = pixels
	if m.send(engine.SetProbeImage{Pixels: pixels}) || m.run == nil || m.run.probeImage == nil || m.run.done == nil {
		return nil
	}
	return probeImageAfter(*m.run, pixels)
}

// wanted reports whether a snapshot taken on request of a finished run's
// net is of the probe wanted now: such requests run at once (a stroke on
// the drawing pad makes several) and may answer out of order.
func (m *model) wanted(msg probedMsg) bool {
	if msg.snap.Own {
		return m.drawn != nil && slices.Equal(msg.image, m.drawn)
	}
	return m.drawn == nil && msg.snap.Probe == m.probe
}

// mouseFor turns the terminal's mouse reporting on when the view now shown
// in the maps' place takes the mouse (the drawing pad) and off when it no
// longer does, so that everywhere else the terminal's own text selection
// works; before is the view shown until now.
func (m *model) mouseFor(before panel) tea.Cmd {
	_, was := before.(mouseTaker)
	_, is := m.lower.current().(mouseTaker)
	switch {
	case is && !was:
		return tea.EnableMouseCellMotion
	case was && !is:
		return tea.DisableMouse
	}
	return nil
}

// restart stops the current run and asks for a fresh one with the wanted
// activation and learning rate.
func (m *model) restart() tea.Cmd {
	m.stopRun()
	m.runID++
	m.setState(stateStarting)
	m.header.setStatus(fmt.Sprintf("restarting with fresh weights: %s, lr %g", m.wantAct, m.wantLR), false)
	return startRun(m.start, m.runID, m.request())
}

// stopRun cancels the current run; its remaining events are drained and
// ignored.
func (m *model) stopRun() {
	if m.run != nil {
		m.run.stop()
		m.run = nil
	}
}

// checkpointPath is where s writes the current run's checkpoint: the
// file asked for (--save), else the current run's folder (a restart's
// own, not the first run's), else the fallback; "" for nowhere.
func (m *model) checkpointPath() string {
	switch {
	case m.savePath != "":
		return m.savePath
	case m.run != nil && m.run.dir != "":
		return filepath.Join(m.run.dir, CheckpointFile)
	case m.run != nil && m.run.id == 1 && m.runDir != "":
		return filepath.Join(m.runDir, CheckpointFile)
	}
	return m.saveElse
}

// save asks the trainer for a checkpoint, or writes a finished run's; a
// Saved event says how it went.
func (m *model) save() tea.Cmd {
	path := m.checkpointPath()
	switch {
	case path == "":
		m.header.setCheckpointStatus("no checkpoint file to write to", true)
	case m.send(engine.Save{Path: path}):
		m.header.setCheckpointStatus("saving a checkpoint to "+path+"…", false)
	case m.state == stateFailed:
		m.header.setCheckpointStatus("not saved: the run failed, its weights are not numbers", true)
	case m.run != nil && m.run.save != nil && m.run.done != nil && m.state.ended():
		ev := engine.Saved{Path: path, TestAcc: math.NaN()}
		if d := m.header.done; d != nil {
			ev.Step, ev.TestAcc, ev.TestLoss = d.Step, d.TestAcc, d.TestLoss
		}
		m.header.setCheckpointStatus("saving a checkpoint to "+path+"…", false)
		return saveAfter(*m.run, ev)
	default:
		m.header.setCheckpointStatus("nothing to save yet", true)
	}
	return nil
}

// handleResize records the terminal size and lays the panels out again.
func (m *model) handleResize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// handleTrainEvents applies the events of one frame, oldest first, and
// re-arms the reader for the next frame.
func (m *model) handleTrainEvents(evs []engine.Event) tea.Cmd {
	before := lipgloss.Height(m.header.view())
	for _, ev := range evs {
		m.apply(ev)
	}
	if lipgloss.Height(m.header.view()) != before {
		m.layout() // a failure's explanation takes more lines
	}
	now := time.Now()
	m.paceCharts(now, m.state != stateTraining)
	if m.state.ended() {
		// Done and Failed are last, but read on until the channel closes.
		return waitForEvents(m.run.id, m.run.events, 0)
	}
	// The reader sleeps a whole interval before it looks again, so frames
	// are an interval apart. (The interval once counted from the frame
	// before: every other frame then followed at once, twice the frames
	// and the drawing for the same picture.)
	return waitForEvents(m.run.id, m.run.events, m.interval)
}

// apply updates the model and every panel with one trainer event.
func (m *model) apply(ev engine.Event) {
	switch e := ev.(type) {
	case engine.StateChanged:
		m.wantPaused = e.Paused
		m.header.setPendingPause(e.Paused)
		if !m.state.ended() && e.Paused {
			m.setState(statePaused)
		} else if !m.state.ended() {
			m.setState(stateTraining)
		}
	case engine.ActivationChanged:
		m.wantAct = e.Activation
	case engine.LRChanged:
		m.wantLR = e.LR
	case engine.Snapshot:
		if !e.Own {
			m.probe = e.Probe
		}
	case engine.Done:
		m.setState(stateFinished)
	case engine.Failed:
		m.setState(stateFailed)
	}
	for _, o := range m.observers {
		o.update(ev)
	}
	if m.maps.staleWeight() {
		// The weight under the value, at the new step: asked here, in Update.
		if m.maps.askWeight(); m.maps.wask.pending && !m.send(engine.ExplainWeight{Tensor: m.maps.wask.tensor, Index: slices.Clone(m.maps.wask.index)}) {
			m.maps.unanswered("no run is training: the trainer explains a weight between its batches")
		}
	}
}

// View composes the panels as the layout table places them, or says the
// terminal is too small.
func (m *model) View() string {
	if m.width == 0 {
		return ""
	}
	if m.active == nil {
		least := m.layouts[len(m.layouts)-1]
		msg := m.st.TooSmall.Render(fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", least.minW, least.minH, m.width, m.height))
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg)
	}
	return compose(m.active.root)
}
