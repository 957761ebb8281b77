package engine

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// One weight's gradient on one image, as the chain rule computes it, beside
// a finite difference of the loss and the step the optimiser would take.
//
// For a convolution weight w[o,i,u,v] (OIHW, zero padding P):
//
//	dL/dw = Σ_{y,x} δ[o,y,x] · in[i, y+u−P, x+v−P]
//
// with δ = dL/d(pre-activation) of the block and in its input; for a dense
// weight w[o,i], dL/dw = δ[o] · in[i]; for a bias, Σ δ over the positions it
// is added at; for a subsampling coefficient c[m], Σ_{y,x} δ[m,y,x] · S[m,y,x]
// with S the window's sum. δ comes from the engine's own backward pass
// through the blocks after this one (float32), the products and their sum
// are taken in float64. The finite difference runs the whole net forward in
// float64 (forward64), independent of the engine's kernels.

// Outcome is one image's logits, class probabilities and loss, computed in
// float64: softmax cross-entropy (label smoothing as the run had it), or for
// the paper's RBF output its loss (eq. 9) and softmax(−y).
type Outcome struct {
	Label  int
	Logits []float64 // the net's outputs: logits, or RBF penalties
	Probs  []float64
	Loss   float64
}

// WeightGrad is one parameter's gradient on one image, taken apart.
type WeightGrad struct {
	Tensor string // the checkpoint's name, e.g. "c3.weight"
	Index  []int  // in the tensor's shape
	Shape  []int
	Block  string // the block it belongs to, e.g. "C3"
	Kind   string // "conv weight", "conv bias", "dense weight", "dense bias", "subsample coef", "subsample bias"
	Flat   int    // its place in the net's flat parameter vector (Net.Params in order), where the optimiser's state is
	Value  float64
	Images int // the images the gradient is over: 1, or a batch's (Trainer, WeightExplained.Batch)
	Outcome

	// Terms are the largest products of the chain rule's sum, by size:
	// δ at an output position times what the weight multiplied there.
	Terms  []GradTerm
	NTerms int     // how many products the sum has
	Grad   float64 // Σ of every product: the analytic dL/dw, in float64
	Engine float64 // the engine's own float32 backward pass for the same image
	H      float64 // the finite difference's step: 1e-3·max(1, |w|)
	FD     float64 // (L(w+h) − L(w−h)) / 2h, the net run forward in float64
}

// GradTerm is one product of a WeightGrad's sum.
type GradTerm struct {
	Image     int     // which of the images (0 for one)
	Map, Y, X int     // the output position δ is taken at (Y, X are 0 for a dense layer)
	Delta     float64 // dL/d(pre-activation) there
	In        float64 // what the weight multiplies there: the input under the tap, the window's sum, or 1 for a bias
	InY, InX  int     // a convolution weight: the input position under the tap (outside the map in the padding); −1 otherwise
	Product   float64 // Delta·In
}

// MaxGradTerms is the number of terms a WeightGrad keeps.
const MaxGradTerms = 8

// ParseWeight splits a reference such as "c3.weight[5,0,1,1]" into the
// tensor name and the index.
func ParseWeight(ref string) (name string, index []int, err error) {
	name, rest, ok := strings.Cut(ref, "[")
	if !ok || !strings.HasSuffix(rest, "]") || name == "" {
		return "", nil, fmt.Errorf("weight %q: want a tensor name and an index, such as c1.weight[0,0,2,2]", ref)
	}
	for _, f := range strings.Split(strings.TrimSuffix(rest, "]"), ",") {
		i, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return "", nil, fmt.Errorf("weight %q: index %q is not a whole number", ref, strings.TrimSpace(f))
		}
		index = append(index, i)
	}
	return name, index, nil
}

// TensorNames lists the checkpoint names of the net's parameters, in order.
func (n *Net) TensorNames() []string {
	ps, _ := n.checkpointParams()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	return names
}

// Outcome runs pixels (H, W), scaled by sc, through the net in float64 and
// returns its probabilities and loss for label under settings s (its loss,
// label smoothing and output). Pixels of another size than the net's input
// are a programmer error and panic.
func (n *Net) Outcome(s Settings, pixels []uint8, sc *dataset.Scale, label int) Outcome {
	x := n.input(pixels, sc)
	return n.outcome64(s, x, label, nil, 0, 0)
}

