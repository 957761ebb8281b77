package dconv

// The pure-Go kernels: what arm64, x86 without AVX2 and the noasm build run.
// Go has no vector types, so speed comes from the same ideas as the
// assembly, in scalar form: a register tile of 2 maps × 4 outputs (eight
// float32 locals the compiler keeps in registers across the whole tap or
// pixel loop, instead of loading and storing an output row per tap),
// operands read through slices cut to their exact length once per row so
// the inner loops carry at most one bounds check, and taps that only meet
// zero padding skipped (InputGrad's padding is k−1 on each side, so for
// small images that is half of its taps).

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

// packGo packs wt (cout, cin, k, k) for forwardGo in map pairs: pair q, tap
// (ky, ci, kx) at taps[q·kk + (ky·cin+ci)·k + kx], where kk = cin·k·k.
// With an odd cout the second map of the last pair has zero weights.
func packGo(g *geom, wt []float32, taps []goTap) {
	k, kk := g.k, g.cin*g.k*g.k
	for q := 0; q < (g.cout+1)/2; q++ {
		w0 := wt[2*q*kk:][:kk]
		w1 := w0
		if 2*q+1 < g.cout {
			w1 = wt[(2*q+1)*kk:][:kk]
		}
		dst := taps[q*kk:][:kk]
		for ky := 0; ky < k; ky++ {
			for ci := 0; ci < g.cin; ci++ {
				for kx := 0; kx < k; kx++ {
					src := (ci*k+ky)*k + kx
					t := goTap{off: ci*g.plane + ky*g.wpp + kx, w0: w0[src], w1: w1[src]}
					if 2*q+1 >= g.cout {
						t.w1 = 0
					}
					dst[(ky*g.cin+ci)*k+kx] = t
				}
			}
		}
	}
}

