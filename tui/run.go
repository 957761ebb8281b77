package tui

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/lenet-tui/lenet-tui/engine"
)

// runHandle is one training run as the model sees it: its description, its
// event channel and ways to command and stop it. Tests build handles around
// plain channels; engineStarter builds them around a Trainer.
type runHandle struct {
	id     int
	info   engine.RunInfo
	events <-chan engine.Event
	send   func(engine.Command) // never blocks
	stop   func()               // cancels the run and drains its events in the background; may be called again
	done   <-chan struct{}      // closed when the run's goroutine has returned; nil in tests
	// drained is closed once stop has been called and the events have been
	// read to their close; nil in tests.
	drained <-chan struct{}
	// probe is a forward pass of test image i through the net as it is now;
	// only for a run whose goroutine has returned (nil in tests).
	probe func(i int) engine.Snapshot
	// probeImage is probe for a picture of one's own (the drawing pad's).
	probeImage func(pixels []uint8) engine.Snapshot
	// save writes a checkpoint of the net; as probe, only for a run whose
	// goroutine has returned (a running one takes engine.Save). nil in tests
	// and for a trainer that cannot save.
	save func(path string) error
	// dir is the folder the run's history is written to; "" when it is not
	// kept or the trainer does not say (it has no Dir method).
	dir string
}

// savedMsg reports a checkpoint of a finished run's net, written on request.
type savedMsg struct {
	run int
	ev  engine.Saved
}

// saveAfter waits until run h has returned and then writes its checkpoint
// to ev.Path, reporting ev with the error, if any.
func saveAfter(h runHandle, ev engine.Saved) tea.Cmd {
	return func() tea.Msg {
		<-h.done
		if err := h.save(ev.Path); err != nil {
			ev.Err = err.Error()
		}
		return savedMsg{run: h.id, ev: ev}
	}
}

// starter makes a new run with the given hidden activation, learning rate
// and probe digit.
type starter func(id int, req RunRequest) (runHandle, error)

// eventsMsg carries the trainer events of run `run` that were pending when
// the reader woke, oldest first.
type eventsMsg struct {
	run int
	evs []engine.Event
}

// probedMsg is a snapshot of a finished run's net, taken on request.
type probedMsg struct {
	run   int
	snap  engine.Snapshot
	image []uint8 // the picture probed (probeImageAfter); nil for a test image
}

// runClosedMsg reports that the event channel of run `run` was closed.
type runClosedMsg struct{ run int }

// runStartedMsg delivers a new run (or the error of making it).
type runStartedMsg struct {
	id  int
	run runHandle
	err error
}

// maxDrain bounds the events one frame takes, so that a trainer sending
// faster than the screen can draw still lets the screen draw.
const maxDrain = 1 << 16

// waitForEvents is the one re-armed command that reads the trainer: it waits
// `delay` (frame throttling; the trainer coalesces progress meanwhile), then
// for the next event, and then takes every event already pending as well,
// so the screen is never more than a frame behind the trainer. Once ch is
// closed and empty it returns runClosedMsg.
func waitForEvents(run int, ch <-chan engine.Event, delay time.Duration) tea.Cmd {
	return func() tea.Msg {
		if delay > 0 {
			time.Sleep(delay)
		}
		ev, ok := <-ch
		if !ok {
			return runClosedMsg{run: run}
		}
		evs := []engine.Event{ev}
		for len(evs) < maxDrain {
			select {
			case ev, ok := <-ch:
				if !ok {
					return eventsMsg{run: run, evs: evs} // the next read reports the close
				}
				evs = append(evs, ev)
			default:
				return eventsMsg{run: run, evs: evs}
			}
		}
		return eventsMsg{run: run, evs: evs}
	}
}

// probeAfter waits until run h has returned and then takes a snapshot of
// test image i through its net.
func probeAfter(h runHandle, i int) tea.Cmd {
	return func() tea.Msg {
		<-h.done
		return probedMsg{run: h.id, snap: h.probe(i)}
	}
}

// probeImageAfter is probeAfter for a picture of one's own.
func probeImageAfter(h runHandle, pixels []uint8) tea.Cmd {
	return func() tea.Msg {
		<-h.done
		return probedMsg{run: h.id, snap: h.probeImage(pixels), image: pixels}
	}
}

