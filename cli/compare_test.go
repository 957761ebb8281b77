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
		{[]string{"plot", relu}, 0, "wrote " + filepath.Join(relu, "plot.png"), ""},
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

// tinyMNIST writes a folder with the four IDX files of a 64-image training
// set and a 32-image test set (28×28, raw, labels 0–9 in turn).
func tinyMNIST(t *testing.T) string {
	t.Helper()
	return tinyMNISTOf(t, 64)
}

// tinyMNISTOf is tinyMNIST with train training images (at most 255).
func tinyMNISTOf(t *testing.T, train int) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range []struct {
		name string
		n    int
	}{{"train", train}, {"t10k", 32}} {
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

// TestCompareEscapes: what run folders hold reaches the terminal escaped:
// a settings.yaml key or value, or a folder's name, with terminal escapes
// in it cannot retitle or clear the terminal through compare or plot.
func TestCompareEscapes(t *testing.T) {
	tmp := t.TempDir()
	sig, relu := keptRun(t, tmp, "sigmoid"), keptRun(t, tmp, "relu")
	evil := filepath.Join(tmp, "run\x1b[2J\a")
	if err := os.Rename(relu, evil); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(sig, "settings.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\"\\e]0;pwned\\a\\e[2J\": \"\\e[31mred\\r\\n\"\n")
	f.Close()
	for _, args := range [][]string{
		{"compare", sig, evil},
		{"compare", sig, evil, "--png", filepath.Join(tmp, "cmp.png")},
		{"plot", evil, "--png", filepath.Join(tmp, "one.png")},
	} {
		var out, errb bytes.Buffer
		code := Run(args, &out, &errb)
		if code != 0 || strings.ContainsAny(out.String()+errb.String(), "\x1b\a\r") {
			t.Errorf("Run(%q) = %d, stdout %q, stderr %q; want 0 and no control characters", args, code, out.String(), errb.String())
		}
		if args[0] == "compare" && len(args) == 3 && (!strings.Contains(out.String(), `\x1b]0;pwned\a\x1b[2J`) || !strings.Contains(out.String(), `\x1b[31mred\r\n`)) {
			t.Errorf("compare: the key and value escaped are not in the table:\n%s", out.String())
		}
	}
}