// forwardGo computes yb ((cout+1)&^1 maps of hout rows wo8 wide; the first
// wout columns valid) from the padded sample xp and the taps packed by
// packGo. Each 2-map × 3-column tile runs only the kernel rows that meet
// data rows of xp; taps on padding columns are computed (as zeros). When wout is not a multiple of 3 the last tile of
// a row overlaps the one before it and writes the same values.
func forwardGo(g *geom, xp []float32, taps []goTap, yb []float32) {
	k, kk := g.k, g.cin*g.k*g.k
	for q := 0; q < (g.cout+1)/2; q++ {
		tq := taps[q*kk:][:kk]
		for oy := 0; oy < g.hout; oy++ {
			ky0, ky1 := g.kyRange(oy, 1)
			y0 := yb[(2*q*g.hout+oy)*g.wo8:][:g.wo8]
			y1 := yb[((2*q+1)*g.hout+oy)*g.wo8:][:g.wo8]
			for ox := 0; ox < g.wout; ox += goTile {
				ox = min(ox, max(0, g.wout-goTile)) // <= wo8-3: the tile stays inside the padded rows
				fwd2x3(xp[oy*g.wpp+ox:], tq[ky0*g.cin*k:max(ky0, ky1)*g.cin*k], y0[ox:ox+goTile], y1[ox:ox+goTile])
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

// filterGradGo is the filter gradient with pure-Go kernels: per sample, map
// pair, input map and kernel row, 2-map × 3-tap register tiles (tile2x3,
// tile2x2 or tile2x1 for the last taps) walk the output pixels whose taps
// meet data in xp. With an odd cout the last map is computed as a pair
// with itself and the copy's sums are dropped into scratch.
func (ws *Workspace) filterGradGo(g *geom, x, dy, dw []float32) {
	xp := grow(&ws.xp, g.cin*g.plane)
	clear(xp)
	k, kk, hw := g.k, g.k*g.k, g.hout*g.wout
	scratch := grow(&ws.g, kk)
	lo, hi := max(0, g.pad), min(g.hp, g.pad+g.h) // rows of xp holding data
	lox, hix := max(0, g.pad), min(g.wpp, g.pad+g.w)
	inSize, outSize := g.cin*g.h*g.w, g.cout*hw
	for s := 0; s < g.n; s++ {
		padInput(g, x[s*inSize:], xp)
		dys := dy[s*outSize:][:outSize]
		for co := 0; co < g.cout; co += 2 {
			d0, d1 := dys[co*hw:][:hw], dys[co*hw:][:hw]
			if co+1 < g.cout {
				d1 = dys[(co+1)*hw:][:hw]
			}
			for ci := 0; ci < g.cin; ci++ {
				dw0, dw1 := dw[(co*g.cin+ci)*kk:][:kk], scratch
				if co+1 < g.cout {
					dw1 = dw[((co+1)*g.cin+ci)*kk:][:kk]
				}
				for ky := 0; ky < k; ky++ {
					oy0, oy1 := max(0, lo-ky), min(g.hout, hi-ky)
					if oy1 <= oy0 {
						continue
					}
					xpl := xp[ci*g.plane+ky*g.wpp:]
					blocks(k, 3, func(kx, nb int) {
						ox0, ox1 := max(0, lox-kx-(nb-1)), min(g.wout, hix-kx)
						if ox0 >= ox1 {
							return
						}
						r := fgRows{x: xpl[kx:], wpp: g.wpp, d0: d0, d1: d1, wout: g.wout, oy0: oy0, oy1: oy1, ox0: ox0, ox1: ox1}
						switch nb {
						case 3:
							r.tile2x3(dw0[ky*k+kx:], dw1[ky*k+kx:])
						case 2:
							r.tile2x2(dw0[ky*k+kx:], dw1[ky*k+kx:])
						default:
							r.tile2x1(&dw0[ky*k+kx], &dw1[ky*k+kx])
						}
					})
				}
			}
		}
	}
}

// fgRows is the pixel range of one filter-gradient tile: x starts at the
// tile's first tap (its row for oy = 0, column for ox = 0), d0 and d1 are
// two maps of dy (hout, wout); rows [oy0, oy1), columns [ox0, ox1).
type fgRows struct {
	x        []float32
	wpp      int
	d0, d1   []float32
	wout     int
	oy0, oy1 int
	ox0, ox1 int
}

// tile2x3 adds to dw0[j] and dw1[j] (j < 3) the sums over the pixels of
// d0 (resp. d1) times x at the pixel shifted by j columns.
func (r *fgRows) tile2x3(dw0, dw1 []float32) {
	var a0, a1, a2, b0, b1, b2 float32
	n := r.ox1 - r.ox0
	for oy := r.oy0; oy < r.oy1; oy++ {
		e0 := r.d0[oy*r.wout+r.ox0:][:n]
		e1 := r.d1[oy*r.wout+r.ox0:][:n]
		xr := r.x[oy*r.wpp+r.ox0:][:n+2]
		for i, v0 := range e0 {
			v1 := e1[i]
			xs := xr[i : i+3 : i+3]
			a0 += v0 * xs[0]
			b0 += v1 * xs[0]
			a1 += v0 * xs[1]
			b1 += v1 * xs[1]
			a2 += v0 * xs[2]
			b2 += v1 * xs[2]
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

// tile2x2 is tile2x3 for two taps.
func (r *fgRows) tile2x2(dw0, dw1 []float32) {
	var a0, a1, b0, b1 float32
	n := r.ox1 - r.ox0
	for oy := r.oy0; oy < r.oy1; oy++ {
		e0 := r.d0[oy*r.wout+r.ox0:][:n]
		e1 := r.d1[oy*r.wout+r.ox0:][:n]
		xr := r.x[oy*r.wpp+r.ox0:][:n+1]
		for i, v0 := range e0 {
			v1 := e1[i]
			xs := xr[i : i+2 : i+2]
			a0 += v0 * xs[0]
			b0 += v1 * xs[0]
			a1 += v0 * xs[1]
			b1 += v1 * xs[1]
		}
	}
	dw0 = dw0[:2]
	dw0[0] += a0
	dw0[1] += a1
	dw1 = dw1[:2]
	dw1[0] += b0
	dw1[1] += b1
}

// tile2x1 is tile2x3 for one tap, two pixels at a time so that four sums
// are in flight.
func (r *fgRows) tile2x1(dw0, dw1 *float32) {
	var a0, a1, b0, b1 float32
	n := r.ox1 - r.ox0
	for oy := r.oy0; oy < r.oy1; oy++ {
		e0 := r.d0[oy*r.wout+r.ox0:][:n]
		e1 := r.d1[oy*r.wout+r.ox0:][:n]
		xr := r.x[oy*r.wpp+r.ox0:][:n]
		i := 0
		for ; i+1 < len(e0); i += 2 {
			a0 += e0[i] * xr[i]
			a1 += e0[i+1] * xr[i+1]
			b0 += e1[i] * xr[i]
			b1 += e1[i+1] * xr[i+1]
		}
		if i < len(e0) {
			a0 += e0[i] * xr[i]
			b0 += e1[i] * xr[i]
		}
	}
	*dw0 += a0 + a1
	*dw1 += b0 + b1
}
