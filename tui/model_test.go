package tui

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// TestKeys checks the command each key sends to the trainer and the state
// it leaves the model in.
func TestKeys(t *testing.T) {
	tests := []struct {
		name  string
		setup []engine.Event // events before the keys
		keys  []string
		sent  []engine.Command
		check func(t *testing.T, m *model)
	}{
		{name: "space pauses", keys: []string{"space"}, sent: []engine.Command{engine.Pause{}}},
		{name: "space space before the trainer answers undoes the pause", keys: []string{"space", "space"},
			sent: []engine.Command{engine.Pause{}, engine.Resume{}}},
		{name: "space resumes when paused", setup: []engine.Event{engine.StateChanged{Step: 3, Paused: true}},
			keys: []string{"space"}, sent: []engine.Command{engine.Resume{}}},
		{name: "a toggles sigmoid to relu", keys: []string{"a"}, sent: []engine.Command{engine.SetActivation{Name: "relu"}},
			check: func(t *testing.T, m *model) { wantEq(t, "wantAct", m.wantAct, "relu") }},
		{name: "a a returns to sigmoid", keys: []string{"a", "a"},
			sent: []engine.Command{engine.SetActivation{Name: "relu"}, engine.SetActivation{Name: "sigmoid"}}},
		{name: "a from tanh goes to relu", setup: []engine.Event{engine.ActivationChanged{Step: 1, Activation: "tanh"}},
			keys: []string{"a"}, sent: []engine.Command{engine.SetActivation{Name: "relu"}}},
		{name: "A cycles all four", keys: []string{"A", "A", "A", "A"}, sent: []engine.Command{
			engine.SetActivation{Name: "relu"}, engine.SetActivation{Name: "tanh"},
			engine.SetActivation{Name: "scaled-tanh"}, engine.SetActivation{Name: "sigmoid"}}},
		{name: "+ doubles lr", keys: []string{"+"}, sent: []engine.Command{engine.SetLR{LR: 2 * fixtureLR}}},
		{name: "= doubles lr too", keys: []string{"="}, sent: []engine.Command{engine.SetLR{LR: 2 * fixtureLR}}},
		{name: "- halves lr", keys: []string{"-", "-"}, sent: []engine.Command{engine.SetLR{LR: fixtureLR / 2}, engine.SetLR{LR: fixtureLR / 4}}},
		{name: "right and l step forward", keys: []string{"right", "l"},
			check: func(t *testing.T, m *model) { wantEq(t, "selected", m.selected, 2) }},
		{name: "left on C1 stays and says so", keys: []string{"left"},
			check: func(t *testing.T, m *model) {
				wantEq(t, "selected", m.selected, 0)
				wantEq(t, "maps.name", m.maps.name, "C1")
				wantEq(t, "status", m.status, "C1 is the first layer")
			}},
		{name: "right past OUTPUT stays and says so", keys: []string{"l", "l", "l", "l", "l", "l", "l"},
			check: func(t *testing.T, m *model) {
				wantEq(t, "selected", m.selected, 6)
				wantEq(t, "maps.name", m.maps.name, "OUTPUT")
				wantEq(t, "status", m.status, "OUTPUT is the last layer")
			}},
		{name: "the note passes with the next key", keys: []string{"h", "l"},
			check: func(t *testing.T, m *model) {
				wantEq(t, "selected", m.selected, 1)
				wantEq(t, "status", m.status, "")
			}},
		{name: "esc leaves the kernels", keys: []string{"l", "l", "k", "esc"},
			check: func(t *testing.T, m *model) {
				wantEq(t, "kernels", m.kernels, false)
				wantEq(t, "maps.kernels", m.maps.kernels, false)
				wantEq(t, "selected", m.selected, 2)
			}},
		{name: "k toggles kernels", keys: []string{"k"},
			check: func(t *testing.T, m *model) { wantEq(t, "kernels", m.kernels, true) }},
		{name: "k k toggles back", keys: []string{"k", "k"},
			check: func(t *testing.T, m *model) { wantEq(t, "kernels", m.kernels, false) }},
		{name: "n next probe", setup: []engine.Event{realSnapshot(1)}, keys: []string{"n"},
			sent: []engine.Command{engine.SetProbe{Index: fixtureProbe + 1}}},
		{name: "p previous probe wraps", keys: []string{"p"}, sent: []engine.Command{engine.SetProbe{Index: fixtureTest - 1}}},
		{name: "? opens the keys in the body", keys: []string{"?"},
			check: func(t *testing.T, m *model) {
				wantEq(t, "keysOpen", m.keysOpen, true)
				wantEq(t, "layout", m.active.name, "wide, keys")
			}},
		{name: "? ? closes them", keys: []string{"?", "?"},
			check: func(t *testing.T, m *model) { wantEq(t, "layout", m.active.name, "wide") }},
		{name: "keys after failure only change the next run", setup: []engine.Event{realFailure()},
			keys: []string{"a", "-", "space"}, check: func(t *testing.T, m *model) {
				wantEq(t, "wantAct", m.wantAct, "relu")
				wantEq(t, "wantLR", m.wantLR, fixtureLR/2)
				if !strings.Contains(m.header.status, "restart") {
					t.Errorf("header.status = %q, want a hint to restart", m.header.status)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, env, _ := newTestModel(t, asciiStyles(), 140, 45)
			feed(m, tt.setup...)
			press(m, tt.keys...)
			if !reflect.DeepEqual(env.sent, tt.sent) {
				t.Errorf("after %v: sent %#v, want %#v", tt.keys, env.sent, tt.sent)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m, env, _ := newTestModel(t, asciiStyles(), 140, 45)
		cmds := press(m, k)
		if cmds[0] == nil {
			t.Fatalf("%s: no command, want tea.Quit", k)
		}
		if _, ok := cmds[0]().(tea.QuitMsg); !ok {
			t.Errorf("%s: command gives %T, want tea.QuitMsg", k, cmds[0]())
		}
		if !reflect.DeepEqual(env.stopped, []int{1}) {
			t.Errorf("%s: stopped runs %v, want [1]", k, env.stopped)
		}
	}
}

// TestRestart checks that r stops the run, starts a fresh one with the
// wanted activation and lr, clears the charts and ignores the old run.
func TestRestart(t *testing.T) {
	m, env := trainedModel(t, asciiStyles(), 140, 45)
	old := m.run.id
	press(m, "a", "-")
	cmds := press(m, "r")
	if m.state != stateStarting {
		t.Errorf("state after r = %v, want starting", m.state)
	}
	if !reflect.DeepEqual(env.stopped, []int{old}) {
		t.Errorf("stopped = %v, want [%d]", env.stopped, old)
	}
	msg := cmds[0]()
	// An event of the old run arriving now is ignored.
	m.Update(eventsMsg{run: old, evs: []engine.Event{realFailure()}})
	if m.state != stateStarting {
		t.Errorf("state after a stale event = %v, want starting", m.state)
	}
	m.Update(msg)
	if m.run == nil || m.run.id == old {
		t.Fatalf("run after restart = %+v, want a new one", m.run)
	}
	wantEq(t, "activation of the new run", env.acts[1], "sigmoid")
	wantEq(t, "lr of the new run", env.lrs[1], fixtureLR/4)
	wantEq(t, "state", m.state, stateTraining)
	wantEq(t, "loss points", len(m.loss.batch), 0)
	wantEq(t, "acc points", len(m.acc.test), 0)
	m.Update(runClosedMsg{run: old})
	wantEq(t, "state after old run closed", m.state, stateTraining)
}

func TestRestartError(t *testing.T) {
	m, env, _ := newTestModel(t, asciiStyles(), 140, 45)
	env.err = errors.New("engine: unknown activation \"swish\"")
	cmds := press(m, "r")
	m.Update(cmds[0]())
	wantEq(t, "state", m.state, stateFailed)
	if v := ansi.Strip(m.View()); !strings.Contains(v, `could not start a run: engine: unknown activation "swish"`) {
		t.Errorf("View() does not show the NewRun error:\n%s", v)
	}
}

func TestResize(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 140, 45)
	for _, sz := range [][2]int{{80, 24}, {60, 20}, {200, 60}, {120, 40}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		wantEq(t, "width", m.width, sz[0])
		wantEq(t, "height", m.height, sz[1])
		if n := len(strings.Split(m.View(), "\n")); n != sz[1] {
			t.Errorf("View() at %v has %d lines", sz, n)
		}
	}
	wantEq(t, "layout at 120×40", m.active.name, "wide")
	m.Update(tea.WindowSizeMsg{Width: 119, Height: 40})
	wantEq(t, "layout at 119×40", m.active.name, "compact")
}

// TestEvents checks how each event changes the model and that the reader
// is re-armed after each.
func TestEvents(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	cmd := feed(m, progress(1, 10, 1))
	if cmd == nil {
		t.Fatal("Progress: reader not re-armed")
	}
	wantEq(t, "loss points after 10 batches", len(m.loss.batch), 10)
	wantEq(t, "first EMA point", m.loss.batch[0].Y, fakeLoss(1))
	feed(m, progress(1, 12, 11))
	wantEq(t, "loss points after coalesced progress", len(m.loss.batch), 12)

	feed(m, engine.ActivationChanged{Step: 12, Activation: "relu"})
	wantEq(t, "header activation", m.header.activation, "relu")
	wantEq(t, "loss markers", len(m.loss.markers), 1)
	wantEq(t, "acc markers", len(m.acc.markers), 1)
	wantEq(t, "layers act", m.layers.act, "relu")

	feed(m, engine.LRChanged{Step: 12, LR: 0.3})
	wantEq(t, "header lr", m.header.lr, 0.3)
	wantEq(t, "loss markers", len(m.loss.markers), 2)

	feed(m, engine.StateChanged{Step: 12, Paused: true})
	wantEq(t, "state", m.state, statePaused)
	feed(m, engine.StateChanged{Step: 12, Paused: false})
	wantEq(t, "state", m.state, stateTraining)

	feed(m, engine.EpochEnd{Epoch: 1, Epochs: fixtureEpochs, Step: fixtureBatches, TestLoss: 0.3, TestAcc: 0.91, TrainAcc: 0.88})
	wantEq(t, "test loss points", len(m.loss.test), 1)
	wantEq(t, "test acc points", len(m.acc.test), 1)

	feed(m, realSnapshot(fixtureBatches))
	wantEq(t, "probe", m.probe, fixtureProbe)
	if m.maps.snap == nil || m.pred.snap == nil {
		t.Error("Snapshot not given to maps and prediction")
	}

	feed(m, realFailure())
	wantEq(t, "state", m.state, stateFailed)
	v := ansi.Strip(m.View())
	for _, want := range []string{"✘ failed", "Training failed: the loss became NaN", "Loss", "Accuracy"} {
		if !strings.Contains(v, want) {
			t.Errorf("View() after Failed lacks %q", want)
		}
	}
	m.Update(runClosedMsg{run: m.run.id})
	wantEq(t, "state after close", m.state, stateFailed)
}

func TestDone(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 140, 45)
	if cmd := finish(m); cmd == nil {
		t.Error("Done: reader not re-armed to see the channel close")
	}
	wantEq(t, "state", m.state, stateFinished)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Final test accuracy 98.91%") {
		t.Errorf("View() after Done lacks the final accuracy:\n%s", v)
	}
	m.Update(runClosedMsg{run: m.run.id})
	wantEq(t, "state after close", m.state, stateFinished)
}

func TestChannelClosedWithoutDone(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	m.Update(runClosedMsg{run: m.run.id})
	wantEq(t, "state", m.state, stateStopped)
}

// TestWaitForEvents takes every pending event in one read, and then
// reports the close of the channel.
func TestWaitForEvents(t *testing.T) {
	ch := make(chan engine.Event, 3)
	ch <- engine.LRChanged{Step: 1, LR: 0.5}
	ch <- engine.LRChanged{Step: 2, LR: 0.25}
	close(ch)
	want := eventsMsg{run: 7, evs: []engine.Event{engine.LRChanged{Step: 1, LR: 0.5}, engine.LRChanged{Step: 2, LR: 0.25}}}
	if got := waitForEvents(7, ch, 0)(); !reflect.DeepEqual(got, want) {
		t.Errorf("waitForEvents() = %#v, want %#v", got, want)
	}
	if got, want := waitForEvents(7, ch, 0)(), (runClosedMsg{run: 7}); got != want {
		t.Errorf("waitForEvents() after close = %#v, want %#v", got, want)
	}
}

// TestOneFrameBehind feeds the model 5,000 events faster than it draws: after
// one frame it shows the latest batch, with every batch's loss kept.
func TestOneFrameBehind(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 120, 40)
	info := m.run.info
	info.Epochs = 5000 / fixtureBatches
	m.resetPanels(info)
	ch := make(chan engine.Event, 5000)
	for step := 1; step <= 5000; step++ {
		ep, b := (step-1)/fixtureBatches+1, (step-1)%fixtureBatches+1
		ch <- progress(ep, b, step)
	}
	m.run.events = ch
	m.Update(waitForEvents(m.run.id, ch, 0)())
	if got := m.header.prog.Step; got != 5000 {
		t.Errorf("after one frame the header shows step %d, want 5000", got)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "epoch 25/25") || !strings.Contains(v, "batch 200/200") {
		t.Errorf("View() after one frame lacks epoch 25/25, batch 200/200 (step 5000):\n%s", v)
	}
	if got := len(m.loss.batch); got != 5000 {
		t.Errorf("loss chart holds %d batch losses, want all 5000", got)
	}
}

