package engine

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// agree is the view's test: the same to 1e-3 relative (absolute near 0).
func agree(a, b float64) bool {
	return math.Abs(a-b) <= 1e-3*math.Max(1e-6, math.Max(math.Abs(a), math.Abs(b)))
}

// TestExplainWeightRoundTrip sends ExplainWeight to a real trainer after a
// few batches and checks the WeightExplained it answers: the chain rule,
// the engine's backward value and the finite difference agree on the probe
// and on the last batch, and the Adam step follows its formulas from the
// optimiser state the event carries.
func TestExplainWeightRoundTrip(t *testing.T) {
	s := settings()
	tr := smallRun(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	asked := false
	var got *WeightExplained
	for ev := range tr.Events() {
		switch ev := ev.(type) {
		case Progress:
			if !asked && ev.Step >= 3 {
				tr.Send(ExplainWeight{Tensor: "c3.weight", Index: []int{2, 1, 1, 0}})
				tr.Send(ExplainWeight{Tensor: "f4.weight", Index: []int{3, 17}})
				tr.Send(ExplainWeight{Tensor: "nope.weight", Index: []int{0}})
				asked = true
			}
		case WeightExplained:
			switch ev.Tensor {
			case "nope.weight":
				if !strings.Contains(ev.Err, "no tensor nope.weight") || ev.Probe.Images != 0 {
					t.Errorf("ExplainWeight(nope.weight) = Err %q, want no tensor nope.weight and nothing else", ev.Err)
				}
				tr.Send(Stop{})
			default:
				checkExplained(t, s, tr, ev)
				got = &ev
			}
		}
	}
	if got == nil {
		t.Fatal("no WeightExplained came")
	}
}

func checkExplained(t *testing.T, s Settings, tr *Trainer, ev WeightExplained) {
	t.Helper()
	name := ev.Tensor
	if ev.Err != "" {
		t.Fatalf("ExplainWeight(%s) = Err %s", name, ev.Err)
	}
	for _, wg := range []WeightGrad{ev.Probe, ev.Batch} {
		if !agree(wg.Grad, wg.FD) || !agree(wg.Grad, wg.Engine) {
			t.Errorf("ExplainWeight(%s) over %d images = grad %.7g, engine %.7g, FD %.7g; want them to agree", name, wg.Images, wg.Grad, wg.Engine, wg.FD)
		}
		if len(wg.Terms) == 0 || len(wg.Terms) > MaxGradTerms || wg.NTerms < len(wg.Terms) {
			t.Errorf("ExplainWeight(%s): %d terms of %d", name, len(wg.Terms), wg.NTerms)
		}
		if !slices.Equal(wg.Index, ev.Index) || wg.Value != ev.Probe.Value {
			t.Errorf("ExplainWeight(%s) = %v value %g, want %v value %g", name, wg.Index, wg.Value, ev.Index, ev.Probe.Value)
		}
	}
	if ev.Probe.Images != 1 || ev.Batch.Images != s.Batch || ev.Probe.Label != int(tr.test.Labels[ev.ProbeIndex]) {
		t.Errorf("ExplainWeight(%s) = %d and %d images, label %d; want 1, %d, the probe's", name, ev.Probe.Images, ev.Batch.Images, ev.Probe.Label, s.Batch)
	}
	// The Adam step, worked from the state the event carries.
	n := ev.Next
	if n.Optimizer != Adam || n.T != ev.Step+1 || n.Grad != ev.Batch.Grad {
		t.Fatalf("ExplainWeight(%s).Next = %s t=%d g=%g, want adam t=%d g=%g", name, n.Optimizer, n.T, n.Grad, ev.Step+1, ev.Batch.Grad)
	}
	if n.M == 0 || n.V == 0 {
		t.Errorf("ExplainWeight(%s).Next = m %g v %g after %d steps, want the live state", name, n.M, n.V, ev.Step)
	}
	lr := s.LR * scheduleFactor(s.Schedule, ev.Step, s.Epochs*tr.batches)
	m := n.Beta1*n.M + (1-n.Beta1)*n.Grad
	v := n.Beta2*n.V + (1-n.Beta2)*n.Grad*n.Grad
	mhat, vhat := m/(1-math.Pow(n.Beta1, float64(n.T))), v/(1-math.Pow(n.Beta2, float64(n.T)))
	step := -lr * mhat / (math.Sqrt(vhat) + n.Eps)
	for _, c := range []struct {
		what      string
		got, want float64
	}{{"lr", n.LR, lr}, {"m", n.NewM, m}, {"v", n.NewV, v}, {"m̂", n.MHat, mhat}, {"v̂", n.VHat, vhat}, {"step", n.Step, step}, {"new", n.New, n.Value + step}} {
		if math.Abs(c.got-c.want) > 1e-4*math.Abs(c.want)+1e-7 {
			t.Errorf("ExplainWeight(%s).Next %s = %.7g, want %.7g", name, c.what, c.got, c.want)
		}
	}
}

// TestExplainWeightLeavesTraining: answering ExplainWeight between batches
// changes no weight, no gradient of the master net and not the last batch.
func TestExplainWeightLeavesTraining(t *testing.T) {
	tr := smallRun(t, settings())
	tr.outside(func() {
		stream, _, _ := tr.openStream()
		defer stream.Close()
		tr.trainNext(stream, false)
		w, g := slices.Clone(tr.net.w), slices.Clone(tr.net.g)
		x := slices.Clone(tr.last.x)
		ev := tr.explainWeight(ExplainWeight{Tensor: "c1.weight", Index: []int{0, 0, 1, 1}})
		if ev.Err != "" || ev.Batch.Images != tr.lastN {
			t.Fatalf("explainWeight = Err %q, %d batch images; want none, %d", ev.Err, ev.Batch.Images, tr.lastN)
		}
		if !slices.Equal(w, tr.net.w) || !slices.Equal(g, tr.net.g) || !slices.Equal(x, tr.last.x) {
			t.Error("explainWeight changed the net's weights, its gradients or the last batch")
		}
	})
}
