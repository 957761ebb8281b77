package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/safetensors"
)

// TestOptimizerStateFile: a resume uses the state file beside a checkpoint
// only when it was saved with those weights; otherwise OptimizerState says
// why in one line (a *MissingState) and the run resumes with the state at
// zero. A save never replaces a file at the state's name that it did not
// write.
func TestOptimizerStateFile(t *testing.T) {
	s := ckptSettings(Adam)
	a := savedAt(t, s.Seed, 3)
	other := savedAt(t, 7, 3) // the same step, other weights
	later := savedAt(t, s.Seed, 5)
	tests := []struct {
		name  string
		state string // the file put at the state's name; "" for none
		opt   Optimizer
		want  string // "" for the state restored
	}{
		{"beside it", StatePath(a), Adam, ""},
		{"missing", "", Adam, "resuming without adam's saved state (DIR/x.optimizer.safetensors is missing): it starts at zero"},
		{"a later save's", StatePath(later), Adam, `x.optimizer.safetensors was saved at step 5, these weights at step 3`},
		{"other weights", StatePath(other), Adam, "x.optimizer.safetensors was saved with other weights"},
		{"another optimiser", StatePath(a), Momentum, "x.optimizer.safetensors holds adam's state"},
		{"not a state file", other, Adam, `is not an optimiser state file: format "lenet-tui checkpoint 1"`},
		{"sgd keeps none", "", SGD, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := t.TempDir()
			path := filepath.Join(sub, "x.safetensors")
			copyFile(t, a, path)
			if tt.state != "" {
				copyFile(t, tt.state, StatePath(path))
			}
			ck, err := ReadCheckpoint(path)
			if err != nil {
				t.Fatal(err)
			}
			err = ck.OptimizerState(tt.opt)
			var missing *MissingState
			want := strings.ReplaceAll(tt.want, "DIR", sub)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("OptimizerState(%s) = %v, want nil", tt.opt, err)
			case tt.want != "" && (!errors.As(err, &missing) || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), path+": ") || strings.Contains(err.Error(), "\n")):
				t.Errorf("OptimizerState(%s) = %v, want a *MissingState naming %s with %q", tt.opt, err, path, want)
			}
			rs := ck.Settings
			rs.Optimizer = tt.opt
			if _, err := NewTrainer(must(ck.Net(rs)), ckptTrain, ckptTest, TrainConfig{Settings: rs, Resume: ck}); err != nil {
				t.Errorf("resuming = %v, want the run to resume", err)
			}
		})
	}
}

// savedAt saves an Adam run of the given seed after steps steps and
// returns the checkpoint's path.
func savedAt(t *testing.T, seed uint64, steps int) string {
	t.Helper()
	tr := newRun(t, ckptSettings(Adam), nil, false)
	tr.cfg.Seed, tr.stopAt = seed, steps
	finish(t, tr)
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// copyFile copies the file at from to to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestSaveRefusesForeignStateFile: something at the state file's name that
// lenet-tui did not write is left alone, and nothing is saved.
func TestSaveRefusesForeignStateFile(t *testing.T) {
	dir := t.TempDir()
	tr := newRun(t, ckptSettings(Adam), nil, false)
	path := filepath.Join(dir, "net.safetensors")
	os.WriteFile(StatePath(path), []byte("my notes"), 0o644)
	err := tr.Save(path)
	if err == nil || !strings.Contains(err.Error(), "a file there is not one lenet-tui wrote") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Save with a foreign file at %s = %v, want one line refusing", StatePath(path), err)
	}
	if data, _ := os.ReadFile(StatePath(path)); string(data) != "my notes" {
		t.Errorf("the foreign file holds %q after Save, want it untouched", data)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Save refused, yet %s: %v; want no weights file", path, err)
	}
}