// TestKeyBurst: keys that arrive together each count.
func TestKeyBurst(t *testing.T) {
	m, env, _ := newTestModel(t, asciiStyles(), 120, 40)
	lr := m.wantLR
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("++++")})
	if m.wantLR != 16*lr {
		t.Errorf("after ++++ from lr %g the rate asked for is %g, want ×16", lr, m.wantLR)
	}
	var lrs []float64
	for _, c := range env.sent {
		if c, ok := c.(engine.SetLR); ok {
			lrs = append(lrs, c.LR)
		}
	}
	if !slices.Equal(lrs, []float64{2 * lr, 4 * lr, 8 * lr, 16 * lr}) {
		t.Errorf("SetLR sent %v, want ×2, ×4, ×8, ×16 of %g", lrs, lr)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ll")})
	wantEq(t, "selected layer after ll", m.selected, 2)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("+-"), Paste: true})
	wantEq(t, "rate after a paste of +-", m.wantLR, 16*lr)
}

// TestLRBounds: + and - stop at maxKeyLR and minKeyLR, however often they
// are pressed, and the footer says so; the rate sent stays finite and a
// float32 the trainer can use.
func TestLRBounds(t *testing.T) {
	for _, tt := range []struct {
		key, status string
		bound       float64
	}{{"+", "lr stops at 10: + goes no higher", maxKeyLR}, {"-", "lr stops at 1e-08: - goes no lower", minKeyLR}} {
		m, env, _ := newTestModel(t, asciiStyles(), 140, 45)
		keys := make([]string, 200)
		for i := range keys {
			keys[i] = tt.key
		}
		press(m, keys...)
		wantEq(t, tt.key+"×200: wantLR", m.wantLR, tt.bound)
		wantEq(t, tt.key+"×200: status", m.status, tt.status)
		var last float64
		for _, c := range env.sent {
			if c, ok := c.(engine.SetLR); ok {
				last = c.LR
				if c.LR > maxKeyLR || c.LR < minKeyLR || math.IsInf(c.LR, 0) || math.IsNaN(c.LR) {
					t.Errorf("%s×200: sent SetLR{%g}, want within [%g, %g]", tt.key, c.LR, minKeyLR, float64(maxKeyLR))
				}
			}
		}
		wantEq(t, tt.key+"×200: last rate sent", last, tt.bound)
		if !strings.Contains(m.View(), tt.status) {
			t.Errorf("%s×200: the screen does not say %q", tt.key, tt.status)
		}
		press(m, map[string]string{"+": "-", "-": "+"}[tt.key])
		wantEq(t, "the other key then: wantLR", m.wantLR, map[string]float64{"+": maxKeyLR / 2, "-": 2 * minKeyLR}[tt.key])
		wantEq(t, "the other key then: status", m.status, "")
	}
}

