package engine

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Unit is the arithmetic of one unit of a dense block for the probe,
// recomputed in float64 from the snapshot: every input it reads times its
// weight, the sum of products, the bias, the pre-activation and the
// activation. A convolution whose kernels cover its whole input (C5 on
// S4's 16@5×5) is a dense block over that input and is taken apart the
// same way. An RBF output unit (the paper's) sums (x − w)² instead, with
// no bias and no activation. Out equals the block's own float32 output up
// to rounding.
type Unit struct {
	Block      string
	Unit       int       // the unit: the index of its value in the block's Maps
	RBF        bool      // an RBF unit: Terms are (x − w)², no bias, no activation
	Terms      []Product // one per input the unit reads, the largest Value first
	Sum        float64   // Σ Value over Terms, summed in input order
	Bias       float64   // 0 for an RBF unit
	Pre        float64   // Sum + Bias, the pre-activation
	Activation Activation
	Out        float64 // Activation(Pre), or Pre when there is none
}

// Product is one input's part in a Unit.
type Product struct {
	Input int     // the index of X in the block's input, (C, H, W) row-major
	X, W  float64 // the input value and its weight
	Value float64 // X·W, or (X − W)² for an RBF unit
}

// ExplainUnit takes apart unit u of block i of the snapshot: a dense
// layer's, the RBF output's, or a convolution's whose kernels cover its
// whole input (no padding, a 1×1 output). For other blocks, and for a
// unit the block does not have, it returns an error.
func (s Snapshot) ExplainUnit(i, u int) (Unit, error) {
	if i < 0 || i >= len(s.Blocks) {
		return Unit{}, fmt.Errorf("block %d: the snapshot has %d", i, len(s.Blocks))
	}
	b := s.Blocks[i]
	if u < 0 || u >= b.Shape.Size() {
		return Unit{}, fmt.Errorf("%s: no unit %d in %v", b.Name, u, b.Shape)
	}
	in := s.Input
	if i > 0 {
		in = s.Blocks[i-1].Maps
	}
	n := b.In.Size()
	if len(in) < n {
		return Unit{}, fmt.Errorf("%s: input has %d values, want %v", b.Name, len(in), b.In)
	}
	un := Unit{Block: b.Name, Unit: u, Activation: b.Activation}
	var w []float32 // (In) the unit's weights
	connected := func(int) bool { return true }
	switch {
	case b.Kind == "dense" && len(b.Weights) == b.Shape.C*n:
		w = b.Weights[u*n : (u+1)*n]
		un.RBF = i == len(s.Blocks)-1 && s.Output == OutputRBF
		if !un.RBF {
			un.Bias = biasAt(b, u, 0)
		}
	case wholeConv(b):
		w = b.Kernels[u*n : (u+1)*n]
		un.Bias = biasAt(b, u, 0)
		if b.Table != nil {
			hw := b.In.H * b.In.W
			connected = func(j int) bool { return b.Table[j/hw][u] }
		}
	default:
		return Unit{}, fmt.Errorf("%s: a %s layer whose values read windows, not the whole input, has no units to explain", b.Name, b.Kind)
	}
	for j, wj := range w {
		if !connected(j) {
			continue
		}
		p := Product{Input: j, X: float64(in[j]), W: float64(wj)}
		p.Value = p.X * p.W
		if un.RBF {
			p.Value = (p.X - p.W) * (p.X - p.W)
		}
		un.Terms = append(un.Terms, p)
		un.Sum += p.Value
	}
	slices.SortStableFunc(un.Terms, func(a, b Product) int { return cmp.Compare(b.Value, a.Value) })
	un.Pre = un.Sum + un.Bias
	un.Out = activate64(b.Activation, un.Pre)
	return un, nil
}

// wholeConv reports whether b is a convolution whose kernels cover its
// whole input: one output per map, each a dense unit over the input.
func wholeConv(b BlockMaps) bool {
	return b.Kind == "conv" && b.Kernels != nil && b.Pad == 0 && b.Shape.H == 1 && b.Shape.W == 1 &&
		b.KShape[2] == b.In.H && b.KShape[3] == b.In.W && len(b.Kernels) == b.Shape.C*b.In.Size()
}

// LossSteps are the probe's way from the last block's outputs to its
// class probabilities and its loss, in float64, as a student writes them
// (see doc.go). With softmax: z the logits, m = max z, e^(z−m), S their
// sum, p = e^(z−m)/S and the loss −log p_label = log S − (z_label − m).
// With the paper's RBF output: y the penalties, m = min y, e^(−(y−m)), S
// their sum, p = e^(−(y−m))/S (softmax of −y, what Snapshot.Probs holds)
// and the loss of eq. 9, E = y_label + log(e^(−j) + Σ e^(−y_i)).
type LossSteps struct {
	Output Output
	Z      []float64 // softmax: the logits z; rbf: the penalties y
	Pred   int       // the answer: the largest z, or the smallest y
	M      float64   // softmax: max z; rbf: min y
	E      []float64 // softmax: e^(z−m); rbf: e^(−(y−m))
	S      float64   // Σ E
	P      []float64 // E/S, the probabilities
	Label  int       // the probe's class; −1 when it has none (then Loss is 0)
	Loss   float64   // −log p_label, or eq. 9's E
	J      float64   // rbf: eq. 9's constant j
	EJ     float64   // rbf: e^(−j)
	SumExp float64   // rbf: Σ e^(−y_i) = e^(−m)·S
}

// LossSteps works out the probe's softmax, or RBF, arithmetic from the
// last block's outputs. A snapshot without blocks, or whose last block's
// outputs are not one per class, is an error.
func (s Snapshot) LossSteps() (LossSteps, error) {
	if len(s.Blocks) == 0 {
		return LossSteps{}, fmt.Errorf("the snapshot has no blocks")
	}
	b := s.Blocks[len(s.Blocks)-1]
	if len(b.Maps) == 0 || len(s.Probs) != len(b.Maps) {
		return LossSteps{}, fmt.Errorf("%s: %d outputs for %d classes", b.Name, len(b.Maps), len(s.Probs))
	}
	ls := LossSteps{Output: s.Output, Label: s.Label}
	if ls.Output == "" {
		ls.Output = OutputSoftmax
	}
	rbf := ls.Output == OutputRBF
	sign := 1.0 // softmax of z, or of −y
	if rbf {
		sign = -1
	}
	for k, v := range b.Maps {
		ls.Z = append(ls.Z, float64(v))
		if sign*float64(v) > sign*ls.Z[ls.Pred] {
			ls.Pred = k
		}
	}
	ls.M = ls.Z[ls.Pred]
	for _, z := range ls.Z {
		e := math.Exp(sign * (z - ls.M))
		ls.E = append(ls.E, e)
		ls.S += e
	}
	for _, e := range ls.E {
		ls.P = append(ls.P, e/ls.S)
	}
	if ls.Label < 0 || ls.Label >= len(ls.Z) {
		ls.Label = -1
		return ls, nil
	}
	if !rbf {
		ls.Loss = math.Log(ls.S) - (ls.Z[ls.Label] - ls.M)
		return ls, nil
	}
	ls.J, ls.EJ, ls.SumExp = rbfJ, math.Exp(-rbfJ), math.Exp(-ls.M)*ls.S
	// As rbfLoss: shifted by the smallest exponent, so nothing overflows.
	m := math.Min(rbfJ, ls.M)
	ls.Loss = ls.Z[ls.Label] - m + math.Log(math.Exp(-(rbfJ-m))+math.Exp(-(ls.M-m))*ls.S)
	return ls, nil
}
