package dconv

import (
	"fmt"
	"sync/atomic"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// Workspace holds the scratch buffers of the convolution routines. The
// zero value is ready to use; buffers grow to the largest shape seen and
// are reused, so after the first call with a given shape the methods do
// not allocate. A Workspace must not be used by two goroutines at once.
type Workspace struct {
	xp  []float32 // zero-padded input of one sample: (cin, hp, wpp)
	yb  []float32 // forward output of one sample: tail strips (cout, hout, 8), Go rows (cout, hout, wo8) or channel pixels (hout·wout, cop)
	dyp []float32 // dy of one sample: zero-padded tail strips (cout, hout, 8) or channel pixels (hout·wout, cop)
	wp  []float32 // weights packed in map blocks for the forward kernels
	wf  []float32 // flipped, transposed weights for InputGrad: (cin, cout, k, k)
	g   []float32 // filter-gradient lane accumulators: (cout, cin, k, k, 8)
	tab []int     // inputGradChan's tap table: 3 ints per dx column

	plan goPlan // the pure-Go forward's packed weights and tap offsets
}

func grow(b *[]float32, n int) []float32 {
	if cap(*b) < n {
		*b = make([]float32, n)
	}
	*b = (*b)[:n]
	return *b
}

// geom is the geometry of one forward-type convolution. pad may be
// negative internally (InputGrad with pad > k-1), meaning a crop.
type geom struct {
	n, cin, h, w, cout, k, pad int
	hout, wout                 int
	wo8                        int // wout rounded up to a multiple of 8
	hp, wpp                    int // padded input plane: hout+k-1 rows of wo8+k-1
	plane                      int // hp·wpp
}

func newGeom(n, cin, h, w, cout, k, pad int) geom {
	g := geom{n: n, cin: cin, h: h, w: w, cout: cout, k: k, pad: pad}
	g.hout = h + 2*pad - k + 1
	g.wout = w + 2*pad - k + 1
	g.wo8 = (g.wout + 7) &^ 7
	g.hp = g.hout + k - 1
	g.wpp = g.wo8 + k - 1
	g.plane = g.hp * g.wpp
	return g
}

// check validates the sizes common to all entry points and returns the
// forward geometry.
func check(op string, n, cin, h, w, cout, k, pad int) geom {
	switch {
	case n < 0:
		panic(fmt.Sprintf("dconv: %s: negative batch size %d", op, n))
	case cin < 1 || cout < 1:
		panic(fmt.Sprintf("dconv: %s: map counts cin=%d cout=%d must be positive", op, cin, cout))
	case k < 1:
		panic(fmt.Sprintf("dconv: %s: kernel size %d must be positive", op, k))
	case pad < 0:
		panic(fmt.Sprintf("dconv: %s: negative padding %d", op, pad))
	case h < 1 || w < 1 || h+2*pad < k || w+2*pad < k:
		panic(fmt.Sprintf("dconv: %s: input %dx%d with padding %d is smaller than the %dx%d kernel", op, h, w, pad, k, k))
	}
	return newGeom(n, cin, h, w, cout, k, pad)
}

func need(op, name string, have, want int) {
	if have < want {
		panic(fmt.Sprintf("dconv: %s: len(%s) = %d, need %d", op, name, have, want))
	}
}

// Forward sets y (n, cout, hout, wout) to the stride-1 convolution of x
// (n, cin, h, w) with wt (cout, cin, k, k), zero padding pad on each side,
// no bias: y[s][co][oy][ox] = Σ_ci Σ_ky Σ_kx wt[co][ci][ky][kx] ·
// x[s][ci][oy+ky−pad][ox+kx−pad]. Only the first n·cout·hout·wout elements
// of y are written.
func (ws *Workspace) Forward(x []float32, n, cin, h, w int, wt []float32, cout, k, pad int, y []float32) {
	g := check("Forward", n, cin, h, w, cout, k, pad)
	need("Forward", "x", len(x), n*cin*h*w)
	need("Forward", "wt", len(wt), cout*cin*k*k)
	need("Forward", "y", len(y), n*cout*g.hout*g.wout)
	ws.forward(&g, x, wt, nil, y)
}

// ForwardBiasReLU is Forward followed by y = max(0, y+b[co]) + 0 on each
// output map co, with the bits of vec.BiasReLU: the 16-column spatial
// kernels and the 16×16 transposes apply it in their registers before
// they store, the other paths to each map after.
func (ws *Workspace) ForwardBiasReLU(x []float32, n, cin, h, w int, wt []float32, cout, k, pad int, b, y []float32) {
	g := check("ForwardBiasReLU", n, cin, h, w, cout, k, pad)
	need("ForwardBiasReLU", "x", len(x), n*cin*h*w)
	need("ForwardBiasReLU", "wt", len(wt), cout*cin*k*k)
	need("ForwardBiasReLU", "b", len(b), cout)
	need("ForwardBiasReLU", "y", len(y), n*cout*g.hout*g.wout)
	ws.forward(&g, x, wt, b[:cout], y)
}

// FilterGrad adds to dw (cout, cin, k, k) the filter gradient
// Σ_s Σ_oy Σ_ox dy[s][co][oy][ox] · x[s][ci][oy+ky−pad][ox+kx−pad] for the
// convolution of Forward; dy is (n, cout, hout, wout).
func (ws *Workspace) FilterGrad(x []float32, n, cin, h, w int, dy []float32, cout, k, pad int, dw []float32) {
	g := check("FilterGrad", n, cin, h, w, cout, k, pad)
	need("FilterGrad", "x", len(x), n*cin*h*w)
	need("FilterGrad", "dy", len(dy), n*cout*g.hout*g.wout)
	need("FilterGrad", "dw", len(dw), cout*cin*k*k)
	if n == 0 {
		return
	}
	switch {
	case useAsm && channelBetter(cout, g.wout):
		ws.filterGradChan(&g, x, dy, dw)
	case useAsm && fgZBetter(&g):
		ws.filterGradZ(&g, x, dy, dw)
	case useAsm:
		ws.filterGradAsm(&g, x, dy, dw)
	default:
		ws.filterGradGo(&g, x, dy, dw)
	}
}

// InputGrad sets dx (n, cin, h, w) to the input gradient of the convolution
// of Forward: dx[s][ci][iy][ix] = Σ dy[s][co][oy][ox] · wt[co][ci][ky][kx]
// over co, ky, kx with oy+ky−pad = iy, ox+kx−pad = ix; dy is
// (n, cout, hout, wout). It is computed as a forward convolution of dy with
// the flipped, transposed kernels and padding k−1−pad.
func (ws *Workspace) InputGrad(dy []float32, n, cout int, wt []float32, cin, h, w, k, pad int, dx []float32) {
	g := check("InputGrad", n, cin, h, w, cout, k, pad)
	need("InputGrad", "dy", len(dy), n*cout*g.hout*g.wout)
	need("InputGrad", "wt", len(wt), cout*cin*k*k)
	need("InputGrad", "dx", len(dx), n*cin*h*w)
	if n == 0 {
		return
	}
	if useAsm && inputGradBetter(cout) {
		ws.inputGradChan(&g, dy, wt, dx)
		return
	}
	wf := grow(&ws.wf, cout*cin*k*k)
	for co := 0; co < cout; co++ {
		for ci := 0; ci < cin; ci++ {
			src := wt[(co*cin+ci)*k*k:][:k*k]
			dst := wf[(ci*cout+co)*k*k:][:k*k]
			for i, v := range src {
				dst[k*k-1-i] = v
			}
		}
	}
	g2 := newGeom(n, cout, g.hout, g.wout, cin, k, k-1-pad)
	ws.forward(&g2, dy, wf, nil, dx)
}

// Backward is FilterGrad followed by InputGrad on the same dy (dw
// accumulates, dx is overwritten), as a layer's backward pass does. When
// both run on kernels that read dy pixel-major, each sample's dy is
// transposed once for both, while it is in cache.
func (ws *Workspace) Backward(x []float32, n, cin, h, w int, dy, wt []float32, cout, k, pad int, dw, dx []float32) {
	g := check("Backward", n, cin, h, w, cout, k, pad)
	need("Backward", "x", len(x), n*cin*h*w)
	need("Backward", "dy", len(dy), n*cout*g.hout*g.wout)
	need("Backward", "wt", len(wt), cout*cin*k*k)
	need("Backward", "dw", len(dw), cout*cin*k*k)
	need("Backward", "dx", len(dx), n*cin*h*w)
	if n == 0 {
		return
	}
	if !useAsm || !channelBetter(cout, g.wout) || !inputGradBetter(cout) {
		ws.FilterGrad(x, n, cin, h, w, dy, cout, k, pad, dw)
		ws.InputGrad(dy, n, cout, wt, cin, h, w, k, pad, dx)
		return
	}
	dyt := ws.fgcStart(&g)
	ws.igStart(&g, wt)
	inSize, outSize := cin*h*w, cout*g.hout*g.wout
	for s := 0; s < n; s++ {
		transposeDy(&g, dy[s*outSize:][:outSize], dyt)
		ws.fgcSample(&g, x[s*inSize:], dyt)
		ws.igSample(&g, dyt, dx[s*inSize:][:inSize])
	}
	ws.fgcFinish(&g, dw)
}

// padInput copies sample xs (cin, h, w) into the interior of xp (cin, hp,
// wpp); the border must already be zero.
func padInput(g *geom, xs, xp []float32) {
	ix0, ix1 := max(0, -g.pad), min(g.w, g.wpp-g.pad) // the columns and rows
	iy0, iy1 := max(0, -g.pad), min(g.h, g.hp-g.pad)  // of xs that xp holds
	n, rows := ix1-ix0, iy1-iy0
	if n <= 0 || rows <= 0 {
		return
	}
	for ci := 0; ci < g.cin; ci++ {
		dst := xp[ci*g.plane+(iy0+g.pad)*g.wpp+ix0+g.pad:]
		src := xs[(ci*g.h+iy0)*g.w+ix0:]
		if useAsm && hasAVX512 {
			copyRows(&dst[0], uintptr(g.wpp*4), &src[0], uintptr(g.w*4), rows, n)
			continue
		}
		for r := range rows {
			copy(dst[r*g.wpp:][:n], src[r*g.w:][:n])
		}
	}
}

// planes is one sample's input maps as a kernel reads them: map ci starts
// at x[ci·ps] and its row r at x[ci·ps + r·rs].
type planes struct {
	x      []float32
	rs, ps int
}

// channelInput returns sample xs (cin, h, w) as the channel kernels read
// it. They broadcast one input at a time and, without padding, read only
// columns ox+kx ≤ wout−1+k−1 = w−1 of rows oy+ky ≤ h−1: then they read xs
// in place. With padding, xs is copied into the zero-bordered ws.xp.
func (ws *Workspace) channelInput(g *geom, xs []float32) planes {
	if g.pad == 0 {
		return planes{xs, g.w, g.h * g.w}
	}
	padInput(g, xs, ws.xp)
	return planes{ws.xp, g.wpp, g.plane}
}

// blocks splits total into the fewest nearly equal parts of at most size
// maxb and calls f(start, size) for each.
func blocks(total, maxb int, f func(start, size int)) {
	nb := (total + maxb - 1) / maxb
	start := 0
	for b := 0; b < nb; b++ {
		size := (total - start) / (nb - b)
		if (total-start)%(nb-b) != 0 {
			size++
		}
		f(start, size)
		start += size
	}
}

// Kernel families. The spatial kernels vectorise over 8 output columns
// and broadcast weights; the channel kernels vectorise over 8 output maps
// and broadcast inputs. forcePath lets tests pick one.
const (
	pathAuto = iota
	pathSpatial
	pathChannel
	pathInputChan // InputGrad with inputGradChan, the rest automatic
)

var forcePath = pathAuto

// channelBetter reports whether the channel kernels waste fewer vector
// lanes than the spatial ones for cout maps of width wout.
func channelBetter(cout, wout int) bool {
	switch forcePath {
	case pathSpatial:
		return false
	case pathChannel:
		return true
	}
	cop, wo8 := (cout+7)&^7, (wout+7)&^7
	return cout*wo8 > wout*cop
}

// kyRange is the range of kernel rows [ky0, ky1) that meet data rows of
// the padded input for output rows oy … oy+r−1.
func (g *geom) kyRange(oy, r int) (ky0, ky1 int) {
	lo, hi := max(0, g.pad), min(g.hp, g.pad+g.h) // rows of xp holding data
	return max(0, lo-(oy+r-1)), min(g.k, hi-oy)
}

// forward is Forward, and with biases b (else nil) ForwardBiasReLU.
func (ws *Workspace) forward(g *geom, x, wt, b, y []float32) {
	if g.n == 0 {
		return
	}
	xp := grow(&ws.xp, g.cin*g.plane)
	clear(xp)
	channel := useAsm && channelBetter(g.cout, g.wout)
	yb := ws.packForward(g, wt, channel, useAsm)
	inSize, outSize, hw := g.cin*g.h*g.w, g.cout*g.hout*g.wout, g.hout*g.wout
	for s := 0; s < g.n; s++ {
		out := y[s*outSize:][:outSize]
		var fused bool
		if channel {
			fused = ws.forwardChanSample(g, x[s*inSize:], yb, b, out)
		} else {
			fused = ws.forwardSpatialSample(g, x[s*inSize:], yb, b, out)
		}
		if b != nil && !fused {
			for co := range g.cout {
				vec.BiasReLU(out[co*hw:][:hw], b[co])
			}
		}
	}
}

// forwardChanSample computes one sample's output maps out with the channel
// kernels, through the pixel-major buffer yb, and reports whether it also
// applied the biases b (with the 16×16 transposes), when not nil.
func (ws *Workspace) forwardChanSample(g *geom, xs, yb, b, out []float32) (fused bool) {
	cop := (g.cout + 7) &^ 7
	hw := g.hout * g.wout
	ws.forwardChan(g, ws.channelInput(g, xs), yb)
	if trBetter(g) {
		for c0 := 0; c0 < g.cout; c0 += 16 {
			toMapMajor16(&yb[c0], uintptr(cop*4), hw, &out[c0*hw], uintptr(hw*4), biasAt(b, c0))
		}
		return true
	}
	for co := 0; co < g.cout; co++ {
		o := out[co*hw : (co+1)*hw]
		for i := range o {
			o[i] = yb[i*cop+co]
		}
	}
	return false
}

// forwardSpatialSample computes one sample's output maps out with the
// spatial kernels (or the pure-Go ones), and reports whether it also
// applied the biases b (with the 16-column kernels), when not nil.
func (ws *Workspace) forwardSpatialSample(g *geom, xs, yb, b, out []float32) (fused bool) {
	padInput(g, xs, ws.xp)
	switch {
	case useAsm && fwdZBetter(g):
		ws.forwardZ(g, b, out)
		return true
	case useAsm:
		ws.forwardAsm(g, yb, out)
		return false
	}
	forwardGo(g, ws.xp, &ws.plan, yb)
	for r := 0; r < g.cout*g.hout; r++ {
		copy(out[r*g.wout:(r+1)*g.wout], yb[r*g.wo8:])
	}
	return false
}

// biasAt is &b[i], or nil without biases.
func biasAt(b []float32, i int) *float32 {
	if b == nil {
		return nil
	}
	return &b[i]
}

// packForward lays out wt (cout, cin·k·k) for the forward kernels of the
// chosen family, once per call, and returns the output buffer yb they
// write: pixel-major (hout·wout, cop) for the channel kernels, tail strips
// (cout, hout, 8) for the spatial ones, Go rows (cout, hout, wo8) otherwise.
func (ws *Workspace) packForward(g *geom, wt []float32, channel, asm bool) (yb []float32) {
	kk := g.cin * g.k * g.k
	cop := (g.cout + 7) &^ 7
	hw := g.hout * g.wout
	switch {
	case channel:
		// wc[t·cop + co] = wt[co·kk + t], lanes co ≥ cout zero.
		wc := grow(&ws.wp, kk*cop)
		clear(wc)
		for co := 0; co < g.cout; co++ {
			for t, v := range wt[co*kk : (co+1)*kk] {
				wc[t*cop+co] = v
			}
		}
		yb = grow(&ws.yb, hw*cop)
	case asm:
		yb = grow(&ws.yb, g.cout*g.hout*8)
		wp := grow(&ws.wp, g.cout*kk)
		blocks(g.cout, fwdMaxM, func(co0, m int) {
			dst := wp[co0*kk : (co0+m)*kk]
			for mi := 0; mi < m; mi++ {
				src := wt[(co0+mi)*kk:][:kk]
				for t, v := range src {
					dst[t*m+mi] = v
				}
			}
		})
	default:
		cout2 := (g.cout + 1) &^ 1
		yb = grow(&ws.yb, cout2*g.hout*g.wo8)
		ws.plan.plan(g, wt)
	}
	return yb
}

// forwardChan computes yt (hout·wout pixels of cop maps) from in and the
// channel-packed weights ws.wp with the channel kernels, one call per
// block of map vectors, block of columns and run of output rows with the
// same range of kernel rows meeting data: 16-lane vectors one at a time
// when fwcZBetter, else blocks of up to two 8-lane vectors.
func (ws *Workspace) forwardChan(g *geom, in planes, yt []float32) {
	cop := (g.cout + 7) &^ 7
	if fwcZBetter(g) {
		for c0 := 0; c0 < cop; c0 += 16 {
			ws.forwardChanBlock(g, in, yt, c0, 16, fwcZMaxP, true)
		}
		return
	}
	blocks(cop/8, 2, func(cv0, cb int) {
		maxP := fwcMaxP[cb]
		if hasAVX512 {
			maxP = fwcMaxP512[cb]
		}
		ws.forwardChanBlock(g, in, yt, cv0*8, cb*8, maxP, false)
	})
}

// fwcZBetter reports whether forwardChan runs on the 16-lane kernels
// (fwcZKern): with AVX-512 and the output maps in whole 16-lane vectors.
func fwcZBetter(g *geom) bool {
	return hasAVX512 && (g.cout+7)&^7%16 == 0
}

// forwardChanBlock computes map lanes [c0, c0+lanes) of yt in blocks of at
// most maxP pixels of a row, with fwcZKern if z, else fwcKern.
func (ws *Workspace) forwardChanBlock(g *geom, in planes, yt []float32, c0, lanes, maxP int, z bool) {
	wc := ws.wp
	k := g.k
	cop := (g.cout + 7) &^ 7
	blocks(g.wout, maxP, func(ox0, np int) {
		for oy := 0; oy < g.hout; {
			ky0, ky1 := g.kyRange(oy, 1)
			oy1 := oy + 1
			for oy1 < g.hout {
				if a, b := g.kyRange(oy1, 1); a != ky0 || b != ky1 {
					break
				}
				oy1++
			}
			if ky1 <= ky0 {
				for r := oy; r < oy1; r++ {
					for px := ox0; px < ox0+np; px++ {
						clear(yt[(r*g.wout+px)*cop+c0:][:lanes])
					}
				}
				oy = oy1
				continue
			}
			nky := ky1 - ky0
			x, xrs, xps := &in.x[(oy+ky0)*in.rs+ox0], uintptr(in.rs*4), uintptr(in.ps*4)
			w, wtap, wskip := &wc[ky0*k*cop+c0], uintptr(cop*4), uintptr((k-nky)*k*cop*4)
			y, ypix, yrs := &yt[(oy*g.wout+ox0)*cop+c0], uintptr(cop*4), uintptr(g.wout*cop*4)
			if z {
				fwcZKern(np, x, xrs, xps, g.cin, k, nky, w, wtap, wskip, y, ypix, yrs, oy1-oy)
			} else {
				fwcKern(lanes/8, np, x, xrs, xps, g.cin, k, nky, w, wtap, wskip, y, ypix, yrs, oy1-oy)
			}
			oy = oy1
		}
	})
}

// forwardAsm computes the output out of one sample from ws.xp and the
// packed weights ws.wp: full 8-column strips are stored in place, the last
// partial strip of each row with a masked store (AVX-512) or through the
// tail buffer yb (cout, hout, 8). Kernel rows that only meet zero padding
// rows of xp are skipped.
func (ws *Workspace) forwardAsm(g *geom, yb, out []float32) {
	xp, wp := ws.xp, ws.wp
	k, kk := g.k, g.cin*g.k*g.k
	nfull, tail := g.wout/8, g.wout%8
	xrs, xps := uintptr(g.wpp*4), uintptr(g.plane*4)
	yrs, yms := uintptr(g.wout*4), uintptr(g.hout*g.wout*4)
	blocks(g.cout, fwdMaxM, func(co0, m int) {
		rmax, s := fwdPref[m][0], fwdPref[m][1]
		for oy := 0; oy < g.hout; oy += rmax {
			r := min(rmax, g.hout-oy)
			ky0, ky1 := g.kyRange(oy, r)
			if ky1 <= ky0 {
				g.clearRows(out, co0, m, oy, r, nil)
				continue
			}
			nky := ky1 - ky0
			x0 := (oy + ky0) * g.wpp
			w0 := &wp[co0*kk+ky0*k*m]
			wskip := uintptr((k - nky) * k * m * 4)
			y0 := (co0*g.hout + oy) * g.wout
			done := 0
			if n := nfull / s; s > 1 && n > 0 {
				fwdKern(r, m, s, &xp[x0], xrs, xps, g.cin, k, nky, w0, wskip, &out[y0], yrs, yms, n)
				done = n * s
			}
			if done < nfull {
				fwdKern(r, m, 1, &xp[x0+done*8], xrs, xps, g.cin, k, nky, w0, wskip, &out[y0+done*8], yrs, yms, nfull-done)
			}
			switch {
			case tail > 0 && hasAVX512:
				fwdKernMask(r, m, &xp[x0+nfull*8], xrs, xps, g.cin, k, nky, w0, wskip,
					&out[y0+nfull*8], yrs, yms, 1, 1<<tail-1)
			case tail > 0:
				fwdKern(r, m, 1, &xp[x0+nfull*8], xrs, xps, g.cin, k, nky, w0, wskip,
					&yb[(co0*g.hout+oy)*8], 32, uintptr(g.hout*32), 1)
				for mi := 0; mi < m; mi++ {
					for ri := 0; ri < r; ri++ {
						row := (co0+mi)*g.hout + oy + ri
						copy(out[row*g.wout+nfull*8:(row+1)*g.wout], yb[row*8:row*8+tail])
					}
				}
			}
		}
	})
}

// clearRows zeroes rows [oy, oy+r) of output maps [co0, co0+m): rows
// whose taps all meet padding. With biases b (else nil), it applies
// biasReLU to the zeros.
func (g *geom) clearRows(out []float32, co0, m, oy, r int, b []float32) {
	for mi := range m {
		rows := out[((co0+mi)*g.hout+oy)*g.wout:][:r*g.wout]
		clear(rows)
		if b != nil {
			vec.BiasReLU(rows, b[co0+mi])
		}
	}
}

// fwdZBetter reports whether the spatial forward runs on 16-column strips
// (fwdZKern): with AVX-512, when they waste no more lanes than 8-column
// strips (LeNet's C1: 28 columns, 32 lanes either way).
func fwdZBetter(g *geom) bool {
	return hasAVX512 && (g.wout+15)&^15 == (g.wout+7)&^7
}

// forwardZ is forwardAsm on 16-column strips (fwdZKern), in blocks of up
// to fwdZMaxR rows; the last, partial strip of each row is stored with a
// mask, in place. With biases b (else nil), the kernels apply biasReLU.
func (ws *Workspace) forwardZ(g *geom, b, out []float32) {
	xp, wp := ws.xp, ws.wp
	k, kk := g.k, g.cin*g.k*g.k
	nfull, tail := g.wout/16, g.wout%16
	xrs, xps := uintptr(g.wpp*4), uintptr(g.plane*4)
	yrs, yms := uintptr(g.wout*4), uintptr(g.hout*g.wout*4)
	blocks(g.cout, fwdMaxM, func(co0, m int) {
		for oy := 0; oy < g.hout; oy += fwdZMaxR {
			r := min(fwdZMaxR, g.hout-oy)
			ky0, ky1 := g.kyRange(oy, r)
			if ky1 <= ky0 {
				g.clearRows(out, co0, m, oy, r, b)
				continue
			}
			nky := ky1 - ky0
			x0, y0 := (oy+ky0)*g.wpp, (co0*g.hout+oy)*g.wout
			w0, wskip := &wp[co0*kk+ky0*k*m], uintptr((k-nky)*k*m*4)
			if nfull > 0 {
				fwdZKern(r, m, &xp[x0], xrs, xps, g.cin, k, nky, w0, wskip, &out[y0], yrs, yms, nfull, biasAt(b, co0))
			}
			if tail > 0 {
				fwdZKernMask(r, m, &xp[x0+nfull*16], xrs, xps, g.cin, k, nky, w0, wskip, &out[y0+nfull*16], yrs, yms, 1,
					biasAt(b, co0), 1<<tail-1)
			}
		}
	})
}

// filterGradAsm is the filter gradient with the spatial kernels. Full
// 8-column strips of dy are read in place; the last partial strip of each
// row with a zero-masked load (AVX-512) or from a zero-padded copy in dyp
// (cout, hout, 8). Lane accumulators
// ws.g (cout, cin, k, k, 8) are reduced into dw at the end.
func (ws *Workspace) filterGradAsm(g *geom, x, dy, dw []float32) {
	xp := grow(&ws.xp, g.cin*g.plane)
	clear(xp)
	nfull, tail := g.wout/8, g.wout%8
	dyp := grow(&ws.dyp, g.cout*g.hout*8)
	clear(dyp)
	kk := g.k * g.k
	acc := grow(&ws.g, g.cout*g.cin*kk*8)
	clear(acc)
	inSize, outSize := g.cin*g.h*g.w, g.cout*g.hout*g.wout
	for s := 0; s < g.n; s++ {
		padInput(g, x[s*inSize:], xp)
		dys := dy[s*outSize:][:outSize]
		if tail > 0 && !hasAVX512 {
			for r := 0; r < g.cout*g.hout; r++ {
				copy(dyp[r*8:r*8+tail], dys[r*g.wout+nfull*8:(r+1)*g.wout])
			}
		}
		blocks(g.k, fgMaxKB, func(kx0, kb int) {
			blocks(g.cout, fgMaxM[kb], func(co0, m int) {
				for ci := 0; ci < g.cin; ci++ {
					ga := &acc[((co0*g.cin+ci)*kk+kx0)*8]
					if nfull > 0 {
						fgKern(m, kb, &xp[ci*g.plane+kx0], uintptr(g.wpp*4),
							&dys[co0*g.hout*g.wout], uintptr(g.wout*4), uintptr(g.hout*g.wout*4),
							g.hout, nfull, g.k, ga, uintptr(g.cin*kk*8*4))
					}
					if tail > 0 && hasAVX512 {
						fgKernMask(m, kb, &xp[ci*g.plane+kx0+nfull*8], uintptr(g.wpp*4),
							&dys[co0*g.hout*g.wout+nfull*8], uintptr(g.wout*4), uintptr(g.hout*g.wout*4),
							g.hout, 1, g.k, ga, uintptr(g.cin*kk*8*4), 1<<tail-1)
					} else if tail > 0 {
						fgKern(m, kb, &xp[ci*g.plane+kx0+nfull*8], uintptr(g.wpp*4),
							&dyp[co0*g.hout*8], 32, uintptr(g.hout*32),
							g.hout, 1, g.k, ga, uintptr(g.cin*kk*8*4))
					}
				}
			})
		})
	}
	dw = dw[:g.cout*g.cin*kk]
	for i := range dw {
		a := acc[i*8:][:8]
		dw[i] += ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
	}
}

// fgZBetter reports whether the spatial filter gradient runs on 16-column
// strips (fgZKern): with AVX-512, when they waste no more lanes than
// 8-column strips (LeNet's C1: 28 columns, 32 lanes either way). Their
// accumulators for twice the columns take the taps of up to 5 maps at
// once (fgZMaxM) for each input vector loaded, where fgKern's take 2.
func fgZBetter(g *geom) bool {
	return hasAVX512 && (g.wout+15)&^15 == (g.wout+7)&^7
}

// filterGradZ is filterGradAsm on 16-column strips (fgZKern): the last,
// partial strip of each row is read with zero-masked loads, and the lane
// accumulators ws.g (cout, cin, k, k, 16) are reduced into dw at the end.
func (ws *Workspace) filterGradZ(g *geom, x, dy, dw []float32) {
	xp := grow(&ws.xp, g.cin*g.plane)
	clear(xp)
	nfull, tail := g.wout/16, g.wout%16
	kk := g.k * g.k
	acc := grow(&ws.g, g.cout*g.cin*kk*16)
	clear(acc)
	inSize, outSize, hw := g.cin*g.h*g.w, g.cout*g.hout*g.wout, g.hout*g.wout
	xrs, dyrs, dyms, gms := uintptr(g.wpp*4), uintptr(g.wout*4), uintptr(hw*4), uintptr(g.cin*kk*16*4)
	for s := 0; s < g.n; s++ {
		padInput(g, x[s*inSize:], xp)
		dys := dy[s*outSize:][:outSize]
		blocks(g.k, fgMaxKB, func(kx0, kb int) {
			blocks(g.cout, fgZMaxM[kb], func(co0, m int) {
				for ci := 0; ci < g.cin; ci++ {
					ga, xs := &acc[((co0*g.cin+ci)*kk+kx0)*16], ci*g.plane+kx0
					if nfull > 0 {
						fgZKern(m, kb, &xp[xs], xrs, &dys[co0*hw], dyrs, dyms, g.hout, nfull, g.k, ga, gms)
					}
					if tail > 0 {
						fgZKernMask(m, kb, &xp[xs+nfull*16], xrs, &dys[co0*hw+nfull*16], dyrs, dyms,
							g.hout, 1, g.k, ga, gms, 1<<tail-1)
					}
				}
			})
		})
	}
	dw = dw[:g.cout*g.cin*kk]
	for i := range dw {
		a := acc[i*16:][:16]
		dw[i] += (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))) +
			(((a[8] + a[9]) + (a[10] + a[11])) + ((a[12] + a[13]) + (a[14] + a[15])))
	}
}