// TestPausePending: the badge changes on the key, before the trainer
// confirms, and settles when it does.
func TestPausePending(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 120, 40)
	feed(m, progress(1, 10, 1))
	m.Update(keyMsg("space"))
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "❚❚ pausing…") {
		t.Errorf("header after space lacks ❚❚ pausing…:\n%s", v)
	}
	feed(m, engine.StateChanged{Step: 10, Paused: true})
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "❚❚ paused") || strings.Contains(v, "pausing") {
		t.Errorf("header after the trainer paused lacks ❚❚ paused:\n%s", v)
	}
	if v := ansi.Strip(m.header.view()); strings.Contains(v, "img/s") || strings.Contains(v, "ETA") {
		t.Errorf("a paused run shows a rate or an ETA:\n%s", v)
	}
	m.Update(keyMsg("space"))
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "resuming…") {
		t.Errorf("header after a second space lacks resuming…:\n%s", v)
	}
}

// TestProbeAfterFinish: n keeps working once the run has ended (a forward
// pass of the finished net), and r keeps the chosen digit.
func TestProbeAfterFinish(t *testing.T) {
	m, env, _ := newTestModel(t, asciiStyles(), 120, 40)
	done := make(chan struct{})
	close(done)
	tr := realTrainer("lenet5", nil)
	m.run.done, m.run.probe = done, tr.Probe
	feed(m, engine.Done{Epochs: 1, Step: 10, TestAcc: 0.5})
	cmd := m.setProbe(+1)
	if cmd == nil {
		t.Fatal("n after the run finished: no probe command")
	}
	m.Update(cmd())
	if m.pred.snap == nil || m.pred.snap.Probe != 1 {
		t.Fatalf("probe panel after n shows %+v, want test image 1", m.pred.snap)
	}
	_, restart := m.Update(keyMsg("r"))
	m.Update(restart())
	if got := env.probes[len(env.probes)-1]; got != 1 {
		t.Errorf("restart asked for probe %d, want 1 (kept)", got)
	}
}

