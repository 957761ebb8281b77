package cli

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/digit"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/runfolder"
	"github.com/lenet-tui/lenet-tui/tui"
)

// The one pipeline of the commands that train (watch, train, compare
// --config):
//
//	p, err := newPipeline(c, cfg, runs, noSave, o.stderr) // load the data
//	tr, t, err := p.start(act, lr, probe)       // a fresh trainer t; tr writes its run folder
//	viewErr, writeErr := p.show(view)           // the view reads tr's events; wait for the folder
//
// The terminal UI calls start itself, once per run (it restarts with a new
// net), so it is given p.newRun; the plain view is given the one run.

// pipeline is the loaded data of a run, what its trainers report and
// where their run folders go.
type pipeline struct {
	d   *data
	cfg engine.TrainConfig  // what each trainer reports
	rec *runfolder.Recorder // nil with --no-save
}

// newPipeline loads c's data (with --load, c becomes the checkpoint's
// settings: p.d.c), telling progress how far it has come, for runs whose
// trainers report as cfg says, each kept in a new run folder under runs
// unless noSave. A run resumed without its optimiser's saved state
// (engine.MissingState) says so in one line on progress (the command's
// stderr), and goes on.
func newPipeline(c config.Config, cfg engine.TrainConfig, runs string, noSave bool, progress io.Writer) (*pipeline, error) {
	d, err := load(c, progress)
	if err != nil {
		return nil, err
	}
	if d.ck != nil { // read here, once, before any run (the terminal UI restarts) resumes from it
		if err := d.ck.OptimizerState(d.c.Optimizer); err != nil && progress != nil {
			fmt.Fprintf(progress, "lenet-tui: %s\n", escapeControls(err.Error()))
		}
	}
	return d.pipeline(cfg, runs, noSave), nil
}

// pipeline is newPipeline on data already loaded. A run kept in a run
// folder also reports what the folder keeps (runfolder.Recording).
func (d *data) pipeline(cfg engine.TrainConfig, runs string, noSave bool) *pipeline {
	p := &pipeline{d: d, cfg: cfg}
	if !noSave {
		p.cfg = runfolder.Recording(cfg)
		p.rec = runfolder.NewRecorder(runs)
	}
	return p
}

// start makes a fresh net and trainer with the hidden activation act, the
// learning rate lr and the probe image probe, and keeps it in a new run
// folder: the trainer for the view, with the engine's own.
func (p *pipeline) start(act engine.Activation, lr float64, probe int) (tui.Trainer, *engine.Trainer, error) {
	cfg := p.cfg
	cfg.Probe = probe
	t, err := p.d.trainer(cfg, act, lr)
	if err != nil {
		return nil, nil, err
	}
	return p.keep(t, p.d.c, act, lr)
}

// keep records t in a new run folder, with the settings of c under act and
// lr; it returns t itself with --no-save.
func (p *pipeline) keep(t *engine.Trainer, c config.Config, act engine.Activation, lr float64) (tui.Trainer, *engine.Trainer, error) {
	if p.rec == nil {
		return t, t, nil
	}
	c.Activation, c.LR = act, lr
	settings, err := c.YAML()
	if err != nil {
		return nil, nil, err
	}
	r, err := p.rec.Record(t, settings)
	if err != nil {
		return nil, nil, keepAdvice(err)
	}
	return r, t, nil
}

// newRun is start for the terminal UI (tui.Options.NewRun); a request
// that names an architecture (the tour's) gets a run of its own.
func (p *pipeline) newRun(req tui.RunRequest) (tui.Trainer, error) {
	if req.Arch != "" {
		return p.tourRun(req)
	}
	tr, _, err := p.start(req.Activation, req.LR, req.Probe)
	return tr, err
}

// tourRun is a fresh run of a built-in architecture with its own defaults
// on the program's data, changed as req says: a step of the tour.
func (p *pipeline) tourRun(req tui.RunRequest) (tui.Trainer, error) {
	spec, err := engine.LookupArch(req.Arch)
	if err != nil {
		return nil, err
	}
	spec = spec.ForClasses(p.d.train.Classes)
	c := p.d.c
	c.Arch, c.Layers, c.Settings, c.Load, c.Save = spec.Name, nil, spec.Defaults, "", ""
	if req.Activation != "" {
		c.Activation = req.Activation
	}
	if req.LR > 0 {
		c.LR = req.LR
	}
	if req.Init != "" {
		c.Init = req.Init
	}
	d := &data{c: c, spec: spec, train: p.d.train, test: p.d.test}
	cfg := p.cfg
	cfg.Probe = req.Probe
	t, err := d.trainer(cfg, c.Activation, c.LR)
	if err != nil {
		return nil, err
	}
	tr, _, err := p.keep(t, c, c.Activation, c.LR)
	return tr, err
}

// reserve makes the run folder of the next run now, so that the terminal
// UI can say where it writes before the run starts; "" with --no-save.
func (p *pipeline) reserve() (string, error) {
	if p.rec == nil {
		return "", nil
	}
	dir, err := p.rec.Reserve(p.d.spec.Name, p.d.c.Activation)
	if err != nil {
		return "", keepAdvice(err)
	}
	return dir, nil
}

