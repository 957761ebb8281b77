package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
	"github.com/lenet-tui/lenet-tui/tui"
)

// watch opens the terminal UI, or trains in plain text when stdout is not a
// terminal that can draw it (a pipe, CI, TERM=dumb) or --json is given.
func watch(c config.Config, o options, stdout io.Writer) error {
	f, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || o.json || os.Getenv("TERM") == "dumb" {
		return train(c, o, stdout)
	}
	ctx, stop := interruptible()
	defer stop()
	d, err := load(c)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	c = d.c // with --load, the checkpoint's settings
	rec := newRecorder(o)
	dir, err := rec.reserve(d.spec.Name, c.Activation)
	if err != nil {
		return err
	}
	err = tui.Run(tui.Options{
		Context: ctx,
		NewRun: func(act engine.Activation, lr float64, probe int) (tui.Trainer, error) {
			cfg := engine.TrainConfig{SnapshotEvery: 500 * time.Millisecond, Probe: probe, EvalEvery: 0.25, FlowEvery: 20, Breakdown: true}
			t, err := d.trainer(cfg, act, lr)
			if err != nil {
				return nil, err
			}
			return rec.record(d, t, act, lr)
		},
		Activation: c.Activation,
		LR:         c.LR,
		NoColor:    os.Getenv("NO_COLOR") != "",
		RunDir:     dir,
		SavePath:   checkpointPath(c, dir),
	})
	if werr := rec.wait(); err == nil {
		err = werr
	}
	return err
}

// train is the plain-text view of a run. A signal stops it after the
// batch, with its summary or final record.
func train(c config.Config, o options, stdout io.Writer) error {
	ctx, stop := interruptible()
	defer stop()
	d, err := load(c)
	if err != nil {
		return err
	}
	var cfg engine.TrainConfig
	if o.json {
		cfg.FlowEvery = 100 // gradient flow and unit health, reported at each epoch's end
	}
	if !o.noSave {
		cfg = recording(cfg)
	}
	c = d.c // with --load, the checkpoint's settings
	t, err := d.trainer(cfg, c.Activation, c.LR)
	if err != nil {
		return err
	}
	rec := newRecorder(o)
	tr, err := rec.record(d, t, c.Activation, c.LR)
	if err != nil {
		return err
	}
	err = plain.Train(ctx, stdout, tr, c.Settings, o.json)
	if werr := rec.wait(); err == nil {
		err = werr
	}
	if err == nil && !o.json && len(rec.dirs) > 0 {
		dir := rec.dirs[0]
		_, err = fmt.Fprintf(stdout, "run kept in %s (lenet-tui plot %s --png run.png draws it; --no-save keeps none)\n", dir, shellWords([]string{dir}))
	}
	return saveAtEnd(t, c.Save, err, o.json, stdout)
}

// interruptible returns a context that the first SIGINT, SIGTERM or SIGHUP
// cancels, with an interrupted error as its cause; a second signal ends the
// program at once, as if none were caught. stop releases the signals.
func interruptible() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel(interrupted{sig.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		cancel(nil)
	}
}

// interrupted is a run ended by a signal; the exit code says which, as a
// shell's does for a program the signal killed (130 for SIGINT, 143 for
// SIGTERM).
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string {
	name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}[e.sig]
	return "interrupted by " + name
}

func (e interrupted) ExitCode() int { return 128 + int(e.sig) }

// data is a run's configuration with its images loaded.
type data struct {
	c           config.Config
	spec        engine.ArchSpec
	train, test *dataset.Set
	ck          *engine.Checkpoint // --load: the net to start from; nil for a new one
	resume      bool               // continue ck's run (train, the terminal UI), not only its net (eval)
}

// load reads the dataset's headers, checks the run against them (the batch
// against the training set, the net on the data's image size against the
// engine's limits and memory budget), and only then reads the images.
func load(c config.Config) (*data, error) {
	c, ck, err := withCheckpoint(c)
	if err != nil {
		return nil, err
	}
	spec, err := c.Spec()
	if err != nil {
		return nil, err
	}
	dir, err := dataset.Locate(c.Dataset, c.Data)
	if err != nil {
		return nil, err
	}
	dims, _, err := dataset.Peek(dir)
	if err != nil {
		return nil, err
	}
	if err := c.Settings.CheckTrainSet(dims.Count); err != nil {
		return nil, c.Place(err)
	}
	in := engine.Shape{C: 1, H: dims.Rows, W: dims.Cols}
	if _, err := engine.Plan(spec, in, dataset.Classes, c.Settings); err != nil {
		return nil, fmt.Errorf("%s holds %d×%d images: %w", dir, dims.Rows, dims.Cols, c.Place(err))
	}
	train, test, err := dataset.Load(dir, c.Dataset)
	if err != nil {
		return nil, err
	}
	return &data{c: c, spec: spec, train: train, test: test, ck: ck, resume: ck != nil}, nil
}

// trainer makes a fresh net and its trainer, reporting as cfg says, with the
// hidden activation and learning rate given (the terminal UI restarts with
// the ones chosen).
func (d *data) trainer(cfg engine.TrainConfig, act engine.Activation, lr float64) (*engine.Trainer, error) {
	s := d.c.Settings
	s.Activation, s.LR = act, lr
	var net *engine.Net
	var err error
	if d.ck != nil {
		net, err = d.ck.Net(s)
		if d.resume {
			cfg.Resume = d.ck
		}
	} else {
		net, err = engine.Build(d.spec, engine.Shape{C: 1, H: d.train.Rows, W: d.train.Cols}, d.train.Classes, s)
	}
	if err != nil {
		return nil, err
	}
	cfg.Settings, cfg.Dataset = s, d.c.Dataset
	t, err := engine.NewTrainer(net, d.train, d.test, cfg)
	if err != nil {
		return nil, d.c.Place(err) // with --load, --epochs N at most those trained
	}
	return t, nil
}

func summary(c config.Config, o options, stdout io.Writer) error {
	spec, err := c.Spec()
	if err != nil {
		return err
	}
	in := engine.Shape{C: 1, H: 28, W: 28}
	infos, err := engine.Plan(spec, in, dataset.Classes, c.Settings)
	if err != nil {
		return err
	}
	return plain.Summary(stdout, spec, in, infos, o.json)
}

func bench(c config.Config, o options, stdout io.Writer) error {
	if !(o.seconds > 0 && o.seconds <= 3600) {
		return fmt.Errorf("--seconds %g: want a duration of more than 0 and at most 3600 seconds", o.seconds)
	}
	spec, err := c.Spec()
	if err != nil {
		return err
	}
	res, err := engine.Bench(spec, c.Settings, engine.Shape{C: 1, H: 28, W: 28}, dataset.Classes, time.Duration(o.seconds*float64(time.Second)))
	if err != nil {
		return err
	}
	return plain.Bench(stdout, spec.Name, c.Batch, res, o.json)
}

func printConfig(c config.Config, _ options, stdout io.Writer) error {
	c, _, err := withCheckpoint(c) // --load: the checkpoint's settings
	if err != nil {
		return err
	}
	b, err := c.YAML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
