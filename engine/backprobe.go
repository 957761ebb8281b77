package engine

import "slices"

// Gradients is the probe taken backwards: how the probe's loss for one
// class changes with each value the net computed on the way to it — the
// input pixels as fed (dL/dx: which pixels would change the loss) and the
// output of every block (dL/da: which features would) — from a backward
// pass of the probe alone through the net as it stands. A Snapshot carries
// them when TrainConfig.ProbeGradients asks.
//
// Negative values lower the loss as the value rises: a step of gradient
// descent on the input would brighten the pixels with negative dL/dx.
type Gradients struct {
	// Class is the class the loss is taken for: the probe's label, or,
	// for an image of one's own (which has none), the net's answer.
	Class int
	Loss  float64   // the probe's loss for Class, as training measures it (smoothing, eq. 9 included)
	Input []float32 // (C, H, W) dL/dx, of Snapshot.Input
	// Blocks holds dL/da for each block of Snapshot.Blocks, in that order:
	// (C, H, W) as its Maps, after the activation; the last block's is
	// the gradient at the logits (or at the RBF penalties).
	Blocks [][]float32
}

// backprobe is the net the probe's backward pass goes through: a replica
// of the trainer's master net sharing its weights, with gradients and
// buffers of its own, whose first block also returns d(input). Its
// parameter gradients are never read: a probe's backward pass adds nothing
// to a training step's.
type backprobe struct {
	net *Net
	dz  []float32 // (classes) dL/dz of the probe
}

// newBackprobe replicates n for the probe's backward pass.
func newBackprobe(n *Net) *backprobe {
	r := n.replicate()
	wantDx(r.blocks[0].op)
	return &backprobe{net: r, dz: make([]float32, n.classes)}
}

// wantDx makes a layer built as a net's first (which skips d(input))
// compute d(input) in its Backward.
func wantDx(l Layer) {
	switch op := l.(type) {
	case *Conv:
		op.needDx = true
		if op.dense != nil {
			op.dense.needDx = true
		}
	case *Dense:
		op.needDx = true
	case *Pad:
		op.needDx = true
	}
}

// gradients fills s.Grads when the run asks for them (ProbeGradients),
// from a forward and a backward pass of s.Input through the backprobe
// replica, on the trainer's goroutine between batches (or after Run has
// returned, as Probe). The loss is for the probe's label, or for an image
// of one's own the class s.Probs ranks first.
func (t *Trainer) gradients(s *Snapshot) {
	if !t.cfg.ProbeGradients || len(s.Input) != t.net.in.Size() {
		return
	}
	if t.back == nil {
		t.back = newBackprobe(t.net)
	}
	class := s.Label
	if class < 0 {
		class = argmax(s.Probs)
	}
	s.Grads = t.back.run(s.Input, class, t.ws[0].ce, t.ws[0].rbf, t.net.hidden)
}

// run passes x (C, H, W) forward and the loss for class backward through
// the replica, with the hidden activation hidden, and returns copies of
// the gradients. Only the replica's buffers and gradients are written.
func (b *backprobe) run(x []float32, class int, ce crossEntropy, rbf bool, hidden Activation) *Gradients {
	n := b.net
	if n.hidden != hidden {
		_ = n.SetActivation(hidden) // the master's, valid
	}
	z := n.Forward(x, 1)
	label := []uint8{uint8(class)}
	g := &Gradients{Class: class, Blocks: make([][]float32, len(n.blocks))}
	if rbf {
		g.Loss, _ = rbfLoss(z, label, 1, n.classes, 1, b.dz)
	} else {
		g.Loss, _ = softmaxCE(ce, z, label, 1, n.classes, 1, b.dz)
	}
	// As Net.Backward, keeping the gradient at each block's output.
	d := b.dz
	for i := len(n.blocks) - 1; i >= 0; i-- {
		bl := n.blocks[i]
		g.Blocks[i] = slices.Clone(d[:bl.info.Out.Size()])
		if bl.act != nil && !bl.fused {
			d = bl.act.Backward(d)
		}
		d = bl.op.Backward(d)
	}
	g.Input = slices.Clone(d[:n.in.Size()])
	return g
}

// argmax is the index of the largest of vs, the first on ties; 0 for none.
func argmax(vs []float32) int {
	best := 0
	for i, v := range vs {
		if v > vs[best] {
			best = i
		}
	}
	return best
}
