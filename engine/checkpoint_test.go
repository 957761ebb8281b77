package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/safetensors"
)

// ckptData are the synthetic digits the checkpoint tests train on.
var ckptTrain, ckptTest = dataset.Synthetic(300, 28, 28, 1), dataset.Synthetic(100, 28, 28, 2)

func ckptSettings(opt Optimizer) Settings {
	s := modern
	s.Optimizer, s.Batch, s.Epochs = opt, 20, 4
	return s
}

// newRun makes a one-worker trainer of lenet5 on the synthetic digits,
// from scratch or with ck's net, resuming its run if resume is set.
func newRun(t *testing.T, s Settings, ck *Checkpoint, resume bool) *Trainer {
	t.Helper()
	spec, _ := LookupArch("lenet5")
	var net *Net
	var err error
	if ck != nil {
		net, err = ck.Net(s)
	} else {
		net, err = Build(spec, Shape{1, 28, 28}, 10, s)
	}
	if err != nil {
		t.Fatal(err)
	}
	cfg := TrainConfig{Settings: s, Workers: 1, Dataset: "synthetic"}
	if resume {
		cfg.Resume = ck
	}
	tr, err := NewTrainer(net, ckptTrain, ckptTest, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// finish runs tr to its end and returns its last event.
func finish(t *testing.T, tr *Trainer) Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	var last Event
	for ev := range tr.Events() {
		last = ev
	}
	return last
}

func TestCheckpointRoundTrip(t *testing.T) {
	s := ckptSettings(Adam)
	s.Epochs = 1
	tr := newRun(t, s, nil, false)
	done, ok := finish(t, tr).(Done)
	if !ok {
		t.Fatalf("run ended without Done")
	}
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.TestAcc != done.TestAcc || ck.TestLoss != done.TestLoss || ck.Step != done.Step || ck.Settings != s || ck.Spec.Name != "lenet5" {
		t.Errorf("ReadCheckpoint = acc %v loss %v step %d %+v, want the run's %v %v %d %+v", ck.TestAcc, ck.TestLoss, ck.Step, ck.Settings, done.TestAcc, done.TestLoss, done.Step, s)
	}
	loaded := newRun(t, ck.Settings, ck, false)
	want, wantLabels := tr.Logits(100)
	got, gotLabels := loaded.Logits(100)
	if !bytes.Equal(gotLabels, wantLabels) || len(got) != 1000 {
		t.Fatalf("Logits(100) = %d values, labels %v, want 1000 and %v", len(got), gotLabels, wantLabels)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("logit %d after save and load = %v, want %v", i, got[i], want[i])
		}
	}
	if loss, acc := loaded.Evaluate(); acc != done.TestAcc || loss != done.TestLoss {
		t.Errorf("Evaluate() after load = %v, %v, want the run's %v, %v", loss, acc, done.TestLoss, done.TestAcc)
	}
	// Before Run, with workers of its own: Evaluate and Save start them.
	two, err := NewTrainer(must(ck.Net(ck.Settings)), ckptTrain, ckptTest, TrainConfig{Settings: ck.Settings, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, acc := two.Evaluate(); acc != done.TestAcc {
		t.Errorf("Evaluate() with 2 workers = %v, want %v", acc, done.TestAcc)
	}
	if err := two.Save(path + ".2"); err != nil {
		t.Errorf("Save with 2 workers before Run = %v", err)
	}
}

// TestCheckpointHoldsWeightsOnly: tensor names and shapes are PyTorch's,
// and the weights file holds nothing else (PyTorch's
// load_state_dict(strict=True) refuses other keys); the optimiser's state
// is beside it.
func TestCheckpointHoldsWeightsOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := newRun(t, ckptSettings(Adam), nil, false).Save(path); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]int{"c1.weight": {6, 1, 5, 5}, "c1.bias": {6}, "s2.coef": {6}, "s2.bias": {6}, "c3.weight": {16, 6, 5, 5}, "c3.bias": {16}, // C3 keeps its 900 absent weights
		"s4.coef": {16}, "s4.bias": {16}, "c5.weight": {120, 16, 5, 5}, "c5.bias": {120}, "f6.weight": {84, 120}, "f6.bias": {84}, "output.weight": {10, 84}, "output.bias": {10}}
	if len(f.Tensors) != len(names) {
		t.Errorf("the weights file holds %d tensors, want the %d parameters only", len(f.Tensors), len(names))
	}
	for name, shape := range names {
		if tn, ok := f.Tensor(name); !ok || !slices.Equal(tn.Shape, shape) {
			t.Errorf("tensor %s: present %v, want shape %v", name, ok, shape)
		}
	}
	state, err := safetensors.ReadFile(StatePath(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"adam.m", "adam.v"} {
		if tn, ok := state.Tensor(name); !ok || !slices.Equal(tn.Shape, []int{60850 + 900}) {
			t.Errorf("%s: tensor %s present %v, want shape [61750]", StatePath(path), name, ok)
		}
	}
}

// A run saved after 2 of 4 epochs (or mid-epoch) and resumed ends as a run
// never stopped.
func TestCheckpointResume(t *testing.T) {
	if testing.Short() {
		t.Skip("eighteen short training runs: seconds here, many minutes under emulation; run without -short")
	}
	batches := 300 / 20
	tests := []struct {
		name    string
		opt     Optimizer
		stopAt  int
		augment Augment
	}{
		{"adam 2+2", Adam, 2 * batches, AugmentNone},
		{"adam mid-epoch", Adam, 2*batches + 4, AugmentNone},
		{"momentum 2+2", Momentum, 2 * batches, AugmentNone},
		{"sgd 1+3", SGD, batches, AugmentNone},
		// Distortions are seeded per batch, so skipped batches need not
		// be drawn for the rest to come out the same.
		{"adam mid-epoch, affine", Adam, 2*batches + 4, AugmentAffine},
		{"adam 1+3, elastic", Adam, batches, AugmentElastic},
		{"adam 2+2, older checkpoint", Adam, 2 * batches, AugmentNone}, // the state in the weights file
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ckptSettings(tt.opt)
			s.Augment = tt.augment
			whole := newRun(t, s, nil, false)
			finish(t, whole)

			first := newRun(t, s, nil, false)
			first.stopAt = tt.stopAt
			if d, ok := finish(t, first).(Done); !ok || !d.Stopped || d.Step != tt.stopAt {
				t.Fatalf("first part ended with %+v, want Done stopped at step %d", d, tt.stopAt)
			}
			path := filepath.Join(t.TempDir(), "half.safetensors")
			if err := first.Save(path); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.name, "older checkpoint") {
				path = olderCheckpoint(t, path)
			}
			ck, err := ReadCheckpoint(path)
			if err == nil {
				err = ck.OptimizerState(ck.Settings.Optimizer)
			}
			if err != nil {
				t.Fatalf("reading the checkpoint and its optimiser's state: %v", err)
			}
			rest := newRun(t, ck.Settings, ck, true)
			done, ok := finish(t, rest).(Done)
			if !ok || done.Epochs != 4 || done.Step != 4*batches {
				t.Fatalf("resumed run ended with %+v, want Done after 4 epochs", done)
			}
			for i, w := range whole.net.w {
				if d := math.Abs(float64(rest.net.w[i] - w)); d > 1e-6 {
					t.Fatalf("parameter %d: resumed %v, uninterrupted %v (differ by %g)", i, rest.net.w[i], w, d)
				}
			}
		})
	}
}

