package cli

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// decodePNG reads the PNG at path and returns its size.
func decodePNG(t *testing.T, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

// TestPlotEmbedding trains a real two-epoch run with train, as a user
// does, and plots it: the curves and, beside them, F6's embedding of the
// last epoch's end. A run folder from before embedding.jsonl (docs/runs' files)
// still plots its curves and says in one line that it has no embedding.
func TestPlotEmbedding(t *testing.T) {
	tmp := t.TempDir()
	kept := trainedRun(t, tmp)
	curves := filepath.Join(tmp, "run.png")
	beside := filepath.Join(tmp, "run-embedding.png")
	own := filepath.Join(tmp, "own.png")
	old, cut := olderRunFolders(t, tmp)
	oldPNG := filepath.Join(tmp, "old.png")
	cutPNG := filepath.Join(tmp, "cut.png")
	for _, tc := range []plotCase{
		{"--png: both", []string{"plot", kept, "--png", curves}, 0,
			"wrote " + curves + "\nwrote " + beside + " (F6 of 32 test digits after epoch 2)\n", "", []string{curves, beside}, nil},
		{"--embedding-png alone", []string{"plot", kept, "--embedding-png", own}, 0,
			"wrote " + own + " (F6 of 32 test digits after epoch 2)\n", "", []string{own}, nil},
		{"an old folder", []string{"plot", old, "--png", oldPNG}, 0,
			"wrote " + oldPNG + "\nno embedding figure: " + old + " keeps no embedding.jsonl", "", []string{oldPNG}, []string{filepath.Join(tmp, "old-embedding.png")}},
		{"an old folder, --embedding-png", []string{"plot", old, "--embedding-png", filepath.Join(tmp, "x.png")}, 1,
			"", "lenet-tui: plot --embedding-png: no embedding figure: " + old + " keeps no embedding.jsonl", nil, []string{filepath.Join(tmp, "x.png")}},
		{"an embedding with no projection", []string{"plot", cut, "--png", cutPNG}, 0,
			"wrote " + cutPNG + "\nno embedding figure: " + cut + " holds no projection in its embedding.jsonl", "", []string{cutPNG}, []string{filepath.Join(tmp, "cut-embedding.png")}},
		{"neither: into the run folder", []string{"plot", kept}, 0,
			"wrote " + filepath.Join(kept, "plot.png") + "\nwrote " + filepath.Join(kept, "plot-embedding.png"), "",
			[]string{filepath.Join(kept, "plot.png"), filepath.Join(kept, "plot-embedding.png")}, nil},
		{"a missing folder", []string{"plot", kept, "--embedding-png", filepath.Join(tmp, "no", "e.png")}, 1, "", "no such file or directory", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, own) })
	}
}

// trainedRun trains a two-epoch run on tiny MNIST with train, checks that
// train says where it kept it, and returns its run folder.
func trainedRun(t *testing.T, tmp string) string {
	t.Helper()
	runs := filepath.Join(tmp, "runs")
	var out, errb bytes.Buffer
	if code := Run([]string{"train", "--data", tinyMNIST(t), "--epochs", "2", "--batch", "32", "--runs", runs}, &out, &errb); code != 0 {
		t.Fatalf("train = %d, stderr %q", code, errb.String())
	}
	kept, _ := filepath.Glob(filepath.Join(runs, "*"))
	if len(kept) != 1 {
		t.Fatalf("train kept %v, want one run folder", kept)
	}
	if want := "run kept in " + kept[0] + " (lenet-tui plot " + kept[0] + " draws it"; !strings.Contains(out.String(), want) {
		t.Errorf("train's output does not say where the run is kept (%q):\n%s", want, out.String())
	}
	return kept[0]
}

// olderRunFolders makes, under tmp, a run folder as lenet-tui kept them
// before embedding.jsonl (old: its two files, from docs/runs) and one whose
// embedding.jsonl was cut after its points (cut: no projection).
func olderRunFolders(t *testing.T, tmp string) (old, cut string) {
	t.Helper()
	docs, _ := filepath.Glob(filepath.Join("..", "docs", "runs", "*-seed-code-sigmoid"))
	if len(docs) != 1 {
		t.Fatalf("../docs/runs/*-seed-code-sigmoid = %v, want one run folder", docs)
	}
	old = filepath.Join(tmp, "old-run")
	os.Mkdir(old, 0o755)
	for _, f := range []string{"settings.yaml", "history.jsonl"} {
		b, err := os.ReadFile(filepath.Join(docs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(old, f), b, 0o644)
	}
	cut = filepath.Join(tmp, "cut-run")
	os.Mkdir(cut, 0o755)
	for _, f := range []string{"settings.yaml", "history.jsonl"} {
		b, _ := os.ReadFile(filepath.Join(old, f))
		os.WriteFile(filepath.Join(cut, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(cut, "embedding.jsonl"), []byte(`{"type":"points","layer":"F6","dim":84,"labels":[1,2,3]}`+"\n"), 0o644)
	return old, cut
}

// plotCase is a plot command line, its exit code, the start of its stdout,
// a line of stderr, and the pictures it must and must not write.
type plotCase struct {
	name           string
	args           []string
	code           int
	stdout, stderr string
	writes, not    []string
}

// check runs tc and checks it; own is a picture asked for with
// --embedding-png alone, so square.
func (tc plotCase) check(t *testing.T, own string) {
	var out, errb bytes.Buffer
	code := Run(tc.args, &out, &errb)
	if code != tc.code || !strings.HasPrefix(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) || strings.Count(errb.String(), "\n") > 1 {
		t.Errorf("Run(%q) = %d, stdout %q, stderr %q; want %d, %q, one line with %q", tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
	}
	for _, p := range tc.not {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("Run(%q) wrote %s", tc.args, p)
		}
	}
	for _, p := range tc.writes {
		w, h := decodePNG(t, p)
		if strings.Contains(p, "embedding") || p == own {
			if w != h || w < 1000 {
				t.Errorf("%s: %d×%d, want a square embedding of at least 1000×1000", p, w, h)
			}
		} else if w < 1000 || h < 600 || w == h {
			t.Errorf("%s: %d×%d, want the curves side by side, at least 1000×600", p, w, h)
		}
	}
}
