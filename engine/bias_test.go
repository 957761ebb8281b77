package engine

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/safetensors"
)

// TestBiasPerPositionCounts holds lenet5 with a bias per position to the
// hand-worked counts: C1 6×25 weights + 6×28×28 biases = 4,854 (156 with one
// bias per map); C3 (6×3+9×4+1×6)×25 = 1,500 weights + 16×10×10 biases =
// 3,100 (1,516); C5 covers its whole input, so one position per map: 48,120
// as before. Connections do not change: each output pixel still reads its
// kernel's inputs and one bias.
func TestBiasPerPositionCounts(t *testing.T) {
	spec, _ := LookupArch("lenet5")
	s := spec.Defaults
	s.Bias = BiasPerPosition
	net, err := Build(spec, mnistIn, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"C1": {4854, 122304}, "S2": {12, 5880}, "C3": {3100, 151600}, "S4": {32, 2000}, "C5": {48120, 48120}, "F6": {10164, 10164}, "OUTPUT": {850, 850}}
	for _, li := range net.Info() {
		if got := [2]int{li.Params, li.Connections}; got != want[li.Name] {
			t.Errorf("%s: params, connections = %v, want %v", li.Name, got, want[li.Name])
		}
	}
	if p, _ := Totals(net.Info()); p != 60850-156-1516+4854+3100 {
		t.Errorf("total params = %d, want %d", p, 60850-156-1516+4854+3100)
	}
	if got := net.Info()[0].ParamsFormula; got != "6×(5×5)+6×28×28=4,854" {
		t.Errorf("C1 formula = %q", got)
	}
	values := 0
	for _, p := range net.Params() {
		for _, w := range p.W {
			if w != 0 || p.Bias || p.Coef {
				values++
			}
		}
	}
	if values != 67132 {
		t.Errorf("trainable values = %d, want 67,132 (the counts must describe the real tensors)", values)
	}
}

// TestBiasPerPositionCheckpoint saves a net with a bias per position: its
// conv biases are (maps, H, W) tensors, it loads back to the same logits,
// and a net with one bias per map refuses it in one line naming the tensor.
func TestBiasPerPositionCheckpoint(t *testing.T) {
	s := ckptSettings(Adam)
	s.Epochs, s.Bias = 1, BiasPerPosition
	tr := newRun(t, s, nil, false)
	if _, ok := finish(t, tr).(Done); !ok {
		t.Fatal("run ended without Done")
	}
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	f, _ := safetensors.ReadFile(path)
	for name, shape := range map[string][]int{"c1.bias": {6, 28, 28}, "c3.bias": {16, 10, 10}, "c5.bias": {120}} {
		if tn, ok := f.Tensor(name); !ok || !slices.Equal(tn.Shape, shape) {
			t.Errorf("tensor %s: present %v, shape %v, want %v", name, ok, tn.Shape, shape)
		}
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Settings.Bias != BiasPerPosition {
		t.Fatalf("saved bias = %q, want per-position", ck.Settings.Bias)
	}
	want, _ := tr.Logits(20)
	got, _ := newRun(t, ck.Settings, ck, false).Logits(20)
	if !slices.Equal(got, want) {
		t.Errorf("logits after save and load differ")
	}
	other := ck.Settings
	other.Bias = BiasPerMap
	_, err = ck.Net(other)
	if err == nil || !strings.Contains(err.Error(), "tensor c1.bias has shape [6 28 28]; architecture lenet5 wants [6]") {
		t.Errorf("loading per-position biases into a per-map net: %v, want a shape error naming c1.bias", err)
	}
}

// TestCheckpointBeforeNewSettings reads a checkpoint written before bias,
// order, output and on_nan existed: it gets the values every such run
// trained with.
func TestCheckpointBeforeNewSettings(t *testing.T) {
	s := ckptSettings(SGD)
	s.Epochs = 1
	tr := newRun(t, s, nil, false)
	path := filepath.Join(t.TempDir(), "old.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := f.Metadata["settings"]
	for _, kv := range []string{`,"bias":"per-map"`, `,"order":"as-written"`, `,"output":"softmax"`, `,"on_nan":"stop"`} {
		if !strings.Contains(old, kv) {
			t.Fatalf("settings %s lack %s", old, kv)
		}
		old = strings.Replace(old, kv, "", 1)
	}
	f.Metadata["settings"] = old
	if err := safetensors.WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatalf("ReadCheckpoint of a checkpoint without the new keys = %v", err)
	}
	if ck.Settings != s {
		t.Errorf("settings = %+v, want %+v", ck.Settings, s)
	}
}
