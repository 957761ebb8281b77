package runfolder

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// newTrainer builds a real lenet5 trainer on small synthetic data, with an
// evaluation every quarter epoch and gradient flow every 5 batches.
func newTrainer(t testing.TB, act engine.Activation, epochs int) *engine.Trainer {
	t.Helper()
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Activation, s.Batch, s.Epochs = act, 32, epochs
	train, test := dataset.Synthetic(320, 28, 28, 1), dataset.Synthetic(64, 28, 28, 2)
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 1, EvalEvery: 0.25, FlowEvery: 5})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// record runs tr through Record into a new folder under parent and returns
// the folder and every event the view saw.
func record(t testing.TB, parent string, tr *engine.Trainer, settings string) (string, []engine.Event) {
	t.Helper()
	info := tr.Info()
	dir, err := NewDir(parent, time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), info.Arch, info.Activation)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Create(dir, []byte(settings), info, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out, errc := Record(w, tr.Events(), 64)
	go tr.Run(context.Background())
	var evs []engine.Event
	for ev := range out {
		evs = append(evs, ev)
	}
	if err := <-errc; err != nil {
		t.Fatalf("Record: %v", err)
	}
	return dir, evs
}

func TestRoundTrip(t *testing.T) {
	dir, evs := record(t, t.TempDir(), newTrainer(t, "relu", 2), "arch: lenet5\nactivation: relu # the hidden activation\nlayers:\n  - {name: C1, kind: conv}\n")
	if got, want := filepath.Base(dir), "20261130-120000-lenet5-relu"; got != want {
		t.Errorf("NewDir = %s, want %s", got, want)
	}
	r, err := Read(dir)
	if err != nil {
		t.Fatalf("Read(%s) = %v", dir, err)
	}
	points, evals, epochs, flows, done := viewed(evs)
	if len(points) != 20 {
		t.Errorf("the view saw %d batches, want 2 epochs of 10", len(points))
	}
	if len(r.Points) != len(points) {
		t.Fatalf("Read: %d batches, want %d", len(r.Points), len(points))
	}
	for i := range points {
		if r.Points[i] != points[i] {
			t.Errorf("Read: batch %d = %+v, want %+v", i, r.Points[i], points[i])
		}
	}
	if len(r.Evals) != evals || len(r.Epochs) != epochs || len(r.Flows) != flows || evals == 0 || flows == 0 || epochs != 2 {
		t.Errorf("Read: %d evals, %d epochs, %d flows; want %d, %d, %d (each > 0)", len(r.Evals), len(r.Epochs), len(r.Flows), evals, epochs, flows)
	}
	if r.End == nil || r.End.Type != "done" || float64(r.End.TestAcc) != done.TestAcc || r.End.Epochs != 2 {
		t.Errorf("Read: end %+v, want done after 2 epochs with test acc %g", r.End, done.TestAcc)
	}
	if r.Start.Arch != "lenet5" || r.Start.Activation != "relu" || r.Start.TrainImages != 320 {
		t.Errorf("Read: start %+v, want lenet5, relu, 320 training images", r.Start)
	}
	want := []Setting{{"arch", "lenet5"}, {"activation", "relu"}, {"layers", "[{name: C1, kind: conv}]"}}
	if len(r.Settings) != len(want) {
		t.Fatalf("Read: settings %q, want %q", r.Settings, want)
	}
	for i := range want {
		if r.Settings[i] != want[i] {
			t.Errorf("Read: setting %d = %q, want %q", i, r.Settings[i], want[i])
		}
	}
	if l, a, n := r.Final(); l != done.TestLoss || a != done.TestAcc || n != 2 {
		t.Errorf("Final() = %g, %g, %d; want %g, %g, 2", l, a, n, done.TestLoss, done.TestAcc)
	}
}

