package dconv

// The pure-Go kernels: what arm64, x86 without AVX2 and the noasm build run.
// Go has no vector types, so speed comes from the same ideas as the
// assembly, in scalar form: register tiles of 2 maps × 3 outputs (six
// float32 locals the compiler keeps in registers across a whole tap or
// pixel loop, instead of loading and storing an output row per tap),
// operands read through slices cut to their exact length once per row or
// tap so the inner loops carry at most one bounds check, and taps that
// only meet zero padding skipped (InputGrad's padding is k−1 on each side,
// so for small images that is half of its taps).

// goTile is the number of output columns of a forward register tile:
// 2 maps × 3 columns is six sums, and six products in flight, which is as
// many as amd64's sixteen float registers hold without spilling (the
// compiler computes a tile's products before its sums).
const goTile = 3

// goTap is one tap of a map pair for the pure-Go forward kernel: its
// offset in the padded sample (ci·plane + ky·wpp + kx) and the two maps'
// weights, side by side so the tap loop reads one slice.
type goTap struct {
	off    int
	w0, w1 float32
}

// goPlan is the pure-Go forward's packed weights for one call: per tile
// column position, per map pair, the taps (ky, ci, kx) in that order, with
// kx limited to the kernel columns that meet data columns of the padded
// input at that position. Positions whose taps all meet data share the
// full lists at the start of taps.
type goPlan struct {
	taps []goTap
	cols []goCols // one per tile position, left to right
}

// goCols is one tile column position of a goPlan: the tile's first output
// column, the first of its kernel columns (kx0) and how many (nkx), and
// where its per-pair lists (cin·k·nkx taps each) start in taps.
type goCols struct {
	ox, kx0, nkx, start int
}

// plan packs wt (cout, cin, k, k) into p for forwardGo. With an odd cout
// the second map of the last pair has zero weights.
func (p *goPlan) plan(g *geom, wt []float32) {
	k, pairs := g.k, (g.cout+1)/2
	lox, hix := max(0, g.pad), min(g.wpp, g.pad+g.w) // columns of xp holding data
	p.cols = p.cols[:0]
	n := pairs * g.cin * k * k // the full lists come first
	for ox := 0; ox < g.wout; ox += goTile {
		ox = min(ox, max(0, g.wout-goTile)) // <= wo8-3: the tile stays inside the padded rows
		c := goCols{ox: ox, kx0: max(0, lox-ox-(goTile-1)), nkx: k}
		if kx1 := min(k, hix-ox); c.kx0 > 0 || kx1 < k {
			c.nkx = max(0, kx1-c.kx0)
			c.start = n
			n += pairs * g.cin * k * c.nkx
		}
		p.cols = append(p.cols, c)
	}
	if cap(p.taps) < n {
		p.taps = make([]goTap, n)
	}
	p.taps = p.taps[:n]
	p.pack(g, wt, goCols{nkx: k})
	for _, c := range p.cols {
		if c.start > 0 {
			p.pack(g, wt, c)
		}
	}
}

// pack writes the per-pair tap lists of column position c.
func (p *goPlan) pack(g *geom, wt []float32, c goCols) {
	k, kk := g.k, g.cin*g.k*g.k
	for q := 0; q < (g.cout+1)/2; q++ {
		w0 := wt[2*q*kk:][:kk]
		w1 := w0
		if 2*q+1 < g.cout {
			w1 = wt[(2*q+1)*kk:][:kk]
		}
		dst := p.taps[c.start+q*g.cin*k*c.nkx:][:g.cin*k*c.nkx]
		for ky := 0; ky < k; ky++ {
			for ci := 0; ci < g.cin; ci++ {
				d := dst[(ky*g.cin+ci)*c.nkx:][:c.nkx]
				for j := range d {
					kx := c.kx0 + j
					src := (ci*k+ky)*k + kx
					d[j] = goTap{off: ci*g.plane + ky*g.wpp + kx, w0: w0[src], w1: w1[src]}
					if 2*q+1 >= g.cout {
						d[j].w1 = 0
					}
				}
			}
		}
	}
}

