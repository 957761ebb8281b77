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
	yT []float32 // (Out, N): y as the product comes out, before the bias
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
	r.x, r.y, r.yT, r.dx = nil, nil, nil, nil
	return &r
}

func (d *Dense) Forward(x []float32, n int) []float32 {
	in, out := d.in.Size(), d.out.C
	checkLayerInput("dense", x, n*in)
	d.n, d.x = n, x[:n*in]
	d.y, d.yT = grow(d.y, n*out), grow(d.yT, n*out)
	// yᵀ = w·xᵀ rather than y = x·wᵀ: the same sums in the same order, but
	// with the Out rows (120 in C5) where the kernel wants many rows and the
	// chunk's N images (16) as its columns, 16 wide; y = x·wᵀ gave the
	// kernel 16 rows in blocks of 6 and packed wᵀ from w's columns at every
	// chunk (go test -bench Layer/conv/C5 ./engine).
	gemm.Sgemm(false, true, out, n, in, d.w.W, in, x, in, 0, d.yT, n)
	for j, bj := range d.b.W {
		for s, v := range d.yT[j*n : (j+1)*n] {
			d.y[s*out+j] = v + bj
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
