package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestRefusesADevice: /dev/null stays a character device, and the error
// names it and says why.
func TestRefusesADevice(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/dev/null as a character device: Linux only")
	}
	for name, err := range map[string]error{
		"Check":     Check("/dev/null"),
		"WriteFile": WriteFile("/dev/null", []byte("x")),
	} {
		if err == nil || !strings.Contains(err.Error(), "/dev/null: a character device, not a regular file: refusing to replace it") {
			t.Errorf("%s(/dev/null) = %v, want a refusal naming a character device", name, err)
		}
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", fi, err)
	}
}

// TestRefusesAFolder: a folder at the path is left alone.
func TestRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(target, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), target+": a folder, not a regular file") {
		t.Errorf("WriteFile onto a folder = %v", err)
	}
	if fi, err := os.Stat(target); err != nil || !fi.IsDir() {
		t.Errorf("the folder is gone: %v", err)
	}
	assertOnly(t, dir, "sub")
}

// TestFailedFillKeepsOld: a failed write leaves the old file whole and no
// temporary file behind, and the error names the user's path.
func TestFailedFillKeepsOld(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "a.png")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(target, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("disk full")
	})
	if err == nil || err.Error() != target+": disk full" {
		t.Errorf("err = %v, want %s: disk full", err, target)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("the old file now holds %q", b)
	}
	assertOnly(t, dir, "a.png")
}

// TestMissingFolder: the error names the user's path and the folder, not a
// temporary file.
func TestMissingFolder(t *testing.T) {
	target := filepath.Join(t.TempDir(), "no", "x.safetensors")
	for name, err := range map[string]error{"Check": Check(target), "WriteFile": WriteFile(target, nil)} {
		if err == nil || !strings.HasPrefix(err.Error(), target+": ") || strings.Contains(err.Error(), ".tmp") ||
			!strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("%s = %v, want %s: … no such file or directory, with no temporary name", name, err, target)
		}
	}
}

// TestReadOnlyFolder: an existing file in a folder that takes no new
// files is kept, and Check says so at once.
func TestReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes in read-only folders")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "a.png")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if err := Check(target); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Check = %v, want permission denied", err)
	}
	if err := WriteFile(target, []byte("new")); err == nil || !strings.HasPrefix(err.Error(), target+": ") {
		t.Errorf("WriteFile = %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("the old file now holds %q", b)
	}
}

// TestWrites: the ordinary case replaces a regular file and leaves nothing
// else; Check leaves nothing.
func TestWrites(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "x.json")
	if err := Check(target); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir)
	for _, s := range []string{"one", "two"} {
		if err := WriteFile(target, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(target); string(b) != s {
			t.Errorf("holds %q, want %q", b, s)
		}
	}
	assertOnly(t, dir, "x.json")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}