// input scales pixels into the net's input (C, H, W).
func (n *Net) input(pixels []uint8, sc *dataset.Scale) []float32 {
	if len(pixels) != n.in.Size() {
		panic(fmt.Sprintf("engine: %d pixels, the net takes %v", len(pixels), n.in))
	}
	x := make([]float32, len(pixels)) // (C, H, W)
	for i, p := range pixels {
		x[i] = sc[p]
	}
	return x
}

// WeightGradient takes apart dL/dw for the parameter value tensor[index]
// on one image: the image's pixels (H, W) scaled by sc, its label, the loss
// as settings s say. It runs the engine's forward and backward passes on the
// net (whose gradients it leaves zero), so it must not be called while a
// Trainer runs the net. An unknown tensor, an index outside its shape, or a
// weight a connection table leaves out is an error saying so.
func (n *Net) WeightGradient(s Settings, tensor string, index []int, pixels []uint8, sc *dataset.Scale, label int) (WeightGrad, error) {
	return n.weightGradient(s, tensor, index, [][]float32{n.input(pixels, sc)}, []int{label}, 1, 1e-3)
}

// weightGradient is WeightGradient over images xs (each (C, H, W), scaled)
// with their labels, for the loss scale·Σ L_i (the trainer's reduction:
// 1/N for a mean, 1 for a sum). δ in the terms is that loss's, so the
// products sum to its gradient. With one image and scale 1, Outcome is the
// image's; with more, only its Loss is set (scale·Σ L_i) and Label is −1.
// The finite difference's step is hRel·max(1, |w|): over a batch a step
// of 1e-3 moves many ReLU inputs across 0 (and max-pool ties apart), and
// the difference measures the kinks, not the slope; in float64 a step of
// 1e-6 still leaves rounding far below the 1e-3 the views compare to.
func (n *Net) weightGradient(s Settings, tensor string, index []int, xs [][]float32, labels []int, scale, hRel float64) (WeightGrad, error) {
	for _, label := range labels {
		if label < 0 || label >= n.classes {
			return WeightGrad{}, fmt.Errorf("label %d: the net has %d classes", label, n.classes)
		}
	}
	np, local, err := n.lookupWeight(tensor, index)
	if err != nil {
		return WeightGrad{}, err
	}
	bi, flat := n.owner(np.p)
	b := n.blocks[bi]
	wg := WeightGrad{Tensor: tensor, Index: slices.Clone(index), Shape: slices.Clone(np.shape), Block: b.info.Name, Flat: flat + local,
		Value: float64(np.p.W[local]), Images: len(xs)}
	var all []GradTerm
	for k, x := range xs {
		delta, in := n.deltaAt(s, x, labels[k], bi)
		wg.Engine += scale * float64(np.p.G[local])
		n.ZeroGrad()
		for j := range delta {
			delta[j] *= scale
		}
		var ts []GradTerm
		wg.Kind, ts = terms(b, np.p, index, local, delta, in)
		for j := range ts {
			ts[j].Image = k
			wg.Grad += ts[j].Product
		}
		all = append(all, ts...)
	}
	wg.NTerms = len(all)
	slices.SortStableFunc(all, func(a, b GradTerm) int {
		return -cmpFloat(math.Abs(a.Product), math.Abs(b.Product))
	})
	wg.Terms = slices.Clone(all[:min(len(all), MaxGradTerms)])

	wg.H = hRel * math.Max(1, math.Abs(wg.Value))
	var plus, minus float64
	for k, x := range xs {
		if len(xs) == 1 && scale == 1 {
			wg.Outcome = n.outcome64(s, x, labels[k], nil, 0, 0)
		} else {
			wg.Outcome.Loss += scale * n.outcome64(s, x, labels[k], nil, 0, 0).Loss
			wg.Outcome.Label = -1
		}
		plus += n.outcome64(s, x, labels[k], np.p, local, wg.Value+wg.H).Loss
		minus += n.outcome64(s, x, labels[k], np.p, local, wg.Value-wg.H).Loss
	}
	wg.FD = scale * (plus - minus) / (2 * wg.H)
	return wg, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// lookupWeight finds tensor[index] among the net's parameters and returns
// its offset within the Param.
func (n *Net) lookupWeight(tensor string, index []int) (namedParam, int, error) {
	ps, err := n.checkpointParams()
	if err != nil {
		return namedParam{}, 0, err
	}
	i := slices.IndexFunc(ps, func(p namedParam) bool { return p.name == tensor })
	if i < 0 {
		return namedParam{}, 0, fmt.Errorf("no tensor %s in %s: its tensors are %s", tensor, n.arch, strings.Join(n.TensorNames(), ", "))
	}
	np := ps[i]
	shape := func() string {
		d := make([]string, len(np.shape))
		for k, v := range np.shape {
			d[k] = strconv.Itoa(v)
		}
		return "[" + strings.Join(d, ",") + "]"
	}
	if len(index) != len(np.shape) {
		return np, 0, fmt.Errorf("%s has shape %s: want %d indices, got %d", tensor, shape(), len(np.shape), len(index))
	}
	local := 0
	for k, v := range index {
		if v < 0 || v >= np.shape[k] {
			return np, 0, fmt.Errorf("%s has shape %s: index %d is %d, want 0 to %d", tensor, shape(), k, v, np.shape[k]-1)
		}
		local = local*np.shape[k] + v
	}
	if c := np.conv; c != nil && c.table != nil && !c.table[index[1]][index[0]] {
		var reads []string
		for i := range c.in.C {
			if c.table[i][index[0]] {
				reads = append(reads, strconv.Itoa(i))
			}
		}
		return np, 0, fmt.Errorf("%s[%d,%d,%d,%d]: %s's connection table leaves input map %d out of output map %d (it reads maps %s): no weight to explain",
			tensor, index[0], index[1], index[2], index[3], c.w.Name[:len(c.w.Name)-2], index[1], index[0], strings.Join(reads, ", "))
	}
	return np, local, nil
}

// owner returns the block holding p and p's offset in the flat vector.
func (n *Net) owner(p *Param) (block, flat int) {
	for _, q := range n.params {
		if q == p {
			break
		}
		flat += q.size
	}
	for i, b := range n.blocks {
		if slices.Contains(b.op.Params(), p) {
			return i, flat
		}
	}
	panic("engine: a parameter of no block")
}

// deltaAt runs x (one image) forward and the loss's gradient backward
// through the whole net, as a training step does, and returns δ, the
// gradient at block i's pre-activation (Out), and block i's input (In), in
// float64. The parameters' gradients hold this image's afterwards.
func (n *Net) deltaAt(s Settings, x []float32, label, i int) (delta, in []float64) {
	n.ZeroGrad()
	z := n.Forward(x, 1)
	dz := make([]float32, n.classes)
	lab := []uint8{uint8(label)}
	if n.output == OutputRBF {
		rbfLoss(z, lab, 1, n.classes, 1, dz)
	} else {
		ce := crossEntropy{naive: s.Loss == LossNaive, smooth: float32(s.LabelSmoothing)}
		softmaxCE(ce, z, lab, 1, n.classes, 1, dz)
	}
	in = toFloat64(x)
	if i > 0 {
		in = toFloat64(n.blocks[i-1].out[:n.blocks[i].info.In.Size()])
	}
	d := dz
	for j := len(n.blocks) - 1; j >= 0; j-- {
		b := n.blocks[j]
		if j == i {
			// d is dL/d(output of block i); through f' it is δ.
			delta = toFloat64(d[:b.info.Out.Size()])
			if b.act != nil {
				for k, y := range b.out[:len(delta)] {
					delta[k] *= slope64(b.act.fn, float64(y))
				}
			}
		}
		if b.act != nil && !b.fused {
			d = b.act.Backward(d)
		}
		d = b.op.Backward(d)
	}
	return delta, in
}

// slope64 is f'(a) written in terms of y = f(a), as Act.grad has it.
func slope64(fn Activation, y float64) float64 {
	switch fn {
	case Sigmoid:
		return y * (1 - y)
	case ReLU:
		if y > 0 {
			return 1
		}
		return 0
	case Tanh:
		return 1 - y*y
	case ScaledTanh:
		t := y / scaledTanhA
		return scaledTanhA * scaledTanhB * (1 - t*t)
	}
	return 1
}

func toFloat64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// terms lists every product of the chain rule's sum for p[local] of block b,
// given δ (Out) and the block's input (In).
func terms(b *block, p *Param, index []int, local int, delta, in []float64) (string, []GradTerm) {
	out := b.info.Out
	hw := out.H * out.W
	var ts []GradTerm
	at := func(m, pos int, v float64) {
		ts = append(ts, GradTerm{Map: m, Y: pos / out.W, X: pos % out.W, Delta: delta[m*hw+pos], In: v, InY: -1, InX: -1, Product: delta[m*hw+pos] * v})
	}
	switch op := b.op.(type) {
	case *Conv:
		if p == op.b {
			if op.perPos {
				at(index[0], index[1]*out.W+index[2], 1)
			} else {
				for pos := range hw {
					at(index[0], pos, 1)
				}
			}
			return "conv bias", ts
		}
		return "conv weight", convTerms(op, out, index, delta, in)
	case *Dense:
		if p == op.b {
			at(index[0], 0, 1)
			return "dense bias", ts
		}
		at(index[0], 0, in[index[1]])
		ts[len(ts)-1].InY, ts[len(ts)-1].InX = -1, index[1]
		return "dense weight", ts
	case *Pool:
		m := index[0]
		for pos := range hw {
			if p == op.bias {
				at(m, pos, 1)
				continue
			}
			y0, y1, x0, x1 := op.window(pos/out.W, pos%out.W)
			var sum float64
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					sum += in[(m*op.in.H+y)*op.in.W+x]
				}
			}
			at(m, pos, sum)
		}
		if p == op.bias {
			return "subsample bias", ts
		}
		return "subsample coef", ts
	}
	panic(fmt.Sprintf("engine: %s: no parameters to take apart", b.info.Name))
}

