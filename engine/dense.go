package engine

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/engine/internal/gemm"
)

// Dense is a fully connected layer y = x·wᵀ + b over the whole input sample
// (flattened), with w (Out, In).
type Dense struct {
	in, out Shape
	w, b    *Param // w (Out, In), b (Out)
	needDx  bool

	n  int
	x  []float32 // (N, In) the last input, not owned
	y  []float32 // (N, Out)
	dx []float32 // (N, In)
}

func newDense(name string, in Shape, units int, needDx bool) (*Dense, error) {
	if units < 1 {
		return nil, fmt.Errorf("%s: dense layer needs at least 1 unit, got %d", name, units)
	}
	d := &Dense{in: in, out: Shape{units, 1, 1}, needDx: needDx}
	d.w = newParam(name+".w", units*in.Size())
	d.b = newParam(name+".b", units)
	d.w.FanIn, d.w.FanOut = in.Size(), units
	d.b.Bias, d.b.FanIn, d.b.FanOut = true, in.Size(), units
	return d, nil
}

func (d *Dense) OutShape() Shape  { return d.out }
func (d *Dense) Params() []*Param { return []*Param{d.w, d.b} }

func (d *Dense) replicate() Layer {
	r := *d
	r.w, r.b = d.w.share(), d.b.share()
	r.x, r.y, r.dx = nil, nil, nil
	return &r
}

func (d *Dense) Forward(x []float32, n int) []float32 {
	in, out := d.in.Size(), d.out.C
	checkLayerInput("dense", x, n*in)
	d.n, d.x = n, x[:n*in]
	d.y = grow(d.y, n*out)
	gemm.Sgemm(false, true, n, out, in, x, in, d.w.W, in, 0, d.y, out)
	for s := range n {
		row := d.y[s*out : (s+1)*out]
		for j, bj := range d.b.W {
			row[j] += bj
		}
	}
	return d.y
}

// Backward adds dw += dyᵀ·x and db += Σdy, and returns dx = dy·w.
func (d *Dense) Backward(dy []float32) []float32 {
	n, in, out := d.n, d.in.Size(), d.out.C
	gemm.Sgemm(true, false, out, in, n, dy, out, d.x, in, 1, d.w.G, in)
	for s := range n {
		for j, g := range dy[s*out : (s+1)*out] {
			d.b.G[j] += g
		}
	}
	if !d.needDx {
		return nil
	}
	d.dx = grow(d.dx, n*in)
	gemm.Sgemm(false, false, n, in, out, dy, out, d.w.W, in, 0, d.dx, in)
	return d.dx
}

func (d *Dense) counts() counts {
	p := d.out.C * (d.in.Size() + 1)
	return counts{
		params:             p,
		connections:        p,
		paramsFormula:      fmt.Sprintf("%d×(%d+1)=%s", d.out.C, d.in.Size(), Thousands(p)),
		connectionsFormula: fmt.Sprintf("%s (one per parameter)", Thousands(p)),
	}
}
