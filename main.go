// Command lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.
//
//	lenet-tui                 the terminal UI (plain text when stdout is not a terminal)
//	lenet-tui train           the plain-text trainer: one line per epoch
//	lenet-tui summary         layers, shapes, parameters and connections
//	lenet-tui bench           training and inference throughput
//
// main wires config → dataset → net → trainer → view, and owns os.Exit.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"go.yaml.in/yaml/v3"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui"
)

const usage = `lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.

Usage:
  lenet-tui [flags]             watch it learn in the terminal UI
  lenet-tui train [flags]       plain-text training: a line per epoch
  lenet-tui summary [flags]     each layer's shape, parameters and connections
  lenet-tui bench [flags]       training and inference images per second

Flags (each overrides config.yaml):
  --config FILE       run settings (default ./config.yaml when present)
  --arch NAME         lenet5, lenet5-modern, seed-notes, seed-code
  --activation NAME   hidden activation: sigmoid, relu, tanh, scaled-tanh
  --init NAME         truncated-normal, he, glorot, lecun (--init-std σ for truncated-normal)
  --loss NAME         stable or naive (the note's −Σ y·log softmax)
  --optimizer NAME    sgd, momentum, adam
  --lr RATE           learning rate
  --schedule NAME     constant, or onecycle (warm up to --lr, then cosine down)
  --batch N           mini-batch size
  --epochs N          passes over the training set
  --seed N            random seed for weights and shuffling
  --dataset NAME      mnist or fashion-mnist
  --data DIR          a folder holding the four IDX files
  --json              machine-readable output (train, summary, bench)

An architecture other than the one config.yaml names starts from its own
defaults: --arch seed-code runs with all of the 2017 note's settings.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runDefault(args, stdout)
	case "train":
		err = runTrain(args, stdout)
	case "summary":
		err = runSummary(args, stdout)
	case "bench":
		err = runBench(args, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		err = fmt.Errorf("unknown command %q (want train, summary or bench; see lenet-tui --help)", cmd)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "lenet-tui: %v\n", err)
		return 1
	}
}

// options is a fully resolved run: what to train, on what, and how.
type options struct {
	dataset, data string
	arch          engine.ArchSpec
	settings      engine.Settings
	json          bool
}

// parseOptions resolves settings in order: the architecture's own defaults,
// then config.yaml (when it describes this architecture), then flags.
func parseOptions(name string, args []string, extra func(*flag.FlagSet)) (options, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f struct {
		config, arch, activation, init, loss, optimizer, schedule, dataset, data string
		lr, initStd                                                              float64
		batch, epochs                                                            int
		seed                                                                     uint64
		json                                                                     bool
	}
	fs.StringVar(&f.config, "config", "", "")
	fs.StringVar(&f.arch, "arch", "", "")
	fs.StringVar(&f.activation, "activation", "", "")
	fs.StringVar(&f.init, "init", "", "")
	fs.Float64Var(&f.initStd, "init-std", 0, "")
	fs.StringVar(&f.loss, "loss", "", "")
	fs.StringVar(&f.optimizer, "optimizer", "", "")
	fs.StringVar(&f.schedule, "schedule", "", "")
	fs.Float64Var(&f.lr, "lr", 0, "")
	fs.IntVar(&f.batch, "batch", 0, "")
	fs.IntVar(&f.epochs, "epochs", 0, "")
	fs.Uint64Var(&f.seed, "seed", 0, "")
	fs.StringVar(&f.dataset, "dataset", "", "")
	fs.StringVar(&f.data, "data", "", "")
	fs.BoolVar(&f.json, "json", false, "")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return options{}, err
		}
		return options{}, fmt.Errorf("%s: %v", name, err)
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	path, required := f.config, true
	if path == "" {
		path, required = "config.yaml", false
	}
	cfg, err := loadConfig(path, required)
	if err != nil {
		return options{}, err
	}
	o := options{dataset: "mnist", json: f.json}
	if cfg.Dataset != nil {
		o.dataset = *cfg.Dataset
	}
	if cfg.Data != nil {
		o.data = *cfg.Data
	}
	archName := "lenet5"
	if cfg.Arch != nil {
		archName = *cfg.Arch
	}
	if set["arch"] && f.arch != archName {
		// Another architecture than the file's: its own defaults apply.
		archName, cfg = f.arch, fileConfig{Dataset: cfg.Dataset, Data: cfg.Data}
	}
	if o.arch, err = cfg.archSpec(archName); err != nil {
		return options{}, err
	}
	o.settings = o.arch.Defaults
	if err := cfg.apply(&o.settings); err != nil {
		return options{}, err
	}
	strFlags := map[string]*string{"activation": &o.settings.Activation, "init": &o.settings.Init,
		"loss": &o.settings.Loss, "optimizer": &o.settings.Optimizer, "schedule": &o.settings.Schedule,
		"dataset": &o.dataset, "data": &o.data}
	flagVals := map[string]string{"activation": f.activation, "init": f.init, "loss": f.loss,
		"optimizer": f.optimizer, "schedule": f.schedule, "dataset": f.dataset, "data": f.data}
	for k, dst := range strFlags {
		if set[k] {
			*dst = flagVals[k]
		}
	}
	if set["lr"] {
		o.settings.LR = f.lr
	}
	if set["init-std"] {
		o.settings.InitStd = f.initStd
	}
	if set["batch"] {
		o.settings.Batch = f.batch
	}
	if set["epochs"] {
		o.settings.Epochs = f.epochs
	}
	if set["seed"] {
		o.settings.Seed = f.seed
	}
	if o.settings.Init == engine.InitTruncNormal && o.settings.InitStd == 0 {
		o.settings.InitStd = 1
	}
	if err := o.settings.Check(); err != nil {
		return options{}, err
	}
	return o, nil
}

// fileConfig is config.yaml. Pointers tell a key that is absent from one set
// to its zero value.
type fileConfig struct {
	Dataset    *string            `yaml:"dataset"`
	Data       *string            `yaml:"data"`
	Arch       *string            `yaml:"arch"`
	Layers     []engine.LayerSpec `yaml:"layers"`
	Activation *string            `yaml:"activation"`
	Init       *string            `yaml:"init"`
	InitStd    *float64           `yaml:"init_std"`
	Loss       *string            `yaml:"loss"`
	Reduction  *string            `yaml:"reduction"`
	Input      *string            `yaml:"input"`
	Optimizer  *string            `yaml:"optimizer"`
	Schedule   *string            `yaml:"schedule"`
	LR         *float64           `yaml:"lr"`
	Batch      *int               `yaml:"batch"`
	Epochs     *int               `yaml:"epochs"`
	Seed       *uint64            `yaml:"seed"`

	path  string
	lines map[string]int // top-level key → line, for messages
}

// loadConfig reads a config file. A missing file is an error only if it
// was asked for by name.
func loadConfig(path string, required bool) (fileConfig, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return fileConfig{}, nil
	}
	if err != nil {
		return fileConfig{}, fmt.Errorf("config: %v", err)
	}
	var cfg fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && err != io.EOF {
		return fileConfig{}, fmt.Errorf("%s: %s", path, yamlMessage(err))
	}
	cfg.path, cfg.lines = path, map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			cfg.lines[m.Content[i].Value] = m.Content[i].Line
		}
	}
	return cfg, nil
}

// yamlMessage shortens yaml's errors to "line N: what".
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg = strings.ReplaceAll(msg, " in type main.fileConfig", "")
	msg = strings.ReplaceAll(msg, " in type engine.LayerSpec", "")
	msg = strings.ReplaceAll(msg, "field ", "unknown key ")
	msg = strings.ReplaceAll(msg, " not found", "")
	return strings.ReplaceAll(msg, "\n  ", "; ")
}

// errAt names the file and line of a key's value in an error.
func (c fileConfig) errAt(key string, err error) error {
	if line, ok := c.lines[key]; ok {
		return fmt.Errorf("%s: line %d: %s: %v", c.path, line, key, err)
	}
	return fmt.Errorf("%s: %s: %v", c.path, key, err)
}

// archSpec returns the named built-in, or the file's own layer list.
func (c fileConfig) archSpec(name string) (engine.ArchSpec, error) {
	if len(c.Layers) > 0 {
		base := engine.Arches["lenet5"]
		spec := engine.ArchSpec{Name: name, About: "defined in " + c.path, Layers: c.Layers, Defaults: base.Defaults}
		// Check it now, to point at the file: MNIST and Fashion-MNIST are
		// both 28×28 in 10 classes.
		if _, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, dataset.Classes, engine.ReLU, engine.Init{Name: engine.InitHe}, 1); err != nil {
			return spec, c.errAt("layers", err)
		}
		return spec, nil
	}
	a, err := engine.LookupArch(name)
	if err != nil && c.Arch != nil && *c.Arch == name {
		return a, c.errAt("arch", err)
	}
	return a, err
}

// apply overrides s with the settings the file gives, checking each.
func (c fileConfig) apply(s *engine.Settings) error {
	str := []struct {
		key string
		v   *string
		dst *string
	}{{"activation", c.Activation, &s.Activation}, {"init", c.Init, &s.Init}, {"loss", c.Loss, &s.Loss},
		{"reduction", c.Reduction, &s.Reduction}, {"input", c.Input, &s.Input}, {"optimizer", c.Optimizer, &s.Optimizer},
		{"schedule", c.Schedule, &s.Schedule}}
	for _, e := range str {
		if e.v != nil {
			*e.dst = *e.v
		}
	}
	if c.InitStd != nil {
		s.InitStd = *c.InitStd
	}
	if c.LR != nil {
		s.LR = *c.LR
	}
	if c.Batch != nil {
		s.Batch = *c.Batch
	}
	if c.Epochs != nil {
		s.Epochs = *c.Epochs
	}
	if c.Seed != nil {
		s.Seed = *c.Seed
	}
	checks := []struct {
		key string
		err error
	}{
		{"activation", engine.CheckActivation(s.Activation)},
		{"init", engine.CheckInit(engine.Init{Name: s.Init, Std: max(s.InitStd, 1e-9)})},
		{"loss", engine.CheckLoss(s.Loss)},
		{"reduction", engine.CheckReduction(s.Reduction)},
	}
	if s.Schedule != "" {
		checks = append(checks, struct {
			key string
			err error
		}{"schedule", engine.CheckSchedule(s.Schedule)})
	}
	if _, err := engine.NewOptimizer(s.Optimizer, 0); err != nil {
		checks = append(checks, struct {
			key string
			err error
		}{"optimizer", err})
	}
	for _, ch := range checks {
		if ch.err != nil {
			return c.errAt(ch.key, ch.err)
		}
	}
	if err := s.Check(); err != nil {
		key := strings.Fields(err.Error())[0]
		return c.errAt(map[string]string{"learning": "lr", "batch": "batch", "epochs": "epochs", "unknown": "input"}[key], err)
	}
	return nil
}

// build loads the data and makes a fresh net and trainer.
type runner struct {
	opt         options
	train, test *dataset.Set
}

func newRunner(o options) (*runner, error) {
	train, test, err := dataset.Open(o.dataset, o.data)
	if err != nil {
		return nil, err
	}
	return &runner{opt: o, train: train, test: test}, nil
}

func (r *runner) trainer(activation string, lr float64, snapshots time.Duration) (*engine.Trainer, error) {
	s := r.opt.settings
	s.Activation, s.LR = activation, lr
	in := engine.Shape{C: 1, H: r.train.Rows, W: r.train.Cols}
	net, err := engine.Build(r.opt.arch, in, r.train.Classes, s.Activation, engine.Init{Name: s.Init, Std: s.InitStd}, s.Seed)
	if err != nil {
		return nil, err
	}
	return engine.NewTrainer(net, r.train, r.test, engine.TrainConfig{Settings: s, Dataset: r.opt.dataset, SnapshotEvery: snapshots})
}

// runDefault opens the terminal UI, or trains in plain text when stdout is
// not a terminal (a pipe, CI).
func runDefault(args []string, stdout io.Writer) error {
	o, err := parseOptions("lenet-tui", args, nil)
	if err != nil {
		return err
	}
	f, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || o.json {
		return train(o, stdout)
	}
	r, err := newRunner(o)
	if err != nil {
		return err
	}
	return tui.Run(tui.Options{
		NewRun: func(activation string, lr float64) (*engine.Trainer, error) {
			return r.trainer(activation, lr, 500*time.Millisecond)
		},
		Activation: o.settings.Activation,
		LR:         o.settings.LR,
		NoColor:    os.Getenv("NO_COLOR") != "",
	})
}

func runTrain(args []string, stdout io.Writer) error {
	o, err := parseOptions("train", args, nil)
	if err != nil {
		return err
	}
	return train(o, stdout)
}

// train is the plain-text view of a run: a line per epoch, then a summary.
func train(o options, stdout io.Writer) error {
	r, err := newRunner(o)
	if err != nil {
		return err
	}
	t, err := r.trainer(o.settings.Activation, o.settings.LR, 0)
	if err != nil {
		return err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	go t.Run(ctx)

	s := o.settings
	if !o.json {
		lr := fmt.Sprintf("lr %g", s.LR)
		if s.Schedule == engine.ScheduleOneCycle {
			lr += " (onecycle)"
		}
		fmt.Fprintf(stdout, "%s on %s (%d train, %d test images): %s, init %s, %s %s, batch %d, %d epoch(s), loss %s/%s\n",
			o.arch.Name, o.dataset, r.train.Count, r.test.Count, s.Activation, s.Init, s.Optimizer, lr, s.Batch, s.Epochs, s.Loss, s.Reduction)
		fmt.Fprintf(stdout, "%5s  %10s  %9s  %9s  %8s  %7s  %7s\n", "epoch", "train loss", "train acc", "test loss", "test acc", "seconds", "img/s")
	}
	enc := json.NewEncoder(stdout)
	for ev := range t.Events() {
		switch ev := ev.(type) {
		case engine.EpochEnd:
			if o.json {
				enc.Encode(map[string]any{"epoch": ev.Epoch, "train_loss": ev.TrainLoss, "train_acc": ev.TrainAcc,
					"test_loss": ev.TestLoss, "test_acc": ev.TestAcc, "seconds": ev.Seconds, "img_s": ev.ImagesPerSec})
				continue
			}
			fmt.Fprintf(stdout, "%5d  %10.4f  %8.2f%%  %9.4f  %7.2f%%  %7.1f  %7.0f\n", ev.Epoch, ev.TrainLoss, 100*ev.TrainAcc,
				ev.TestLoss, 100*ev.TestAcc, ev.Seconds, ev.ImagesPerSec)
		case engine.Done:
			if o.json {
				enc.Encode(map[string]any{"done": true, "epochs": ev.Epochs, "test_loss": ev.TestLoss, "test_acc": ev.TestAcc, "seconds": ev.Seconds, "stopped": ev.Stopped})
				continue
			}
			if ev.Epochs == 0 {
				fmt.Fprintf(stdout, "stopped before the first epoch ended (%.1f s)\n", ev.Seconds)
				continue
			}
			fmt.Fprintf(stdout, "test accuracy %.2f%% (loss %.4f) after %d epoch(s), %.1f s in all\n", 100*ev.TestAcc, ev.TestLoss, ev.Epochs, ev.Seconds)
		case engine.Failed:
			if o.json {
				enc.Encode(map[string]any{"failed": true, "epoch": ev.Epoch, "batch": ev.Batch, "step": ev.Step, "reason": ev.Reason})
			}
			return fmt.Errorf("training stopped: %s", ev.Reason)
		}
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	return nil
}

func runSummary(args []string, stdout io.Writer) error {
	o, err := parseOptions("summary", args, nil)
	if err != nil {
		return err
	}
	in := engine.Shape{C: 1, H: 28, W: 28}
	net, err := engine.Build(o.arch, in, dataset.Classes, o.settings.Activation, engine.Init{Name: engine.InitHe}, 1)
	if err != nil {
		return err
	}
	infos := net.Info()
	if o.json {
		p, c := engine.Totals(infos)
		return json.NewEncoder(stdout).Encode(map[string]any{"arch": o.arch.Name, "about": o.arch.About, "input": in.String(),
			"layers": infos, "params": p, "connections": c})
	}
	fmt.Fprintf(stdout, "%s: %s\ninput %v\n\n", o.arch.Name, o.arch.About, in)
	fmt.Fprint(stdout, engine.Summary(o.arch.Name, infos))
	return nil
}

func runBench(args []string, stdout io.Writer) error {
	var seconds float64
	o, err := parseOptions("bench", args, func(fs *flag.FlagSet) {
		fs.Float64Var(&seconds, "seconds", 3, "")
	})
	if err != nil {
		return err
	}
	res, err := engine.Bench(o.arch, o.settings, engine.Shape{C: 1, H: 28, W: 28}, dataset.Classes, time.Duration(seconds*float64(time.Second)))
	if err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(stdout).Encode(map[string]any{"impl": "lenet-tui", "arch": o.arch.Name, "batch": o.settings.Batch,
			"workers": res.Workers, "train_img_s": res.TrainImgS, "infer_img_s": res.InferImgS})
	}
	fmt.Fprintf(stdout, "%s, batch %d, %d workers: training %.0f img/s, inference %.0f img/s\n",
		o.arch.Name, o.settings.Batch, res.Workers, res.TrainImgS, res.InferImgS)
	return nil
}