// TestCheckpointResumeMore: with a constant rate, a finished 2-epoch run
// resumed with 4 epochs in all is the 4-epoch run; asking for no more
// epochs than were trained is a setting error.
func TestCheckpointResumeMore(t *testing.T) {
	s := ckptSettings(Adam)
	s.Schedule = ScheduleConstant
	whole := newRun(t, s, nil, false)
	finish(t, whole)
	s.Epochs = 2
	first := newRun(t, s, nil, false)
	finish(t, first)
	path := filepath.Join(t.TempDir(), "two.safetensors")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	more := ck.Settings
	more.Epochs = 4
	rest := newRun(t, more, ck, true)
	finish(t, rest)
	for i, w := range whole.net.w {
		if rest.net.w[i] != w {
			t.Fatalf("constant rate, 2+2 epochs: parameter %d = %v, want %v", i, rest.net.w[i], w)
		}
	}
	// Asking for no more epochs than were trained is a setting error.
	if _, err := NewTrainer(must(ck.Net(ck.Settings)), ckptTrain, ckptTest, TrainConfig{Settings: ck.Settings, Resume: ck}); err == nil || !strings.Contains(err.Error(), "epochs 2: want more than the 2 the checkpoint has trained") {
		t.Errorf("resume with --epochs 2 after 2 = %v, want an epochs error", err)
	}
}

// olderCheckpoint rewrites the checkpoint at path as checkpoints were
// before the optimiser's state moved out: one file with the weights and
// the state, and nothing beside it. It returns the new file's path.
func olderCheckpoint(t *testing.T, path string) string {
	t.Helper()
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	state, err := safetensors.ReadFile(StatePath(path))
	if err != nil {
		t.Fatal(err)
	}
	f.Tensors = append(f.Tensors, state.Tensors...)
	older := filepath.Join(t.TempDir(), "older.safetensors")
	if err := safetensors.WriteFile(older, f); err != nil {
		t.Fatal(err)
	}
	return older
}

