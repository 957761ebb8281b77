//go:build unix

package dataset

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadNamedPipe puts a named pipe with no writer where a file should be:
// opening it would wait for ever; Load says what it is at once.
func TestLoadNamedPipe(t *testing.T) {
	dir := writeFiles(t, with("train-images-idx3-ubyte", nil))
	path := filepath.Join(dir, "train-images-idx3-ubyte")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := Load(dir, "tiny", Options{})
		done <- err
	}()
	select {
	case err := <-done:
		if want := "dataset: " + path + ": a named pipe, not a regular file"; err == nil || err.Error() != want {
			t.Errorf("Load() error = %v, want %s", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load() still waiting after 10 s on a named pipe with no writer")
	}
}
