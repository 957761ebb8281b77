package engine

import "time"

type block struct {
	info   LayerInfo
	op     Layer
	act    *Act      // nil when no activation follows
	out    []float32 // (N, Out) the block's last output, after the activation
	hidden bool
	fused  bool // op applies act itself (see Conv.act): skip act's own passes
}

// fuse lets a convolution apply the block's activation in its own passes
// over the output, saving two passes over the largest maps of the net.
func (b *block) fuse() {
	if c, ok := b.op.(*Conv); ok && b.act != nil && !c.whole() {
		c.act, b.fused = b.act, true
	}
}

// forward runs a batch x (n, In) through the block's op and its activation
// (unless fused into the op), keeps the result in out and returns it.
func (b *block) forward(x []float32, n int) []float32 {
	x = b.op.Forward(x, n)
	if b.act != nil && !b.fused {
		x = b.act.Forward(x, n)
	}
	b.out = x
	return x
}

// backward takes the gradient d (n, Out) at the block's output for its last
// forward, adds into its parameters' gradients and returns d (n, In).
func (b *block) backward(d []float32) []float32 {
	if b.act != nil && !b.fused {
		d = b.act.Backward(d)
	}
	return b.op.Backward(d)
}

// Net is a feed-forward stack of blocks ending in class scores (logits).
type Net struct {
	arch    string
	spec    []LayerSpec // the layers it was built from, for checkpoints
	in      Shape
	classes int
	hidden  Activation
	output  Output // softmax: the last block's outputs are logits; rbf: RBF penalties
	blocks  []*block
	params  []*Param
	w, g    []float32  // every parameter's values and gradients, end to end; each Param views a part
	meter   *flowMeter // counts for a Flow while meter.on; nil until the trainer wants flows
	clock   *passClock // times each block's passes; nil but in bench --passes
}

// Arch is the name of the architecture the net was built from.
func (n *Net) Arch() string { return n.arch }

// InShape is the shape of one input sample.
func (n *Net) InShape() Shape { return n.in }

// Classes is the number of outputs.
func (n *Net) Classes() int { return n.classes }

// Params lists every trainable parameter, in block order.
func (n *Net) Params() []*Param { return n.params }

// Activation is the current hidden activation.
func (n *Net) Activation() Activation { return n.hidden }

// SetActivation switches every hidden activation; weights are untouched.
func (n *Net) SetActivation(name Activation) error {
	if err := checkEnum("activation", name); err != nil {
		return err
	}
	n.hidden = name
	for _, b := range n.blocks {
		if b.hidden {
			b.act.SetFunc(name)
			b.info.Activation = name
		}
	}
	return nil
}

// Output is the net's output layer: logits for softmax, or the paper's RBF
// penalties (the smallest is the answer).
func (n *Net) Output() Output { return n.output }

// Probs turns the net's outputs for one image into class probabilities:
// softmax of the logits, or of the negated RBF penalties.
func (n *Net) Probs(out []float32) []float32 {
	if n.output == OutputRBF {
		return rbfProbs(out)
	}
	return softmax(out)
}

// Info describes every block.
func (n *Net) Info() []LayerInfo {
	infos := make([]LayerInfo, len(n.blocks))
	f := Field{H: 1, W: 1, Jump: 1}
	for i, b := range n.blocks {
		infos[i] = b.info
		f = b.field(f)
		infos[i].Field = f
	}
	return infos
}

// Forward runs a batch x (n, In) through the net and returns the logits
// (n, classes), a buffer owned by the net.
func (n *Net) Forward(x []float32, batch int) []float32 {
	for i, b := range n.blocks {
		if n.clock != nil {
			start := time.Now()
			x = b.forward(x, batch)
			n.clock.fwd[i] += time.Since(start)
		} else {
			x = b.forward(x, batch)
		}
		if n.meter != nil && n.meter.on {
			n.meter.forward(i, b, x, batch)
		}
	}
	return x
}

// Backward propagates dlogits (n, classes) of the last Forward, adding into
// every parameter's gradient.
func (n *Net) Backward(dlogits []float32) {
	d := dlogits
	for i := len(n.blocks) - 1; i >= 0; i-- {
		if n.clock != nil {
			start := time.Now()
			d = n.blocks[i].backward(d)
			n.clock.bwd[i] += time.Since(start)
		} else {
			d = n.blocks[i].backward(d)
		}
		if n.meter != nil && n.meter.on {
			n.meter.backward(i, d)
		}
	}
}

// ZeroGrad clears every gradient.
func (n *Net) ZeroGrad() { clear(n.g) }

// flatten allocates every parameter as a part of one vector of values and
// one of gradients, so reductions and updates are single loops over a slice.
// With w nil it allocates zero values; otherwise the parameters view w, the
// values of the net being replicated.
func (n *Net) flatten(w []float32) {
	size := 0
	for _, p := range n.params {
		size += p.size
	}
	if w == nil {
		w = make([]float32, size)
	}
	n.w, n.g = w, make([]float32, size)
	off := 0
	for _, p := range n.params {
		l := p.size
		p.W, p.G = w[off:off+l:off+l], n.g[off:off+l:off+l]
		off += l
	}
}

// replicate returns a net sharing n's parameter values, with its own
// gradients and buffers, for another worker goroutine.
func (n *Net) replicate() *Net {
	r := &Net{arch: n.arch, in: n.in, classes: n.classes, hidden: n.hidden, output: n.output}
	for _, b := range n.blocks {
		rb := &block{info: b.info, op: b.op.replicate(), hidden: b.hidden}
		if b.act != nil {
			rb.act = b.act.replicate().(*Act)
		}
		rb.fuse()
		r.blocks = append(r.blocks, rb)
		r.params = append(r.params, rb.op.Params()...)
	}
	r.flatten(n.w)
	return r
}
