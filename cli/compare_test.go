package cli

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
)

// keptRun trains lenet5 for an epoch on small synthetic data the way train
// does (its pipeline: a run folder between the trainer and the plain view)
// and returns the run folder it kept under parent.
func keptRun(t *testing.T, parent string, act engine.Activation) string {
	t.Helper()
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	c := config.Defaults(spec)
	c.Activation, c.Epochs, c.Batch = act, 1, 32
	d := &data{c: c, spec: spec, train: dataset.Synthetic(320, 28, 28, 1), test: dataset.Synthetic(64, 28, 28, 2)}
	p := d.pipeline(engine.TrainConfig{Workers: 1}, parent, false)
	rt, _, err := p.start(act, c.LR, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err, werr := p.show(func() error { return plain.Train(context.Background(), &out, rt, c.Settings, false) }); err != nil || werr != nil {
		t.Fatal(err, werr)
	}
	dirs, _ := filepath.Glob(filepath.Join(parent, "*-lenet5-"+string(act)))
	if len(dirs) != 1 {
		t.Fatalf("run folders %v under %s, want one *-lenet5-%s", dirs, parent, act)
	}
	return dirs[0]
}

func TestPlotAndCompare(t *testing.T) {
	tmp := t.TempDir()
	sig, relu := keptRun(t, tmp, "sigmoid"), keptRun(t, tmp, "relu")
	cut := filepath.Join(tmp, "cut")
	os.Mkdir(cut, 0o755)
	for _, f := range []string{"settings.yaml", "history.jsonl"} {
		b, _ := os.ReadFile(filepath.Join(relu, f))
		if f == "history.jsonl" {
			b = b[:len(b)-10]
		}
		os.WriteFile(filepath.Join(cut, f), b, 0o644)
	}
	pngFile := filepath.Join(tmp, "cmp.png")
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"compare", sig, relu}, 0, "activation", ""},
		{[]string{"compare", sig, "--png", pngFile, relu}, 0, "wrote " + pngFile, ""},
		{[]string{"plot", relu, "--png", filepath.Join(tmp, "one.png")}, 0, "wrote ", ""},
		{[]string{"compare", "--help"}, 0, "Usage: lenet-tui compare RUN…", ""},
		{[]string{"compare"}, 1, "", "lenet-tui: compare: name a run folder"},
		{[]string{"compare", filepath.Join(tmp, "nope")}, 1, "", "nope: no such run folder"},
		{[]string{"compare", tmp}, 1, "", "not a run folder: no settings.yaml"},
		{[]string{"compare", sig, cut}, 1, "", filepath.Join("cut", "history.jsonl") + ": line "},
		{[]string{"plot", cut, "--png", filepath.Join(tmp, "cut.png")}, 1, "", "is cut off"},
		{[]string{"plot", relu}, 1, "", "plot: want --png FILE"},
		{[]string{"plot", sig, relu, "--png", "x.png"}, 1, "", "plot: 2 run folders: want one"},
		{[]string{"compare", sig, "--pgn", "x.png"}, 1, "", "unknown flag --pgn (did you mean --png?)"},
		{[]string{"compare", sig, "--png", filepath.Join(tmp, "no", "such", "x.png")}, 1, "", "no such file or directory"},
	} {
		var out, errb bytes.Buffer
		code := Run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("Run(%q) = %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
		if strings.Count(errb.String(), "\n") > 1 {
			t.Errorf("Run(%q) wrote %q to stderr, want at most one line", tc.args, errb.String())
		}
	}
	f, err := os.Open(pngFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("compare --png wrote no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 600 {
		t.Errorf("compare --png: %v, want at least 1000×600", b)
	}
}

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
	tmp, data := t.TempDir(), tinyMNIST(t)
	runs := filepath.Join(tmp, "runs")
	var out, errb bytes.Buffer
	if code := Run([]string{"train", "--data", data, "--epochs", "2", "--batch", "32", "--runs", runs}, &out, &errb); code != 0 {
		t.Fatalf("train = %d, stderr %q", code, errb.String())
	}
	kept, _ := filepath.Glob(filepath.Join(runs, "*"))
	if len(kept) != 1 {
		t.Fatalf("train kept %v, want one run folder", kept)
	}
	if want := "run kept in " + kept[0] + " (lenet-tui plot " + kept[0] + " --png run.png"; !strings.Contains(out.String(), want) {
		t.Errorf("train's output does not say where the run is kept (%q):\n%s", want, out.String())
	}
	curves := filepath.Join(tmp, "run.png")
	beside := filepath.Join(tmp, "run-embedding.png")
	own := filepath.Join(tmp, "own.png")
	// a folder as lenet-tui kept them before embedding.jsonl: its two files
	docs, _ := filepath.Glob(filepath.Join("..", "docs", "runs", "*-seed-code-sigmoid"))
	if len(docs) != 1 {
		t.Fatalf("../docs/runs/*-seed-code-sigmoid = %v, want one run folder", docs)
	}
	old := []string{filepath.Join(tmp, "old-run")}
	os.Mkdir(old[0], 0o755)
	for _, f := range []string{"settings.yaml", "history.jsonl"} {
		b, err := os.ReadFile(filepath.Join(docs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(old[0], f), b, 0o644)
	}
	oldPNG := filepath.Join(tmp, "old.png")
	// a folder whose embedding.jsonl was cut after its points: no projection
	cut := []string{filepath.Join(tmp, "cut-run")}
	os.Mkdir(cut[0], 0o755)
	for _, f := range []string{"settings.yaml", "history.jsonl"} {
		b, _ := os.ReadFile(filepath.Join(old[0], f))
		os.WriteFile(filepath.Join(cut[0], f), b, 0o644)
	}
	os.WriteFile(filepath.Join(cut[0], "embedding.jsonl"), []byte(`{"type":"points","layer":"F6","dim":84,"labels":[1,2,3]}`+"\n"), 0o644)
	cutPNG := filepath.Join(tmp, "cut.png")
	for _, tc := range []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
		writes, not    []string
	}{
		{"--png: both", []string{"plot", kept[0], "--png", curves}, 0,
			"wrote " + curves + "\nwrote " + beside + " (F6 of 32 test digits after epoch 2)\n", "", []string{curves, beside}, nil},
		{"--embedding-png alone", []string{"plot", kept[0], "--embedding-png", own}, 0,
			"wrote " + own + " (F6 of 32 test digits after epoch 2)\n", "", []string{own}, nil},
		{"an old folder", []string{"plot", old[0], "--png", oldPNG}, 0,
			"wrote " + oldPNG + "\nno embedding figure: " + old[0] + " keeps no embedding.jsonl", "", []string{oldPNG}, []string{filepath.Join(tmp, "old-embedding.png")}},
		{"an old folder, --embedding-png", []string{"plot", old[0], "--embedding-png", filepath.Join(tmp, "x.png")}, 1,
			"", "lenet-tui: plot --embedding-png: no embedding figure: " + old[0] + " keeps no embedding.jsonl", nil, []string{filepath.Join(tmp, "x.png")}},
		{"an embedding with no projection", []string{"plot", cut[0], "--png", cutPNG}, 0,
			"wrote " + cutPNG + "\nno embedding figure: " + cut[0] + " holds no projection in its embedding.jsonl", "", []string{cutPNG}, []string{filepath.Join(tmp, "cut-embedding.png")}},
		{"neither", []string{"plot", kept[0]}, 1, "", "plot: want --png FILE", nil, nil},
		{"a missing folder", []string{"plot", kept[0], "--embedding-png", filepath.Join(tmp, "no", "e.png")}, 1, "", "no such file or directory", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
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
		})
	}
}