// convTerms are the terms of conv weight w[o,i,u,v]'s gradient: at each
// output position (y, x), δ[o,y,x] times the input under the tap,
// in[i, y+u−P, x+v−P] (0 in the padding).
func convTerms(op *Conv, out Shape, index []int, delta, in []float64) []GradTerm {
	o, i, u, v := index[0], index[1], index[2], index[3]
	ih, iw := op.in.H, op.in.W
	hw := out.H * out.W
	ts := make([]GradTerm, 0, hw)
	for y := range out.H {
		for x := range out.W {
			iy, ix := y+u-op.pad, x+v-op.pad
			var val float64 // zero padding
			if iy >= 0 && iy < ih && ix >= 0 && ix < iw {
				val = in[(i*ih+iy)*iw+ix]
			}
			d := delta[o*hw+y*out.W+x]
			ts = append(ts, GradTerm{Map: o, Y: y, X: x, Delta: d, In: val, InY: iy, InX: ix, Product: d * val})
		}
	}
	return ts
}

// outcome64 runs x (one image) through the net in float64, with parameter
// value p[local] replaced by v when p is not nil, and returns the outcome.
func (n *Net) outcome64(s Settings, x []float32, label int, p *Param, local int, v float64) Outcome {
	val := func(q *Param) []float64 {
		w := toFloat64(q.W)
		if q == p {
			w[local] = v
		}
		return w
	}
	a := toFloat64(x)
	for _, b := range n.blocks {
		a = forward64(b.op, a, val)
		if b.act != nil {
			for k, y := range a {
				a[k] = activate64(b.act.fn, y)
			}
		}
	}
	o := Outcome{Label: label, Logits: a}
	if n.output == OutputRBF {
		o.Probs, o.Loss = rbfOutcome64(a, label)
	} else {
		o.Probs, o.Loss = softmaxOutcome64(a, label, s.LabelSmoothing)
	}
	return o
}

