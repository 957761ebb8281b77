package tui

import (
	"context"
	"io"
	"math"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/muesli/termenv"
)

// Fixtures. Every fact the panels show — layer tables, formulas, shapes,
// feature maps, kernels, probabilities, failures — comes from the real
// engine: real architectures built with engine.Build, real trainers on
// synthetic digits (dataset.Synthetic, one worker so that runs repeat).
// Only the trainer is fake: runs are plain channels fed with hand-made
// Progress and EpochEnd events with deterministic losses and throughput.

// The fixture data: synthetic 28×28 digits, sized so that an epoch of
// lenet5's default batch of 32 is fixtureBatches batches.
const (
	fixtureTrain   = 6400
	fixtureTest    = 1000
	fixtureBatches = 200 // fixtureTrain / 32
	fixtureEpochs  = 3   // lenet5's default
	fixtureLR      = 0.003
	fixtureProbe   = 7
)

var fixtureSets = sync.OnceValues(func() (train, test *dataset.Set) {
	return dataset.Synthetic(fixtureTrain, 28, 28, 1), dataset.Synthetic(fixtureTest, 28, 28, 2)
})

// realTrainer builds the built-in architecture arch with its default
// settings, changed by edit, on the fixture data. Fixtures cannot fail: it
// panics on an error.
func realTrainer(arch string, edit func(*engine.Settings)) *engine.Trainer {
	s := defaults(arch)
	if edit != nil {
		edit(&s)
	}
	train, test := fixtureSets()
	return fixtureTrainer(arch, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 1, Probe: fixtureProbe})
}

// defaults are the built-in architecture arch's default settings.
func defaults(arch string) engine.Settings {
	spec, err := engine.LookupArch(arch)
	if err != nil {
		panic(err)
	}
	return spec.Defaults
}

// fixtureTrainer builds the built-in architecture arch with cfg.Settings
// and a trainer of it on train and test with cfg. Fixtures cannot fail: it
// panics on an error.
func fixtureTrainer(arch string, train, test *dataset.Set, cfg engine.TrainConfig) *engine.Trainer {
	spec, err := engine.LookupArch(arch)
	if err != nil {
		panic(err)
	}
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, cfg.Settings)
	if err != nil {
		panic(err)
	}
	tr, err := engine.NewTrainer(net, train, test, cfg)
	if err != nil {
		panic(err)
	}
	return tr
}

// realEvents runs tr to its end and returns its events, with the wall-clock
// figures zeroed so that views of them repeat.
func realEvents(tr *engine.Trainer) []engine.Event {
	go tr.Run(context.Background())
	var evs []engine.Event
	for ev := range tr.Events() {
		switch e := ev.(type) {
		case engine.Progress:
			e.ImagesPerSec, e.Elapsed = 0, 0
			ev = e
		case engine.EpochEnd:
			e.Seconds, e.ImagesPerSec = 0, 0
			ev = e
		case engine.Done:
			e.Seconds = 0
			ev = e
		}
		evs = append(evs, ev)
	}
	return evs
}

// probeSnapshot is the probe digit seen by a real lenet5 (its defaults:
// ReLU, He, Adam) after an epoch of ten batches.
var probeSnapshot = sync.OnceValue(func() engine.Snapshot { return trainedProbe("lenet5", false) })

// trainedProbe is the probe digit seen by a real arch (its defaults) after
// an epoch of ten batches, with the probe's gradients if grads.
func trainedProbe(arch string, grads bool) engine.Snapshot {
	s := defaults(arch)
	s.Epochs = 1
	_, test := fixtureSets()
	tr := fixtureTrainer(arch, dataset.Synthetic(10*s.Batch, 28, 28, 3), test, engine.TrainConfig{Settings: s, Workers: 1, ProbeGradients: grads})
	tr.Run(context.Background())
	for range tr.Events() {
	}
	return tr.Probe(fixtureProbe)
}

// initialSnapshot is the probe digit seen by lenet5 (its defaults) as
// built, before any training: what the trainer sends before batch 1.
var initialSnapshot = sync.OnceValue(func() engine.Snapshot {
	_, test := fixtureSets()
	tr := fixtureTrainer("lenet5", test, test, engine.TrainConfig{Settings: defaults("lenet5"), Workers: 1})
	return tr.Probe(fixtureProbe)
})

// realSnapshot is probeSnapshot sent at step `step` of the fake trainer's
// story.
func realSnapshot(step int) engine.Snapshot { return atStep(probeSnapshot(), step) }