func must(n *Net, err error) *Net {
	if err != nil {
		panic(err)
	}
	return n
}

// Bad checkpoints are one line naming the file and what is wrong.
func TestCheckpointBad(t *testing.T) {
	s := ckptSettings(Adam)
	tr := newRun(t, s, nil, false)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	if err := tr.Save(good); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	f, _ := safetensors.ReadFile(good)
	rewrite := func(change func(f *safetensors.File)) []byte {
		g, _ := safetensors.ReadFile(good)
		change(&g)
		var b bytes.Buffer
		if err := safetensors.Encode(&b, g); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	n := binary.LittleEndian.Uint64(data)
	beyond := binary.LittleEndian.AppendUint64(nil, uint64(len(data)))
	beyond = append(beyond, data[8:]...)
	dtype := bytes.Replace(data, []byte(`"F32"`), []byte(`"I32"`), 1)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", data[:len(data)-100], "the file is truncated"},
		{"header only", data[:8+n], "the file is truncated"},
		{"header length beyond file", beyond, "runs past the end of the file"},
		{"wrong dtype", dtype, `has dtype "I32"; lenet-tui reads F32`},
		{"wrong shape", rewrite(func(f *safetensors.File) {
			c, _ := f.Tensor("f6.weight")
			c.Shape = []int{120, 84}
		}), "tensor f6.weight has shape [120 84]; architecture lenet5 wants [84 120]"},
		{"wrong architecture", rewrite(func(f *safetensors.File) {
			f.Metadata["arch"] = strings.Replace(f.Metadata["arch"], `"pool":"subsample"`, `"pool":"max"`, -1)
		}), "tensor s2.coef is not part of architecture lenet5"},
		{"missing tensor", rewrite(func(f *safetensors.File) {
			f.Tensors = f.Tensors[1:]
		}), "no tensor c1.weight: architecture lenet5 has it, of shape [6 1 5 5]"},
		{"table broken", rewrite(func(f *safetensors.File) {
			c, _ := f.Tensor("c3.weight")
			c.Data[3*25] = 1 // output map 0 reads input map 3
		}), "output map 0 reads input map 3, which architecture lenet5's connection table leaves out"},
		{"NaN weight", rewrite(func(f *safetensors.File) {
			c, _ := f.Tensor("f6.bias")
			c.Data[2] = float32(math.NaN())
		}), "tensor f6.bias holds NaN at index 2"},
		{"no metadata", rewrite(func(f *safetensors.File) { f.Metadata = nil }), "not a lenet-tui checkpoint"},
		{"bad settings", rewrite(func(f *safetensors.File) {
			f.Metadata["settings"] = strings.Replace(f.Metadata["settings"], `"relu"`, `"swish"`, 1)
		}), `metadata settings: "swish": want one of sigmoid`},
		{"adam state", rewrite(func(f *safetensors.File) { // in the weights file, as older checkpoints keep it
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: "adam.m", Shape: []int{3}, Data: make([]float32, 3)})
		}), "tensor adam.m has shape [3]"},
		{"text", []byte("hello, not a checkpoint\n"), "not a safetensors file"},
		{"NaN test loss", rewrite(func(f *safetensors.File) { f.Metadata["test_loss"] = "NaN" }), `metadata test_loss: "NaN", want a finite number`},
		{"Inf test acc", rewrite(func(f *safetensors.File) { f.Metadata["test_acc"] = "+Inf" }), `metadata test_acc: "+Inf", want a finite number`},
		{"Inf input mean", rewrite(func(f *safetensors.File) { f.Metadata["input_mean"] = "1e40" }), `metadata input_mean: "1e40", want a finite number`},
		{"zero input std", rewrite(func(f *safetensors.File) { f.Metadata["input_std"] = "0" }), `metadata input_std: "0", want a number > 0`},
		{"negative input std", rewrite(func(f *safetensors.File) { f.Metadata["input_std"] = "-0.3" }), `metadata input_std: "-0.3", want a number > 0`},
		{"nine class names", rewrite(func(f *safetensors.File) { f.Metadata["class_names"] = `["0","1","2","3","4","5","6","7","8"]` }), "metadata class_names: 9 names for 10 classes"},
		{"escape in a class name", rewrite(func(f *safetensors.File) {
			f.Metadata["class_names"] = `["0","1","2","3","4","5","6","7","8","\u001b[2J"]`
		}), `metadata class_names: class 9's name "\x1b[2J": want printable text`},
		{"class names not a list", rewrite(func(f *safetensors.File) { f.Metadata["class_names"] = `"0123456789"` }), "metadata class_names: json: cannot unmarshal"},
	}
	_ = f
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".safetensors")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			ck, err := ReadCheckpoint(path)
			if err == nil {
				var net *Net
				if net, err = ck.Net(ck.Settings); err == nil {
					_, err = NewTrainer(net, ckptTrain, ckptTest, TrainConfig{Settings: ck.Settings, Resume: ck})
				}
			}
			if err == nil || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("loading %s = %v, want one line naming the file with %q", tt.name, err, tt.want)
			}
		})
	}
}

