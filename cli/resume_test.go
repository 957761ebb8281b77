package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
)

// savedRun trains one epoch on data with --save and returns the
// checkpoint's path.
func savedRun(t *testing.T, data string, flags ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "net.safetensors")
	args := append([]string{"train", "--data", data, "--epochs", "1", "--batch", "32", "--save", path, "--no-save"}, flags...)
	var out, errb bytes.Buffer
	if code := Run(args, &out, &errb); code != 0 {
		t.Fatalf("lenet-tui %s = exit %d, %s", strings.Join(args, " "), code, errb.String())
	}
	return path
}

// TestResumeRefusals: train --load refuses, in one line that says what
// differs and what to do, a resume on other images of the same count (the
// same batches per epoch) and a flag that changes what the checkpoint's
// tensors are shaped for.
func TestResumeRefusals(t *testing.T) {
	data := tinyMNIST(t)
	ck := savedRun(t, data)
	other := tinyMNIST(t) // the same images, the training labels shifted by one
	labels := filepath.Join(other, "train-labels-idx1-ubyte")
	b, _ := os.ReadFile(labels)
	for i := 8; i < len(b); i++ {
		b[i] = (b[i] + 1) % 10
	}
	os.WriteFile(labels, b, 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--data", other}, "lenet-tui: " + ck + ": trained on other images: its training set (mnist, 64 images) has fingerprint "},
		{[]string{"--data", data, "--bias", "per-position"}, "lenet-tui: --bias per-position was given, but " + ck + " was trained with --bias per-map: drop --bias to load it\n"},
		{[]string{"--data", data, "--output", "rbf"}, "lenet-tui: --output rbf was given, but " + ck + " was trained with --output softmax: drop --output to load it\n"},
	}
	for _, tt := range tests {
		args := append([]string{"train", "--load", ck, "--epochs", "2", "--no-save"}, tt.args...)
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code != 1 || !strings.HasPrefix(errb.String(), tt.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("lenet-tui %s = exit %d, %q; want exit 1 and one line starting %q", strings.Join(args, " "), code, errb.String(), tt.want)
		}
	}
}

// TestResumeOptimizerState: the checkpoint --save writes holds the weights
// only, its optimiser's state beside it; train --load resumes with that
// state silently, and without it says so in one line and goes on.
func TestResumeOptimizerState(t *testing.T) {
	data := tinyMNIST(t)
	ck := savedRun(t, data)
	if _, err := os.Stat(engine.StatePath(ck)); err != nil {
		t.Fatalf("train --save left no optimiser state beside the checkpoint: %v", err)
	}
	args := []string{"train", "--load", ck, "--data", data, "--epochs", "2", "--no-save"}
	var out, errb bytes.Buffer
	if code := Run(args, &out, &errb); code != 0 || errb.Len() != 0 {
		t.Errorf("lenet-tui %s = exit %d, stderr %q; want 0 and nothing on stderr", strings.Join(args, " "), code, errb.String())
	}
	if err := os.Rename(engine.StatePath(ck), engine.StatePath(ck)+".away"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	want := "lenet-tui: " + ck + ": resuming without adam's saved state (" + engine.StatePath(ck) + " is missing): it starts at zero\n"
	if code := Run(args, &out, &errb); code != 0 || errb.String() != want || !strings.Contains(out.String(), "after 2 epoch(s)") {
		t.Errorf("lenet-tui %s without the state = exit %d, stdout %q, stderr %q; want 0, the run, and %q", strings.Join(args, " "), code, out.String(), errb.String(), want)
	}
}
