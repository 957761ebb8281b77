package engine

import (
	"fmt"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine/internal/dconv"
	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// Conv is a stride-1 convolution of K×K kernels with zero padding Pad on each
// side. An optional connection table makes it partially connected, as C3 of
// LeNet-5: output map j then reads only the input maps i with Table[i][j].
//
// Weights are (Cout, Cin, K, K); entries the table leaves out stay zero, and
// their gradients are zeroed after every Backward, so they never train.
type Conv struct {
	in, out Shape
	k, pad  int
	table   [][]bool // (Cin, Cout) or nil
	needDx  bool     // false for the first layer: nobody wants d(input)
	perPos  bool     // one bias per output position of each map: b is (Cout, Hout, Wout)
	// act, when set, is applied to each output row as soon as it is written,
	// while in cache, and its derivative to dy before the kernels read it:
	// Forward then returns f(w ⊛ x + b) and Backward takes its gradient.
	act *Act

	w, b *Param // w (Cout, Cin·K·K), b (Cout), or (Cout, Hout, Wout) when perPos

	// dense does the work when every kernel covers the whole input, as in
	// C5 of LeNet-5: the convolution is then a dense layer on the flattened
	// input, whose (Out, In) weights are these (Cout, Cin·K·K) ones.
	dense *Dense

	ws *dconv.Workspace // the direct kernels' scratch, one per replica

	n   int
	x   []float32 // (N, Cin, H, W) the last input, not owned
	y   []float32 // (N, Cout, Hout, Wout)
	dya []float32 // (N, Cout, Hout, Wout) dy through the fused activation's derivative
	dx  []float32 // (N, Cin, H, W)
}

func newConv(name string, in Shape, maps, k, pad int, table [][]bool, needDx bool) (*Conv, error) {
	oh, ow := in.H+2*pad-k+1, in.W+2*pad-k+1
	if k < 1 || pad < 0 || oh < 1 || ow < 1 {
		return nil, fmt.Errorf("%s: a %d×%d kernel with padding %d does not fit input %v", name, k, k, pad, in)
	}
	if table != nil && (len(table) != in.C || len(table[0]) != maps) {
		return nil, fmt.Errorf("%s: connection table is %d×%d, want %d inputs × %d maps", name, len(table), len(table[0]), in.C, maps)
	}
	c := &Conv{in: in, out: Shape{maps, oh, ow}, k: k, pad: pad, table: table, needDx: needDx}
	kk := in.C * k * k
	c.w = newParam(name+".w", maps*kk)
	c.b = newParam(name+".b", maps)
	c.w.FanIn, c.w.FanOut = kk, maps*k*k
	c.dense = c.newDense()
	c.ws = new(dconv.Workspace)
	c.b.Bias, c.b.FanIn, c.b.FanOut = true, kk, maps*k*k
	if table != nil {
		c.w.FanIns = make([]int, maps)
		for j := range maps {
			c.w.FanIns[j] = c.fanIn(j) * k * k
		}
		c.b.FanIns = c.w.FanIns
	}
	return c, nil
}

// biasPerPosition gives every output position of every map a bias of its
// own (Bias per-position), before the net is allocated. A convolution whose
// kernels cover the whole input has one position per map: nothing changes.
func (c *Conv) biasPerPosition() {
	if c.whole() {
		return
	}
	c.perPos, c.b.size = true, c.out.Size()
}

// newDense returns the dense layer that does c's work when its kernels cover
// the whole input, or nil.
func (c *Conv) newDense() *Dense {
	if c.pad != 0 || c.k != c.in.H || c.k != c.in.W {
		return nil
	}
	return &Dense{in: c.in, out: c.out, w: c.w, b: c.b, needDx: c.needDx}
}

// fanIn is the number of input maps output map j reads.
func (c *Conv) fanIn(j int) int {
	if c.table == nil {
		return c.in.C
	}
	n := 0
	for i := range c.in.C {
		if c.table[i][j] {
			n++
		}
	}
	return n
}

func (c *Conv) OutShape() Shape  { return c.out }
func (c *Conv) Params() []*Param { return []*Param{c.w, c.b} }

func (c *Conv) replicate() Layer {
	r := *c
	r.w, r.b = c.w.share(), c.b.share()
	r.x, r.y, r.dya, r.dx = nil, nil, nil, nil
	r.ws = new(dconv.Workspace)
	r.dense = r.newDense()
	return &r
}

// Forward computes y = w ⊛ x + b with the direct kernels of package dconv,
// then applies the fused activation, if any, row by row while in cache;
// for ReLU with a bias per map, dconv applies both (ForwardBiasReLU).
// The algorithm in plain loops: engine/internal/naive (ConvForward).
func (c *Conv) Forward(x []float32, n int) []float32 {
	inSize, p := c.in.Size(), c.out.H*c.out.W
	checkLayerInput("conv", x, n*inSize)
	c.n = n
	c.y = grow(c.y, n*c.out.Size())
	if c.whole() {
		return c.dense.Forward(x, n)
	}
	c.x = x[:n*inSize]
	if c.act != nil && c.act.fn == ReLU && !c.perPos {
		// Bias and ReLU as the kernels store, where they can.
		c.ws.ForwardBiasReLU(x, n, c.in.C, c.in.H, c.in.W, c.w.W, c.out.C, c.k, c.pad, c.b.W, c.y)
		return c.y
	}
	c.ws.Forward(x, n, c.in.C, c.in.H, c.in.W, c.w.W, c.out.C, c.k, c.pad, c.y)
	for r := range n * c.out.C {
		row := c.y[r*p : (r+1)*p]
		j := r % c.out.C
		if c.perPos {
			addInto(row, c.b.W[j*p:(j+1)*p])
		} else {
			vec.BiasAdd(row, c.b.W[j])
		}
		if c.act != nil {
			c.act.apply(row)
		}
	}
	return c.y
}

// Backward adds dw += dy ⋆ x and db += Σdy (summed over positions, unless
// each position has its own bias), and returns dx, the
// convolution of dy with the flipped kernels; dy is first multiplied by the
// activation's derivative when the activation is fused.
func (c *Conv) Backward(dy []float32) []float32 {
	if c.whole() {
		dx := c.dense.Backward(dy)
		if c.table != nil {
			c.applyTable(c.w.G)
		}
		return dx
	}
	n, p := c.n, c.out.H*c.out.W
	g := dy[:n*c.out.Size()]
	if c.act != nil && c.act.fn == ReLU && !c.perPos {
		// ReLU's derivative and the bias gradient in one pass.
		c.dya = grow(c.dya, len(g))
		for r := range n * c.out.C {
			rs := r * p
			c.b.G[r%c.out.C] += vec.ReLUGradSum(c.dya[rs:rs+p], g[rs:rs+p], c.y[rs:rs+p])
		}
		g = c.dya
	} else {
		if c.act != nil {
			c.dya = grow(c.dya, len(g))
			c.act.grad(c.dya, g, c.y)
			g = c.dya
		}
		for r := range n * c.out.C {
			j := r % c.out.C
			if c.perPos {
				addInto(c.b.G[j*p:(j+1)*p], g[r*p:(r+1)*p])
				continue
			}
			c.b.G[j] += vec.Sum(g[r*p : (r+1)*p])
		}
	}
	if !c.needDx {
		c.ws.FilterGrad(c.x, n, c.in.C, c.in.H, c.in.W, g, c.out.C, c.k, c.pad, c.w.G)
		if c.table != nil {
			c.applyTable(c.w.G)
		}
		return nil
	}
	// Both gradients in one call, which reorders dy for them once.
	c.dx = grow(c.dx, n*c.in.Size())
	c.ws.Backward(c.x, n, c.in.C, c.in.H, c.in.W, g, c.w.W, c.out.C, c.k, c.pad, c.w.G, c.dx)
	if c.table != nil {
		c.applyTable(c.w.G)
	}
	return c.dx
}

// whole reports whether every kernel covers the whole input, as in C5 of
// LeNet-5: the convolution is then a dense layer over the flattened input.
func (c *Conv) whole() bool { return c.dense != nil }

// applyTable zeroes the entries of a (Cout, Cin·K·K) tensor that the
// connection table leaves out.
func (c *Conv) applyTable(w []float32) {
	kk := c.k * c.k
	for j := range c.out.C {
		for i := range c.in.C {
			if !c.table[i][j] {
				off := (j*c.in.C + i) * kk
				clear(w[off : off+kk])
			}
		}
	}
}

func (c *Conv) counts() counts {
	kk := c.k * c.k
	var terms []string
	params, conns := 0, 0
	one := "+1" // the bias in each map's term, unless each position has its own
	if c.perPos {
		one = ""
	}
	for j := 0; j < c.out.C; {
		f := c.fanIn(j)
		run := 1
		for j+run < c.out.C && c.fanIn(j+run) == f {
			run++
		}
		conns += run * (f*kk + 1) * c.out.H * c.out.W
		params += run * f * kk
		if !c.perPos {
			params += run
		}
		if c.in.C == 1 {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d%s)", run, c.k, c.k, one))
		} else if c.table != nil {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d%s)", run, f, kk, one))
		} else {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d×%d%s)", run, f, c.k, c.k, one))
		}
		j += run
	}
	connsFormula := fmt.Sprintf("%s×%d×%d=%s", Thousands(params), c.out.H, c.out.W, Thousands(conns))
	if c.perPos {
		// A bias per position is one more parameter per output pixel, and
		// the same connections as one per map: each output still reads its
		// kernel's inputs and one bias.
		params += c.out.Size()
		terms = append(terms, fmt.Sprintf("%d×%d×%d", c.out.C, c.out.H, c.out.W))
		connsFormula = fmt.Sprintf("%s×%d×%d=%s", Thousands(conns/(c.out.H*c.out.W)), c.out.H, c.out.W, Thousands(conns))
	}
	return counts{
		params:             params,
		connections:        conns,
		paramsFormula:      strings.Join(terms, "+") + "=" + Thousands(params),
		connectionsFormula: connsFormula,
	}
}
