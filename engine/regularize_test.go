package engine

import (
	"math"
	"testing"
)

// TestLabelSmoothingByHand checks the smoothed loss and its gradient at
// the logits against a float64 computation of −Σ t·log softmax(z), for
// the stable and the naive forms.
func TestLabelSmoothingByHand(t *testing.T) {
	z := []float32{0.5, -0.25, 1, 0}
	const y, eps = 2, 0.2
	var sum float64
	for _, v := range z {
		sum += math.Exp(float64(v))
	}
	var want float64
	wantDz := make([]float64, len(z))
	for k, v := range z {
		target := eps / 4
		if k == y {
			target += 1 - eps
		}
		p := math.Exp(float64(v)) / sum
		want -= target * math.Log(p)
		wantDz[k] = p - target
	}
	for _, naive := range []bool{false, true} {
		dz := make([]float32, len(z))
		got, _ := softmaxCE(crossEntropy{naive: naive, smooth: eps}, z, []uint8{y}, 1, 4, 1, dz)
		if math.Abs(got-want) > 1e-5 {
			t.Errorf("naive %v: smoothed loss = %.7f, want %.7f", naive, got, want)
		}
		for k := range dz {
			if math.Abs(float64(dz[k])-wantDz[k]) > 1e-6 {
				t.Errorf("naive %v: dz[%d] = %.7f, want p − t = %.7f", naive, k, dz[k], wantDz[k])
			}
		}
	}
	// A certain right answer still costs something: the target's entropy.
	sure := []float32{0, 0, 60, 0}
	got, _ := softmaxCE(crossEntropy{smooth: eps}, sure, []uint8{y}, 1, 4, 1, nil)
	if got < 0.5 {
		t.Errorf("smoothed loss of a certain right answer = %g, want well above 0 (ε·60·3/4 = 9)", got)
	}
}

// TestLabelSmoothingGradient checks the gradient at the logits against
// central differences of the loss, on logits of several sizes.
func TestLabelSmoothingGradient(t *testing.T) {
	z := []float32{2, -1, 0.5, 3, -2, 0.25, 1, -0.5}
	labels := []uint8{3, 0}
	ce := crossEntropy{smooth: 0.1}
	dz := make([]float32, len(z))
	softmaxCE(ce, z, labels, 2, 4, 1, dz)
	const h = 1e-2
	for i := range z {
		old := z[i]
		z[i] = old + h
		lp, _ := softmaxCE(ce, z, labels, 2, 4, 1, nil)
		z[i] = old - h
		lm, _ := softmaxCE(ce, z, labels, 2, 4, 1, nil)
		z[i] = old
		if num := (lp - lm) / (2 * h); math.Abs(float64(dz[i])-num) > 1e-3 {
			t.Errorf("dz[%d] = %.5f, want %.5f (central difference)", i, dz[i], num)
		}
	}
}

// TestWeightDecay takes one step from the same weights on the same batch
// with and without weight decay: the two differ by exactly −lr·decay·w₀,
// parameter by parameter. Under Adam this tells decoupled decay from an L2
// term in the loss: the L2 gradient λ·w would pass through Adam's
// normalisation, whose first step is about lr·sign(g) whatever the size of
// g, and leave most weights where the plain step puts them.
func TestWeightDecay(t *testing.T) {
	for _, opt := range []Optimizer{SGD, Adam} {
		s := settings()
		s.Optimizer, s.Schedule, s.LR = opt, ScheduleConstant, 0.05
		step := func(decay float64) (w0, w1 []float32) {
			s.WeightDecay = decay
			tr := smallRun(t, s)
			tr.startWorkers(nil)
			defer tr.stopWorkers()
			n := firstBatch(tr, s.Batch)
			w0 = append([]float32(nil), tr.net.w...)
			tr.trainStep(tr.batch.x, tr.batch.y, n)
			return w0, tr.net.w
		}
		const decay = 0.4
		w0, plain := step(0)
		_, decayed := step(decay)
		for i := range w0 {
			want := -s.LR * decay * float64(w0[i])
			if got := float64(decayed[i] - plain[i]); math.Abs(got-want) > 1e-6+1e-4*math.Abs(want) {
				t.Fatalf("%s: w[%d]: decayed − plain = %.8f, want −lr·decay·w₀ = %.8f", opt, i, got, want)
			}
		}
	}
}

// TestRegularizationChecked: the settings refuse values they cannot mean.
func TestRegularizationChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Settings)
		key  string
	}{
		{"ε of 1", func(s *Settings) { s.LabelSmoothing = 1 }, "label_smoothing"},
		{"negative ε", func(s *Settings) { s.LabelSmoothing = -0.1 }, "label_smoothing"},
		{"ε under RBF", func(s *Settings) { s.LabelSmoothing, s.Output = 0.1, OutputRBF }, "label_smoothing"},
		{"ε with the naive loss", func(s *Settings) { s.LabelSmoothing, s.Loss = 0.1, LossNaive }, "label_smoothing"},
		{"ε that is 1 in float32", func(s *Settings) { s.LabelSmoothing = 0.99999999 }, "label_smoothing"},
		{"lr·decay that is 1 in float32", func(s *Settings) { s.LR, s.WeightDecay = 1, 0.99999999 }, "weight_decay"},
		{"negative decay", func(s *Settings) { s.WeightDecay = -1 }, "weight_decay"},
		{"a decay that flips signs", func(s *Settings) { s.LR, s.WeightDecay = 0.5, 3 }, "weight_decay"},
	} {
		s := settings()
		tc.set(&s)
		err := s.Check()
		se, ok := err.(*SettingError)
		if !ok || se.Key != tc.key {
			t.Errorf("%s: Check() = %v, want a SettingError for %s", tc.name, err, tc.key)
		}
	}
}
