// Command lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.
//
// main only wires: command line → config → dataset → net → trainer → view
// (package tui, or package plain without a terminal), and owns os.Exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
	"github.com/lenet-tui/lenet-tui/tui"
)

// command is a subcommand: its flags beyond the settings, and what it does.
type command struct {
	name, about string
	json        bool // takes --json
	seconds     bool // takes --seconds
	run         func(c config.Config, o options, stdout io.Writer) error
}

// options are a command's own flags.
type options struct {
	json    bool
	seconds float64
}

var commands = []command{
	{name: "", about: "watch it learn in the terminal UI (plain text when stdout is not a terminal)", json: true, run: watch},
	{name: "train", about: "plain-text training: a line per epoch, then a summary", json: true, run: train},
	{name: "summary", about: "each layer's shape, parameters and connections, with the arithmetic", json: true, run: summary},
	{name: "bench", about: "training and inference images per second on this machine", json: true, seconds: true, run: bench},
	{name: "config", about: "print the resolved settings as YAML, to edit and run with --config", run: printConfig},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		name, args = "", []string{"--help"}
	}
	err := dispatch(name, args, stdout)
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "lenet-tui: %v\n", err)
	return 1
}

func dispatch(name string, args []string, stdout io.Writer) error {
	var names []string
	for _, cmd := range commands {
		if cmd.name != name {
			names = append(names, cmd.name)
			continue
		}
		fs := flag.NewFlagSet("lenet-tui "+name, flag.ContinueOnError)
		var o options
		version := fs.Bool("version", false, "print the version and exit")
		if cmd.json {
			fs.BoolVar(&o.json, "json", false, "machine-readable output: JSON, one record a line")
		}
		if cmd.seconds {
			fs.Float64Var(&o.seconds, "seconds", 3, "measure each of training and inference for `S` seconds")
		}
		var flags config.Flags
		flags.Register(fs)
		switch err := flags.Parse(fs, args); {
		case errors.Is(err, flag.ErrHelp):
			return help(stdout, cmd, fs)
		case err != nil:
			return err
		case *version:
			_, err := fmt.Fprintln(stdout, versionString())
			return err
		}
		c, err := flags.Resolve()
		if err != nil {
			return err
		}
		return cmd.run(c, o, stdout)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if n := config.Nearest(name, names); n != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", n)
	}
	return errors.New(msg + "; want " + strings.Join(names[1:], ", ") + ", or none for the terminal UI; see lenet-tui --help")
}

// help prints a command's usage and its flags, generated from the settings
// table.
func help(w io.Writer, cmd command, fs *flag.FlagSet) error {
	fmt.Fprintf(w, "Usage: %s [flags]\n\n%s.\n", strings.TrimSpace(fs.Name()), cmd.about)
	if cmd.name == "" {
		fmt.Fprintln(w, "\nCommands (lenet-tui COMMAND --help for each):")
		for _, c := range commands[1:] {
			fmt.Fprintf(w, "  %-8s  %s\n", c.name, c.about)
		}
	}
	fmt.Fprintln(w, "\nFlags (each setting is also a config.yaml key: --init-std is init_std):")
	config.Help(w, fs)
	_, err := fmt.Fprintln(w, "\nA flag that picks another architecture than config.yaml names starts from that\narchitecture's own defaults: --arch seed-code runs with all of the 2017 note's settings.")
	return err
}

// versionString is the module version and VCS revision from build info.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "lenet-tui (no build information)"
	}
	s := "lenet-tui " + bi.Main.Version
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision", "vcs.time":
			s += " " + kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				s += " (modified)"
			}
		}
	}
	return s + " " + bi.GoVersion
}

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
		NewRun: func(act engine.Activation, lr float64) (*engine.Trainer, error) {
			return d.trainer(act, lr, 500*time.Millisecond)
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
	t, err := d.trainer(c.Activation, c.LR, 0)
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

// trainer makes a fresh net and its trainer, with the hidden activation and
// learning rate given (the terminal UI restarts with the ones chosen).
func (d *data) trainer(act engine.Activation, lr float64, snapshots time.Duration) (*engine.Trainer, error) {
	s := d.c.Settings
	s.Activation, s.LR = act, lr
	net, err := engine.Build(d.spec, engine.Shape{C: 1, H: d.train.Rows, W: d.train.Cols}, d.train.Classes, s)
	if err != nil {
		return nil, err
	}
	return engine.NewTrainer(net, d.train, d.test, engine.TrainConfig{Settings: s, Dataset: d.c.Dataset, SnapshotEvery: snapshots})
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