// show has view read the events of the runs started, to their end, then
// waits until every run folder is written: how the view ended, and the
// first error writing a folder.
func (p *pipeline) show(view func() error) (viewErr, writeErr error) {
	viewErr = view()
	if p.rec != nil {
		writeErr = p.rec.Wait()
	}
	return viewErr, writeErr
}

// dir is the run folder of the first run kept; "" for none.
func (p *pipeline) dir() string {
	if p.rec == nil {
		return ""
	}
	if dirs := p.rec.Dirs(); len(dirs) > 0 {
		return dirs[0]
	}
	return ""
}

// keepAdvice adds to a run folder's error what to do about it.
func keepAdvice(err error) error {
	return fmt.Errorf("%w (--no-save trains without keeping the run)", err)
}

// data is a run's configuration with its images loaded.
type data struct {
	c           config.Config
	spec        engine.ArchSpec
	train, test *dataset.Set
	ck          *engine.Checkpoint // --load: the net to start from; nil for a new one
	resume      bool               // continue ck's run (train, the terminal UI), not only its net (eval)
}

// withCheckpoint reads the checkpoint c.Load names, if any, and returns the
// run it makes: its settings under c's flags.
func withCheckpoint(c config.Config) (config.Config, *engine.Checkpoint, error) {
	if c.Load == "" {
		return c, nil, nil
	}
	ck, err := engine.ReadCheckpoint(c.Load)
	if err != nil {
		return c, nil, err
	}
	c, err = c.WithCheckpoint(ck)
	return c, ck, err
}

// load reads the dataset's headers (or walks its image folder), checks the
// run against them (the batch against the training set, the net with an
// output layer of the data's classes on its image size against the
// engine's limits and memory budget), and only then reads the images,
// telling progress (nil: nobody) how far an image folder's decoding has
// come.
func load(c config.Config, progress io.Writer) (*data, error) {
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
	opts := dataset.Options{HeldOut: c.HeldOut, KeepSize: c.KeepSize, Prepare: digit.PrepareImage, Progress: loadProgress(progress, dir)}
	dims, _, err := dataset.Peek(dir, opts)
	if err != nil {
		return nil, err
	}
	if err := c.Settings.CheckTrainSet(dims.Count); err != nil {
		return nil, c.Place(err)
	}
	spec = spec.ForClasses(dims.Classes)
	in := engine.Shape{C: 1, H: dims.Rows, W: dims.Cols}
	if _, err := engine.Plan(spec, in, dims.Classes, c.Settings); err != nil {
		return nil, fmt.Errorf("%s holds %d classes of %d×%d images: %w", dir, dims.Classes, dims.Rows, dims.Cols, c.Place(err))
	}
	train, test, err := dataset.Load(dir, c.Dataset, opts)
	if err != nil {
		return nil, err
	}
	if err := sameClasses(ck, train, dir); err != nil {
		return nil, err
	}
	return &data{c: c, spec: spec, train: train, test: test, ck: ck, resume: ck != nil}, nil
}

// name is the data's name: mnist, fashion-mnist, or an image folder's own.
func (d *data) name() string { return strings.TrimSuffix(d.train.Name, "/train") }

// sameClasses refuses a checkpoint whose classes have other names than
// the data's, in order: its outputs would be scored against labels that
// mean something else (a net trained on a folder's classes, eight, five,
// four, … read on MNIST's digits). A checkpoint saved before names were
// kept is not checked.
func sameClasses(ck *engine.Checkpoint, train *dataset.Set, dir string) error {
	if ck == nil || ck.Names == nil {
		return nil
	}
	data := make([]string, train.Classes)
	for i := range data {
		data[i] = train.ClassName(i)
	}
	if slices.Equal(ck.Names, data) {
		return nil
	}
	return fmt.Errorf("%s was trained on classes named %s, but %s's are %s: give --data the folder it was trained on",
		escapeControls(ck.Path), nameList(ck.Names), escapeControls(dir), nameList(data))
}

// nameList is the first few names of a list, quoted, and how many more.
func nameList(names []string) string {
	const shown = 4
	q := make([]string, 0, shown)
	for _, n := range names[:min(len(names), shown)] {
		q = append(q, strconv.Quote(n))
	}
	if len(names) > shown {
		q = append(q, fmt.Sprintf("… (%d in all)", len(names)))
	}
	return strings.Join(q, ", ")
}

// loadProgress is a dataset.Options.Progress that writes to w how far the
// decoding of dir's pictures has come, "loading DIR: 12,000/60,000
// images", at most twice a second, and the last count; nil for no w.
func loadProgress(w io.Writer, dir string) func(done, total int) {
	if w == nil {
		return nil
	}
	last := time.Now()
	return func(done, total int) {
		if now := time.Now(); done == total || now.Sub(last) >= 500*time.Millisecond {
			last = now
			fmt.Fprintf(w, "loading %s: %s/%s images\n", escapeControls(dir), engine.Thousands(done), engine.Thousands(total))
		}
	}
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
	cfg.Settings, cfg.Dataset = s, d.name()
	t, err := engine.NewTrainer(net, d.train, d.test, cfg)
	if err != nil {
		return nil, d.c.Place(err) // with --load, --epochs N at most those trained
	}
	return t, nil
}
