package runfolder

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// newBreakdownTrainer is newTrainer's run that also sends Breakdowns, as
// the terminal UI and train ask for.
func newBreakdownTrainer(t testing.TB, epochs int) *engine.Trainer {
	t.Helper()
	spec, err := engine.LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Batch, s.Epochs = 32, epochs
	train, test := dataset.Synthetic(320, 28, 28, 1), dataset.Synthetic(64, 28, 28, 2)
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Dataset: "synthetic", Workers: 1, EvalEvery: 0.25, Breakdown: true})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestEmbeddingRoundTrip records a two-epoch run and reads its
// embedding.jsonl back: one projection per epoch's end (none for the
// quarter-epoch evaluations), each the PCA of that epoch's F6 outputs,
// oriented by the one before as the terminal UI does, within the rounding
// to 4 significant digits of the largest score.
func TestEmbeddingRoundTrip(t *testing.T) {
	dir, evs := record(t, t.TempDir(), newBreakdownTrainer(t, 2), "arch: lenet5\n")
	full, want := fullProjections(t, evs)
	if len(want) != 2 {
		t.Fatalf("the run sent %d full Breakdowns, want 2", len(want))
	}
	e, err := ReadEmbedding(dir)
	if err != nil {
		t.Fatalf("ReadEmbedding = %v", err)
	}
	if e.Layer != "F6" || e.Dim != 84 || len(e.Labels) != 64 {
		t.Errorf("ReadEmbedding: layer %s of %d for %d digits, want F6 of 84 for 64", e.Layer, e.Dim, len(e.Labels))
	}
	for i, l := range full[0].Embedding.Labels {
		if e.Labels[i] != int(l) {
			t.Fatalf("ReadEmbedding: label %d = %d, want %d", i, e.Labels[i], l)
		}
	}
	if len(e.Projections) != 2 {
		t.Fatalf("ReadEmbedding: %d projections, want one per epoch, 2", len(e.Projections))
	}
	for k, p := range e.Projections {
		if p.Epoch != k+1 || p.Step != full[k].Step || p.Error != "" {
			t.Errorf("projection %d: epoch %d, step %d, error %q; want epoch %d, step %d", k, p.Epoch, p.Step, p.Error, k+1, full[k].Step)
		}
		checkProjection(t, k, p, want[k])
	}
	if p, latest, ok := e.Last(); !ok || !latest || p.Epoch != 2 {
		t.Errorf("Last() = epoch %d, %v, %v; want epoch 2, the latest", p.Epoch, latest, ok)
	}
}

// fullProjections is the Breakdowns of the whole test set among evs and
// their projections as the recorder makes them (each oriented by the one
// before).
func fullProjections(t *testing.T, evs []engine.Event) (full []engine.Breakdown, want []analysis.Projection) {
	t.Helper()
	var prev *analysis.Projection
	for _, ev := range evs {
		b, ok := ev.(engine.Breakdown)
		if !ok || !b.Full {
			continue
		}
		p, err := analysis.PCA2(b.Embedding.Values, len(b.Embedding.Labels), b.Embedding.Dim, prev)
		if err != nil {
			t.Fatal(err)
		}
		prev = &p
		want = append(want, p)
		full = append(full, b)
	}
	return full, want
}

// checkProjection compares projection k read back, p, with want: scores
// to the 4 significant digits written, the explained variance exactly.
func checkProjection(t *testing.T, k int, p Projection, want analysis.Projection) {
	t.Helper()
	var big float64
	for i := range want.X {
		big = max(big, math.Abs(want.X[i]), math.Abs(want.Y[i]))
	}
	// the largest score has 4 significant digits, so every score is
	// within half a unit of its 4th digit
	tol := 0.5*math.Pow(10, math.Floor(math.Log10(big))-3) + 1e-12
	for _, c := range []struct {
		name      string
		got, want []float64
	}{{"x", p.X, want.X}, {"y", p.Y, want.Y}} {
		for i := range c.want {
			if d := math.Abs(c.got[i] - c.want[i]); d > tol {
				t.Errorf("projection %d: %s[%d] = %g, want %g within %g", k, c.name, i, c.got[i], c.want[i], tol)
			}
		}
	}
	for a := range 2 {
		if float64(p.Explained[a]) != want.Explained[a] {
			t.Errorf("projection %d: explained[%d] = %g, want %g", k, a, p.Explained[a], want.Explained[a])
		}
	}
}