// atStep is s as the trainer sends it at step: with the step and the
// distortions of the probe drawn for it (engine.Distort), which depend on
// the step.
func atStep(s engine.Snapshot, step int) engine.Snapshot {
	s.Step = step
	h, w := inputShape(len(s.Input))
	s.Distorted = engine.Distort(s.Input, h, w, step)
	return s
}

// realFailure is what the real trainer sends when the 2017 note's program
// (seed-code: σ=1 weights, the naive loss) runs with ReLU: NaN in the
// first batch, before any update.
var realFailure = sync.OnceValue(func() engine.Failed { return lastFailed(seedCodeEvents(engine.ReLU, 0)) })

// seedCodeEvents runs seed-code with activation act and, unless 0, lr.
func seedCodeEvents(act engine.Activation, lr float64) []engine.Event {
	tr := realTrainer("seed-code", func(s *engine.Settings) {
		s.Activation = act
		if lr != 0 {
			s.LR = lr
		}
	})
	return realEvents(tr)
}

func lastFailed(evs []engine.Event) engine.Failed {
	f, ok := evs[len(evs)-1].(engine.Failed)
	if !ok {
		panic("the seed-code run did not fail")
	}
	return f
}

// fakeEnv is a starter whose runs are plain channels, described by the
// RunInfo of a real trainer of arch (lenet5 unless set) on the fixture's
// digits, their classes named as names says (MNIST's digits if nil); it
// records the commands sent and the runs stopped.
type fakeEnv struct {
	arch    string
	names   []string
	runs    []chan engine.Event
	sent    []engine.Command
	stopped []int
	err     error
	acts    []engine.Activation
	lrs     []float64
	probes  []int
	reqs    []RunRequest
}

func (f *fakeEnv) start(id int, req RunRequest) (runHandle, error) {
	act, lr := req.Activation, req.LR
	f.acts, f.lrs, f.probes = append(f.acts, act), append(f.lrs, lr), append(f.probes, req.Probe)
	f.reqs = append(f.reqs, req)
	if f.err != nil {
		return runHandle{}, f.err
	}
	arch := f.arch
	if req.Arch != "" {
		arch = req.Arch
	}
	if arch == "" {
		arch = "lenet5"
	}
	s := defaults(arch)
	if act != "" {
		s.Activation = act
	}
	if lr > 0 {
		s.LR = lr
	}
	if req.Init != "" {
		s.Init = req.Init
	}
	train, test := fixtureSets()
	if f.names != nil {
		named := *train
		named.Names = f.names
		train = &named
	}
	info := fixtureTrainer(arch, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 1, Probe: fixtureProbe}).Info()
	ch := make(chan engine.Event, 16)
	f.runs = append(f.runs, ch)
	return runHandle{
		id: id, info: info, events: ch,
		send: func(c engine.Command) { f.sent = append(f.sent, c) },
		stop: func() { f.stopped = append(f.stopped, id) },
	}, nil
}

// asciiStyles are the styles of a NO_COLOR terminal, for golden files.
func asciiStyles() styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return newStyles(r, true)
}

// colorStyles are true-colour styles.
func colorStyles() styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	return newStyles(r, false)
}

// newTestModel starts a model on a fake lenet5 env at w×h with its first
// run installed; the returned command is the armed event reader.
func newTestModel(t *testing.T, st styles, w, h int) (*model, *fakeEnv, tea.Cmd) {
	t.Helper()
	return newArchModel(t, st, w, h, "lenet5", engine.Sigmoid, fixtureLR)
}

// newArchModel is newTestModel for any architecture, activation and lr.
func newArchModel(t *testing.T, st styles, w, h int, arch string, act engine.Activation, lr float64) (*model, *fakeEnv, tea.Cmd) {
	t.Helper()
	return newEnvModel(t, st, w, h, &fakeEnv{arch: arch}, act, lr)
}

// newEnvModel is newArchModel on env.
func newEnvModel(t *testing.T, st styles, w, h int, env *fakeEnv, act engine.Activation, lr float64) (*model, *fakeEnv, tea.Cmd) {
	t.Helper()
	m := newModel(st, env.start, act, lr)
	m.interval = 0
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	msg := m.Init()()
	_, cmd := m.Update(msg)
	if m.run == nil {
		t.Fatalf("Init: no run installed after %T", msg)
	}
	return m, env, cmd
}

// feed delivers events of the current run.
func feed(m *model, evs ...engine.Event) tea.Cmd {
	var cmd tea.Cmd
	for _, ev := range evs {
		_, cmd = m.Update(eventsMsg{run: m.run.id, evs: []engine.Event{ev}})
	}
	return cmd
}

// fakeLoss is the deterministic loss of batch `step` of the fake trainer.
func fakeLoss(step int) float64 {
	return 2.3*math.Exp(-float64(step)/60) + 0.05 + 0.1*math.Sin(float64(step))
}

