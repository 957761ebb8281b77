package engine

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// Pooling modes.
const (
	PoolMax       = "max"       // the largest value of each window
	PoolAvg       = "avg"       // the mean of each window
	PoolSubsample = "subsample" // LeCun 1998: sum of each window × a trainable coefficient + a trainable bias, per map
)

// Pool reduces each map by non-overlapping S×S windows (stride S). With ceil
// set, a partial window at the right or bottom edge still yields an output
// (TensorFlow's "SAME"); it then covers only the values that exist.
type Pool struct {
	mode    string
	in, out Shape
	s       int

	coef, bias *Param // subsample only: (C) each

	n   int
	arg []int32   // (N, C, Hout, Wout) max: index of the winner within the sample
	sum []float32 // (N, C, Hout, Wout) subsample: the window sums
	y   []float32 // (N, C, Hout, Wout)
	dx  []float32 // (N, C, H, W)
}

func newPool(name, mode string, in Shape, s int, ceil bool) (*Pool, error) {
	if s < 1 {
		return nil, fmt.Errorf("%s: pooling size %d, want at least 1", name, s)
	}
	oh, ow := in.H/s, in.W/s
	if ceil {
		oh, ow = (in.H+s-1)/s, (in.W+s-1)/s
	}
	if oh < 1 || ow < 1 {
		return nil, fmt.Errorf("%s: a %d×%d window does not fit input %v", name, s, s, in)
	}
	p := &Pool{mode: mode, in: in, out: Shape{in.C, oh, ow}, s: s}
	switch mode {
	case PoolMax, PoolAvg:
	case PoolSubsample:
		p.coef = newParam(name+".coef", in.C)
		p.bias = newParam(name+".b", in.C)
		p.coef.Coef, p.coef.FanIn, p.coef.FanOut = true, s*s, 1
		p.bias.Bias, p.bias.FanIn, p.bias.FanOut = true, s*s, 1
	default:
		return nil, fmt.Errorf("%s: unknown pooling %q (want max, avg or subsample)", name, mode)
	}
	return p, nil
}

func (p *Pool) OutShape() Shape { return p.out }

func (p *Pool) Params() []*Param {
	if p.mode == PoolSubsample {
		return []*Param{p.coef, p.bias}
	}
	return nil
}

func (p *Pool) replicate() Layer {
	r := *p
	if p.mode == PoolSubsample {
		r.coef, r.bias = p.coef.share(), p.bias.share()
	}
	r.arg, r.sum, r.y, r.dx = nil, nil, nil, nil
	return &r
}

// window returns the row and column ranges of output (oy, ox) in the input.
func (p *Pool) window(oy, ox int) (y0, y1, x0, x1 int) {
	y0, x0 = oy*p.s, ox*p.s
	return y0, min(y0+p.s, p.in.H), x0, min(x0+p.s, p.in.W)
}

func (p *Pool) Forward(x []float32, n int) []float32 {
	checkLayerInput("pool", x, n*p.in.Size())
	p.n = n
	m := n * p.out.Size()
	p.y = grow(p.y, m)
	switch p.mode {
	case PoolMax:
		if cap(p.arg) < m {
			p.arg = make([]int32, m)
		}
		p.arg = p.arg[:m]
	case PoolSubsample:
		p.sum = grow(p.sum, m)
	}
	hw, ohw := p.in.H*p.in.W, p.out.H*p.out.W
	if p.mode == PoolMax && p.halves() {
		// A sample's maps are one tall map of C·H rows, whose row pairs
		// are its maps' row pairs: one call a sample, and the winners'
		// indices are already within the sample.
		in, out := p.in.Size(), p.out.Size()
		for s := range n {
			vec.MaxPool2(x[s*in:(s+1)*in], p.in.W, p.in.C*p.out.H, p.y[s*out:(s+1)*out], p.arg[s*out:(s+1)*out], 0)
		}
		return p.y
	}
	for s := range n {
		xs := x[s*p.in.Size() : (s+1)*p.in.Size()]
		for c := range p.in.C {
			o := (s*p.in.C + c) * ohw
			xc := xs[c*hw : (c+1)*hw]
			if p.mode == PoolMax {
				p.maxMap(xc, p.y[o:o+ohw], p.arg[o:o+ohw], int32(c*hw))
				continue
			}
			sum := p.y[o : o+ohw]
			if p.mode == PoolSubsample {
				sum = p.sum[o : o+ohw]
			}
			p.sumMap(xc, sum)
			y := p.y[o : o+ohw]
			switch p.mode {
			case PoolAvg:
				for i := range y {
					oy, ox := i/p.out.W, i%p.out.W
					y0, y1, x0, x1 := p.window(oy, ox)
					y[i] = sum[i] / float32((y1-y0)*(x1-x0))
				}
			case PoolSubsample:
				a, b := p.coef.W[c], p.bias.W[c]
				for i, v := range sum {
					y[i] = a*v + b
				}
			}
		}
	}
	return p.y
}