// filterGradChan is the filter gradient with the channel kernels: dy is
// transposed per sample to pixel-major dyt (hout·wout, cop) and lane
// accumulators gc (cin, k, k, cop) are transposed into dw at the end.
func (ws *Workspace) filterGradChan(g *geom, x, dy, dw []float32) {
	dyt := ws.fgcStart(g)
	inSize, outSize := g.cin*g.h*g.w, g.cout*g.hout*g.wout
	for s := 0; s < g.n; s++ {
		transposeDy(g, dy[s*outSize:][:outSize], dyt)
		ws.fgcSample(g, x[s*inSize:], dyt)
	}
	ws.fgcFinish(g, dw)
}

// trBetter reports whether pixel-major buffers of g's output maps are
// transposed in 16×16 blocks (toPixelMajor16, toMapMajor16): with AVX-512
// and the maps in whole 16-lane vectors.
func trBetter(g *geom) bool {
	return useAsm && hasAVX512 && g.cout%16 == 0
}

// fgcStart clears the padded input and the lane accumulators of
// filterGradChan and returns dyt (hout·wout, cop), zero.
func (ws *Workspace) fgcStart(g *geom) (dyt []float32) {
	clear(grow(&ws.xp, g.cin*g.plane))
	cop := (g.cout + 7) &^ 7
	clear(grow(&ws.g, g.cin*g.k*g.k*cop))
	dyt = grow(&ws.dyp, g.hout*g.wout*cop)
	clear(dyt)
	return dyt
}

