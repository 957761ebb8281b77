package dconv

// The input gradient without padding taps (assembly only). InputGrad as a
// forward convolution of dy with flipped kernels has padding k−1−pad on
// each side: for LeNet's C3 (10×10 dy, 5×5 kernels) 2,500 of the 4,900
// taps of a 14×14 dx map meet padding, and as every 8-column strip of dx
// spans data columns, the spatial kernels cannot skip a tap per strip.
// inputGradChan instead vectorises over the dy maps (the sum), reads dy
// pixel-major and computes one dx pixel at a time over exactly its valid
// taps: per tap row these are a contiguous run of dy pixels, so the
// kernel's inner loop is a run of 8-map vectors against packed weights
// (igKern), and each pixel's lane sums are reduced once.

// inputGradBetter reports whether inputGradChan suits cout dy maps: its
// lanes are dy maps, so it wastes round8(cout)−cout of every 8·⌈cout/8⌉.
func inputGradBetter(cout int) bool {
	switch forcePath {
	case pathSpatial, pathChannel:
		return false
	case pathInputChan:
		return true
	}
	return 4*cout >= 3*((cout+7)&^7)
}

// igZBetter reports whether inputGradChan runs on the 16-lane kernels
// (igZKern): with AVX-512 and the dy maps in whole 16-lane vectors, which
// halves the vectors, loads and FMAs of each tap.
func igZBetter(g *geom) bool {
	return hasAVX512 && (g.cout+7)&^7%16 == 0
}

// inputGradChan is InputGrad with the igKern kernels; g is the geometry of
// the forward convolution (x of cin maps h×w, dy of cout maps hout×wout).
func (ws *Workspace) inputGradChan(g *geom, dy, wt, dx []float32) {
	ws.igStart(g, wt)
	cop := (g.cout + 7) &^ 7
	dyt := grow(&ws.dyp, g.hout*g.wout*cop)
	clear(dyt)
	inSize, outSize := g.cin*g.h*g.w, g.cout*g.hout*g.wout
	for s := 0; s < g.n; s++ {
		transposeDy(g, dy[s*outSize:][:outSize], dyt)
		ws.igSample(g, dyt, dx[s*inSize:][:inSize])
	}
}

// igStart packs the weights and the column tap table of inputGradChan.
func (ws *Workspace) igStart(g *geom, wt []float32) {
	k, kk := g.k, g.k*g.k
	cop := (g.cout + 7) &^ 7
	pp := k - 1 - g.pad // padding of the flipped forward convolution
	// wq per block of m input maps from ci0: index ci0·kk·cop +
	// ((ky·k+kx)·cop/8 + v)·m·8 + mi·8 + l holds the flipped weight of dy
	// map 8v+l and input map ci0+mi at tap (ky, kx); dy maps ≥ cout are zero.
	// With igZKern the vectors are 16 lanes wide: 16 for 8 in all of this.
	wq := grow(&ws.wf, g.cin*kk*cop)
	clear(wq)
	lanes := 8
	if igZBetter(g) {
		lanes = 16
	}
	blocks(g.cin, igMaxM, func(ci0, m int) {
		for co := 0; co < g.cout; co++ {
			o := ci0*kk*cop + (co/lanes)*m*lanes + co%lanes // tap 0 of map ci0
			for mi := 0; mi < m; mi++ {
				src := wt[(co*g.cin+ci0+mi)*kk:][:kk]
				for t := range kk {
					wq[o+t*cop*m+mi*lanes] = src[kk-1-t]
				}
			}
		}
	})
	// Per dx column: byte offset of its first valid tap's dy pixel in a dy
	// row, of its first valid tap in a packed weight row (per map of the
	// block), and its number of valid 8-map vectors.
	if cap(ws.tab) < 3*g.w {
		ws.tab = make([]int, 3*g.w)
	}
	tab := ws.tab[:3*g.w]
	for ix := 0; ix < g.w; ix++ {
		kx0, kx1 := max(0, pp-ix), min(k, g.wout+pp-ix)
		if kx1 <= kx0 {
			tab[3*ix], tab[3*ix+1], tab[3*ix+2] = 0, 0, 0
			continue
		}
		tab[3*ix] = (ix - pp + kx0) * cop * 4
		tab[3*ix+1] = kx0 * cop * 4
		tab[3*ix+2] = (kx1 - kx0) * cop / 8
	}
}

// igSample computes one sample's dx, dxs (cin, h, w), from its transposed
// dy with the weights and table of igStart.
func (ws *Workspace) igSample(g *geom, dyt, dxs []float32) {
	k, kk := g.k, g.k*g.k
	cop := (g.cout + 7) &^ 7
	pp := k - 1 - g.pad
	wq, tab := ws.wf, ws.tab
	kern := igKern
	if igZBetter(g) {
		kern = igZKern
	}
	blocks(g.cin, igMaxM, func(ci0, m int) {
		base := ci0 * kk * cop
		for iy := 0; iy < g.h; iy++ {
			ky0, ky1 := max(0, pp-iy), min(k, g.hout+pp-iy)
			if ky1 <= ky0 {
				for mi := 0; mi < m; mi++ {
					clear(dxs[((ci0+mi)*g.h+iy)*g.w:][:g.w])
				}
				continue
			}
			kern(m, &dyt[(iy-pp+ky0)*g.wout*cop], uintptr(g.wout*cop*4), ky1-ky0,
				&wq[base+ky0*k*cop*m], uintptr(k*cop*m*4), &tab[0], g.w,
				&dxs[(ci0*g.h+iy)*g.w], uintptr(g.h*g.w*4))
		}
	})
}