// forward64 is one layer's forward pass over one image in float64, in plain
// loops; val gives a parameter's values.
func forward64(l Layer, x []float64, val func(*Param) []float64) []float64 {
	switch op := l.(type) {
	case *Conv:
		return conv64(op, x, val)
	case *Dense:
		return dense64(op, x, val)
	case *Pool:
		return pool64(op, x, val)
	case *Pad:
		return pad64(op, x)
	case *RBF:
		return rbf64(op, x)
	}
	panic(fmt.Sprintf("engine: forward64: no float64 pass for %T", l))
}

// conv64 is a convolution in float64: each output map sums its kernel over
// the input maps its connection table allows (zero outside the input when
// padded), plus its bias, one per map or one per position.
func conv64(op *Conv, x []float64, val func(*Param) []float64) []float64 {
	w, b := val(op.w), val(op.b)
	in, out, k := op.in, op.out, op.k
	y := make([]float64, out.Size())
	for o := range out.C {
		for oy := range out.H {
			for ox := range out.W {
				var sum float64
				for i := range in.C {
					if op.table != nil && !op.table[i][o] {
						continue
					}
					for u := range k {
						for v := range k {
							iy, ix := oy+u-op.pad, ox+v-op.pad
							if iy >= 0 && iy < in.H && ix >= 0 && ix < in.W {
								sum += w[((o*in.C+i)*k+u)*k+v] * x[(i*in.H+iy)*in.W+ix]
							}
						}
					}
				}
				pos := oy*out.W + ox
				if op.perPos {
					sum += b[o*out.H*out.W+pos]
				} else {
					sum += b[o]
				}
				y[o*out.H*out.W+pos] = sum
			}
		}
	}
	return y
}

