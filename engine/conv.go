package engine

import (
	"fmt"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine/internal/gemm"
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
	// act, when set, is applied to the output in the same pass that lays it
	// out, and its derivative to dy in the pass that gathers it: Forward
	// then returns f(w ⊛ x + b) and Backward takes the gradient of that.
	act *Act

	w, b *Param // w (Cout, Cin·K·K), b (Cout)

	// dense does the work when every kernel covers the whole input, as in
	// C5 of LeNet-5: the convolution is then a dense layer on the flattened
	// input, whose (Out, In) weights are these (Cout, Cin·K·K) ones.
	dense *Dense

	n    int
	cols []float32 // (Cin·K·K, N·Hout·Wout) im2col of the last input; dcols in Backward
	ycm  []float32 // (Cout, N·Hout·Wout) output, then its gradient, maps first
	y    []float32 // (N, Cout, Hout, Wout)
	dx   []float32 // (N, Cin, H, W)
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
	c.b.Bias, c.b.FanIn, c.b.FanOut = true, kk, maps*k*k
	if table != nil {
		c.w.FanIns = make([]int, maps)
		for j := range maps {
			c.w.FanIns[j] = c.fanIn(j) * k * k
		}
	}
	return c, nil
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

func (c *Conv) OutShape() Shape    { return c.out }
func (c *Conv) Params() []*Param   { return []*Param{c.w, c.b} }
func (c *Conv) Weights() []float32 { return c.w.W }

func (c *Conv) replicate() Layer {
	r := *c
	r.w, r.b = c.w.share(), c.b.share()
	r.cols, r.ycm, r.y, r.dx = nil, nil, nil, nil
	r.dense = r.newDense()
	return &r
}

// Forward computes y = w ⊛ x + b as one matrix product over the whole batch:
// (Cout, Cin·K·K)·(Cin·K·K, N·Hout·Wout), through im2col.
func (c *Conv) Forward(x []float32, n int) []float32 {
	inSize, p, kk := c.in.Size(), c.out.H*c.out.W, c.in.C*c.k*c.k
	if len(x) < n*inSize {
		panic(fmt.Sprintf("engine: conv input has %d values, want %d", len(x), n*inSize))
	}
	c.n = n
	c.y = grow(c.y, n*c.out.Size())
	if c.whole() {
		return c.dense.Forward(x, n)
	}
	np := n * p
	c.cols = grow(c.cols, kk*np)
	c.ycm = grow(c.ycm, c.out.C*np)
	for s := range n {
		c.im2col(x[s*inSize:(s+1)*inSize], c.cols[s*p:], np)
	}
	gemm.Sgemm(false, false, c.out.C, np, kk, c.w.W, kk, c.cols, np, 0, c.ycm, np)
	// (Cout, N, P) → (N, Cout, P), adding the bias.
	for j, bj := range c.b.W {
		src := c.ycm[j*np : (j+1)*np]
		for s := range n {
			dst := c.y[(s*c.out.C+j)*p : (s*c.out.C+j+1)*p]
			for i, v := range src[s*p : (s+1)*p] {
				dst[i] = v + bj
			}
			if c.act != nil {
				c.act.apply(dst) // while the row is in cache
			}
		}
	}
	return c.y
}

// Backward adds dw += dy·colsᵀ and db += Σdy, and returns dx = col2im(wᵀ·dy),
// each a single matrix product over the batch.
func (c *Conv) Backward(dy []float32) []float32 {
	n, p, kk := c.n, c.out.H*c.out.W, c.in.C*c.k*c.k
	if c.whole() {
		dx := c.dense.Backward(dy)
		if c.table != nil {
			c.applyTable(c.w.G)
		}
		return dx
	}
	np := n * p
	// (N, Cout, P) → (Cout, N, P), summing the bias gradient on the way.
	for j := range c.out.C {
		dst := c.ycm[j*np : (j+1)*np]
		var sum float32
		for s := range n {
			src := dy[(s*c.out.C+j)*p : (s*c.out.C+j+1)*p]
			if c.act != nil {
				c.act.grad(dst[s*p:(s+1)*p], src, c.y[(s*c.out.C+j)*p:])
			} else {
				copy(dst[s*p:], src)
			}
			for _, v := range dst[s*p : (s+1)*p] {
				sum += v
			}
		}
		c.b.G[j] += sum
	}
	gemm.Sgemm(false, true, c.out.C, kk, np, c.ycm, np, c.cols, np, 1, c.w.G, kk)
	if c.table != nil {
		c.applyTable(c.w.G)
	}
	if !c.needDx {
		return nil
	}
	c.dx = grow(c.dx, n*c.in.Size())
	// cols is not needed any more: it takes dcols = wᵀ·dy.
	gemm.Sgemm(true, false, kk, np, c.out.C, c.w.W, kk, c.ycm, np, 0, c.cols, np)
	for s := range n {
		c.col2im(c.cols[s*p:], np, c.dx[s*c.in.Size():(s+1)*c.in.Size()])
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

// im2col lays out the K×K patches of one sample x (Cin, H, W) as Hout·Wout
// columns of cols, whose rows (Cin·K·K of them) are ld apart, with zeros where
// a patch overhangs.
func (c *Conv) im2col(x, cols []float32, ld int) {
	k, h, w := c.k, c.in.H, c.in.W
	oh, ow := c.out.H, c.out.W
	row := 0
	for ic := range c.in.C {
		xc := x[ic*h*w : (ic+1)*h*w]
		for ky := range k {
			for kx := range k {
				dst := cols[row*ld : row*ld+oh*ow]
				row++
				lo, hi := c.span(kx, w, ow)
				for oy := range oh {
					d := dst[oy*ow : (oy+1)*ow]
					iy := oy + ky - c.pad
					if iy < 0 || iy >= h || lo >= hi {
						clear(d)
						continue
					}
					clear(d[:lo])
					off := iy*w + kx - c.pad
					copyShort(d[lo:hi], xc[off+lo:off+hi])
					clear(d[hi:])
				}
			}
		}
	}
}

// copyShort copies src into dst, of equal length, eight values at a time:
// for rows as short as a feature map's, cheaper than copy's call.
func copyShort(dst, src []float32) {
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		// Element by element: a whole-array assignment calls memmove.
		d, s := (*[8]float32)(dst[i:i+8]), (*[8]float32)(src[i:i+8])
		d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
		d[4], d[5], d[6], d[7] = s[4], s[5], s[6], s[7]
	}
	for ; i < len(dst); i++ {
		dst[i] = src[i]
	}
}

// addShort adds src into dst, of equal length, eight values at a time.
func addShort(dst, src []float32) {
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		d, s := (*[8]float32)(dst[i:i+8]), (*[8]float32)(src[i:i+8])
		d[0] += s[0]
		d[1] += s[1]
		d[2] += s[2]
		d[3] += s[3]
		d[4] += s[4]
		d[5] += s[5]
		d[6] += s[6]
		d[7] += s[7]
	}
	for ; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// span returns the outputs [lo, hi) of a row whose input column ox+kx−pad
// lies inside a row of w pixels.
func (c *Conv) span(kx, w, ow int) (lo, hi int) {
	return max(0, c.pad-kx), min(ow, w+c.pad-kx)
}

// col2im is the adjoint of im2col: it sums the columns back into dx (Cin, H, W).
func (c *Conv) col2im(cols []float32, ld int, dx []float32) {
	k, h, w := c.k, c.in.H, c.in.W
	oh, ow := c.out.H, c.out.W
	clear(dx)
	row := 0
	for ic := range c.in.C {
		dxc := dx[ic*h*w : (ic+1)*h*w]
		for ky := range k {
			for kx := range k {
				src := cols[row*ld : row*ld+oh*ow]
				row++
				lo, hi := c.span(kx, w, ow)
				if lo >= hi {
					continue
				}
				for oy := range oh {
					iy := oy + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					off := iy*w + kx - c.pad
					addShort(dxc[off+lo:off+hi], src[oy*ow+lo:oy*ow+hi])
				}
			}
		}
	}
}

func (c *Conv) counts() counts {
	kk := c.k * c.k
	var terms []string
	params := 0
	for j := 0; j < c.out.C; {
		f := c.fanIn(j)
		run := 1
		for j+run < c.out.C && c.fanIn(j+run) == f {
			run++
		}
		params += run * (f*kk + 1)
		if c.in.C == 1 {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d+1)", run, c.k, c.k))
		} else if c.table != nil {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d+1)", run, f, kk))
		} else {
			terms = append(terms, fmt.Sprintf("%d×(%d×%d×%d+1)", run, f, c.k, c.k))
		}
		j += run
	}
	conns := params * c.out.H * c.out.W
	return counts{
		params:             params,
		connections:        conns,
		paramsFormula:      strings.Join(terms, "+") + "=" + commas(params),
		connectionsFormula: fmt.Sprintf("%s×%d×%d=%s", commas(params), c.out.H, c.out.W, commas(conns)),
	}
}
