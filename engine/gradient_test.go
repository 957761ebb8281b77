package engine

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/safetensors"
)

// TestWeightGradient takes apart the gradient of seeded random values of
// every parameter tensor of the built-in nets (C1, C3 with its table,
// subsampling coefficients and biases, C5, F6, OUTPUT, every bias; the
// paper's RBF output and pad in lenet5-1998) on one image and compares the
// chain rule's sum with the engine's own float32 backward pass and with a
// central difference of the loss the test takes itself, in float64, with
// a step of its own. The float64 forward pass the difference runs is in
// turn compared with the engine's float32 forward.
func TestWeightGradient(t *testing.T) {
	perPosition := func(s *Settings) { s.Bias = BiasPerPosition }
	smooth := func(s *Settings) { s.LabelSmoothing = 0.1 }
	cases := []struct {
		name string
		arch string
		act  Activation
		edit []func(*Settings)
	}{
		{"lenet5 sigmoid", "lenet5", Sigmoid, nil},
		{"lenet5 relu per-position bias, smoothed", "lenet5", ReLU, []func(*Settings){perPosition, smooth}},
		{"lenet5-modern", "lenet5-modern", ReLU, nil},
		{"lenet5-1998", "lenet5-1998", ScaledTanh, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := randomTrainer(t, tc.arch, tc.act, tc.edit...)
			net, s := tr.net, tr.cfg.Settings
			pixels, label := tr.test.Image(3), int(tr.test.Labels[3])

			// The float64 forward pass against the engine's float32 one.
			z := net.Forward(net.input(pixels, &tr.scale), 1)
			o := net.Outcome(s, pixels, &tr.scale, label)
			for k, v := range o.Logits {
				if math.Abs(v-float64(z[k])) > 1e-4*(1+math.Abs(v)) {
					t.Errorf("forward64 logit %d = %.7g, engine's float32 %.7g", k, v, z[k])
				}
			}

			rng := rand.New(rand.NewPCG(3, 5))
			ps, _ := net.checkpointParams()
			kinds := map[string]bool{}
			for _, np := range ps {
				for range 4 {
					index := make([]int, len(np.shape))
					for k, d := range np.shape {
						index[k] = rng.IntN(d)
					}
					if np.conv != nil && np.conv.table != nil && !np.conv.table[index[1]][index[0]] {
						continue // left out: see TestWeightGradientErrors
					}
					wg, err := net.WeightGradient(s, np.name, index, pixels, &tr.scale, label)
					if err != nil {
						t.Fatal(err)
					}
					kinds[wg.Kind] = true
					fd := centralDifference(net, s, pixels, &tr.scale, label, wg, 1e-4)
					if math.Abs(wg.Grad-fd) > 1e-6+1e-4*math.Abs(fd) || math.Abs(wg.Grad-wg.Engine) > 1e-6+1e-3*math.Abs(wg.Grad) {
						t.Errorf("WeightGradient(%s%v) = grad %.7g, engine %.7g; want the test's central difference %.7g", np.name, index, wg.Grad, wg.Engine, fd)
					}
					// The difference it reports is the one of its step h,
					// 1e-3·max(1, |w|): further from the derivative where
					// the loss bends (or a ReLU turns) within ±h.
					if want := centralDifference(net, s, pixels, &tr.scale, label, wg, 1e-3); wg.H != 1e-3*math.Max(1, math.Abs(wg.Value)) || math.Abs(wg.FD-want) > 1e-9+1e-6*math.Abs(want) {
						t.Errorf("WeightGradient(%s%v) = FD %.9g with h %g, want %.9g", np.name, index, wg.FD, wg.H, want)
					}
					if len(wg.Terms) > MaxGradTerms || wg.NTerms < len(wg.Terms) {
						t.Errorf("WeightGradient(%s%v): %d terms of %d", np.name, index, len(wg.Terms), wg.NTerms)
					}
				}
			}
			if tc.arch == "lenet5-1998" && !(kinds["subsample coef"] && kinds["subsample bias"] && kinds["conv weight"] && kinds["dense weight"]) {
				t.Errorf("kinds checked %v, want subsampling, conv and dense", kinds)
			}
			for _, g := range net.g {
				if g != 0 {
					t.Fatal("WeightGradient left a gradient in the net")
				}
			}
		})
	}
}

// centralDifference is (L(w+h) − L(w−h))/2h for the value wg names, with
// h = step·max(1, |w|), the loss from the float64 forward pass and the
// test's own softmax cross-entropy (or eq. 9 for RBF penalties).
func centralDifference(net *Net, s Settings, pixels []uint8, sc *dataset.Scale, label int, wg WeightGrad, step float64) float64 {
	np, local, _ := net.lookupWeight(wg.Tensor, wg.Index)
	x := net.input(pixels, sc)
	loss := func(v float64) float64 {
		z := net.outcome64(s, x, label, np.p, local, v).Logits
		if net.output == OutputRBF {
			const j = 1.0
			sum := math.Exp(-j)
			for _, y := range z {
				sum += math.Exp(-y)
			}
			return z[label] + math.Log(sum)
		}
		var sum float64
		for _, v := range z {
			sum += math.Exp(v)
		}
		var l float64
		for k, v := range z {
			target := s.LabelSmoothing / float64(len(z))
			if k == label {
				target += 1 - s.LabelSmoothing
			}
			l -= target * (v - math.Log(sum))
		}
		return l
	}
	h := step * math.Max(1, math.Abs(wg.Value))
	return (loss(wg.Value+h) - loss(wg.Value-h)) / (2 * h)
}