// startRun makes run id with start in a command, off the Update goroutine.
func startRun(start starter, id int, req RunRequest) tea.Cmd {
	return func() tea.Msg {
		h, err := start(id, req)
		return runStartedMsg{id: id, run: h, err: err}
	}
}

// engineStarter adapts Options.NewRun: it builds the trainer and starts Run
// in a goroutine. Trainer.Send never blocks, so Update may call it.
func engineStarter(newRun func(RunRequest) (Trainer, error)) starter {
	return func(id int, req RunRequest) (runHandle, error) {
		tr, err := newRun(req)
		if err != nil {
			return runHandle{}, err
		}
		if req.Paused {
			tr.Send(engine.Pause{}) // applied before the first batch
		}
		info := tr.Info()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			tr.Run(ctx)
		}()
		events := tr.Events()
		// Once the run has returned, its net is used by commands, which
		// may run at once (a stroke on the drawing pad sends several): one
		// at a time.
		var net sync.Mutex
		stop, drained := stopper(cancel, events)
		h := runHandle{
			id: id, info: info, events: events, send: tr.Send, done: done,
			stop: stop, drained: drained,
			probe: func(i int) engine.Snapshot {
				net.Lock()
				defer net.Unlock()
				return tr.Probe(i)
			},
			probeImage: func(pixels []uint8) engine.Snapshot {
				net.Lock()
				defer net.Unlock()
				return tr.ProbeImage(pixels)
			},
		}
		if d, ok := tr.(interface{ Dir() string }); ok {
			h.dir = d.Dir()
		}
		if s, ok := tr.(interface{ Save(path string) error }); ok {
			h.save = func(path string) error {
				net.Lock()
				defer net.Unlock()
				return s.Save(path)
			}
		}
		return h, nil
	}
}

// stopper is a run's stop: it cancels the run and drains its events in the
// background, once however often it is called; drained is closed when the
// events have been read to their close.
func stopper(cancel context.CancelFunc, events <-chan engine.Event) (stop func(), drained <-chan struct{}) {
	d := make(chan struct{})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			go func() {
				drain(events)
				close(d)
			}()
		})
	}
	return stop, d
}

// drain reads ch until it is closed.
func drain(ch <-chan engine.Event) {
	for range ch {
	}
}

// runTracker remembers the runs it started that may still need stopping,
// so that Run can stop them all and wait for them after the program has
// quit, including one whose start raced with the quit key. A run is
// forgotten once it has been stopped, its events have been read to their
// close and its goroutine has returned: it then holds nothing the program
// needs, and forgetting it lets its trainer (nets, batches, buffers) be
// collected. What the model still needs of a run it keeps itself: the
// current run, and a finished run's handle in a pending save or probe.
// The tracker is touched from commands, from the goroutines that forget
// and after the program ends, so it needs a lock.
type runTracker struct {
	start  starter
	mu     sync.Mutex
	runs   map[int]runHandle // by id: the runs started and not yet forgotten
	closed bool              // stopAll has run: a run starting later is stopped at once
}

// startTracked starts a run and records it until it is stopped and drained.
func (t *runTracker) startTracked(id int, req RunRequest) (runHandle, error) {
	h, err := t.start(id, req)
	if err != nil {
		return h, err
	}
	t.mu.Lock()
	closed := t.closed
	if !closed {
		if t.runs == nil {
			t.runs = make(map[int]runHandle)
		}
		t.runs[id] = h
	}
	t.mu.Unlock()
	switch {
	case closed:
		h.stop() // the program quit while this run was starting
	case h.drained != nil:
		go t.forget(id, h.drained, h.done)
	}
	return h, nil
}

// forget drops run id once it has been stopped and drained and its
// goroutine has returned. It holds the run's channels, not its handle, so
// that waiting does not keep the trainer alive.
func (t *runTracker) forget(id int, drained, done <-chan struct{}) {
	<-drained
	if done != nil {
		<-done
	}
	t.mu.Lock()
	delete(t.runs, id)
	t.mu.Unlock()
}

// stopAll cancels every run not yet forgotten and waits until each has
// returned; a run that starts later is stopped at once.
func (t *runTracker) stopAll() {
	t.mu.Lock()
	runs := t.runs
	t.runs, t.closed = nil, true
	t.mu.Unlock()
	for _, h := range runs {
		h.stop()
		if h.done != nil {
			<-h.done
		}
	}
}
