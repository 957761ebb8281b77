package infile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestOpenRegular(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, size, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil || string(data) != "hello" || size != 5 {
		t.Errorf("Open(%s): read %q, size %d, err %v; want \"hello\", 5, nil", path, data, size, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err %v, want fs.ErrNotExist", err)
	}
	if _, _, err := Open(dir); err == nil || err.Error() != dir+": a folder, not a file" {
		t.Errorf("folder: err %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if _, _, err := Open("/dev/null"); err == nil || err.Error() != "/dev/null: a character device, not a regular file" {
		t.Errorf("/dev/null: err %v", err)
	}
}
