package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// saved writes a checkpoint of a lenet5 with the given settings, untrained.
func saved(t *testing.T, s engine.Settings) *engine.Checkpoint {
	t.Helper()
	spec, _ := engine.LookupArch("lenet5")
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, dataset.Synthetic(100, 28, 28, 1), dataset.Synthetic(20, 28, 28, 2), engine.TrainConfig{Settings: s, Dataset: "fashion-mnist"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err := engine.ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	return ck
}

func TestWithCheckpoint(t *testing.T) {
	spec, _ := engine.LookupArch("lenet5")
	s := spec.Defaults
	s.Activation, s.LR, s.Batch, s.Epochs = engine.Sigmoid, 0.01, 10, 5
	ck := saved(t, s)
	file := filepath.Join(t.TempDir(), "run.yaml")
	os.WriteFile(file, []byte("epochs: 9\nbatch: 64\ndata: /somewhere\n"), 0o644)

	c, err := parse("--config", file, "--load", ck.Path, "--lr", "0.5")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.WithCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	want := s
	want.LR = 0.5
	if got.Settings != want || got.Dataset != "fashion-mnist" || got.Arch != "lenet5" || got.Layers != nil || got.Data != "/somewhere" || got.Load != ck.Path {
		t.Errorf("WithCheckpoint = %+v, want the checkpoint's settings with lr 0.5 and the file's data folder", got)
	}

	c, _ = parse("--load", ck.Path, "--arch", "seed-code")
	if _, err := c.WithCheckpoint(ck); err == nil || !strings.Contains(err.Error(), "--arch: the architecture comes from the checkpoint") {
		t.Errorf("WithCheckpoint with --arch seed-code = %v, want an --arch error", err)
	}
	c, _ = parse("--load", ck.Path, "--arch", "lenet5")
	if _, err := c.WithCheckpoint(ck); err != nil {
		t.Errorf("WithCheckpoint with the checkpoint's own --arch = %v, want nil", err)
	}
}

// TestCheckpointKeysComplete: every setting but where the data and the
// checkpoints live, and how an image folder is read, is a checkpoint's, so
// a flag for it overrides the saved value; a new setting left out of
// checkpointKeys would be silently ignored.
func TestCheckpointKeysComplete(t *testing.T) {
	notKept := []string{"data", "held_out", "keep_size", "save", "load"}
	for _, key := range Keys() {
		if want := !slices.Contains(notKept, key); slices.Contains(checkpointKeys, key) != want {
			t.Errorf("checkpointKeys has %q: %v, want %v", key, !want, want)
		}
	}
}

// TestWithCheckpointNetFlags: a flag that would change what the
// checkpoint's tensors are shaped for names itself and the checkpoint's
// value, not the tensors; the checkpoint's own value is fine.
func TestWithCheckpointNetFlags(t *testing.T) {
	spec, _ := engine.LookupArch("lenet5")
	ck := saved(t, spec.Defaults)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--bias", "per-position"}, "--bias per-position was given, but " + ck.Path + " was trained with --bias per-map: drop --bias to load it"},
		{[]string{"--output", "rbf"}, "--output rbf was given, but " + ck.Path + " was trained with --output softmax: drop --output to load it"},
		{[]string{"--bias", "per-map", "--output", "softmax"}, ""},
	} {
		c, err := parse(append([]string{"--load", ck.Path}, tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.WithCheckpoint(ck)
		var nf *NetFlagError
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want || !errors.As(err, &nf)) {
			t.Errorf("WithCheckpoint with %v = %v, want %q", tt.args, err, tt.want)
		}
	}
}
