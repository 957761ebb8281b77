package cli

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: --version names the revision stamped with -ldflags first,
// else build info's vcs.revision, else says what it has.
func TestVersion(t *testing.T) {
	rev := "41cb9c3f73589b0c6dd2c1a1a0e8e1b2c3d4e5f6"
	vcs := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-11-30T11:17:59Z"}, {Key: "vcs.modified", Value: "true"}}}
	novcs := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}
	for _, tc := range []struct {
		name    string
		bi      *debug.BuildInfo
		stamped string
		want    string
	}{
		{"vcs", vcs, "", "lenet-tui (devel) (41cb9c3f7358, 2026-11-30T11:17:59Z, modified) go1.26.8"},
		{"stamped over vcs", vcs, "0123456789abcdef0123", "lenet-tui (devel) (0123456789ab, 2026-11-30T11:17:59Z, modified) go1.26.8"},
		{"-buildvcs=false, stamped", novcs, rev, "lenet-tui (devel) (41cb9c3f7358) go1.26.8"},
		{"-buildvcs=false", novcs, "", "lenet-tui (devel) go1.26.8"},
		{"no build info, stamped", nil, "abc", "lenet-tui (abc)"},
		{"no build info", nil, "", "lenet-tui (no build information)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionOf(tc.bi, tc.stamped); got != tc.want {
				t.Errorf("versionOf(%s, %q) = %q, want %q", tc.name, tc.stamped, got, tc.want)
			}
		})
	}
}

// TestVersionStamped builds the binary as revision's comment says, with
// -buildvcs=false, and runs --version: the revision stamped is printed.
func TestVersionStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "lenet-tui")
	const rev = "feedc0ffee0123456789"
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", "-X github.com/lenet-tui/lenet-tui/cli.revision="+rev, "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if want := "(" + rev[:12] + ")"; err != nil || !strings.HasPrefix(string(out), "lenet-tui ") || !strings.Contains(string(out), want) {
		t.Errorf("lenet-tui --version built with -X cli.revision=%s = %q, %v; want a line with %s", rev, out, err, want)
	}
}
