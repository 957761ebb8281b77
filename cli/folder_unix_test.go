//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestTrainFolderNamedPipe: a named pipe among the pictures, or a link to
// one, is named at once: it is never opened, so nothing waits for a writer.
func TestTrainFolderNamedPipe(t *testing.T) {
	for _, link := range []bool{false, true} {
		dir := t.TempDir()
		writeTree(t, dir, map[string][]byte{"train/a/1.png": squarePNG(t, 0), "train/a/2.png": squarePNG(t, 1), "train/b/1.png": squarePNG(t, 2)})
		fifo := filepath.Join(dir, "train", "b", "2.png")
		if link {
			fifo = filepath.Join(t.TempDir(), "pipe")
		}
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skip("mkfifo:", err)
		}
		path := filepath.Join(dir, "train", "b", "2.png")
		if link {
			if err := os.Symlink(fifo, path); err != nil {
				t.Fatal(err)
			}
		}
		var out, errb bytes.Buffer
		code := Run([]string{"train", "--data", dir, "--no-save"}, &out, &errb)
		if want := "lenet-tui: dataset: " + path + ": a named pipe, not a regular file\n"; code != 1 || errb.String() != want {
			t.Errorf("train with a named pipe (linked %t) among the pictures = exit %d, stderr %q; want 1, %q", link, code, errb.String(), want)
		}
	}
}
