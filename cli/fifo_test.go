//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withFIFO copies the run folder run to a new folder under tmp with a
// named pipe (and no writer) in place of its file name.
func withFIFO(t *testing.T, tmp, run, name string) string {
	t.Helper()
	dir := filepath.Join(tmp, "fifo-"+strings.TrimSuffix(name, filepath.Ext(name)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"settings.yaml", "history.jsonl", "embedding.jsonl"} {
		if f == name {
			continue
		}
		b, err := os.ReadFile(filepath.Join(run, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	return dir
}

// TestNamedPipes: every file a command reads or writes that is a named
// pipe with no writer (or reader) is refused at once, in one line naming
// it, where opening it would have waited forever: a picture to classify, a
// config file, a run folder's files, and the targets of --png,
// --embedding-png and --logits.
func TestNamedPipes(t *testing.T) {
	tmp := t.TempDir()
	run := trainedRun(t, tmp)
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	noHistory, noSettings := withFIFO(t, tmp, run, "history.jsonl"), withFIFO(t, tmp, run, "settings.yaml")
	noEmbedding := withFIFO(t, tmp, run, "embedding.jsonl")
	out := filepath.Join(tmp, "out.png")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--load", fixture, fifo}, fifo + ": a named pipe, not a regular file"},
		{[]string{"summary", "--config", fifo}, fifo + ": a named pipe, not a regular file"},
		{[]string{"compare", run, noHistory}, filepath.Join(noHistory, "history.jsonl") + ": a named pipe, not a regular file"},
		{[]string{"compare", noSettings, run}, filepath.Join(noSettings, "settings.yaml") + ": a named pipe, not a regular file"},
		{[]string{"plot", noHistory, "--png", out}, filepath.Join(noHistory, "history.jsonl") + ": a named pipe, not a regular file"},
		{[]string{"plot", noEmbedding, "--embedding-png", out}, filepath.Join(noEmbedding, "embedding.jsonl") + ": a named pipe, not a regular file"},
		{[]string{"plot", run, "--png", fifo}, fifo + ": a named pipe, not a regular file: refusing to replace it"},
		{[]string{"plot", run, "--embedding-png", fifo}, fifo + ": a named pipe, not a regular file: refusing to replace it"},
		{[]string{"compare", run, run, "--png", fifo}, fifo + ": a named pipe, not a regular file: refusing to replace it"},
		{[]string{"eval", "--load", fixture, "--embedding-png", fifo}, "--embedding-png: " + fifo + ": a named pipe, not a regular file: refusing to replace it"},
		{[]string{"eval", "--load", fixture, "--logits", fifo}, "--logits: " + fifo + ": a named pipe, not a regular file: refusing to replace it"},
	} {
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- Run(tc.args, &stdout, &stderr) }()
		select {
		case code := <-done:
			if code != 1 || !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("Run(%q) = %d, stderr %q; want 1 and one line with %q", tc.args, code, stderr.String(), tc.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("Run(%q) still running after 20 s: waiting on the named pipe", tc.args)
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("%s is no longer a named pipe (%v)", fifo, err)
	}
}
