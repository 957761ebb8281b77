//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestNotARegularFile: a config file is read only if it is a regular file,
// named with --config or found by default: a named pipe with no writer is
// refused at once (opening it for reading would wait forever), as is a
// device; the error is one line naming the path.
func TestNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "config.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct{ config, want string }{
		{fifo, fifo + ": a named pipe, not a regular file"},
		{"/dev/zero", "/dev/zero: a character device, not a regular file"},
		{dir, dir + ": a folder, not a file"},
		{"", "config.yaml: a named pipe, not a regular file (config.yaml is read from the working directory when no --config is given; --config FILE picks another)"},
	} {
		done := make(chan error, 1)
		go func() {
			f := Flags{Config: tc.config}
			_, err := f.Resolve()
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || err.Error() != tc.want {
				t.Errorf("Resolve(--config %q) = %v, want %s", tc.config, err, tc.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("Resolve(--config %q) still waiting after 20 s", tc.config)
		}
	}
}