// maxMap takes the maximum of each window of one map x (H, W) into y (Hout,
// Wout), recording in arg the winner's index within the sample (base is the
// map's offset there).
func (p *Pool) maxMap(x, y []float32, arg []int32, base int32) {
	w := p.in.W
	for oy := range p.out.H {
		for ox := range p.out.W {
			y0, y1, x0, x1 := p.window(oy, ox)
			bi := y0*w + x0
			best := x[bi]
			for iy := y0; iy < y1; iy++ {
				for ix := x0; ix < x1; ix++ {
					if v := x[iy*w+ix]; v > best {
						best, bi = v, iy*w+ix
					}
				}
			}
			y[oy*p.out.W+ox], arg[oy*p.out.W+ox] = best, base+int32(bi)
		}
	}
}

// sumMap sums each window of one map x (H, W) into sum (Hout, Wout).
func (p *Pool) sumMap(x, sum []float32) {
	w := p.in.W
	if p.s == 2 && p.in.H%2 == 0 && w%2 == 0 {
		vec.SumPool2(x, w, p.out.H, sum)
		return
	}
	for oy := range p.out.H {
		for ox := range p.out.W {
			y0, y1, x0, x1 := p.window(oy, ox)
			var v float32
			for iy := y0; iy < y1; iy++ {
				for _, u := range x[iy*w+x0 : iy*w+x1] {
					v += u
				}
			}
			sum[oy*p.out.W+ox] = v
		}
	}
}

// halves reports whether the windows are 2×2 and tile each map exactly.
func (p *Pool) halves() bool { return p.s == 2 && p.in.H%2 == 0 && p.in.W%2 == 0 }

func (p *Pool) Backward(dy []float32) []float32 {
	p.dx = grow(p.dx, p.n*p.in.Size())
	hw, ohw := p.in.H*p.in.W, p.out.H*p.out.W
	if p.mode == PoolMax && p.halves() {
		// Each window's winner gets dy, the rest 0: written, not cleared
		// and scattered into; a sample at a time, as in Forward.
		in, out := p.in.Size(), p.out.Size()
		for s := range p.n {
			vec.MaxUnpool2(dy[s*out:(s+1)*out], p.arg[s*out:(s+1)*out], 0, p.in.W, p.in.C*p.out.H, p.dx[s*in:(s+1)*in])
		}
		return p.dx
	}
	if p.s != 2 || p.in.H%2 != 0 || p.in.W%2 != 0 {
		clear(p.dx) // partial windows: spread adds into dx
	}
	if p.mode == PoolMax {
		for s := range p.n {
			dxs := p.dx[s*p.in.Size() : (s+1)*p.in.Size()]
			o := s * p.out.Size()
			for i, g := range dy[o : o+p.out.Size()] {
				dxs[p.arg[o+i]] += g
			}
		}
		return p.dx
	}
	for s := range p.n {
		for c := range p.in.C {
			o := (s*p.in.C + c) * ohw
			dys := dy[o : o+ohw]
			dxc := p.dx[(s*p.in.C+c)*hw : (s*p.in.C+c+1)*hw]
			scale := float32(1)
			if p.mode == PoolSubsample {
				var gc, gb float32
				for i, g := range dys {
					gc += g * p.sum[o+i]
					gb += g
				}
				p.coef.G[c] += gc
				p.bias.G[c] += gb
				scale = p.coef.W[c]
			}
			p.spread(dys, dxc, scale)
		}
	}
	return p.dx
}

// spread adds scale·dy of each window (scaled down by the window's size for
// avg) to every input of the window in dx (H, W).
func (p *Pool) spread(dy, dx []float32, scale float32) {
	w := p.in.W
	if p.s == 2 && p.in.H%2 == 0 && w%2 == 0 {
		if p.mode == PoolAvg {
			scale /= 4
		}
		vec.Spread2(dy, scale, w, p.out.H, dx)
		return
	}
	for oy := range p.out.H {
		for ox := range p.out.W {
			y0, y1, x0, x1 := p.window(oy, ox)
			g := dy[oy*p.out.W+ox] * scale
			if p.mode == PoolAvg {
				g /= float32((y1 - y0) * (x1 - x0))
			}
			for iy := y0; iy < y1; iy++ {
				row := dx[iy*w+x0 : iy*w+x1]
				for i := range row {
					row[i] += g
				}
			}
		}
	}
}

func (p *Pool) counts() counts {
	c, ss, hw := p.in.C, p.s*p.s, p.out.H*p.out.W
	if p.mode == PoolSubsample {
		conns := c * (ss + 1) * hw
		return counts{
			params:             2 * c,
			connections:        conns,
			paramsFormula:      fmt.Sprintf("%d×(1+1)=%s", c, Thousands(2*c)),
			connectionsFormula: fmt.Sprintf("%d×(%d+1)×%d×%d=%s", c, ss, p.out.H, p.out.W, Thousands(conns)),
		}
	}
	conns := c * ss * hw
	return counts{
		connections:        conns,
		paramsFormula:      "0",
		connectionsFormula: fmt.Sprintf("%d×%d×%d×%d=%s", c, ss, p.out.H, p.out.W, Thousands(conns)),
	}
}