// The Save command writes between batches and reports Saved.
func TestSaveCommand(t *testing.T) {
	s := ckptSettings(Adam)
	s.Epochs = 1
	tr := newRun(t, s, nil, false)
	path := filepath.Join(t.TempDir(), "live.safetensors")
	tr.Send(Save{Path: path})
	tr.Send(Save{Path: filepath.Join(t.TempDir(), "no", "such", "dir", "x.safetensors")})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	var saved []Saved
	for ev := range tr.Events() {
		if s, ok := ev.(Saved); ok {
			saved = append(saved, s)
		}
	}
	if len(saved) != 2 || saved[0].Err != "" || saved[0].Path != path || saved[1].Err == "" {
		t.Fatalf("Saved events = %+v, want one saved and one failed", saved)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil || ck.Step != saved[0].Step || ck.TestAcc != saved[0].TestAcc {
		t.Errorf("ReadCheckpoint = %v (step %d, acc %v), want step %d acc %v", err, ck.Step, ck.TestAcc, saved[0].Step, saved[0].TestAcc)
	}
}

// TestCheckpointNetPadsWithBackground: a net built from a checkpoint fills
// its pad blocks with a blank pixel as scaled, as the trainer's does, so
// predict and explain answer as the trained net did (lenet5-1998 pads its
// 28×28 input to 32×32).
func TestCheckpointNetPadsWithBackground(t *testing.T) {
	spec, err := LookupArch("lenet5-1998")
	if err != nil {
		t.Fatal(err)
	}
	train, test := dataset.Synthetic(64, 28, 28, 1), dataset.Synthetic(16, 28, 28, 2)
	s := spec.Defaults
	s.Batch, s.Epochs = 16, 1
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, train, test, TrainConfig{Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "paper.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := ck.Net(ck.Settings)
	if err != nil {
		t.Fatal(err)
	}
	sc := ck.Scale()
	got, want := loaded.Look(test.Image(3), &sc).Probs, tr.Probe(3).Probs
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Fatalf("the loaded net's probabilities %v, the trainer's %v: want the same (padded with the background)", got, want)
		}
	}
}

// FuzzReadCheckpoint writes the fuzzed bytes to a file and reads it with
// ReadCheckpoint, as --load does: never a panic, and an error is one line
// naming the file. Seeded with a real checkpoint, of a net small enough
// (a 7×7 pooling layer and 170 weights: 2 KB) for the fuzzer to mutate and
// minimise quickly, and with it changed where the header and the metadata
// are checked.
func FuzzReadCheckpoint(f *testing.F) {
	spec := ArchSpec{Name: "tiny", Layers: []LayerSpec{{Name: "S", Kind: "pool", Pool: PoolMax, Kernel: 7}, {Name: "OUT", Kind: "dense", Units: 10}}}
	s := ckptSettings(Adam)
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		f.Fatal(err)
	}
	tr, err := NewTrainer(net, ckptTrain, ckptTest.Head(10), TrainConfig{Settings: s, Workers: 1})
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	if err := tr.Save(good); err != nil {
		f.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	f.Add(data)
	n := binary.LittleEndian.Uint64(data)
	head := string(data[8 : 8+n])
	for _, change := range [][2]string{
		{`"data_offsets":[0,`, `"data_offsets":[0,0,`},      // three offsets
		{`"c1.bias"`, `"c1.weight"`},                        // a name twice
		{`"format":"lenet-tui checkpoint 1"`, `"format":1`}, // not a string
		{`"step":"`, `"step":"-`},
		{`"input_std":"`, `"input_std":"0`},
	} {
		f.Add(append(data[:8:8], strings.Replace(head, change[0], change[1], 1)+string(data[8+n:])...))
	}
	f.Add(binary.LittleEndian.AppendUint64(nil, 1<<63))
	path := filepath.Join(dir, "fuzz.safetensors")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadCheckpoint(path)
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), path+": ")) {
			t.Errorf("ReadCheckpoint error = %q, want one line naming %s", err, path)
		}
	})
}
