package runfolder

import (
	"fmt"
	"sync"
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
)

// Recorder keeps each run it is given in a new run folder under a parent
// folder (--runs): it is how a command makes, writes and finishes the run
// folders of its runs.
type Recorder struct {
	parent string

	mu   sync.Mutex
	next string         // a folder made for the next run, before it started
	dirs []string       // the folders of the runs recorded, in order
	errc []<-chan error // one per run recorded
}

// NewRecorder returns a Recorder that makes its run folders under parent.
func NewRecorder(parent string) *Recorder { return &Recorder{parent: parent} }

// Recording is what a run kept in a run folder asks of its trainer beyond
// its view's needs: test points every quarter epoch for the curves, and
// Breakdowns, whose embedding the folder keeps at each epoch's end (what
// plot draws). The terminal UI asks for both anyway.
func Recording(cfg engine.TrainConfig) engine.TrainConfig {
	cfg.EvalEvery, cfg.Breakdown = 0.25, true
	return cfg
}

// Recorded is a trainer whose events are written to its run folder on
// their way to the view; the engine knows nothing of it. It has what a
// view asks of a trainer (Info, Run, Events, Send, Probe, ProbeImage) and
// Dir, which the terminal UI shows.
type Recorded struct {
	*engine.Trainer
	events <-chan engine.Event
	dir    string
}

// Dir is the run folder.
func (r *Recorded) Dir() string { return r.dir }

// Events is the trainer's events, after they are written.
func (r *Recorded) Events() <-chan engine.Event { return r.events }

// Record makes t's run folder (or takes the one reserved), writes settings
// (a config file) into it as settings.yaml and starts copying t's events
// there.
func (rc *Recorder) Record(t *engine.Trainer, settings []byte) (*Recorded, error) {
	info, now := t.Info(), time.Now()
	rc.mu.Lock()
	dir := rc.next
	rc.next = ""
	rc.mu.Unlock()
	if dir == "" {
		var err error
		if dir, err = NewDir(rc.parent, time.Now(), info.Arch, info.Activation); err != nil {
			return nil, err
		}
	}
	w, err := Create(dir, settings, info, now)
	if err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	events, errc := Record(w, t.Events(), cap(t.Events()))
	rc.mu.Lock()
	rc.errc = append(rc.errc, errc)
	rc.dirs = append(rc.dirs, dir)
	rc.mu.Unlock()
	return &Recorded{Trainer: t, events: events, dir: dir}, nil
}

// Reserve makes the run folder of the next run now, so that the terminal
// UI can say where it writes before the run starts.
func (rc *Recorder) Reserve(arch string, act engine.Activation) (string, error) {
	dir, err := NewDir(rc.parent, time.Now(), arch, act)
	rc.mu.Lock()
	rc.next = dir
	rc.mu.Unlock()
	return dir, err
}

// Dirs is the run folders of the runs recorded, in order.
func (rc *Recorder) Dirs() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.dirs...)
}

// Wait waits until every run recorded has been written to its end (its
// events must be read to their close) and returns the first write error.
func (rc *Recorder) Wait() error {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var first error
	for _, e := range rc.errc {
		if err := <-e; err != nil && first == nil {
			first = err
		}
	}
	rc.errc = nil
	return first
}
