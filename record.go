package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/history"
	"github.com/lenet-tui/lenet-tui/tui"
)

// recorder keeps each run it is given in a new folder under --runs (the
// history package is the third view of a run's events), unless --no-save.
type recorder struct {
	parent string // --runs
	off    bool   // --no-save

	mu   sync.Mutex
	next string         // a folder made for the next run, before it started
	dirs []string       // the folders of the runs recorded, in order
	errc []<-chan error // one per run recorded
}

func newRecorder(o options) *recorder { return &recorder{parent: o.runs, off: o.noSave} }

// recording is what a run kept in a folder asks of its trainer beyond its
// view's needs: test points every quarter epoch for the curves, and
// Breakdowns, whose embedding the folder keeps at each epoch's end (what
// plot draws). The terminal UI asks for both anyway.
func recording(cfg engine.TrainConfig) engine.TrainConfig {
	cfg.EvalEvery, cfg.Breakdown = 0.25, true
	return cfg
}

// recorded is a trainer whose events are written to its run folder on
// their way to the view; the engine knows nothing of it.
type recorded struct {
	*engine.Trainer
	events <-chan engine.Event
	dir    string
}

// Dir is the run folder; the terminal UI shows it.
func (r *recorded) Dir() string { return r.dir }

// Events is the trainer's events, after they are written.
func (r *recorded) Events() <-chan engine.Event { return r.events }

// record makes t's run folder (or takes the one reserved), writes the run's
// settings into it and starts copying its events there. It returns t itself
// when the recorder is off.
func (rc *recorder) record(d *data, t *engine.Trainer, act engine.Activation, lr float64) (tui.Trainer, error) {
	if rc.off {
		return t, nil
	}
	c := d.c
	c.Activation, c.LR = act, lr
	settings, err := c.YAML()
	if err != nil {
		return nil, err
	}
	info, now := t.Info(), time.Now()
	rc.mu.Lock()
	dir := rc.next
	rc.next = ""
	rc.mu.Unlock()
	if dir == "" {
		if dir, err = rc.newDir(info.Arch, info.Activation); err != nil {
			return nil, err
		}
	}
	w, err := history.Create(dir, settings, info, now)
	if err != nil {
		return nil, fmt.Errorf("run folder: %w (--no-save trains without keeping the run)", err)
	}
	events, errc := history.Record(w, t.Events(), cap(t.Events()))
	rc.mu.Lock()
	rc.errc = append(rc.errc, errc)
	rc.dirs = append(rc.dirs, dir)
	rc.mu.Unlock()
	return &recorded{Trainer: t, events: events, dir: dir}, nil
}

// reserve makes the folder of the next run now, so that the terminal UI can
// say where it writes before the run starts.
func (rc *recorder) reserve(arch string, act engine.Activation) (string, error) {
	if rc.off {
		return "", nil
	}
	dir, err := rc.newDir(arch, act)
	rc.mu.Lock()
	rc.next = dir
	rc.mu.Unlock()
	return dir, err
}

func (rc *recorder) newDir(arch string, act engine.Activation) (string, error) {
	dir, err := history.NewDir(rc.parent, time.Now(), arch, act)
	if err != nil {
		return "", fmt.Errorf("%w (--no-save trains without keeping the run)", err)
	}
	return dir, nil
}

// wait waits until every run recorded has been written to its end (its
// events must be read to their close) and returns the first write error.
func (rc *recorder) wait() error {
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