// dense64 is a fully connected layer in float64: each output is its bias
// plus the weighted sum of every input.
func dense64(op *Dense, x []float64, val func(*Param) []float64) []float64 {
	w, b := val(op.w), val(op.b)
	in := len(x)
	y := make([]float64, op.out.C)
	for o := range y {
		sum := b[o]
		for i, xi := range x {
			sum += w[o*in+i] * xi
		}
		y[o] = sum
	}
	return y
}

// pool64 is a pooling layer in float64: over each window the largest value
// (max), the mean (average), or the sum times the map's coefficient plus its
// bias (LeNet's trainable subsampling).
func pool64(op *Pool, x []float64, val func(*Param) []float64) []float64 {
	in, out := op.in, op.out
	y := make([]float64, out.Size())
	var coef, bias []float64
	if op.mode == PoolSubsample {
		coef, bias = val(op.coef), val(op.bias)
	}
	for m := range out.C {
		for oy := range out.H {
			for ox := range out.W {
				y0, y1, x0, x1 := op.window(oy, ox)
				sum, most := 0.0, math.Inf(-1)
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						v := x[(m*in.H+iy)*in.W+ix]
						sum += v
						most = math.Max(most, v)
					}
				}
				r := &y[(m*out.H+oy)*out.W+ox]
				switch op.mode {
				case PoolMax:
					*r = most
				case PoolAvg:
					*r = sum / float64((y1-y0)*(x1-x0))
				case PoolSubsample:
					*r = coef[m]*sum + bias[m]
				}
			}
		}
	}
	return y
}

// pad64 is a padding layer in float64: the input maps copied into the middle
// of larger maps filled with the pad value.
func pad64(op *Pad, x []float64) []float64 {
	in, out := op.in, op.out
	y := make([]float64, out.Size())
	for i := range y {
		y[i] = float64(op.fill)
	}
	for m := range in.C {
		for r := range in.H {
			for c := range in.W {
				y[(m*out.H+r+op.p)*out.W+c+op.p] = x[(m*in.H+r)*in.W+c]
			}
		}
	}
	return y
}

// rbf64 is the RBF output layer in float64: each output is the squared
// distance from the input to that class's fixed prototype.
func rbf64(op *RBF, x []float64) []float64 {
	in := len(x)
	y := make([]float64, op.out.C)
	for i := range y {
		for j, xj := range x {
			d := xj - float64(op.w[i*in+j])
			y[i] += d * d
		}
	}
	return y
}

// softmaxOutcome64 is softmax and the cross-entropy −Σ t·log p with the
// target t smoothed by eps, in float64: m = max z, S = Σ e^(z−m),
// log p_k = z_k − m − log S.
func softmaxOutcome64(z []float64, label int, eps float64) ([]float64, float64) {
	m := slices.Max(z)
	var sum float64
	for _, v := range z {
		sum += math.Exp(v - m)
	}
	probs := make([]float64, len(z))
	var loss float64
	k := float64(len(z))
	for i, v := range z {
		probs[i] = math.Exp(v-m) / sum
		t := eps / k
		if i == label {
			t += 1 - eps
		}
		loss -= t * (v - m - math.Log(sum))
	}
	return probs, loss
}

