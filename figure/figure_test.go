package figure

import (
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

func TestLog10Ticks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		labels   string
	}{
		{-1, 1, "0.1 1 10"},
		{-2, 3, "0.01 0.1 1 10 100 1000"},
		{-1, 19, "0.1 1000 1e+07 1e+11 1e+15 1e+19"},
	} {
		var labels []string
		for _, tk := range (log10Ticks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != tc.labels {
			t.Errorf("log10Ticks.Ticks(%g, %g) labels %q, want %q", tc.min, tc.max, got, tc.labels)
		}
	}
}

// TestSeries: a loss that turns NaN ends the line there; the line is the
// trailing geometric mean of the loss; a wild loss is clamped to the top.
func TestSeries(t *testing.T) {
	r := &runfolder.Run{}
	for i, l := range []float64{1e20, 10, 10, 1, math.NaN(), 1} {
		r.Points = append(r.Points, runfolder.Point{Step: i + 1, Epoch: float64(i+1) / 10, Loss: l, Acc: 0.5})
	}
	loss, acc := series(r)
	if len(loss.train) != 4 || len(acc.train) != 4 {
		t.Fatalf("series: %d loss and %d accuracy points, want the 4 before the NaN", len(loss.train), len(acc.train))
	}
	if got, want := loss.train[3].Y, (20.0+1+1+0)/4; math.Abs(got-want) > 1e-12 {
		t.Errorf("series: log10 of the mean at batch 4 = %g, want %g", got, want)
	}
	if over := loss.clamp(maxLoss); over != 20 || loss.train[0].Y != maxLoss {
		t.Errorf("clamp(%d) = %g, first point %g; want 20 and the point at %d", maxLoss, over, loss.train[0].Y, maxLoss)
	}
	if acc.train[3].Y != 50 {
		t.Errorf("series: accuracy %g, want 50 (%%)", acc.train[3].Y)
	}
}

// TestPNG draws a run with no points (failed at once) beside one with some.
func TestPNG(t *testing.T) {
	ok := &runfolder.Run{Dir: "runs/a", End: &runfolder.End{Type: "done"},
		Epochs: []runfolder.Epoch{{Epoch: 1, TestLoss: 0.1, TestAcc: 0.98}}}
	for i := range 100 {
		ok.Points = append(ok.Points, runfolder.Point{Step: i + 1, Epoch: float64(i+1) / 100, Loss: 2 / float64(i+1), Acc: 0.9})
	}
	failed := &runfolder.Run{Dir: "runs/b", End: &runfolder.End{Type: "failed", Epoch: 1, Batch: 1, Cause: "log-zero"}}
	path := filepath.Join(t.TempDir(), "f.png")
	if err := PNG(path, "title", []*runfolder.Run{ok, failed}, []string{"a", "b"}); err != nil {
		t.Fatalf("PNG: %v", err)
	}
	readPNG(t, path, "PNG")
}

// readPNG decodes the picture that drawer wrote at path.
func readPNG(t *testing.T, path, drawer string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s wrote no PNG: %v", drawer, err)
	}
	return img
}

// TestMarkWords: the legend counts the test images the runs measured on,
// not MNIST's 10,000.
func TestMarkWords(t *testing.T) {
	small := &runfolder.Run{Start: runfolder.Start{TestImages: 200}, Evals: []runfolder.Eval{{Images: 200}, {Images: 200}}}
	w := markWords([]*runfolder.Run{small})
	if w[1] != "test slice: the first 200 test images, every ¼ epoch" || w[2] != "the whole test set (200 images), at each epoch's end" {
		t.Errorf("legend for a 200-image test set: %q", w)
	}
	mnist := &runfolder.Run{Start: runfolder.Start{TestImages: 10000}, Evals: []runfolder.Eval{{Images: 1000}}}
	w = markWords([]*runfolder.Run{small, mnist})
	if w[1] != "test slice: the first 200 or 1,000 test images, every ¼ epoch" || w[2] != "the whole test set (200 or 10,000 images), at each epoch's end" {
		t.Errorf("legend for test sets of 200 and 10,000: %q", w)
	}
	w = markWords([]*runfolder.Run{{}})
	if w[1] != "test slice: the first test images, every ¼ epoch" || w[2] != "the whole test set, at each epoch's end" {
		t.Errorf("legend for a run that records no counts: %q", w)
	}
}

// TestStylesApart: 50 runs each get a colour and dash pattern of their
// own (the palette's 9 colours alone would repeat from run 10).
func TestStylesApart(t *testing.T) {
	if styles < 50 {
		t.Errorf("styles = %d, want at least 50", styles)
	}
	seen := map[string]int{}
	for i := range styles {
		st := styleOf(i)
		k := fmt.Sprint(st.c, st.dashes)
		if j, ok := seen[k]; ok {
			t.Errorf("styleOf(%d) = styleOf(%d) = %s", i, j, k)
		}
		seen[k] = i
	}
}

// TestSwitchMarks: a run switched at step 50 of 100 gets a triangle on its
// training line at epoch 0.5, and the legend says what triangles are.
func TestSwitchMarks(t *testing.T) {
	r := &runfolder.Run{Dir: "runs/a", End: &runfolder.End{Type: "done"},
		Settings: []runfolder.Setting{{Key: "activation", Value: "sigmoid"}},
		Switches: []runfolder.Switch{{Type: "activation", Step: 50, Activation: "relu"}}}
	for i := range 100 {
		r.Points = append(r.Points, runfolder.Point{Step: i + 1, Epoch: float64(i+1) / 100, Loss: 2 / float64(i+1), Acc: 0.9})
	}
	loss, _ := series(r)
	pts := switchPoints(loss.train, r.Changes())
	if len(pts) != 1 || pts[0] != loss.train[49] {
		t.Errorf("switchPoints = %v, want the line's point at epoch 0.5, %v", pts, loss.train[49])
	}
	lines := func(r *runfolder.Run) vg.Length {
		legend := newLegend()
		explainMarks(&legend, []*runfolder.Run{r})
		return legend.Rectangle(draw.Canvas{}).Size().Y
	}
	if switched, plain := lines(r), lines(&runfolder.Run{}); switched <= plain {
		t.Errorf("explainMarks: legend %v high for a switched run, %v for one not switched; want a line more (the triangle's)", switched, plain)
	}
	path := filepath.Join(t.TempDir(), "f.png")
	if err := PNG(path, "title", []*runfolder.Run{r}, []string{"activation: sigmoid→relu @0.5 ep"}); err != nil {
		t.Fatalf("PNG: %v", err)
	}
	readPNG(t, path, "PNG")
}