// viewed is what a view saw of the events evs: every batch's point, how
// many evaluations, epoch ends and flows, and the run's Done.
func viewed(evs []engine.Event) (points []Point, evals, epochs, flows int, done engine.Done) {
	for _, ev := range evs {
		switch ev := ev.(type) {
		case engine.Progress:
			for i, l := range ev.Losses {
				s := ev.Step - len(ev.Losses) + 1 + i
				points = append(points, Point{Step: s, Epoch: float64(s) / float64(ev.Batches), Loss: l, Acc: ev.Accs[i]})
			}
		case engine.Evaluation:
			evals++
		case engine.EpochEnd:
			epochs++
		case engine.Flow:
			flows++
		case engine.Done:
			done = ev
		}
	}
	return points, evals, epochs, flows, done
}

func TestFloatNull(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		b, _ := Float(f).MarshalJSON()
		if string(b) != "null" {
			t.Errorf("Float(%g).MarshalJSON() = %s, want null", f, b)
		}
	}
	var f Float
	if err := f.UnmarshalJSON([]byte("null")); err != nil || !math.IsNaN(float64(f)) {
		t.Errorf("UnmarshalJSON(null) = %g, %v; want NaN", f, err)
	}
	b, _ := Float(0.1).MarshalJSON()
	if err := f.UnmarshalJSON(b); err != nil || f != 0.1 {
		t.Errorf("UnmarshalJSON(%s) = %g, %v; want 0.1", b, f, err)
	}
}

