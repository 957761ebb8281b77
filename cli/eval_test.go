package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		{[]string{"eval", "--load", dir}, dir + ": not a regular file"},
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