// rbfOutcome64 is the paper's loss (eq. 9) on penalties y, y_D +
// log(e^{−j} + Σ e^{−y_i}), and softmax(−y), in float64.
func rbfOutcome64(y []float64, label int) ([]float64, float64) {
	neg := make([]float64, len(y))
	for i, v := range y {
		neg[i] = -v
	}
	probs, _ := softmaxOutcome64(neg, label, 0)
	m := math.Min(rbfJ, slices.Min(y))
	z := math.Exp(-(rbfJ - m))
	for _, v := range y {
		z += math.Exp(-(v - m))
	}
	return probs, y[label] - m + math.Log(z)
}

// OptimizerStep is the update the trainer would make next to one parameter
// value for a gradient: the optimiser's state before and after, the step and
// the new value. Under Adam: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
// m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), step = −lr·m̂/(√v̂ + ε); under momentum:
// v = μ·v + g, step = −lr·v; under SGD: step = −lr·g. Weight decay first
// shrinks w by lr·decay, apart from the gradient.
type OptimizerStep struct {
	Optimizer Optimizer
	T         int     // the step's number, 1-based (Adam's t)
	LR        float64 // the rate at this step, after the schedule
	Decay     float64 // weight decay (0: none)
	Grad      float64
	// Saved is false when the checkpoint holds no state for this optimiser
	// (its moments were dropped, or another optimiser trained it): the
	// state is then taken as a fresh optimiser's, zero.
	Saved        bool
	Beta1, Beta2 float64 // Adam
	Eps          float64 // Adam
	Mu           float64 // momentum
	M, V         float64 // the state before: Adam's moments, or momentum's velocity in V
	NewM, NewV   float64 // the state after
	MHat, VHat   float64 // Adam's bias-corrected moments
	Value        float64 // w before
	Step         float64 // New − Value: what the optimiser (and decay) moves w by
	New          float64 // w after, as the trainer's float32 arithmetic gives it
	// Over is true when the run has taken all its steps (T > epochs ×
	// batches per epoch): only a resume with more epochs steps again, and
	// LR is the schedule's rate continued past its end.
	Over bool
}

// NextStep is the update the trainer resuming this checkpoint under
// settings s would make to parameter value flat of the net (WeightGrad.Flat)
// whose value is w, if its summed gradient were g: the optimiser's state
// from the checkpoint, its step number and learning rate (the schedule at
// that step). New is computed with the trainer's own optimiser code on
// float32, the other fields in float64 from the formulas.
func (c *Checkpoint) NextStep(s Settings, flat int, w, g float64) OptimizerStep {
	lr32 := float32(s.LR) * float32(scheduleFactor(s.Schedule, c.Step, s.Epochs*c.BatchesPerEpoch))
	saved := c.OptimizerState(s.Optimizer) == nil
	state := func(name string) float32 {
		v, ok := c.stateValue(name, flat)
		saved = saved && ok
		return v
	}
	o := nextStep(s, c.Step, lr32, state, w, g)
	o.Saved = saved
	o.Over = c.Step >= s.Epochs*c.BatchesPerEpoch
	return o
}