// forwardGo computes yb ((cout+1)&^1 maps of hout rows wo8 wide; the first
// wout columns valid) from the padded sample xp and the plan p. Each
// 2-map × 3-column tile runs only the kernel rows and columns that meet
// data in xp. When wout is not a multiple of 3 the last tile of a row
// overlaps the one before it and writes the same values.
func forwardGo(g *geom, xp []float32, p *goPlan, yb []float32) {
	for q := 0; q < (g.cout+1)/2; q++ {
		for oy := 0; oy < g.hout; oy++ {
			ky0, ky1 := g.kyRange(oy, 1)
			ky1 = max(ky0, ky1)
			y0 := yb[(2*q*g.hout+oy)*g.wo8:][:g.wo8]
			y1 := yb[((2*q+1)*g.hout+oy)*g.wo8:][:g.wo8]
			for _, c := range p.cols {
				row := g.cin * c.nkx // taps per kernel row
				taps := p.taps[c.start+q*g.k*row:][ky0*row : ky1*row]
				fwd2x3(xp[oy*g.wpp+c.ox:], taps, y0[c.ox:c.ox+goTile], y1[c.ox:c.ox+goTile])
			}
		}
	}
}

// fwd2x3 sets, for j < 3, y0[j] and y1[j] to the sums over taps of
// t.w0·x[t.off+j] and t.w1·x[t.off+j]: a 2-map × 3-column tile.
func fwd2x3(x []float32, taps []goTap, y0, y1 []float32) {
	var a0, a1, a2, b0, b1, b2 float32
	for _, t := range taps {
		xs := x[t.off : t.off+3 : t.off+3]
		a0 += t.w0 * xs[0]
		b0 += t.w1 * xs[0]
		a1 += t.w0 * xs[1]
		b1 += t.w1 * xs[1]
		a2 += t.w0 * xs[2]
		b2 += t.w1 * xs[2]
	}
	y0 = y0[:3]
	y0[0], y0[1], y0[2] = a0, a1, a2
	y1 = y1[:3]
	y1[0], y1[1], y1[2] = b0, b1, b2
}

// filterGradGo is the filter gradient with pure-Go kernels. Per sample,
// map pair and input map, the k·k taps are taken three at a time in
// row-major order (a group may span two kernel rows: each tap is just an
// offset into the padded plane), and a 2-map × 3-tap register tile sums
// dy times the shifted input over every output pixel; the one or two taps
// left over get a 2 × 1 or 2 × 2 tile. With an odd cout the last map is
// computed as a pair with itself and the copy's sums are dropped into
// scratch.
func (ws *Workspace) filterGradGo(g *geom, x, dy, dw []float32) {
	xp := grow(&ws.xp, g.cin*g.plane)
	clear(xp)
	k, kk, hw := g.k, g.k*g.k, g.hout*g.wout
	scratch := grow(&ws.g, kk)
	inSize, outSize := g.cin*g.h*g.w, g.cout*hw
	off := func(t int) int { return t/k*g.wpp + t%k }
	for s := 0; s < g.n; s++ {
		padInput(g, x[s*inSize:], xp)
		dys := dy[s*outSize:][:outSize]
		for co := 0; co < g.cout; co += 2 {
			r := fgRows{wpp: g.wpp, wout: g.wout, hout: g.hout, d0: dys[co*hw:][:hw], d1: dys[co*hw:][:hw]}
			if co+1 < g.cout {
				r.d1 = dys[(co+1)*hw:][:hw]
			}
			for ci := 0; ci < g.cin; ci++ {
				dw0, dw1 := dw[(co*g.cin+ci)*kk:][:kk], scratch
				if co+1 < g.cout {
					dw1 = dw[((co+1)*g.cin+ci)*kk:][:kk]
				}
				r.x = xp[ci*g.plane:][:g.plane]
				t := 0
				for ; t+3 <= kk; t += 3 {
					r.taps3(off(t), off(t+1), off(t+2), dw0[t:t+3], dw1[t:t+3])
				}
				switch kk - t {
				case 2:
					r.taps2(off(t), off(t+1), dw0[t:t+2], dw1[t:t+2])
				case 1:
					r.taps1(off(t), &dw0[t], &dw1[t])
				}
			}
		}
	}
}

