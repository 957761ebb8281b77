package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// isCharDevice says whether path is (still) a character device.
func isCharDevice(t *testing.T, path string) bool {
	t.Helper()
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// TestSaveRefusedBeforeTraining: --save onto a device, or into a folder
// that does not exist, is refused at once, before any data is read or any
// batch trained (nothing on stdout), in one line that names the user's
// path and not a temporary file; /dev/null stays a character device.
func TestSaveRefusedBeforeTraining(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent", "dir", "x.safetensors")
	cases := []struct{ save, want string }{
		{missing, "--save: " + missing + ": cannot write in the folder " + filepath.Dir(missing) + ": no such file or directory"},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct{ save, want string }{"/dev/null", "--save: /dev/null: a character device, not a regular file: refusing to replace it"})
	}
	data := tinyMNIST(t)
	for _, tc := range cases {
		for _, args := range [][]string{
			{"train", "--data", data, "--epochs", "2", "--batch", "32", "--no-save", "--save", tc.save},
			{"train", "--data", data, "--epochs", "2", "--batch", "32", "--runs", t.TempDir(), "--save", tc.save},
		} {
			var out, errb bytes.Buffer
			code := Run(args, &out, &errb)
			if code == 0 || errb.String() != "lenet-tui: "+tc.want+"\n" || strings.Contains(errb.String(), ".tmp") {
				t.Errorf("Run(%q) = %d, stderr %q; want an error, %q", args, code, errb.String(), tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("Run(%q) trained before refusing --save:\n%s", args, out.String())
			}
		}
	}
	if runtime.GOOS == "linux" && !isCharDevice(t, "/dev/null") {
		t.Fatal("/dev/null is no longer a character device")
	}
}

// TestPNGOntoDevice: plot --png and --embedding-png, and compare --png,
// onto /dev/null refuse, and leave it a character device.
func TestPNGOntoDevice(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/dev/null as a character device: Linux only")
	}
	tmp := t.TempDir()
	old, _ := olderRunFolders(t, tmp)
	kept := trainedRun(t, tmp) // keeps an embedding
	for _, args := range [][]string{
		{"plot", old, "--png", "/dev/null"},
		{"plot", kept, "--embedding-png", "/dev/null"},
		{"compare", old, old, "--png", "/dev/null"},
	} {
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code == 0 || !strings.Contains(errb.String(), "/dev/null: ") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("Run(%q) = %d, stderr %q; want a one-line error naming /dev/null", args, code, errb.String())
		}
		if !isCharDevice(t, "/dev/null") {
			t.Fatalf("Run(%q): /dev/null is no longer a character device", args)
		}
	}
}

// TestFailedPNGKeepsOld: a plot that cannot be written (its folder takes
// no new files) leaves the PNG already there whole.
func TestFailedPNGKeepsOld(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes in read-only folders")
	}
	tmp := t.TempDir()
	old, _ := olderRunFolders(t, tmp)
	dir := filepath.Join(tmp, "pictures")
	os.Mkdir(dir, 0o755)
	png := filepath.Join(dir, "plot.png")
	if err := os.WriteFile(png, []byte("an older picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	var out, errb bytes.Buffer
	if code := Run([]string{"plot", old, "--png", png}, &out, &errb); code == 0 || !strings.Contains(errb.String(), png+": ") {
		t.Errorf("plot into a read-only folder = %d, stderr %q", code, errb.String())
	}
	if b, err := os.ReadFile(png); err != nil || string(b) != "an older picture" {
		t.Errorf("the PNG already there now holds %q (%v)", b, err)
	}
}