// TestCoordsJSON: hand-worked roundings to 4 significant digits of the
// largest magnitude.
func TestCoordsJSON(t *testing.T) {
	for _, tc := range []struct {
		in   coords
		want string
	}{
		{coords{3.14159, -0.001234, 0, -2}, "[3.142,-0.001,0,-2]"},
		{coords{1234.5678, -0.00004, 0.6, 12.3456}, "[1235,0,1,12]"},
		{coords{-0.0123456, 0.00001, -0.000004}, "[-0.01235,0.00001,0]"},
		{coords{98765.4, 1.5}, "[98765,2]"},
		{coords{0, 0}, "[0,0]"},
		{coords{}, "[]"},
	} {
		b, err := tc.in.MarshalJSON()
		if err != nil || string(b) != tc.want {
			t.Errorf("coords%v.MarshalJSON() = %s, %v; want %s", []float64(tc.in), b, err, tc.want)
		}
	}
	if _, err := (coords{1, math.NaN()}).MarshalJSON(); err == nil {
		t.Error("coords{1, NaN}.MarshalJSON() = nil error, want one")
	}
}

// TestNoEmbedding: a run folder from before embedding.jsonl (or a run that
// sent no Breakdown) reads as before, and ReadEmbedding says it has none.
func TestNoEmbedding(t *testing.T) {
	dir, _ := record(t, t.TempDir(), newTrainer(t, "relu", 1), "arch: lenet5\n")
	if _, err := Read(dir); err != nil {
		t.Fatalf("Read = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, EmbeddingFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a run without Breakdowns has an %s (%v)", EmbeddingFile, err)
	}
	if _, err := ReadEmbedding(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadEmbedding(no file) = %v, want fs.ErrNotExist", err)
	}
}

// TestBadEmbedding: what is not an embedding.jsonl is one line naming the
// file and line; a cut-off last line keeps the projections before it.
func TestBadEmbedding(t *testing.T) {
	dir, _ := record(t, t.TempDir(), newBreakdownTrainer(t, 2), "arch: lenet5\n")
	path := filepath.Join(dir, EmbeddingFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(good), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%s has %d lines, want points and 2 projections", EmbeddingFile, len(lines))
	}
	if err := os.WriteFile(path, []byte(lines[0]+lines[1]+lines[2][:len(lines[2])/2]), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := ReadEmbedding(dir)
	var ce *CutError
	if !errors.As(err, &ce) || ce.Line != 3 || len(e.Projections) != 1 {
		t.Errorf("ReadEmbedding(cut) = %v with %d projections; want a CutError at line 3 and the first projection", err, len(e.Projections))
	}
	for _, tc := range []struct{ name, content, want string }{
		{"empty", "", "empty"},
		{"no points", lines[1], `.jsonl:1: a "projection" record: want the digits' points first`},
		{"too few scores", lines[0] + `{"type":"projection","epoch":1,"step":1,"explained":[0.5,0.2],"x":[1],"y":[2]}` + "\n", ".jsonl:2: a projection of 1 and 1 scores: want one x and y for each of the 64 digits"},
		{"unknown type", lines[0] + `{"type":"x"}` + "\n", `.jsonl:2: unknown record type "x"`},
		{"bad class", `{"type":"points","layer":"F6","dim":84,"labels":[300]}` + "\n", ".jsonl:1: a class 300"},
		{"unknown field", lines[0] + `{"type":"projection","extra":1}` + "\n", `unknown field "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadEmbedding(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("ReadEmbedding(%s) = %v, want one line containing %q", tc.name, err, tc.want)
			}
		})
	}
}

// TestEmbeddingNaN: a run that goes on after its loss turned NaN (on_nan
// continue) has F6 outputs that no PCA can project; its epoch's record
// says why, and there is no projection to draw.
func TestEmbeddingNaN(t *testing.T) {
	tr, _ := nanRun(t, true)
	dir, _ := record(t, t.TempDir(), tr, "arch: seed-code\non_nan: continue\n")
	e, err := ReadEmbedding(dir)
	if err != nil {
		t.Fatalf("ReadEmbedding = %v", err)
	}
	if len(e.Projections) != 1 || !strings.Contains(e.Projections[0].Error, "NaN") || !math.IsNaN(float64(e.Projections[0].Explained[0])) {
		t.Fatalf("ReadEmbedding: %+v, want one projection that says its values are NaN", e.Projections)
	}
	if _, _, ok := e.Last(); ok {
		t.Error("Last() found a projection to draw in a run whose only one is NaN")
	}
}