// transposeDy writes the dy of one sample, dys (cout, hout, wout), into
// the pixel-major dyt (hout·wout, cop); lanes cout…cop−1 are left alone.
func transposeDy(g *geom, dys, dyt []float32) {
	hw, cop := g.hout*g.wout, (g.cout+7)&^7
	if trBetter(g) {
		for c0 := 0; c0 < g.cout; c0 += 16 {
			toPixelMajor16(&dys[c0*hw], uintptr(hw*4), hw, &dyt[c0], uintptr(cop*4))
		}
		return
	}
	for co := 0; co < g.cout; co++ {
		for i, v := range dys[co*hw : (co+1)*hw] {
			dyt[i*cop+co] = v
		}
	}
}

// fgcSample adds one sample's filter gradient, from its input xs and its
// transposed dy, to the lane accumulators.
func (ws *Workspace) fgcSample(g *geom, xs, dyt []float32) {
	gc := ws.g
	k, kk := g.k, g.k*g.k
	cop := (g.cout + 7) &^ 7
	in := ws.channelInput(g, xs)
	if fgcZBetter(g) {
		for ci := 0; ci < g.cin; ci++ {
			for c0 := 0; c0 < cop; c0 += 16 {
				fgcZKern(k, &in.x[ci*in.ps], uintptr(in.rs*4), &dyt[c0], uintptr(cop*4), g.hout, g.wout,
					&gc[ci*kk*cop+c0], uintptr(cop*4))
			}
		}
		return
	}
	blocks(k, fgMaxKB, func(kx0, kb int) {
		blocks(cop/8, fgcMaxCB[kb], func(cv0, cb int) {
			for ci := 0; ci < g.cin; ci++ {
				fgcKern(cb, kb, &in.x[ci*in.ps+kx0], uintptr(in.rs*4),
					&dyt[cv0*8], uintptr(cop*4), g.hout, g.wout, k,
					&gc[(ci*kk+kx0)*cop+cv0*8], uintptr(k*cop*4))
			}
		})
	})
}

