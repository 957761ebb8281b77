package engine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// snapshot sends the probe digit as seen by every block: the test image,
// or the image of one's own set by SetProbeImage.
func (t *Trainer) snapshot(ctx context.Context) {
	t.lastSnapshot = time.Now()
	s := func() Snapshot {
		if t.own != nil {
			return t.ProbeImage(t.own)
		}
		return t.Probe(t.probe)
	}()
	select {
	case t.events <- s:
	case <-ctx.Done():
	}
}

// Probe returns test image index as the net sees it now: the image as fed
// to the net, the output of every block and the class probabilities, from a
// forward pass of that one image, without training, and the image's
// distortions under each kind of augment (Snapshot.Distorted). It is what
// the trainer sends as a Snapshot, with Step the steps trained so far.
//
// The net is Run's while it trains: call Probe before Run starts or after
// it has returned, never during it. An index outside the test set is a
// programmer error and panics.
func (t *Trainer) Probe(index int) Snapshot {
	if index < 0 || index >= t.test.Count {
		panic(fmt.Sprintf("engine: Trainer.Probe(%d): the test set has %d images", index, t.test.Count))
	}
	s := t.net.Look(t.test.Image(index), &t.scale)
	s.Step, s.Probe, s.Label = t.step, index, int(t.test.Labels[index])
	t.distort(&s)
	t.gradients(&s)
	return s
}

// ProbeImage is Probe for an image of one's own (a digit drawn in the
// terminal, a scan): pixels (H, W) as the dataset's bytes, 0 background,
// scaled as the training images are. The Snapshot has Own set and Probe
// and Label −1. As Probe, call it only while Run is not going; pixels of
// another size than the net's input are a programmer error and panic.
func (t *Trainer) ProbeImage(pixels []uint8) Snapshot {
	s := t.net.Look(pixels, &t.scale)
	s.Step, s.Probe, s.Label, s.Own = t.step, -1, -1, true
	t.distort(&s)
	t.gradients(&s)
	return s
}

// Look passes one image through the net: pixels (H, W) as bytes, converted
// through sc as the training images were (Checkpoint.Scale gives a saved
// net's). It returns what a Snapshot shows: the input as fed, every block's
// output and the class probabilities; Step, Probe and Label are the
// caller's to set. The slices are copies. Pixels of another size than the
// net's input are a programmer error and panic.
func (n *Net) Look(pixels []uint8, sc *dataset.Scale) Snapshot {
	if len(pixels) != n.in.Size() {
		panic(fmt.Sprintf("engine: Net.Look: %d pixels, the net takes %v", len(pixels), n.in))
	}
	x := make([]float32, n.in.Size()) // (C, H, W)
	for i, p := range pixels {
		x[i] = sc[p]
	}
	logits := n.Forward(x, 1)
	s := Snapshot{Input: x, Output: n.output}
	for _, b := range n.blocks {
		s.Blocks = append(s.Blocks, b.maps())
	}
	s.Probs = n.Probs(logits[:n.classes])
	return s
}

// maps copies the block's last output for one image, with its parameters
// and geometry.
func (b *block) maps() BlockMaps {
	bm := BlockMaps{Name: b.info.Name, Kind: b.info.Kind, In: b.info.In, Shape: b.info.Out,
		Maps: slices.Clone(b.out[:b.info.Out.Size()])}
	if b.act != nil {
		bm.Activation = b.act.fn
	}
	switch op := b.op.(type) {
	case *Conv:
		bm.Kernels = slices.Clone(op.w.W)
		bm.KShape = [4]int{op.out.C, op.in.C, op.k, op.k}
		bm.Bias, bm.Pad = slices.Clone(op.b.W), op.pad
		for _, r := range op.table {
			bm.Table = append(bm.Table, slices.Clone(r))
		}
	case *Dense:
		bm.Weights, bm.Bias = slices.Clone(op.w.W), slices.Clone(op.b.W)
	case *RBF:
		bm.Weights = slices.Clone(op.w)
	case *Pool:
		bm.Pool, bm.Size = op.mode, op.s
		if op.mode == PoolSubsample {
			bm.Coef, bm.Bias = slices.Clone(op.coef.W), slices.Clone(op.bias.W)
		}
	}
	return bm
}

// Pixel is the arithmetic of one output value of a convolution or pooling
// block for the probe, recomputed in float64 from the snapshot: the input
// window of each input map it reads, the kernel applied to it, the sum of
// products, the coefficient and bias, the pre-activation and the
// activation. Out equals the block's own float32 output up to rounding.
type Pixel struct {
	Block      string
	Map, Y, X  int // the output value: map, row, column
	Terms      []Term
	Sum        float64 // conv: Σ over the terms; subsample and avg: the window sum; max: the largest value
	Coef       float64 // subsample: the map's coefficient; avg: 1/(window size); 1 otherwise
	Bias       float64 // conv and subsample: the bias of the value; 0 otherwise
	Pre        float64 // Coef·Sum + Bias, the pre-activation
	Activation Activation
	Out        float64 // Activation(Pre), or Pre when there is none
}

// Term is one input map's part in a Pixel: the K×K window the value reads
// (zero where it lies in the padding) and, for a convolution, the kernel
// it is multiplied with.
type Term struct {
	Map    int       // the input map
	Y0, X0 int       // the window's top-left in the input map; negative in the padding
	H, W   int       // the window's size (smaller at a ragged edge of a "same" pool)
	Window []float64 // (H, W) the input values
	Kernel []float64 // (H, W) the weights; nil for pooling
	Sum    float64   // Σ w·x for a convolution; Σ x, or the largest x for max pooling
}