// TestResumeOnOtherImages: a checkpoint resumed on another training set of
// the same size (so the same batches per epoch) is refused, naming both.
func TestResumeOnOtherImages(t *testing.T) {
	s := ckptSettings(Adam)
	tr := newRun(t, s, nil, false)
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.TrainFingerprint != trainFingerprint(ckptTrain) {
		t.Errorf("TrainFingerprint = %q, want the training set's %q", ck.TrainFingerprint, trainFingerprint(ckptTrain))
	}
	others := dataset.Synthetic(ckptTrain.Count, 28, 28, 99)
	_, err = NewTrainer(must(ck.Net(s)), others, ckptTest, TrainConfig{Settings: s, Resume: ck, Dataset: "synthetic"})
	if err == nil || !strings.HasPrefix(err.Error(), path+": trained on other images: its training set (synthetic, 300 images) has fingerprint ") || !strings.Contains(err.Error(), "resume it on the images it was trained on") {
		t.Errorf("resuming on other images = %v, want a refusal naming both sets", err)
	}
	if _, err := NewTrainer(must(ck.Net(s)), ckptTrain, ckptTest, TrainConfig{Settings: s, Resume: ck}); err != nil {
		t.Errorf("resuming on the same images = %v", err)
	}
}

// TestSaveStreams: saving a net of 3 M parameters with Adam's state (36 MB
// in two files) allocates a small fraction of that: the tensors are
// streamed from the net's memory into the files, not gathered first.
func TestSaveStreams(t *testing.T) {
	spec := ArchSpec{Name: "wide", Layers: []LayerSpec{{Name: "F", Kind: "dense", Units: 3800}, {Name: "OUT", Kind: "dense", Units: 10}}}
	s := ckptSettings(Adam)
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, ckptTrain, ckptTest.Head(20), TrainConfig{Settings: s, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr.Evaluate() // the save's own evaluation is not what is measured
	path := filepath.Join(t.TempDir(), "wide.safetensors")
	n := allocatedBytes(func() { err = tr.Save(path) })
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, p := range []string{path, StatePath(path)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	t.Logf("Save wrote %d bytes, allocated %d", size, n)
	if size < 36e6 || n > uint64(size)/50 {
		t.Errorf("Save wrote %d bytes and allocated %d; want at most 2%% of it", size, n)
	}
	if _, err := safetensors.ReadFile(path); err != nil {
		t.Error(err)
	}
}

// TestLargestHeader: the largest header lenet-tui can write, a net of
// MaxLayers layers each with a name and a note of the longest, all quotes
// (escaped twice: in the arch JSON, then in the header), has room to spare
// under safetensors.MaxHeader, and each metadata value under
// MaxMetadataLen: the reader's limits refuse nothing lenet-tui writes.
func TestLargestHeader(t *testing.T) {
	var layers []LayerSpec
	for i := range MaxLayers - 1 {
		name := strings.Repeat(`"`, MaxNameLen-4) + fmt.Sprintf("%04d", i)
		layers = append(layers, LayerSpec{Name: name, Kind: "pool", Pool: PoolMax, Kernel: 1, Note: strings.Repeat(`"`, MaxNoteLen)})
	}
	layers = append(layers, LayerSpec{Name: "OUT", Kind: "dense", Units: 10, Note: strings.Repeat(`\`, MaxNoteLen)})
	s := ckptSettings(Adam)
	net, err := Build(ArchSpec{Name: strings.Repeat(`"`, MaxNameLen), Layers: layers}, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, ckptTrain, ckptTest.Head(10), TrainConfig{Settings: s, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "largest.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	head := binary.LittleEndian.Uint64(data)
	md, err := safetensors.ReadMetadata(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("header %d bytes, arch %d bytes", head, len(md["arch"]))
	if head > safetensors.MaxHeader/4 || len(md["arch"]) > safetensors.MaxMetadataLen/4 {
		t.Errorf("the largest header is %d bytes, its arch %d: want a quarter of the limits (%d, %d) at most", head, len(md["arch"]), safetensors.MaxHeader, safetensors.MaxMetadataLen)
	}
	if _, err := ReadCheckpoint(path); err != nil {
		t.Error(err)
	}
}
