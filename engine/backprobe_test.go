package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// lenetProbeRun is lenet5 with its defaults changed by edit, trained two
// batches of synthetic 28×28 digits on one worker, with the probe's
// gradients on as asked.
func lenetProbeRun(t testing.TB, grads bool, edit func(*Settings)) *Trainer {
	t.Helper()
	spec, err := LookupArch("lenet5")
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Epochs, s.Batch = 1, 32
	if edit != nil {
		edit(&s)
	}
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	train, test := dataset.Synthetic(2*s.Batch, 28, 28, 1), dataset.Synthetic(50, 28, 28, 2)
	tr, err := NewTrainer(net, train, test, TrainConfig{Settings: s, Workers: 1, ProbeGradients: grads})
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(context.Background())
	for range tr.Events() {
	}
	return tr
}

// probeLoss is the loss of x (C, H, W) for class through tr's net, with
// block `from`'s output replaced by a when a is not nil: the forward pass
// then starts at block from+1. The loss is summed in float64.
func probeLoss(tr *Trainer, x []float32, from int, a []float32, class int) float64 {
	n := tr.net
	z := x
	start := 0
	if a != nil {
		z, start = a, from+1
	}
	for _, b := range n.blocks[start:] {
		z = b.op.Forward(z, 1)
		if b.act != nil && !b.fused {
			z = b.act.Forward(z, 1)
		}
	}
	label := []uint8{uint8(class)}
	if tr.ws[0].rbf {
		l, _ := rbfLoss(z, label, 1, n.classes, 1, nil)
		return l
	}
	l, _ := softmaxCE(tr.ws[0].ce, z, label, 1, n.classes, 1, nil)
	return l
}

// central is (f(v+h) − f(v−h)) / 2h for v = xs[i], xs restored after.
func central(xs []float32, i int, f func() float64) float64 {
	const h = fdEps
	v := xs[i]
	xs[i] = v + h
	up := f()
	xs[i] = v - h
	down := f()
	xs[i] = v
	return (up - down) / (2 * float64(h))
}

// checked picks the indices of g to compare: the k largest |g| (where a
// wrong gradient would show most) and k drawn at random.
func checked(g []float32, k int, rng *rand.Rand) []int {
	idx := make([]int, len(g))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(float64(g[idx[a]])) > math.Abs(float64(g[idx[b]])) })
	out := slices.Clone(idx[:min(k, len(idx))])
	for range k {
		out = append(out, rng.IntN(len(g)))
	}
	return out
}

// TestProbeGradients compares the probe's gradients with central
// differences of its loss: dL/dx on input pixels, dL/da on values of every
// block's output (the rest of the net run forward from there), on lenet5
// with smooth activations (no ReLU kinks for the differences to cross).
func TestProbeGradients(t *testing.T) {
	for _, act := range []Activation{Tanh, ScaledTanh} {
		t.Run(string(act), func(t *testing.T) {
			tr := lenetProbeRun(t, true, func(s *Settings) { s.Activation = act })
			s := tr.Probe(3)
			g := s.Grads
			if g == nil {
				t.Fatal("Probe(3).Grads = nil with ProbeGradients on")
			}
			if g.Class != s.Label || len(g.Input) != len(s.Input) || len(g.Blocks) != len(s.Blocks) {
				t.Fatalf("Grads = class %d, %d input values, %d blocks; want %d, %d, %d", g.Class, len(g.Input), len(g.Blocks), s.Label, len(s.Input), len(s.Blocks))
			}
			if l := probeLoss(tr, s.Input, 0, nil, g.Class); math.Abs(l-g.Loss) > 1e-5 {
				t.Errorf("Grads.Loss = %g, want %g", g.Loss, l)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			x := slices.Clone(s.Input)
			for _, i := range checked(g.Input, 4, rng) {
				num := central(x, i, func() float64 { return probeLoss(tr, x, 0, nil, g.Class) })
				if !near(float64(g.Input[i]), num) {
					t.Errorf("dL/dx[%d] = %g, central difference %g", i, g.Input[i], num)
				}
			}
			for b, bm := range s.Blocks[:len(s.Blocks)-1] {
				if len(g.Blocks[b]) != len(bm.Maps) {
					t.Fatalf("Grads.Blocks[%d] (%s) has %d values, want %d", b, bm.Name, len(g.Blocks[b]), len(bm.Maps))
				}
				a := slices.Clone(bm.Maps)
				for _, i := range checked(g.Blocks[b], 3, rng) {
					num := central(a, i, func() float64 { return probeLoss(tr, nil, b, a, g.Class) })
					if !near(float64(g.Blocks[b][i]), num) {
						t.Errorf("dL/da %s[%d] = %g, central difference %g", bm.Name, i, g.Blocks[b][i], num)
					}
				}
			}
		})
	}
}

// TestProbeGradientsOwnImage: an image of one's own has no label; its
// loss is taken for the net's answer.
func TestProbeGradientsOwnImage(t *testing.T) {
	tr := lenetProbeRun(t, true, nil)
	px := make([]uint8, 28*28)
	for i := 10 * 28; i < 12*28; i++ {
		px[i] = 255
	}
	s := tr.ProbeImage(px)
	if s.Grads == nil || s.Grads.Class != argmax(s.Probs) {
		t.Fatalf("ProbeImage(…).Grads = %+v, want the loss for the answer %d", s.Grads, argmax(s.Probs))
	}
}

// TestProbeGradientsTouchNothing: the probe's backward pass writes none of
// the training net's weights or gradients, and is not computed unless
// asked.
func TestProbeGradientsTouchNothing(t *testing.T) {
	tr := lenetProbeRun(t, true, nil)
	for i := range tr.net.g {
		tr.net.g[i] = float32(i%7) - 3
	}
	w, g := slices.Clone(tr.net.w), slices.Clone(tr.net.g)
	for i := range 3 {
		if tr.Probe(i).Grads == nil {
			t.Fatalf("Probe(%d).Grads = nil with ProbeGradients on", i)
		}
	}
	if !slices.Equal(tr.net.w, w) || !slices.Equal(tr.net.g, g) {
		t.Error("the probe's gradients changed the training net's weights or gradients")
	}
	if s := lenetProbeRun(t, false, nil).Probe(0); s.Grads != nil {
		t.Error("Probe(0).Grads != nil with ProbeGradients off")
	}
}

// BenchmarkSnapshot is the cost of a Snapshot of lenet5's probe without
// and with its gradients (the difference is ProbeGradients' cost), and of
// the backward pass alone.
func BenchmarkSnapshot(b *testing.B) {
	for _, grads := range []bool{false, true} {
		name := "plain"
		if grads {
			name = "gradients"
		}
		b.Run(name, func(b *testing.B) {
			tr := lenetProbeRun(b, grads, nil)
			for b.Loop() {
				tr.Probe(3)
			}
		})
	}
	b.Run("backward-only", func(b *testing.B) {
		tr := lenetProbeRun(b, true, nil)
		s := tr.Probe(3)
		for b.Loop() {
			tr.gradients(&s)
		}
	})
}