// nextStep is the update step done+1 makes at rate lr32 (the schedule's
// factor in it) to a value w with gradient g under s's optimiser, whose
// state for the value state gives by its checkpoint name ("adam.m",
// "adam.v", "momentum.v").
func nextStep(s Settings, done int, lr32 float32, state func(name string) float32, w, g float64) OptimizerStep {
	o := OptimizerStep{Optimizer: s.Optimizer, T: done + 1, Decay: s.WeightDecay, Grad: g, Value: w, Saved: true, LR: float64(lr32)}
	opt := newOptimizer(s.Optimizer, 1)
	switch op := opt.(type) {
	case *momentum:
		op.v[0] = state("momentum.v")
		o.Mu, o.V = decimal(op.mu), float64(op.v[0])
	case *adam:
		op.m[0], op.v[0] = state("adam.m"), state("adam.v")
		o.Beta1, o.Beta2, o.Eps = decimal(op.beta1), decimal(op.beta2), decimal(op.eps)
		o.M, o.V = float64(op.m[0]), float64(op.v[0])
	}
	// The trainer's update (worker.go's update.run) on one value.
	w32, g32 := []float32{float32(w)}, []float32{float32(g)}
	decay := float32(s.WeightDecay)
	if decay > 0 {
		vec.Scale(w32, max(0, 1-lr32*decay))
	}
	opt.step(w32, g32, lr32, o.T, 0, 1)
	o.New = float64(w32[0])
	o.Step = o.New - w
	switch o.Optimizer {
	case Momentum:
		o.NewV = o.Mu*o.V + g
	case Adam:
		o.NewM = o.Beta1*o.M + (1-o.Beta1)*g
		o.NewV = o.Beta2*o.V + (1-o.Beta2)*g*g
		o.MHat = o.NewM / (1 - math.Pow(o.Beta1, float64(o.T)))
		o.VHat = o.NewV / (1 - math.Pow(o.Beta2, float64(o.T)))
	}
	return o
}

// decimal is the constant a float32 was written as (0.999, not
// 0.99900001287), for the formulas shown.
func decimal(v float32) float64 {
	d, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
	return d
}

// explainWeight answers ExplainWeight between batches from the live net
// and optimiser. It works on a replica of the net (shared weights, its own
// buffers and gradients), so the master's gradients and buffers and the
// workers' are left as they are; the last batch's images are copied out
// of the stream's buffer before use.
func (t *Trainer) explainWeight(c ExplainWeight) WeightExplained {
	ev := WeightExplained{Step: t.step, Tensor: c.Tensor, Index: slices.Clone(c.Index), ProbeIndex: t.probe}
	r := t.net.replicate()
	s := t.cfg.Settings
	pixels := t.own
	label := -1
	if pixels == nil {
		pixels, label = t.test.Image(t.probe), int(t.test.Labels[t.probe])
	} else {
		// An image of one's own has no true class: the net's answer stands for it.
		ev.ProbeIndex, ev.Guessed = -1, true
		probs := r.Outcome(s, pixels, &t.scale, 0).Probs
		label = slices.Index(probs, slices.Max(probs))
	}
	var err error
	if ev.Probe, err = r.weightGradient(s, c.Tensor, c.Index, [][]float32{r.input(pixels, &t.scale)}, []int{label}, 1, 1e-6); err != nil {
		return WeightExplained{Step: t.step, Tensor: c.Tensor, Index: ev.Index, ProbeIndex: ev.ProbeIndex, Err: err.Error()}
	}
	g := ev.Probe.Grad
	if n := t.lastN; n > 0 {
		size := t.net.in.Size()
		xs := make([][]float32, n)
		labels := make([]int, n)
		for i := range n {
			xs[i] = slices.Clone(t.last.x[i*size : (i+1)*size])
			labels[i] = int(t.last.y[i])
		}
		scale := 1.0
		if t.cfg.Reduction == ReduceMean {
			scale = 1 / float64(n)
		}
		if ev.Batch, err = r.weightGradient(s, c.Tensor, c.Index, xs, labels, scale, 1e-6); err == nil {
			g = ev.Batch.Grad
		}
	}
	ev.Next = t.liveStep(ev.Probe.Flat, ev.Probe.Value, g)
	return ev
}

// liveStep is nextStep for value flat of the net from the trainer's own
// optimiser state, at the rate of the coming step (a rate set live times
// the schedule's factor).
func (t *Trainer) liveStep(flat int, w, g float64) OptimizerStep {
	total := t.cfg.Epochs * t.batches
	lr32 := t.lr * float32(scheduleFactor(t.cfg.Schedule, t.step, total))
	state := func(name string) float32 {
		switch op := t.opt.(type) {
		case *momentum:
			return op.v[flat]
		case *adam:
			if name == "adam.m" {
				return op.m[flat]
			}
			return op.v[flat]
		}
		return 0
	}
	o := nextStep(t.cfg.Settings, t.step, lr32, state, w, g)
	o.Over = t.step >= total
	return o
}