// Explain takes apart output (m, y, x) of block i of the snapshot. Only
// convolutions and pooling layers can be explained this way; for others,
// and for a position outside the block's output, it returns an error.
func (s Snapshot) Explain(i, m, y, x int) (Pixel, error) {
	if i < 0 || i >= len(s.Blocks) {
		return Pixel{}, fmt.Errorf("block %d: the snapshot has %d", i, len(s.Blocks))
	}
	b := s.Blocks[i]
	if m < 0 || m >= b.Shape.C || y < 0 || y >= b.Shape.H || x < 0 || x >= b.Shape.W {
		return Pixel{}, fmt.Errorf("%s: no output (%d, %d, %d) in %v", b.Name, m, y, x, b.Shape)
	}
	in := s.Input
	if i > 0 {
		in = s.Blocks[i-1].Maps
	}
	if len(in) < b.In.Size() {
		return Pixel{}, fmt.Errorf("%s: input has %d values, want %v", b.Name, len(in), b.In)
	}
	px := Pixel{Block: b.Name, Map: m, Y: y, X: x, Coef: 1, Activation: b.Activation}
	switch {
	case b.Kind == "conv" && b.Kernels != nil:
		px.explainConv(b, in)
	case b.Kind == "pool" && b.Size > 0:
		px.explainPool(b, in)
	default:
		return Pixel{}, fmt.Errorf("%s: a %s layer has no windows to explain", b.Name, b.Kind)
	}
	px.Pre = px.Coef*px.Sum + px.Bias
	px.Out = activate64(b.Activation, px.Pre)
	return px, nil
}

// explainConv fills the terms of a convolution: one per input map the
// connection table lets output map px.Map read.
func (px *Pixel) explainConv(b BlockMaps, in []float32) {
	cin, k := b.KShape[1], b.KShape[2]
	for c := range cin {
		if b.Table != nil && !b.Table[c][px.Map] {
			continue
		}
		t := window(in, b.In, c, px.Y-b.Pad, px.X-b.Pad, k, k)
		off := (px.Map*cin + c) * k * k
		t.Kernel = make([]float64, k*k)
		for j, w := range b.Kernels[off : off+k*k] {
			t.Kernel[j] = float64(w)
			t.Sum += float64(w) * t.Window[j]
		}
		px.Terms = append(px.Terms, t)
		px.Sum += t.Sum
	}
	px.Bias = biasAt(b, px.Map, px.Y*b.Shape.W+px.X)
}

// explainPool fills the one term of a pooling layer: its window of the
// same map.
func (px *Pixel) explainPool(b BlockMaps, in []float32) {
	s := b.Size
	h, w := min(s, b.In.H-px.Y*s), min(s, b.In.W-px.X*s)
	t := window(in, b.In, px.Map, px.Y*s, px.X*s, h, w)
	for j, v := range t.Window {
		if b.Pool == PoolMax {
			if j == 0 || v > t.Sum {
				t.Sum = v
			}
			continue
		}
		t.Sum += v
	}
	px.Terms, px.Sum = []Term{t}, t.Sum
	switch b.Pool {
	case PoolAvg:
		px.Coef = 1 / float64(h*w)
	case PoolSubsample:
		px.Coef, px.Bias = float64(b.Coef[px.Map]), biasAt(b, px.Map, px.Y*b.Shape.W+px.X)
	}
}

// biasAt is the bias of output map m at position pos: one per map, or one
// per map and position if the layer holds that many.
func biasAt(b BlockMaps, m, pos int) float64 {
	switch len(b.Bias) {
	case b.Shape.C:
		return float64(b.Bias[m])
	case b.Shape.Size():
		return float64(b.Bias[m*b.Shape.H*b.Shape.W+pos])
	}
	return 0
}

// window copies the h×w window of map c of in (shape sh) whose top-left
// is (y0, x0), with zeros outside the map.
func window(in []float32, sh Shape, c, y0, x0, h, w int) Term {
	t := Term{Map: c, Y0: y0, X0: x0, H: h, W: w, Window: make([]float64, h*w)}
	for dy := range h {
		for dx := range w {
			iy, ix := y0+dy, x0+dx
			if iy >= 0 && iy < sh.H && ix >= 0 && ix < sh.W {
				t.Window[dy*w+dx] = float64(in[(c*sh.H+iy)*sh.W+ix])
			}
		}
	}
	return t
}

// activate64 is the activation fn of v in float64; v itself for none.
func activate64(fn Activation, v float64) float64 {
	switch fn {
	case Sigmoid:
		return 1 / (1 + math.Exp(-v))
	case ReLU:
		return math.Max(v, 0)
	case Tanh:
		return math.Tanh(v)
	case ScaledTanh:
		return scaledTanhA * math.Tanh(scaledTanhB*v)
	}
	return v
}

// Range is the interval an activation's outputs lie in: [0, 1] for the
// sigmoid, [−1, 1] for tanh, [−1.7159, 1.7159] for the scaled tanh; ok is
// false when there is no fixed bound (ReLU has none above, a block without
// an activation none at all).
func (fn Activation) Range() (lo, hi float64, ok bool) {
	switch fn {
	case Sigmoid:
		return 0, 1, true
	case Tanh:
		return -1, 1, true
	case ScaledTanh:
		return -scaledTanhA, scaledTanhA, true
	}
	return 0, 0, false
}