// fgcZBetter reports whether fgcSample runs on the 16-lane kernels
// (fgcZKern): with AVX-512, dy maps in whole 16-lane vectors and at most
// fgcZMaxK×fgcZMaxK taps, which then all stay in registers for a whole
// pass over dy, instead of one kernel row's taps per pass.
func fgcZBetter(g *geom) bool {
	return hasAVX512 && (g.cout+7)&^7%16 == 0 && g.k <= fgcZMaxK
}

// fgcFinish adds the lane accumulators into dw.
func (ws *Workspace) fgcFinish(g *geom, dw []float32) {
	kk := g.k * g.k
	cop := (g.cout + 7) &^ 7
	gc := ws.g
	for co := 0; co < g.cout; co++ {
		for ci := 0; ci < g.cin; ci++ {
			d := dw[(co*g.cin+ci)*kk:][:kk]
			for t := range d {
				d[t] += gc[(ci*kk+t)*cop+co]
			}
		}
	}
}

// Package-level entry points take a Workspace from a small fixed pool,
// claimed with an atomic flag, and fall back to a fresh one when all are
// busy.

const nSlots = 8

type slot struct {
	busy atomic.Uint32
	_    [60]byte
	ws   Workspace
}

var slots [nSlots]slot

func acquire() (*Workspace, *slot) {
	for i := range slots {
		if slots[i].busy.CompareAndSwap(0, 1) {
			return &slots[i].ws, &slots[i]
		}
	}
	return new(Workspace), nil
}

func release(s *slot) {
	if s != nil {
		s.busy.Store(0)
	}
}

// Forward is Workspace.Forward with a workspace from an internal pool.
func Forward(x []float32, n, cin, h, w int, wt []float32, cout, k, pad int, y []float32) {
	ws, s := acquire()
	defer release(s)
	ws.Forward(x, n, cin, h, w, wt, cout, k, pad, y)
}

// FilterGrad is Workspace.FilterGrad with a workspace from an internal pool.
func FilterGrad(x []float32, n, cin, h, w int, dy []float32, cout, k, pad int, dw []float32) {
	ws, s := acquire()
	defer release(s)
	ws.FilterGrad(x, n, cin, h, w, dy, cout, k, pad, dw)
}

// InputGrad is Workspace.InputGrad with a workspace from an internal pool.
func InputGrad(dy []float32, n, cout int, wt []float32, cin, h, w, k, pad int, dx []float32) {
	ws, s := acquire()
	defer release(s)
	ws.InputGrad(dy, n, cout, wt, cin, h, w, k, pad, dx)
}