// TestCutOff: a history whose last line was cut mid-write reads as far as
// its whole lines go, with an error that says so.
func TestCutOff(t *testing.T) {
	dir, _ := record(t, t.TempDir(), newTrainer(t, "sigmoid", 1), "arch: lenet5\n")
	path := filepath.Join(dir, HistoryFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	last := lines[len(lines)-1]
	cut := strings.Join(lines[:len(lines)-1], "") + last[:len(last)/2]
	if err := os.WriteFile(path, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Read(dir)
	var ce *CutError
	if !errors.As(err, &ce) || ce.Line != len(lines) {
		t.Fatalf("Read(cut) = %v, want a CutError at line %d", err, len(lines))
	}
	if msg := err.Error(); !strings.Contains(msg, "cut off") || !strings.Contains(msg, "delete the last line") {
		t.Errorf("CutError = %q, want it to say the line is cut off and what to do", msg)
	}
	if r == nil || len(r.Points) != 10 || r.End != nil {
		t.Errorf("Read(cut) kept %v; want the 10 batches before the cut line, no end", r)
	}
	// the same line whole but for its newline is fine
	if err := os.WriteFile(path, []byte(strings.TrimSuffix(string(b), "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err := Read(dir); err != nil || r.End == nil {
		t.Errorf("Read(no final newline) = %v; want the whole run", err)
	}
}

func TestNotARun(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o755)
	mk := func(name, settings, history string) string {
		d := filepath.Join(tmp, name)
		os.Mkdir(d, 0o755)
		os.WriteFile(filepath.Join(d, SettingsFile), []byte(settings), 0o644)
		os.WriteFile(filepath.Join(d, HistoryFile), []byte(history), 0o644)
		return d
	}
	start := `{"type":"start","time":"","dataset":"mnist","arch":"lenet5","activation":"relu","optimizer":"adam","loss":"stable","schedule":"constant","lr":0.1,"batch":1,"epochs":1,"train_images":1,"test_images":1}` + "\n"
	for _, tc := range []struct{ name, dir, want string }{
		{"missing", filepath.Join(tmp, "nope"), "no such run folder"},
		{"a file", file, "not a run folder but a file"},
		{"empty folder", empty, "not a run folder: no settings.yaml"},
		{"no history", mk("nohist", "a: 1\n", ""), "empty"},
		{"not YAML", mk("badyaml", "a: [\n", start), "settings.yaml"},
		{"not JSON", mk("notjson", "a: 1\n", "hello\n"), ".jsonl:1: not a JSON record"},
		{"no start", mk("nostart", "a: 1\n", `{"type":"eval"}`+"\n"), `.jsonl:1: a "eval" record: want the run's start first`},
		{"unknown type", mk("unknown", "a: 1\n", start+`{"type":"x"}`+"\n"), `.jsonl:2: unknown record type "x"`},
		{"bad batches", mk("badbatches", "a: 1\n", start+`{"type":"batches","first_step":0,"batches_per_epoch":1,"losses":[1],"accs":[1],"lr":1}`+"\n"), ".jsonl:2"},
		{"unknown field", mk("field", "a: 1\n", start+`{"type":"eval","step":1,"epoch":1,"images":1,"test_loss":1,"test_acc":1,"extra":2}`+"\n"), `unknown field "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Read(%s) = %v, want one line containing %q", tc.dir, err, tc.want)
			}
		})
	}
}

func TestDiffering(t *testing.T) {
	a := &Run{Dir: "runs/a", Settings: []Setting{{"arch", "seed-code"}, {"activation", "sigmoid"}, {"loss", "naive"}, {"seed", "1"}}}
	b := &Run{Dir: "runs/b", Settings: []Setting{{"arch", "seed-code"}, {"activation", "relu"}, {"loss", "stable"}, {"seed", "1"}}}
	keys := Differing([]*Run{a, b})
	if strings.Join(keys, ",") != "activation,loss" {
		t.Errorf("Differing = %q, want activation, loss", keys)
	}
	if got, want := Label(b, keys), "activation: relu, loss: stable"; got != want {
		t.Errorf("Label = %q, want %q", got, want)
	}
	if got := Label(a, nil); got != "a" {
		t.Errorf("Label(no keys) = %q, want the folder a", got)
	}
}

func TestNewDirUnique(t *testing.T) {
	tmp := t.TempDir()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	a, err1 := NewDir(tmp, now, "lenet5", "relu")
	b, err2 := NewDir(tmp, now, "lenet5", "relu")
	if err1 != nil || err2 != nil || a == b || !strings.HasSuffix(b, "-2") {
		t.Errorf("NewDir twice = %s, %s (%v, %v); want two folders, the second with -2", a, b, err1, err2)
	}
}

// TestRecordOnNaN records a run that goes on after its loss turned NaN
// (on_nan continue): the history holds a nan record for the first batch,
// null losses read back as NaN, and a done end with the share of 0s.
func TestRecordOnNaN(t *testing.T) {
	tr, test := nanRun(t, false)
	dir, _ := record(t, t.TempDir(), tr, "arch: seed-code\non_nan: continue\n")
	r, err := Read(dir)
	if err != nil {
		t.Fatalf("Read(%s) = %v", dir, err)
	}
	zeros := 0
	for _, l := range test.Labels {
		if l == 0 {
			zeros++
		}
	}
	if r.NaN == nil || r.NaN.Step != 1 || r.NaN.Cause != "log-zero" || !strings.Contains(r.NaN.Message, "NaN") {
		t.Errorf("Read: nan %+v, want the first batch, log-zero, with its message", r.NaN)
	}
	if len(r.Points) != 4 || !math.IsNaN(r.Points[3].Loss) {
		t.Errorf("Read: %d batches, last %+v; want 4, with a NaN loss", len(r.Points), r.Points[len(r.Points)-1])
	}
	if r.End == nil || r.End.Type != "done" || float64(r.End.TestAcc) != float64(zeros)/50 {
		t.Errorf("Read: end %+v, want done with test accuracy %d/50 (every answer 0)", r.End, zeros)
	}
}

// TestLongLine reads a record much longer than the reader's buffer (4 KB)
// whole: each loss where it was written.
func TestLongLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, SettingsFile), []byte("a: 1\n"), 0o644)
	start := `{"type":"start","time":"","dataset":"mnist","arch":"lenet5","activation":"relu","optimizer":"adam","loss":"stable","schedule":"constant","lr":0.1,"batch":1,"epochs":1,"train_images":1,"test_images":1}`
	b := Batches{Type: "batches", First: 1, BatchesPerEpoch: 3000, LR: 0.1}
	for i := range 3000 {
		b.Losses = append(b.Losses, Float(float64(i)+0.125))
		b.Accs = append(b.Accs, Float(float64(i%7)/8))
	}
	line, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, HistoryFile), []byte(start+"\n"+string(line)+"\n"), 0o644)
	r, err := Read(dir)
	if err != nil {
		t.Fatalf("Read(a %d-byte line) = %v", len(line), err)
	}
	if len(r.Points) != 3000 {
		t.Fatalf("Read: %d batches, want 3000", len(r.Points))
	}
	for i, p := range r.Points {
		if p.Loss != float64(i)+0.125 || p.Acc != float64(i%7)/8 {
			t.Fatalf("Read: batch %d = %+v, want loss %g, acc %g", i+1, p, float64(i)+0.125, float64(i%7)/8)
		}
	}
}

// nanRun is a trainer of the 2017 note's net with ReLU and σ=1 weights on
// synthetic digits, which turns NaN in its first batch and goes on (on_nan
// continue), sending Breakdown events if asked; and its test set.
func nanRun(t *testing.T, breakdown bool) (*engine.Trainer, *dataset.Set) {
	t.Helper()
	spec, _ := engine.LookupArch("seed-code")
	s := spec.Defaults
	s.Activation, s.Batch, s.Epochs, s.OnNaN = engine.ReLU, 50, 1, engine.NaNContinue
	train, test := dataset.Synthetic(200, 28, 28, 1), dataset.Synthetic(50, 28, 28, 2)
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 1, Breakdown: breakdown})
	if err != nil {
		t.Fatal(err)
	}
	return tr, test
}

// TestFlowRecordOldAndNew: a flow record written before dead maps were
// told from silent positions ("dead", the share of positions) still loads,
// as Silent with no maps counted; a new one reads back as written; an unknown
// field is still an error.
func TestFlowRecordOldAndNew(t *testing.T) {
	old := `{"type":"flow","step":5,"epoch":0.1,"layers":[{"name":"C1","activation":"relu","grad_rms":0.01,"input_grad_rms":null,"saturated":null,"dead":0.15}]}`
	r := history{r: &Run{}, flows: newThin[Flow](maxFlows)}
	if err := r.addRecord("flow", []byte(old)); err != nil {
		t.Fatalf("addRecord(old flow) = %v, want nil", err)
	}
	if l := r.flows.list()[0].Layers[0]; l.Silent != 0.15 || l.DeadMapCount != 0 || l.Maps != 0 {
		t.Errorf("old flow record read as %+v, want Silent 0.15 and no maps", l)
	}
	rec := recordOf(engine.Flow{Step: 7, Epoch: 0.2, Layers: []engine.LayerFlow{{Name: "C1", Activation: engine.ReLU, GradRMS: 0.01,
		InputGradRMS: math.NaN(), Saturated: math.NaN(), DeadMaps: 1.0 / 6, DeadMapCount: 1, Maps: 6, Silent: 0.2}}})
	line, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(line), `"dead"`) {
		t.Errorf("new flow record %s has the old field \"dead\"", line)
	}
	if err := r.addRecord("flow", line); err != nil {
		t.Fatalf("addRecord(%s) = %v, want nil", line, err)
	}
	if l := r.flows.list()[1].Layers[0]; l.Silent != 0.2 || l.DeadMapCount != 1 || l.Maps != 6 {
		t.Errorf("new flow record %s read as %+v", line, l)
	}
	bad := strings.Replace(old, `"dead"`, `"deaf"`, 1)
	if err := r.addRecord("flow", []byte(bad)); err == nil {
		t.Errorf("addRecord(%s) = nil, want an error for the unknown field", bad)
	}
}
