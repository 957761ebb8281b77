package tui

import (
	"io"
	"math"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/muesli/termenv"
)

// lenet5Table is LeCun et al. (1998) Table I: output map j of C3 reads the
// listed S2 maps.
var lenet5Table = [16][]int{
	{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {0, 4, 5}, {0, 1, 5},
	{0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {0, 3, 4, 5}, {0, 1, 4, 5}, {0, 1, 2, 5},
	{0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5}, {0, 1, 2, 3, 4, 5},
}

// c3Table is lenet5Table as LayerInfo.Table: [input i][output j].
func c3Table() [][]bool {
	t := make([][]bool, 6)
	for i := range t {
		t[i] = make([]bool, 16)
	}
	for j, ins := range lenet5Table {
		for _, i := range ins {
			t[i][j] = true
		}
	}
	return t
}

// fakeInfo describes the lenet5 run with the real layer arithmetic.
func fakeInfo(act string, lr float64) engine.RunInfo {
	sh := func(c, h, w int) engine.Shape { return engine.Shape{C: c, H: h, W: w} }
	return engine.RunInfo{
		Dataset: "mnist", Arch: "lenet5", Activation: act, Optimizer: "sgd", Loss: "cross-entropy",
		LR: lr, Batch: 64, Epochs: 10, TrainCount: 60000, TestCount: 10000,
		Layers: []engine.LayerInfo{
			{Name: "C1", Kind: "conv", Op: "conv 5×5, pad 2", In: sh(1, 28, 28), Out: sh(6, 28, 28), Activation: act, Hidden: true,
				Params: 156, Connections: 122304, ParamsFormula: "6×(5×5+1)=156", ConnectionsFormula: "156×28×28=122,304", Kernel: 5, Padding: "same"},
			{Name: "S2", Kind: "pool", Op: "subsample 2×2", In: sh(6, 28, 28), Out: sh(6, 14, 14), Activation: act, Hidden: true,
				Params: 12, Connections: 5880, ParamsFormula: "6×(1+1)=12", ConnectionsFormula: "6×(4+1)×14×14=5,880", Kernel: 2,
				Note: "LeCun's subsampling: sum of 2×2, times a trainable coefficient, plus a bias."},
			{Name: "C3", Kind: "conv", Op: "conv 5×5, table", In: sh(6, 14, 14), Out: sh(16, 10, 10), Activation: act, Hidden: true,
				Params: 1516, Connections: 151600, ParamsFormula: "6×(3×25+1)+6×(4×25+1)+3×(4×25+1)+1×(6×25+1)=1,516",
				ConnectionsFormula: "1,516×10×10=151,600", Kernel: 5, Padding: "valid", Table: c3Table()},
			{Name: "S4", Kind: "pool", Op: "subsample 2×2", In: sh(16, 10, 10), Out: sh(16, 5, 5), Activation: act, Hidden: true,
				Params: 32, Connections: 2000, ParamsFormula: "16×(1+1)=32", ConnectionsFormula: "16×(4+1)×5×5=2,000", Kernel: 2},
			{Name: "C5", Kind: "conv", Op: "conv 5×5", In: sh(16, 5, 5), Out: sh(120, 1, 1), Activation: act, Hidden: true,
				Params: 48120, Connections: 48120, ParamsFormula: "120×(16×5×5+1)=48,120", ConnectionsFormula: "48,120×1×1=48,120", Kernel: 5, Padding: "valid"},
			{Name: "F6", Kind: "dense", Op: "dense", In: sh(120, 1, 1), Out: sh(84, 1, 1), Activation: act, Hidden: true,
				Params: 10164, Connections: 10164, ParamsFormula: "84×(120+1)=10,164", ConnectionsFormula: "10,164"},
			{Name: "OUTPUT", Kind: "dense", Op: "dense", In: sh(84, 1, 1), Out: sh(10, 1, 1), Activation: "softmax",
				Params: 850, Connections: 850, ParamsFormula: "10×(84+1)=850", ConnectionsFormula: "850"},
		},
	}
}

// wave fills n values with a deterministic pattern.
func wave(n int, f float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(math.Sin(float64(i)*f) * math.Cos(float64(i)*f/7))
	}
	return v
}

// fakeDigit is a 28×28 "7".
func fakeDigit() []float32 {
	v := make([]float32, 28*28)
	for x := 6; x < 22; x++ {
		v[6*28+x], v[7*28+x] = 1, 1
	}
	for y := 8; y < 24; y++ {
		x := 21 - (y-8)/2
		v[y*28+x], v[y*28+x-1] = 1, 0.6
	}
	return v
}

// fakeSnapshot is a snapshot of every lenet5 block with kernels for convs.
func fakeSnapshot(step, probe int) engine.Snapshot {
	s := engine.Snapshot{Step: step, Probe: probe, Label: 7, Input: fakeDigit(),
		Probs: []float32{0.001, 0.002, 0.03, 0.01, 0.001, 0.002, 0.001, 0.91, 0.002, 0.041}}
	for i, li := range fakeInfo("sigmoid", 0.1).Layers {
		b := engine.BlockMaps{Name: li.Name, Shape: li.Out, Maps: wave(li.Out.Size(), 0.3+0.1*float64(i))}
		if li.Kind == "conv" {
			b.KShape = [4]int{li.Out.C, li.In.C, li.Kernel, li.Kernel}
			b.Kernels = wave(li.Out.C*li.In.C*li.Kernel*li.Kernel, 0.7)
		}
		s.Blocks = append(s.Blocks, b)
	}
	return s
}

// fakeEnv is a starter whose runs are plain channels; it records the
// commands sent and the runs stopped.
type fakeEnv struct {
	runs    []chan engine.Event
	sent    []engine.Command
	stopped []int
	err     error
	acts    []string
	lrs     []float64
}

func (f *fakeEnv) start(id int, act string, lr float64) (runHandle, error) {
	f.acts, f.lrs = append(f.acts, act), append(f.lrs, lr)
	if f.err != nil {
		return runHandle{}, f.err
	}
	ch := make(chan engine.Event, 16)
	f.runs = append(f.runs, ch)
	return runHandle{
		id: id, info: fakeInfo(act, lr), events: ch,
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

// newTestModel starts a model on a fake env at w×h with its first run
// installed; the returned command is the armed event reader.
func newTestModel(t *testing.T, st styles, w, h int) (*model, *fakeEnv, tea.Cmd) {
	t.Helper()
	env := &fakeEnv{}
	m := newModel(st, env.start, "sigmoid", 0.1)
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
		_, cmd = m.Update(eventMsg{run: m.run.id, ev: ev})
	}
	return cmd
}

// progress makes the Progress of batch `batch` of epoch `epoch` with
// per-batch losses since step from.
func progress(epoch, batch, from int) engine.Progress {
	const batches = 938
	step := (epoch-1)*batches + batch
	var losses []float64
	for s := from; s <= step; s++ {
		losses = append(losses, 2.3*math.Exp(-float64(s)/300)+0.05+0.1*math.Sin(float64(s)))
	}
	return engine.Progress{Epoch: epoch, Batch: batch, Batches: batches, Step: step, Losses: losses,
		TrainLoss: 0.4, TrainAcc: 0.88, ImagesPerSec: 2150}
}

// trainedModel is a model two and a half epochs in, with an activation and a
// learning rate switch and a snapshot.
func trainedModel(t *testing.T, st styles, w, h int) (*model, *fakeEnv) {
	m, env, _ := newTestModel(t, st, w, h)
	from := 1
	for step := 50; step <= 2345; step += 50 {
		ep, b := (step-1)/938+1, (step-1)%938+1
		feed(m, progress(ep, b, from))
		from = step + 1
		if step == 900 {
			feed(m, engine.ActivationChanged{Step: 900, Activation: "relu"})
		}
		if step == 1500 {
			feed(m, engine.LRChanged{Step: 1500, LR: 0.05})
		}
		if b+50 > 938 {
			feed(m, engine.EpochEnd{Epoch: ep, Epochs: 10, Step: ep * 938, TrainLoss: 0.5 / float64(ep), TrainAcc: 0.85 + 0.05*float64(ep),
				TestLoss: 0.4 / float64(ep), TestAcc: 0.9 + 0.03*float64(ep), Seconds: 31.5, ImagesPerSec: 2100})
		}
	}
	feed(m, fakeSnapshot(2345, 0))
	return m, env
}

func failedEvent() engine.Failed {
	return engine.Failed{Epoch: 3, Batch: 425, Step: 2301, Reason: "the loss became NaN at epoch 3, batch 425: activations overflowed in C1 (relu with σ=1 weights)."}
}

func doneEvent() engine.Done {
	return engine.Done{Epochs: 10, Step: 9380, TestLoss: 0.0412, TestAcc: 0.9891, Seconds: 318}
}

func timeNow() time.Time { return time.Now() }