// TestFrameThrottle checks that the reader waits out the frame interval
// after a quick second frame.
func TestFrameThrottle(t *testing.T) {
	m, env, _ := newTestModel(t, asciiStyles(), 140, 45)
	m.interval = frameInterval
	ch := env.runs[0]
	feed(m, progress(1, 1, 1))
	cmd := feed(m, progress(1, 2, 2)) // immediately after: must wait
	ch <- engine.LRChanged{Step: 2, LR: 1}
	start := timeNow()
	cmd()
	if el := timeNow().Sub(start); el < frameInterval/2 {
		t.Errorf("reader after a quick second frame returned in %v, want about %v", el, frameInterval)
	}
}

// TestSaveKey: s asks a running trainer for a checkpoint; the Saved event
// shows in the header; after the run it saves the finished net itself.
func TestSaveKey(t *testing.T) {
	m, env, _ := newTestModel(t, asciiStyles(), 120, 40)
	m.savePath = "net.safetensors"
	feed(m, progress(1, 10, 1))
	m.Update(keyMsg("s"))
	if n := len(env.sent); n == 0 || env.sent[n-1] != (engine.Save{Path: "net.safetensors"}) {
		t.Fatalf("commands after s = %v, want Save{net.safetensors} last", env.sent)
	}
	feed(m, engine.Saved{Step: 10, Path: "net.safetensors", TestAcc: 0.9})
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "checkpoint → net.safetensors (step 10, test acc 90.00%)") {
		t.Errorf("header after Saved lacks the checkpoint line:\n%s", v)
	}
	feed(m, engine.Saved{Step: 11, Path: "net.safetensors", Err: "net.safetensors: disk full"})
	if v := ansi.Strip(m.header.view()); !strings.Contains(v, "checkpoint not saved: net.safetensors: disk full") {
		t.Errorf("header after a failed save lacks why:\n%s", v)
	}

	done := make(chan struct{})
	close(done)
	var wrote string
	m.run.done, m.run.save = done, func(p string) error { wrote = p; return nil }
	feed(m, engine.Done{Epochs: 1, Step: 20, TestAcc: 0.95})
	_, save := m.Update(keyMsg("s"))
	if save == nil {
		t.Fatal("s after the run finished: no save command")
	}
	m.Update(save())
	if v := ansi.Strip(m.header.view()); wrote != "net.safetensors" || !strings.Contains(v, "checkpoint → net.safetensors (step 20, test acc 95.00%)") {
		t.Errorf("after s on a finished run: wrote %q, header:\n%s", wrote, v)
	}
}

