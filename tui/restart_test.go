package tui

import (
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// restartDriver drives the model the way Bubble Tea does (every command in
// its own goroutine, every message through Update on one goroutine), with
// real trainers started through the tracker as Run starts them.
type restartDriver struct {
	t    *testing.T
	runs *runTracker
	m    *model
	msgs chan tea.Msg
}

func newRestartDriver(t *testing.T) *restartDriver {
	runs := &runTracker{start: engineStarter(newEngineRun(t))}
	d := &restartDriver{t: t, runs: runs, msgs: make(chan tea.Msg, 64)}
	d.m = newModel(asciiStyles(), runs.startTracked, "relu", 0.05)
	d.exec(d.m.Init())
	d.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d
}

// exec runs cmd in a goroutine and queues its message; a batch's commands
// each run so.
func (d *restartDriver) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				d.exec(c)
			}
			return
		}
		d.msgs <- msg
	}()
}

// until feeds messages to the model until ok holds; ok is also checked
// every few milliseconds, for what changes off the Update goroutine (the
// tracker). The timeout only detects a hang.
func (d *restartDriver) until(what string, ok func() bool) {
	d.t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	hang := time.After(time.Minute)
	for !ok() {
		select {
		case <-hang:
			d.t.Fatalf("waited a minute for %s; state %v, run %d asked, %d runs tracked", what, d.m.state, d.m.runID, d.tracked())
		case msg := <-d.msgs:
			_, cmd := d.m.Update(msg)
			d.exec(cmd)
		case <-tick.C:
		}
	}
}

// tracked is the number of runs the tracker holds.
func (d *restartDriver) tracked() int {
	d.runs.mu.Lock()
	defer d.runs.mu.Unlock()
	return len(d.runs.runs)
}

// restarts presses r n times, each once the run asked for last has started.
func (d *restartDriver) restarts(n int) {
	for range n {
		d.until("the run asked for to start", d.started)
		_, cmd := d.m.Update(keyMsg("r"))
		d.exec(cmd)
	}
}

func (d *restartDriver) started() bool {
	return d.m.run != nil && d.m.run.id == d.m.runID
}

// settle waits until the newest run has started and returned and the
// tracker holds it alone, then reports the live heap after a collection.
func (d *restartDriver) settle() uint64 {
	d.t.Helper()
	d.until("the last run to finish and the runs before it to be forgotten", func() bool {
		return d.started() && closed(d.m.run.done) && d.tracked() <= 1
	})
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestRestartsForgetTheirRuns restarts real runs many times (r) through the
// real starter and tracker: a run stopped and drained must be forgotten,
// so that the tracker holds the current run alone and the live heap does
// not grow with the number of restarts (each run's trainer is megabytes).
func TestRestartsForgetTheirRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains real nets")
	}
	d := newRestartDriver(t)
	defer d.runs.stopAll()
	d.restarts(10)
	after10 := d.settle()
	d.restarts(30)
	after40 := d.settle()
	if n := d.tracked(); n != 1 {
		t.Errorf("after 40 restarts the tracker holds %d runs, want 1 (the current)", n)
	}
	// A run here holds about 1.9 MB (its nets, batches and buffers): 30
	// runs kept grow the heap by some 55 MB.
	const margin = 8 << 20
	if after40 > after10+margin {
		t.Errorf("live heap after 10 restarts %.1f MB, after 40 %.1f MB: grew %.1f MB, want under %d MB",
			mb(after10), mb(after40), mb(after40)-mb(after10), margin>>20)
	}
	t.Logf("live heap (HeapInuse) after 10 restarts %.1f MB, after 40 %.1f MB", mb(after10), mb(after40))
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// TestRunStartedAfterQuitIsStopped starts a run after stopAll (its start
// raced with the quit key): the tracker stops it at once, so that it
// neither trains unseen nor blocks forever on events nobody reads.
func TestRunStartedAfterQuitIsStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a real net")
	}
	runs := &runTracker{start: engineStarter(newEngineRun(t))}
	runs.stopAll()
	h, err := runs.startTracked(1, RunRequest{Activation: "relu", LR: 0.05})
	if err != nil {
		t.Fatalf("startTracked after stopAll: %v", err)
	}
	select {
	case <-h.drained: // stopped: cancelled, its events read to their close
		<-h.done
	case <-time.After(time.Minute):
		t.Fatal("a run started after stopAll was not stopped: a minute later nothing had drained its events")
	}
	if n := len(runs.runs); n != 0 {
		t.Errorf("after stopAll the tracker holds %d runs, want 0", n)
	}
}
