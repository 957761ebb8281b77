package engine

import "fmt"

// Pad surrounds each map with P pixels of the background: the value a blank
// pixel has after the input scaling (Net.SetBackground), so a 28×28 digit
// sits in a 32×32 field of background as in LeCun et al. 1998, where a
// convolution's zero padding would draw a ring brighter or darker than the
// background around it. It has no parameters.
type Pad struct {
	in, out Shape
	p       int
	fill    float32 // the background, set by Net.SetBackground; 0 until then
	needDx  bool

	n  int
	y  []float32 // (N, C, H+2P, W+2P)
	dx []float32 // (N, C, H, W)
}

func newPad(name string, in Shape, p int, needDx bool) (*Pad, error) {
	if p < 1 || p > MaxKernel {
		return nil, fmt.Errorf("%s: pad %d pixels: want 1 to %d", name, p, MaxKernel)
	}
	return &Pad{in: in, out: Shape{in.C, in.H + 2*p, in.W + 2*p}, p: p, needDx: needDx}, nil
}

func (d *Pad) OutShape() Shape  { return d.out }
func (d *Pad) Params() []*Param { return nil }

func (d *Pad) replicate() Layer {
	r := *d
	r.y, r.dx = nil, nil
	return &r
}

// Forward fills y with the background and copies each map of x into its
// middle.
func (d *Pad) Forward(x []float32, n int) []float32 {
	checkLayerInput("pad", x, n*d.in.Size())
	d.n = n
	d.y = grow(d.y, n*d.out.Size())
	for i := range d.y {
		d.y[i] = d.fill
	}
	for m := range n * d.in.C {
		src := x[m*d.in.H*d.in.W:]
		dst := d.y[m*d.out.H*d.out.W:]
		for r := range d.in.H {
			copy(dst[(r+d.p)*d.out.W+d.p:(r+d.p)*d.out.W+d.p+d.in.W], src[r*d.in.W:(r+1)*d.in.W])
		}
	}
	return d.y
}

// Backward returns the middle of dy: the background is a constant. It
// returns nil when nobody wants d(input), as for the net's first block.
func (d *Pad) Backward(dy []float32) []float32 {
	if !d.needDx {
		return nil
	}
	d.dx = grow(d.dx, d.n*d.in.Size())
	for m := range d.n * d.in.C {
		src := dy[m*d.out.H*d.out.W:]
		dst := d.dx[m*d.in.H*d.in.W:]
		for r := range d.in.H {
			copy(dst[r*d.in.W:(r+1)*d.in.W], src[(r+d.p)*d.out.W+d.p:(r+d.p)*d.out.W+d.p+d.in.W])
		}
	}
	return d.dx
}

func (d *Pad) counts() counts {
	return counts{paramsFormula: "0", connectionsFormula: fmt.Sprintf("0 (a %d-pixel border of background)", d.p)}
}

// SetBackground sets the value the net's pad blocks fill with: a blank
// pixel after the input scaling (the trainer's, see Input).
func (n *Net) SetBackground(v float32) {
	for _, b := range n.blocks {
		if p, ok := b.op.(*Pad); ok {
			p.fill = v
		}
	}
}