// tinyMNIST writes a folder with the four IDX files of a 64-image training
// set and a 32-image test set (28×28, raw, labels 0–9 in turn).
func tinyMNIST(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range []struct {
		name string
		n    int
	}{{"train", 64}, {"t10k", 32}} {
		img := []byte{0, 0, 8, 3, 0, 0, 0, byte(s.n), 0, 0, 0, 28, 0, 0, 0, 28}
		lab := []byte{0, 0, 8, 1, 0, 0, 0, byte(s.n)}
		for i := range s.n {
			for p := range 28 * 28 {
				img = append(img, byte((i*31+p*7)%256))
			}
			lab = append(lab, byte(i%10))
		}
		os.WriteFile(filepath.Join(dir, s.name+"-images-idx3-ubyte"), img, 0o644)
		os.WriteFile(filepath.Join(dir, s.name+"-labels-idx1-ubyte"), lab, 0o644)
	}
	return dir
}

// TestCompareConfigs: compare --config trains each run first, keeps it,
// and compares them; a bad config file is one line.
func TestCompareConfigs(t *testing.T) {
	tmp, data := t.TempDir(), tinyMNIST(t)
	var cfgs []string
	for _, act := range []string{"sigmoid", "relu"} {
		p := filepath.Join(tmp, act+".yaml")
		os.WriteFile(p, []byte("data: "+data+"\nepochs: 1\nbatch: 32\nactivation: "+act+"\n"), 0o644)
		cfgs = append(cfgs, p)
	}
	runs := filepath.Join(tmp, "runs")
	var out, errb bytes.Buffer
	code := Run([]string{"compare", "--config", cfgs[0], "--config", cfgs[1], "--runs", runs}, &out, &errb)
	kept, _ := filepath.Glob(filepath.Join(runs, "*"))
	if code != 0 || len(kept) != 2 || !strings.Contains(out.String(), "--- run 2 of 2") || !strings.Contains(out.String(), "activation") {
		t.Errorf("compare --config ×2 = %d, kept %v, stdout %q, stderr %q; want 0, two folders, a table naming activation", code, kept, out.String(), errb.String())
	}
	os.WriteFile(filepath.Join(tmp, "bad.yaml"), []byte("activation: swish\n"), 0o644)
	out.Reset()
	errb.Reset()
	if code := Run([]string{"compare", "--config", filepath.Join(tmp, "bad.yaml")}, &out, &errb); code != 1 || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "swish") {
		t.Errorf("compare --config bad.yaml = %d, stderr %q; want 1 and one line about swish", code, errb.String())
	}
}
