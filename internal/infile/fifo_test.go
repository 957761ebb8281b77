//go:build unix

package infile

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOpenNamedPipe puts a named pipe with no writer at the path: opening
// it for reading would wait for a writer forever.
func TestOpenNamedPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := Open(path)
		done <- err
	}()
	select {
	case err := <-done:
		if want := path + ": a named pipe, not a regular file"; err == nil || err.Error() != want {
			t.Errorf("err %v, want %q", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open still waiting after 10 s on a named pipe with no writer")
	}
}
