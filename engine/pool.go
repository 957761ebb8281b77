package engine

import "fmt"

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
	if len(x) < n*p.in.Size() {
		panic(fmt.Sprintf("engine: pool input has %d values, want %d", len(x), n*p.in.Size()))
	}
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
	h, w := p.in.H, p.in.W
	o := 0
	for s := range n {
		xs := x[s*p.in.Size() : (s+1)*p.in.Size()]
		for c := range p.in.C {
			base := c * h * w
			for oy := range p.out.H {
				for ox := range p.out.W {
					y0, y1, x0, x1 := p.window(oy, ox)
					switch p.mode {
					case PoolMax:
						best, bi := xs[base+y0*w+x0], base+y0*w+x0
						for iy := y0; iy < y1; iy++ {
							for ix := x0; ix < x1; ix++ {
								if v := xs[base+iy*w+ix]; v > best {
									best, bi = v, base+iy*w+ix
								}
							}
						}
						p.y[o], p.arg[o] = best, int32(bi)
					default:
						var sum float32
						for iy := y0; iy < y1; iy++ {
							for _, v := range xs[base+iy*w+x0 : base+iy*w+x1] {
								sum += v
							}
						}
						if p.mode == PoolAvg {
							p.y[o] = sum / float32((y1-y0)*(x1-x0))
						} else {
							p.sum[o] = sum
							p.y[o] = p.coef.W[c]*sum + p.bias.W[c]
						}
					}
					o++
				}
			}
		}
	}
	return p.y
}

func (p *Pool) Backward(dy []float32) []float32 {
	p.dx = grow(p.dx, p.n*p.in.Size())
	clear(p.dx)
	h, w := p.in.H, p.in.W
	o := 0
	for s := range p.n {
		dxs := p.dx[s*p.in.Size() : (s+1)*p.in.Size()]
		for c := range p.in.C {
			base := c * h * w
			for oy := range p.out.H {
				for ox := range p.out.W {
					g := dy[o]
					if p.mode == PoolMax {
						dxs[p.arg[o]] += g
						o++
						continue
					}
					y0, y1, x0, x1 := p.window(oy, ox)
					if p.mode == PoolAvg {
						g /= float32((y1 - y0) * (x1 - x0))
					} else {
						p.coef.G[c] += g * p.sum[o]
						p.bias.G[c] += g
						g *= p.coef.W[c]
					}
					for iy := y0; iy < y1; iy++ {
						row := dxs[base+iy*w+x0 : base+iy*w+x1]
						for i := range row {
							row[i] += g
						}
					}
					o++
				}
			}
		}
	}
	return p.dx
}

func (p *Pool) counts() counts {
	c, ss, hw := p.in.C, p.s*p.s, p.out.H*p.out.W
	if p.mode == PoolSubsample {
		conns := c * (ss + 1) * hw
		return counts{
			params:             2 * c,
			connections:        conns,
			paramsFormula:      fmt.Sprintf("%d×(1+1)=%s", c, commas(2*c)),
			connectionsFormula: fmt.Sprintf("%d×(%d+1)×%d×%d=%s", c, ss, p.out.H, p.out.W, commas(conns)),
		}
	}
	conns := c * ss * hw
	return counts{
		connections:        conns,
		paramsFormula:      "0",
		connectionsFormula: fmt.Sprintf("%d×%d×%d×%d=%s", c, ss, p.out.H, p.out.W, commas(conns)),
	}
}
