package engine

import (
	"math"
	"slices"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// TestBreakdownAgainstOneByOne checks a Breakdown of the whole test set,
// made by the workers batch by batch, against the net run on one image at
// a time: the confusion counts, each digit's prediction and probabilities,
// the order within a cell, and the embedding rows.
func TestBreakdownAgainstOneByOne(t *testing.T) {
	s := settings()
	s.Epochs = 1
	tr := smallRun(t, s)
	collect(t, tr) // train a little so that there are right and wrong answers
	loss, acc, b := tr.Inspect()
	wantLoss, wantAcc := tr.Evaluate()
	if loss != wantLoss || acc != wantAcc {
		t.Errorf("Inspect() = %g, %g; Evaluate() = %g, %g", loss, acc, wantLoss, wantAcc)
	}
	n, k := tr.test.Count, 10
	if b.Images != n || b.Classes != k || !b.Full || b.Rows != 12 || b.Cols != 12 {
		t.Fatalf("Breakdown{Images %d, Classes %d, Full %v, %d×%d}, want %d, %d, true, 12×12", b.Images, b.Classes, b.Full, b.Rows, b.Cols, n, k)
	}
	logits, labels := tr.Logits(n)
	counts := make([]int, k*k)
	pred := make([]int, n)
	probs := make([][]float64, n)
	for i := range n {
		z := logits[i*k : (i+1)*k]
		best := 0
		var sum float64
		for c := range k {
			if z[c] > z[best] {
				best = c
			}
		}
		p := make([]float64, k)
		for c := range k {
			p[c] = math.Exp(float64(z[c]) - float64(z[best]))
			sum += p[c]
		}
		for c := range p {
			p[c] /= sum
		}
		pred[i], probs[i] = best, p
		counts[int(labels[i])*k+best]++
	}
	if !slices.Equal(b.Counts, counts) {
		t.Errorf("Counts = %v, want %v", b.Counts, counts)
	}
	var right, wrong int
	for c := range k {
		right += counts[c*k+c]
	}
	wrong = n - right
	if got := float64(right) / float64(n); got != acc {
		t.Errorf("the diagonal holds %d of %d = %g; the accuracy is %g", right, n, got, acc)
	}
	if wrong == 0 || right == 0 {
		t.Fatalf("%d right and %d wrong: the test needs both", right, wrong)
	}
	var kept int
	for tc := range k {
		for pc := range k {
			cell := b.Cell(tc, pc)
			if want := min(counts[tc*k+pc], DigitsPerCell); len(cell) != want {
				t.Errorf("Cell(%d, %d) has %d digits, want %d", tc, pc, len(cell), want)
			}
			kept += len(cell)
			for j, d := range cell {
				i := d.Index
				if d.Label != int(labels[i]) || d.Label != tc || d.Pred != pred[i] || d.Pred != pc {
					t.Errorf("Cell(%d, %d)[%d] = image %d, label %d, pred %d; want label %d, pred %d", tc, pc, j, i, d.Label, d.Pred, labels[i], pred[i])
				}
				if len(d.Top) != 3 || d.Top[0].Class != pred[i] {
					t.Errorf("image %d: Top = %v, want 3 classes led by %d", i, d.Top, pred[i])
				}
				for _, cp := range d.Top {
					if math.Abs(float64(cp.P)-probs[i][cp.Class]) > 1e-5 {
						t.Errorf("image %d: P(%d) = %g, want %g", i, cp.Class, cp.P, probs[i][cp.Class])
					}
				}
				if !slices.Equal(d.Pixels, tr.test.Image(i)) {
					t.Errorf("image %d: the pixels are not the test image's", i)
				}
				if j == 0 {
					continue
				}
				prev, p := float64(cell[j-1].Top[0].P), float64(d.Top[0].P)
				if tc != pc && prev < p || tc == pc && prev > p {
					t.Errorf("Cell(%d, %d): digit %d (p %g) after digit %d (p %g): want mistakes most sure first, right answers least sure first", tc, pc, i, p, cell[j-1].Index, prev)
				}
			}
		}
	}
	if kept != len(b.Digits) {
		t.Errorf("the cells hold %d digits of %d: Digits is not in cell order", kept, len(b.Digits))
	}
	e := b.Embedding
	if e.Layer != "F4" || e.Dim != 16 || len(e.Labels) != min(n, EmbedImages) || len(e.Values) != len(e.Labels)*16 {
		t.Fatalf("Embedding = %s, %d wide, %d labels, %d values; want F4, 16, %d, %d", e.Layer, e.Dim, len(e.Labels), len(e.Values), min(n, EmbedImages), min(n, EmbedImages)*16)
	}
	x := make([]float32, tr.net.in.Size())
	for _, i := range []int{0, 7, len(e.Labels) - 1} {
		tr.test.Fill(x, i, &tr.scale)
		tr.net.Forward(x, 1)
		want := tr.net.blocks[len(tr.net.blocks)-2].out[:16]
		got := e.Values[i*16 : (i+1)*16]
		for j := range want {
			if math.Abs(float64(got[j]-want[j])) > 1e-5*(1+math.Abs(float64(want[j]))) {
				t.Fatalf("Embedding row %d = %v, want %v (the F4 outputs of a forward pass of test image %d)", i, got, want, i)
			}
		}
		if e.Labels[i] != labels[i] {
			t.Errorf("Embedding label %d = %d, want %d", i, e.Labels[i], labels[i])
		}
	}
}

// TestBreakdownEvents checks that a run asked for breakdowns sends one
// after every evaluation, measured on the same images with the same
// accuracy, and none when not asked.
func TestBreakdownEvents(t *testing.T) {
	for _, want := range []bool{true, false} {
		s := settings()
		s.Epochs = 2
		tr := smallRun(t, s)
		tr.cfg.Breakdown = want
		tr.cfg.EvalEvery, tr.evalBatches = 0.5, 15
		tr.quick = tr.test.Head(50)
		evs := collect(t, tr)
		var evals, breakdowns int
		for i, ev := range evs {
			b, ok := ev.(Breakdown)
			if !ok {
				continue
			}
			breakdowns++
			var images int
			var epoch, acc float64
			switch prev := evs[i-1].(type) {
			case Evaluation:
				images, epoch, acc = prev.Images, prev.Epoch, prev.TestAcc
			case EpochEnd:
				images, epoch, acc = tr.test.Count, float64(prev.Epoch), prev.TestAcc
			default:
				t.Fatalf("event %d is a Breakdown after a %T", i, prev)
			}
			var right int
			for c := range b.Classes {
				right += b.Counts[c*b.Classes+c]
			}
			if b.Images != images || b.Full != (images == tr.test.Count) || b.Epoch != epoch || float64(right)/float64(images) != acc {
				t.Errorf("Breakdown{Images %d, Full %v, Epoch %g, %d right} after an evaluation of %d images at epoch %g, accuracy %g", b.Images, b.Full, b.Epoch, right, images, epoch, acc)
			}
			if len(b.Embedding.Labels) != min(images, EmbedImages) {
				t.Errorf("the embedding covers %d images of %d", len(b.Embedding.Labels), images)
			}
		}
		for _, ev := range evs {
			switch ev.(type) {
			case Evaluation, EpochEnd:
				evals++
			}
		}
		if evals != 4 {
			t.Fatalf("%d evaluations, want 4 (two quick, two full)", evals)
		}
		if got := breakdowns == evals; got != want || !want && breakdowns != 0 {
			t.Errorf("Breakdown %v: %d breakdowns for %d evaluations", want, breakdowns, evals)
		}
	}
}

// TestBreakdownRBF: with RBF output units the prediction is the smallest
// penalty, so the confusion matrix's diagonal holds exactly the images the
// evaluation counts right, and each digit's top class is its prediction.
func TestBreakdownRBF(t *testing.T) {
	spec := ArchSpec{Name: "tiny-1998", Layers: []LayerSpec{
		{Name: "C1", Kind: "conv", Maps: 4, Kernel: 3},
		{Name: "S2", Kind: "pool", Pool: PoolSubsample},
		{Name: "F3", Kind: "dense", Units: 84},
		{Name: "OUT", Kind: "dense", Units: 10},
	}}
	paper, _ := LookupArch("lenet5-1998")
	s := paper.Defaults
	s.Batch, s.Epochs, s.Seed = 20, 1, 3
	net, err := Build(spec, Shape{1, 12, 12}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, dataset.Synthetic(600, 12, 12, 1), dataset.Synthetic(200, 12, 12, 2), TrainConfig{Settings: s, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	collect(t, tr)
	_, acc, b := tr.Inspect()
	right := 0
	for c := range b.Classes {
		right += b.Counts[c*b.Classes+c]
	}
	if got := float64(right) / float64(b.Images); got != acc || right == 0 || right == b.Images {
		t.Errorf("the diagonal holds %d of %d = %g; the accuracy is %g (the test needs right and wrong answers)", right, b.Images, got, acc)
	}
	for _, d := range b.Digits {
		if d.Top[0].Class != d.Pred {
			t.Errorf("image %d: predicted %d, but its most probable class is %d", d.Index, d.Pred, d.Top[0].Class)
		}
	}
}
