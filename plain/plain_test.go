package plain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// tiny is a small net on 12×12 synthetic digits: quick to train.
var tiny = engine.ArchSpec{Name: "tiny", Layers: []engine.LayerSpec{
	{Name: "C1", Kind: "conv", Maps: 4, Kernel: 3, Padding: "same"},
	{Name: "S2", Kind: "pool", Pool: "max", Activation: "none"},
	{Name: "C3", Kind: "conv", Maps: 6, Kernel: 3},
	{Name: "F4", Kind: "dense", Units: 16},
	{Name: "OUT", Kind: "dense", Units: 10},
}}

func trainer(t *testing.T, s engine.Settings) *engine.Trainer {
	t.Helper()
	return trainerWith(t, s, engine.TrainConfig{})
}

func trainerWith(t *testing.T, s engine.Settings, cfg engine.TrainConfig) *engine.Trainer {
	t.Helper()
	net, err := engine.Build(tiny, engine.Shape{C: 1, H: 12, W: 12}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	train, test := dataset.Synthetic(300, 12, 12, 1), dataset.Synthetic(100, 12, 12, 2)
	cfg.Settings, cfg.Dataset, cfg.Workers = s, "synthetic", 1
	tr, err := engine.NewTrainer(net, train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func settings() engine.Settings {
	spec, _ := engine.LookupArch("lenet5")
	s := spec.Defaults
	s.Batch, s.Epochs = 30, 2
	return s
}

// noteSettings are the 2017 note's with ReLU: NaN in the first batch.
func noteSettings() engine.Settings {
	spec, _ := engine.LookupArch("seed-code")
	s := spec.Defaults
	s.Activation, s.Batch = engine.ReLU, 50
	return s
}

func TestTrainText(t *testing.T) {
	var out bytes.Buffer
	if err := Train(context.Background(), &out, trainer(t, settings()), settings(), false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "tiny on synthetic (300 train, 100 test images): relu, init he, adam lr 0.003 (onecycle), batch 30, 2 epoch(s), loss stable/mean") ||
		!strings.HasPrefix(strings.TrimSpace(lines[2]), "1 ") || !strings.HasPrefix(lines[4], "test accuracy ") {
		t.Errorf("Train printed\n%s\nwant a header, a column line, two epochs and the result", out.String())
	}
}

func TestTrainJSON(t *testing.T) {
	var out bytes.Buffer
	if err := Train(context.Background(), &out, trainer(t, settings()), settings(), true); err != nil {
		t.Fatal(err)
	}
	var epochs, done int
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if _, ok := r["test_acc"].(float64); !ok {
			t.Errorf("record %q has no test_acc", l)
		}
		if r["done"] == true {
			done++
		} else if r["epoch"] != nil {
			epochs++
		}
	}
	if epochs != 2 || done != 1 {
		t.Errorf("Train --json printed %d epoch records and %d done, want 2 and 1:\n%s", epochs, done, out.String())
	}
}

// TestTrainInterrupted: a run cancelled before its first evaluation still
// ends with a final record, in valid JSON (null, not NaN), and says it was
// interrupted, every time (the trainer's last event must not race the
// cancellation).
func TestTrainInterrupted(t *testing.T) {
	for i := range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out bytes.Buffer
		err := Train(ctx, &out, trainer(t, settings()), settings(), true)
		if err == nil || err.Error() != "interrupted" {
			t.Errorf("Train with a cancelled context = %v, want interrupted", err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		var last map[string]any
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil ||
			last["done"] != true || last["stopped"] != true || last["epochs"] != 0.0 || last["test_acc"] != nil {
			t.Fatalf("run %d: Train --json printed %q, want it to end with a done record, stopped, 0 epochs, test_acc null", i, out.String())
		}
	}
	// The cause of a cancellation, such as the signal, is the error.
	sigterm := errors.New("interrupted by SIGTERM")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(sigterm)
	var out bytes.Buffer
	if err := Train(ctx, &out, trainer(t, settings()), settings(), false); err != sigterm || !strings.Contains(out.String(), "stopped before the first epoch ended") {
		t.Errorf("Train cancelled by SIGTERM = %v, printed %q; want the cause and a last line", err, out.String())
	}
}

// TestTrainFailed feeds the view the engine's own NaN failure: it names the
// cause and gives advice in flags.
func TestTrainFailed(t *testing.T) {
	var out bytes.Buffer
	err := Train(context.Background(), &out, trainer(t, noteSettings()), noteSettings(), true)
	if err == nil {
		t.Fatal("Train of the note's ReLU run succeeded, want a NaN failure")
	}
	for _, want := range []string{"training stopped: the loss became NaN at epoch 1, batch 1", "log(0)", "--init he", "--loss stable"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "--lr") {
		t.Errorf("error %q advises a lower rate for a NaN in the first batch, before any update", err)
	}
	var r map[string]any
	if json.Unmarshal(out.Bytes(), &r) != nil || r["failed"] != true || !strings.Contains(r["advice"].(string), "--init he") {
		t.Errorf("--json printed %q, want a failed record with the advice", out.String())
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestTrainWriteError(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		err := Train(context.Background(), brokenWriter{}, trainer(t, settings()), settings(), asJSON)
		if err == nil || !strings.Contains(err.Error(), "no space left") {
			t.Errorf("Train(json %v) to a full disk = %v, want the write error", asJSON, err)
		}
	}
}

func TestAdvice(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    engine.Failed
		want []string
		not  []string
	}{
		{"σ=1 and the naive loss, in batch 1", engine.Failed{Step: 1, Cause: engine.CauseLogZero, Settings: noteSettings()},
			[]string{"σ=1 initial weights let relu activations", "--init he", "--loss stable"}, []string{"--lr"}},
		{"σ=1 and the naive loss, later", engine.Failed{Step: 40, Cause: engine.CauseLogZero, Settings: noteSettings()},
			[]string{"--init he", "--loss stable", "--lr"}, nil},
		{"a rate too large", engine.Failed{Step: 500, Cause: engine.CauseOverflow, Settings: settings()},
			[]string{"--lr"}, []string{"--init", "--loss"}},
		{"a crash, with the note's settings", engine.Failed{Step: 40, Cause: engine.CausePanic, Panic: "index out of range", Log: "/tmp/x.log", Settings: noteSettings()},
			[]string{"a bug in lenet-tui", "log file"}, []string{"--init", "--loss", "--lr"}},
	} {
		got := Advice(tc.f)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Advice = %q, want it to mention %q", tc.name, got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: Advice = %q, should not mention %q", tc.name, got, w)
			}
		}
	}
}

