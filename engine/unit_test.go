package engine

import (
	"math"
	"testing"
)

// within reports whether got is want up to a relative and absolute tol.
func within(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestExplainUnitMatchesForward takes apart every unit of lenet5's and
// lenet5-1998's C5, F6 and OUTPUT and checks it against a float64 forward
// pass written out here from the snapshot's own inputs and weights (C5's
// kernels read as a (120, 400) matrix, the RBF's bitmaps as RBFBitmap
// draws them) and against the engine's float32 outputs.
func TestExplainUnitMatchesForward(t *testing.T) {
	for _, arch := range []string{"lenet5", "lenet5-1998"} {
		t.Run(arch, func(t *testing.T) {
			act := ReLU
			if arch == "lenet5-1998" {
				act = ScaledTanh
			}
			snap := randomTrainer(t, arch, act).Probe(3)
			units := 0
			for i, b := range snap.Blocks {
				if b.Name != "C5" && b.Name != "F6" && b.Name != "OUTPUT" {
					if _, err := snap.ExplainUnit(i, 0); err == nil {
						t.Errorf("ExplainUnit(%s, 0) = nil error, want one: its values read windows", b.Name)
					}
					continue
				}
				in := snap.Blocks[i-1].Maps
				n := b.In.Size()
				rbf := arch == "lenet5-1998" && b.Name == "OUTPUT"
				for u := range b.Shape.C {
					// The forward pass, by hand.
					var pre float64
					switch {
					case b.Name == "C5":
						pre = float64(b.Bias[u])
						for c := range 16 {
							for y := range 5 {
								for x := range 5 {
									pre += float64(b.Kernels[((u*16+c)*5+y)*5+x]) * float64(in[(c*5+y)*5+x])
								}
							}
						}
					case rbf:
						for j, w := range RBFBitmap(u) {
							d := float64(in[j]) - float64(w)
							pre += d * d
						}
					default:
						pre = float64(b.Bias[u])
						for j := range n {
							pre += float64(b.Weights[u*n+j]) * float64(in[j])
						}
					}
					out := pre
					switch b.Activation {
					case ReLU:
						out = math.Max(pre, 0)
					case ScaledTanh:
						out = 1.7159 * math.Tanh(2.0/3*pre)
					case "":
					default:
						t.Fatalf("%s: activation %q not worked out here", b.Name, b.Activation)
					}
					un, err := snap.ExplainUnit(i, u)
					if err != nil {
						t.Fatalf("ExplainUnit(%s, %d): %v", b.Name, u, err)
					}
					if !within(un.Pre, pre, 1e-9) || !within(un.Out, out, 1e-9) {
						t.Fatalf("ExplainUnit(%s, %d) = pre %.10g, out %.10g; want %.10g, %.10g", b.Name, u, un.Pre, un.Out, pre, out)
					}
					if got := float64(b.Maps[u]); !within(un.Out, got, 1e-4) {
						t.Fatalf("ExplainUnit(%s, %d).Out = %.7g, want the forward pass's %.7g", b.Name, u, un.Out, got)
					}
					if un.RBF != rbf || len(un.Terms) != n {
						t.Fatalf("ExplainUnit(%s, %d): RBF %v with %d terms, want %v with %d", b.Name, u, un.RBF, len(un.Terms), rbf, n)
					}
					var sum float64
					seen := make([]bool, n)
					for k, p := range un.Terms {
						sum += p.Value
						seen[p.Input] = true
						if k > 0 && p.Value > un.Terms[k-1].Value {
							t.Fatalf("ExplainUnit(%s, %d): term %d (%g) larger than term %d (%g)", b.Name, u, k, p.Value, k-1, un.Terms[k-1].Value)
						}
						if p.X != float64(in[p.Input]) {
							t.Fatalf("ExplainUnit(%s, %d): term of input %d has x %g, the input holds %g", b.Name, u, p.Input, p.X, in[p.Input])
						}
					}
					if !within(sum, un.Sum, 1e-9) || !within(un.Sum+un.Bias, un.Pre, 1e-12) {
						t.Fatalf("ExplainUnit(%s, %d): terms sum to %g, Sum %g, Bias %g, Pre %g", b.Name, u, sum, un.Sum, un.Bias, un.Pre)
					}
					for j, ok := range seen {
						if !ok {
							t.Fatalf("ExplainUnit(%s, %d): input %d has no term", b.Name, u, j)
						}
					}
					units++
				}
			}
			if units != 120+84+10 {
				t.Errorf("explained %d units, want 120 + 84 + 10", units)
			}
		})
	}
}

// TestLossSteps checks the probe's way to the loss against a softmax
// and a loss written out here from the last block's outputs (−log p of
// the label; eq. 9 summed without any shift), against the probabilities
// the snapshot carries for the probe's bars, and against the loss the
// trainer minimises (softmaxCE, rbfLoss) on the same outputs.
func TestLossSteps(t *testing.T) {
	for _, arch := range []string{"lenet5", "lenet5-1998"} {
		t.Run(arch, func(t *testing.T) {
			act := Sigmoid
			if arch == "lenet5-1998" {
				act = ScaledTanh
			}
			tr := randomTrainer(t, arch, act)
			for probe := range 4 {
				snap := tr.Probe(probe)
				ls, err := snap.LossSteps()
				if err != nil {
					t.Fatal(err)
				}
				out := snap.Blocks[len(snap.Blocks)-1].Maps
				sign := 1.0
				if arch == "lenet5-1998" {
					sign = -1
				}
				var sum float64
				for _, v := range out {
					sum += math.Exp(sign * float64(v))
				}
				var pSum float64
				for k, v := range out {
					p := math.Exp(sign*float64(v)) / sum
					pSum += ls.P[k]
					if !within(ls.P[k], p, 1e-9) || !within(ls.P[k], float64(snap.Probs[k]), 1e-6) {
						t.Errorf("probe %d: P[%d] = %.9g, want %.9g (by hand), %.9g (Snapshot.Probs)", probe, k, ls.P[k], p, snap.Probs[k])
					}
					if !within(ls.E[k]/ls.S, ls.P[k], 1e-12) || ls.Z[k] != float64(v) {
						t.Errorf("probe %d: class %d: z %g, e %g, S %g do not give p %g", probe, k, ls.Z[k], ls.E[k], ls.S, ls.P[k])
					}
				}
				if !within(pSum, 1, 1e-12) {
					t.Errorf("probe %d: Σ p = %.15g, want 1", probe, pSum)
				}
				label := snap.Label
				var want, trained float64
				labels := []uint8{uint8(label)}
				if arch == "lenet5-1998" {
					want = float64(out[label]) + math.Log(math.Exp(-1)+sum)
					trained, _ = rbfLoss(out, labels, 1, 10, 1, nil)
					if ls.J != 1 || !within(ls.SumExp, sum, 1e-9) || !within(ls.EJ, math.Exp(-1), 1e-15) {
						t.Errorf("probe %d: j %g, e^−j %g, Σ e^−y %g; want 1, %g, %g", probe, ls.J, ls.EJ, ls.SumExp, math.Exp(-1), sum)
					}
				} else {
					want = -math.Log(math.Exp(float64(out[label])) / sum)
					trained, _ = softmaxCE(crossEntropy{}, out, labels, 1, 10, 1, nil)
					if !within(ls.Loss, math.Log(ls.S)-(ls.Z[label]-ls.M), 1e-12) {
						t.Errorf("probe %d: loss %g is not log S − (z_label − m) = %g", probe, ls.Loss, math.Log(ls.S)-(ls.Z[label]-ls.M))
					}
				}
				if ls.Label != label || !within(ls.Loss, want, 1e-9) || !within(ls.Loss, trained, 1e-6) {
					t.Errorf("probe %d: label %d, loss %.9g; want %d, %.9g (by hand), %.9g (the trainer's)", probe, ls.Label, ls.Loss, label, want, trained)
				}
				best := 0
				for k, v := range out {
					if sign*float64(v) > sign*float64(out[best]) {
						best = k
					}
				}
				if ls.Pred != best || ls.M != float64(out[best]) {
					t.Errorf("probe %d: Pred %d, m %g; want %d, %g", probe, ls.Pred, ls.M, best, out[best])
				}
			}
		})
	}
}

// TestLossStepsOwnDigit: an image of one's own has no label and no loss.
func TestLossStepsOwnDigit(t *testing.T) {
	tr := randomTrainer(t, "lenet5", ReLU)
	ls, err := tr.ProbeImage(make([]uint8, 28*28)).LossSteps()
	if err != nil || ls.Label != -1 || ls.Loss != 0 || len(ls.P) != 10 {
		t.Errorf("LossSteps of an own digit = label %d, loss %g, %d p, %v; want −1, 0, 10, nil", ls.Label, ls.Loss, len(ls.P), err)
	}
}
