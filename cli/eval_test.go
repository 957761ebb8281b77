package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/safetensors"
)

// Bad checkpoints for eval and train are one line and exit 1, before any
// data is read.
func TestBadCheckpoint(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a checkpoint at all\n"), 0o644)
	empty := filepath.Join(dir, "empty.safetensors")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"eval"}, "eval measures a checkpoint: lenet-tui eval --load FILE"},
		{[]string{"eval", "--load", filepath.Join(dir, "missing.safetensors")}, "no such file or directory"},
		{[]string{"eval", "--load", text}, text + ": header length"},
		{[]string{"train", "--load", empty, "--no-save"}, empty + ": 0 bytes: too short for a safetensors file"},
		{[]string{"eval", "--load", dir}, dir + ": a folder, not a file"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := Run(tt.args, &out, &errb)
		msg := errb.String()
		if code != 1 || !strings.Contains(msg, tt.want) || strings.Count(msg, "\n") != 1 {
			t.Errorf("lenet-tui %s = exit %d, %q, want exit 1 and one line with %q", strings.Join(tt.args, " "), code, msg, tt.want)
		}
	}
}

// withMetadata writes a copy of the fixture checkpoint whose metadata key
// is value, and returns its path.
func withMetadata(t *testing.T, key, value string) string {
	t.Helper()
	f, err := safetensors.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata[key] = value
	var b bytes.Buffer
	if err := safetensors.Encode(&b, f); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), key+".safetensors")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A checkpoint whose metadata numbers would reach the output as NaN (a
// test loss not finite, an input_std of 0) is refused by eval and predict
// in one line naming the file and the key, with exit 1.
func TestNonFiniteCheckpoint(t *testing.T) {
	img := filepath.Join(t.TempDir(), "digit.png")
	_, s := fixtureNet(t)
	writePNG(t, img, asIs(s, 0))
	for _, md := range []struct{ key, value, want string }{
		{"test_loss", "NaN", `metadata test_loss: "NaN", want a finite number`},
		{"test_acc", "+Inf", `metadata test_acc: "+Inf", want a finite number`},
		{"input_std", "0", `metadata input_std: "0", want a number > 0`},
	} {
		path := withMetadata(t, md.key, md.value)
		for _, args := range [][]string{
			{"eval", "--load", path, "--json"},
			{"eval", "--load", path},
			{"predict", "--load", path, img},
		} {
			var out, errb bytes.Buffer
			code := Run(args, &out, &errb)
			msg := errb.String()
			if code != 1 || !strings.Contains(msg, path+": "+md.want) || strings.Count(msg, "\n") != 1 || out.Len() != 0 {
				t.Errorf("lenet-tui %s with %s %s = exit %d, %q, stdout %q; want exit 1 and one line with %q",
					strings.Join(args, " "), md.key, md.value, code, msg, out.String(), md.want)
			}
		}
	}
}