// progress makes the Progress of batch `batch` of epoch `epoch` with
// per-batch losses since step from.
func progress(epoch, batch, from int) engine.Progress {
	step := (epoch-1)*fixtureBatches + batch
	var losses []float64
	for s := from; s <= step; s++ {
		losses = append(losses, fakeLoss(s))
	}
	accs := make([]float64, len(losses))
	for i, l := range losses {
		accs[i] = math.Exp(-l) // a made-up accuracy that rises as the loss falls
	}
	return engine.Progress{Epoch: epoch, Batch: batch, Batches: fixtureBatches, Step: step, Losses: losses, Accs: accs,
		LR: 0.0011, TrainLoss: 0.4, TrainAcc: 0.88, ImagesPerSec: 2150}
}

// The fake trainer's story: trainedModel is this far in.
const (
	storyStep   = 2*fixtureBatches + fixtureBatches/2 // two and a half epochs
	storyReLU   = 180                                 // a switches sigmoid → relu after this step
	storyHalfLR = 320                                 // - halves the lr after this step
)

// storyEpochEnd is the fake trainer's end of epoch ep, at step.
func storyEpochEnd(ep, step int) engine.EpochEnd {
	return engine.EpochEnd{Epoch: ep, Epochs: fixtureEpochs, Step: step, TrainLoss: 0.5 / float64(ep), TrainAcc: 0.85 + 0.05*float64(ep),
		TestLoss: 0.4 / float64(ep), TestAcc: 0.9 + 0.03*float64(ep), Seconds: 3.1, ImagesPerSec: 2100}
}

// trainedModel is a model two and a half epochs in, with an activation and a
// learning rate switch and a snapshot.
func trainedModel(t *testing.T, st styles, w, h int) (*model, *fakeEnv) {
	return namedModel(t, st, w, h, nil)
}

// namedModel is trainedModel on digits whose classes are named as names
// says (such as Fashion-MNIST's ten); nil for MNIST's digits.
func namedModel(t *testing.T, st styles, w, h int, names []string) (*model, *fakeEnv) {
	t.Helper()
	m, env, _ := newEnvModel(t, st, w, h, &fakeEnv{arch: "lenet5", names: names}, engine.Sigmoid, fixtureLR)
	feed(m, initialSnapshot())
	from := 1
	for step := 10; step <= storyStep; step += 10 {
		ep, b := (step-1)/fixtureBatches+1, (step-1)%fixtureBatches+1
		feed(m, progress(ep, b, from))
		from = step + 1
		if step == storyReLU {
			feed(m, engine.ActivationChanged{Step: step, Activation: engine.ReLU})
		}
		if step == storyHalfLR {
			feed(m, engine.LRChanged{Step: step, LR: fixtureLR / 2})
		}
		if b == fixtureBatches {
			feed(m, storyEpochEnd(ep, step))
		}
	}
	feed(m, realSnapshot(storyStep))
	return m, env
}

// finish plays the fake trainer's story of trainedModel to its end: the
// last batch, the last epoch's evaluation and Done.
func finish(m *model) tea.Cmd {
	last := fixtureEpochs * fixtureBatches
	return feed(m, progress(fixtureEpochs, fixtureBatches, storyStep+1),
		engine.EpochEnd{Epoch: fixtureEpochs, Epochs: fixtureEpochs, Step: last, TrainLoss: 0.05, TrainAcc: 0.985,
			TestLoss: 0.0412, TestAcc: 0.9891, Seconds: 3.1, ImagesPerSec: 2100},
		engine.Done{Epochs: fixtureEpochs, Step: last, TestLoss: 0.0412, TestAcc: 0.9891, Seconds: 9.4})
}

func timeNow() time.Time { return time.Now() }

// failedModel is a model at w×h whose run is the 2017 note's program with
// ReLU (seed-code), fed every event the real trainer sent for it up to its
// failure.
func failedModel(t *testing.T, w, h int) *model {
	t.Helper()
	m, _, _ := newArchModel(t, asciiStyles(), w, h, "seed-code", engine.ReLU, 0.001)
	feed(m, seedCodeEvents(engine.ReLU, 0)...)
	if m.state != stateFailed {
		t.Fatalf("state after the seed-code run's events = %v, want failed", m.state)
	}
	return m
}

// cardOf is the view of type P in the maps' place (layout.go, cards).
func cardOf[P panel](m *model) P {
	for _, c := range m.lower.cards {
		if p, ok := c.p.(P); ok {
			return p
		}
	}
	panic("no such card")
}