// fgRows is what the filter-gradient tiles read: x, one padded input
// plane (rows wpp apart), and d0, d1, two maps of dy (hout, wout).
type fgRows struct {
	x          []float32
	wpp        int
	d0, d1     []float32
	hout, wout int
}

// taps3 adds to dw0[j] and dw1[j] (j < 3) the sums over the output pixels
// (oy, ox) of d0 (resp. d1) times x[oj + oy·wpp + ox].
func (r *fgRows) taps3(o0, o1, o2 int, dw0, dw1 []float32) {
	var a0, a1, a2, b0, b1, b2 float32
	for oy := 0; oy < r.hout; oy++ {
		e0 := r.d0[oy*r.wout:][:r.wout]
		e1 := r.d1[oy*r.wout:][:len(e0)]
		x0 := r.x[o0+oy*r.wpp:][:len(e0)]
		x1 := r.x[o1+oy*r.wpp:][:len(e0)]
		x2 := r.x[o2+oy*r.wpp:][:len(e0)]
		for i, v0 := range e0 {
			v1 := e1[i]
			a0 += v0 * x0[i]
			b0 += v1 * x0[i]
			a1 += v0 * x1[i]
			b1 += v1 * x1[i]
			a2 += v0 * x2[i]
			b2 += v1 * x2[i]
		}
	}
	dw0 = dw0[:3]
	dw0[0] += a0
	dw0[1] += a1
	dw0[2] += a2
	dw1 = dw1[:3]
	dw1[0] += b0
	dw1[1] += b1
	dw1[2] += b2
}

// taps2 is taps3 for two taps.
func (r *fgRows) taps2(o0, o1 int, dw0, dw1 []float32) {
	var a0, a1, b0, b1 float32
	for oy := 0; oy < r.hout; oy++ {
		e0 := r.d0[oy*r.wout:][:r.wout]
		e1 := r.d1[oy*r.wout:][:len(e0)]
		x0 := r.x[o0+oy*r.wpp:][:len(e0)]
		x1 := r.x[o1+oy*r.wpp:][:len(e0)]
		for i, v0 := range e0 {
			v1 := e1[i]
			a0 += v0 * x0[i]
			b0 += v1 * x0[i]
			a1 += v0 * x1[i]
			b1 += v1 * x1[i]
		}
	}
	dw0 = dw0[:2]
	dw0[0] += a0
	dw0[1] += a1
	dw1 = dw1[:2]
	dw1[0] += b0
	dw1[1] += b1
}

// taps1 is taps3 for one tap, two pixels at a time so that four sums are
// in flight.
func (r *fgRows) taps1(o0 int, dw0, dw1 *float32) {
	var a0, a1, b0, b1 float32
	for oy := 0; oy < r.hout; oy++ {
		e0 := r.d0[oy*r.wout:][:r.wout]
		e1 := r.d1[oy*r.wout:][:len(e0)]
		x0 := r.x[o0+oy*r.wpp:][:len(e0)]
		i := 0
		for ; i+1 < len(e0); i += 2 {
			a0 += e0[i] * x0[i]
			a1 += e0[i+1] * x0[i+1]
			b0 += e1[i] * x0[i]
			b1 += e1[i+1] * x0[i+1]
		}
		if i < len(e0) {
			a0 += e0[i] * x0[i]
			b0 += e1[i] * x0[i]
		}
	}
	*dw0 += a0 + a1
	*dw1 += b0 + b1
}