// TestKeysWhileStarting: a key pressed before the run has started is not
// lost: the run, once started, is asked for it.
func TestKeysWhileStarting(t *testing.T) {
	env := &fakeEnv{}
	m := newModel(asciiStyles(), env.start, "relu", fixtureLR)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	start := m.Init()
	m.Update(keyMsg("+"))
	m.Update(keyMsg("a"))
	m.Update(start())
	wantEq(t, "wantLR", m.wantLR, 2*fixtureLR)
	wantEq(t, "wantAct", m.wantAct, engine.Sigmoid)
	var got []engine.Command
	got = append(got, env.sent...)
	if !reflect.DeepEqual(got, []engine.Command{engine.SetActivation{Name: engine.Sigmoid}, engine.SetLR{LR: 2 * fixtureLR}}) {
		t.Errorf("sent %v, want the activation and the rate asked for while starting", got)
	}
}

// TestWentNaN: a run that goes on through NaN (on_nan continue) says so in
// the header and keeps training.
func TestWentNaN(t *testing.T) {
	m, _, _ := newTestModel(t, asciiStyles(), 140, 45)
	feed(m, progress(1, 10, 1))
	feed(m, engine.WentNaN{Failed: realFailure()})
	wantEq(t, "state", m.state, stateTraining)
	v := ansi.Strip(m.View())
	for _, want := range []string{"Training goes on with NaN weights (on_nan continue)", "the loss became NaN"} {
		if !strings.Contains(v, want) {
			t.Errorf("View() after WentNaN lacks %q:\n%s", want, v)
		}
	}
}