// TestWeightGradientErrors: an unknown tensor lists the names, an index
// outside the shape says the shape, and a weight C3's table leaves out is
// said to be so.
func TestWeightGradientErrors(t *testing.T) {
	tr := randomTrainer(t, "lenet5", Sigmoid)
	pixels := tr.test.Image(0)
	for _, tt := range []struct {
		ref, want string
	}{
		{"c9.weight[0]", "no tensor c9.weight in lenet5: its tensors are c1.weight, c1.bias, s2.coef"},
		{"c1.weight[6,0,0,0]", "c1.weight has shape [6,1,5,5]: index 0 is 6, want 0 to 5"},
		{"f6.weight[3]", "f6.weight has shape [84,120]: want 2 indices, got 1"},
		{"c3.weight[5,2,1,1]", "c3.weight[5,2,1,1]: C3's connection table leaves input map 2 out of output map 5 (it reads maps 0, 1, 5): no weight to explain"},
	} {
		name, index, err := ParseWeight(tt.ref)
		if err == nil {
			_, err = tr.net.WeightGradient(tr.cfg.Settings, name, index, pixels, &tr.scale, 0)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("WeightGradient(%s) = %v, want an error with %q", tt.ref, err, tt.want)
		}
	}
	for _, ref := range []string{"c1.weight", "c1.weight[0,x]", "[0]"} {
		if _, _, err := ParseWeight(ref); err == nil {
			t.Errorf("ParseWeight(%q) = nil error, want one", ref)
		}
	}
}

// TestNextStep checks the optimisers' next step against updates worked
// here from their formulas, not by the code under test.
func TestNextStep(t *testing.T) {
	const w, g = 0.3, 0.05
	ck := func(tensors ...safetensors.Tensor) *Checkpoint {
		return &Checkpoint{Step: 9, BatchesPerEpoch: 10, file: safetensors.File{Tensors: tensors}}
	}
	state := func(name string, v float32) safetensors.Tensor {
		return safetensors.Tensor{Name: name, Shape: []int{3}, Data: []float32{7, v, 7}}
	}
	base := Settings{LR: 0.1, Epochs: 2, Schedule: ScheduleConstant}

	// SGD: w − lr·g = 0.3 − 0.1·0.05 = 0.295.
	s := base
	s.Optimizer = SGD
	step := ck().NextStep(s, 1, w, g)
	check(t, "sgd new", step.New, 0.295)
	check(t, "sgd step", step.Step, -0.005)

	// SGD with decoupled decay 0.01: 0.3·(1 − 0.1·0.01) − 0.1·0.05 = 0.2947.
	s.WeightDecay = 0.01
	check(t, "sgd+decay new", ck().NextStep(s, 1, w, g).New, 0.2947)

	// Momentum, v = 0.2: v' = 0.9·0.2 + 0.05 = 0.23; w' = 0.3 − 0.1·0.23 = 0.277.
	s = base
	s.Optimizer = Momentum
	step = ck(state("momentum.v", 0.2)).NextStep(s, 1, w, g)
	check(t, "momentum v", step.NewV, 0.23)
	check(t, "momentum new", step.New, 0.277)
	if !step.Saved {
		t.Error("momentum: Saved = false with momentum.v in the checkpoint")
	}

	// Adam at t = 10, lr 0.001, m = 0.02, v = 0.0004:
	// m' = 0.9·0.02 + 0.1·0.05 = 0.023
	// v' = 0.999·0.0004 + 0.001·0.0025 = 0.0004021
	// m̂ = 0.023/(1 − 0.9¹⁰) = 0.023/0.6513215599 = 0.0353129…
	// v̂ = 0.0004021/(1 − 0.999¹⁰) = 0.0004021/0.0099551198 = 0.0403913…
	// step = −0.001·m̂/(√v̂ + 1e-8) = −0.001·0.0353129/0.2009759 = −0.0001757068…
	s = base
	s.Optimizer, s.LR = Adam, 0.001
	step = ck(state("adam.m", 0.02), state("adam.v", 0.0004)).NextStep(s, 1, w, g)
	if step.T != 10 {
		t.Errorf("adam t = %d, want 10", step.T)
	}
	check(t, "adam m", step.NewM, 0.023)
	check(t, "adam v", step.NewV, 0.0004021)
	check(t, "adam m̂", step.MHat, 0.023/0.6513215599)
	check(t, "adam v̂", step.VHat, 0.0004021/0.0099551198)
	check(t, "adam step", step.Step, -0.0001757068)
	check(t, "adam new", step.New, 0.3-0.0001757068)

	// No saved moments (the fixture's were dropped): a fresh Adam's, zero:
	// m' = 0.005, v' = 0.0000025, step = −0.001·(0.005/0.6513)/(√(0.0000025/0.009955)) ≈ −0.000484.
	step = ck().NextStep(s, 1, w, g)
	if step.Saved {
		t.Error("adam without moments: Saved = true")
	}
	check(t, "fresh adam step", step.Step, -0.001*(0.005/0.6513215599)/math.Sqrt(0.0000025/0.0099551198))
}

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-7+1e-6*math.Abs(want) {
		t.Errorf("%s = %.9g, want %.9g", what, got, want)
	}
}
