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
	d, err := load(c)
	if err != nil {
		return err
	}
	return tui.Run(tui.Options{
		NewRun: func(act engine.Activation, lr float64, probe int) (*engine.Trainer, error) {
			return d.trainer(engine.TrainConfig{SnapshotEvery: 500 * time.Millisecond, Probe: probe, EvalEvery: 0.25}, act, lr)
		},
		Activation: c.Activation,
		LR:         c.LR,
		NoColor:    os.Getenv("NO_COLOR") != "",
	})
}

// train is the plain-text view of a run.
func train(c config.Config, o options, stdout io.Writer) error {
	d, err := load(c)
	if err != nil {
		return err
	}
	var cfg engine.TrainConfig
	if o.json {
		cfg.FlowEvery = 100 // gradient flow and unit health, reported at each epoch's end
	}
	t, err := d.trainer(cfg, c.Activation, c.LR)
	if err != nil {
		return err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	return plain.Train(ctx, stdout, t, c.Settings, o.json)
}

// data is a run's configuration with its images loaded.
type data struct {
	c           config.Config
	spec        engine.ArchSpec
	train, test *dataset.Set
}

func load(c config.Config) (*data, error) {
	spec, err := c.Spec()
	if err != nil {
		return nil, err
	}
	train, test, err := dataset.Open(c.Dataset, c.Data)
	if err != nil {
		return nil, err
	}
	return &data{c: c, spec: spec, train: train, test: test}, nil
}

// trainer makes a fresh net and its trainer, reporting as cfg says, with the
// hidden activation and learning rate given (the terminal UI restarts with
// the ones chosen).
func (d *data) trainer(cfg engine.TrainConfig, act engine.Activation, lr float64) (*engine.Trainer, error) {
	s := d.c.Settings
	s.Activation, s.LR = act, lr
	net, err := engine.Build(d.spec, engine.Shape{C: 1, H: d.train.Rows, W: d.train.Cols}, d.train.Classes, s)
	if err != nil {
		return nil, err
	}
	cfg.Settings, cfg.Dataset = s, d.c.Dataset
	return engine.NewTrainer(net, d.train, d.test, cfg)
}

func summary(c config.Config, o options, stdout io.Writer) error {
	spec, err := c.Spec()
	if err != nil {
		return err
	}
	in := engine.Shape{C: 1, H: 28, W: 28}
	net, err := engine.Build(spec, in, dataset.Classes, c.Settings)
	if err != nil {
		return err
	}
	return plain.Summary(stdout, spec, in, net.Info(), o.json)
}

func bench(c config.Config, o options, stdout io.Writer) error {
	if !(o.seconds > 0 && o.seconds <= 3600) {
		return fmt.Errorf("--seconds %g: want a duration from 0 to 3600 seconds", o.seconds)
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
	b, err := c.YAML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