// TestTrainJSONFlow: with flow measured, each epoch record is followed by
// one record of every block's gradients and unit health.
func TestTrainJSONFlow(t *testing.T) {
	var out bytes.Buffer
	if err := Train(context.Background(), &out, trainerWith(t, settings(), engine.TrainConfig{FlowEvery: 4}), settings(), true); err != nil {
		t.Fatal(err)
	}
	var flows int
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var r struct {
			Flow   bool
			Epoch  int
			Layers []map[string]any
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if !r.Flow {
			continue
		}
		flows++
		if len(r.Layers) != len(tiny.Layers) {
			t.Fatalf("flow record %q: %d layers, want %d", l, len(r.Layers), len(tiny.Layers))
		}
		for _, layer := range r.Layers {
			_, dead := layer["dead_maps"]
			_, maps := layer["maps"]
			_, silent := layer["silent"]
			_, sat := layer["saturated"]
			_, old := layer["dead"]
			if want := layer["activation"] == "relu"; dead != want || maps != want || silent != want || sat || old {
				t.Errorf("layer %v: dead_maps, maps, silent reported %v, %v, %v, saturated %v, dead %v; want the first three exactly for relu (this run has no sigmoid)",
					layer, dead, maps, silent, sat, old)
			}
			if _, ok := layer["grad_rms"]; !ok {
				t.Errorf("layer %v lacks grad_rms", layer)
			}
		}
	}
	if flows != 2 {
		t.Errorf("%d flow records for 2 epochs, want 2:\n%s", flows, out.String())
	}
}

// TestTrainOnNaNContinue runs the note's failing settings on: the text view
// says once that the loss turned NaN and that the run goes on, prints NaN
// losses and the share of 0s, and ends without an error; the JSON view
// writes a nan record and every NaN as null, each line valid JSON.
func TestTrainOnNaNContinue(t *testing.T) {
	s := noteSettings()
	s.OnNaN = engine.NaNContinue
	var text bytes.Buffer
	if err := Train(context.Background(), &text, trainer(t, s), s, false); err != nil {
		t.Fatalf("Train = %v, want no error: the run went on", err)
	}
	out := text.String()
	if strings.Count(out, "training goes on with NaN weights (--on-nan continue)") != 1 || !strings.Contains(out, "NaN") {
		t.Errorf("Train printed\n%s\nwant one line saying the run goes on on NaN weights, and NaN losses", out)
	}
	var js bytes.Buffer
	if err := Train(context.Background(), &js, trainer(t, s), s, true); err != nil {
		t.Fatal(err)
	}
	var nans int
	var last map[string]any
	for _, l := range strings.Split(strings.TrimSpace(js.String()), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if r["nan"] == true {
			nans++
		}
		last = r
	}
	if nans != 1 || last["done"] != true || last["test_loss"] != nil || last["test_acc"] == nil {
		t.Errorf("JSON: %d nan records, last %v; want one, and a done record with test_loss null and a test accuracy", nans, last)
	}
}
