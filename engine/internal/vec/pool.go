package vec

import "math"

// MaxPool2 takes the maximum of each 2×2 window of one map x (2·oh rows of
// w values, w even) into y (oh rows of w/2) and records in arg the index of
// the winner, base plus its offset in x. Ties go to the earlier value of a
// row pair and then to the upper row; a NaN loses to what it is compared
// with after it (the comparisons are v > u, which NaN fails).
func MaxPool2(x []float32, w, oh int, y []float32, arg []int32, base int32) {
	ow := w / 2
	x, y, arg = x[:2*oh*w], y[:oh*ow], arg[:oh*ow]
	switch {
	case useAsm && useAVX512 && ow >= 1 && oh > 0:
		maxPool2AVX512(&x[0], w, oh, &y[0], &arg[0], base, poolMasks(ow))
		return
	case useAsm && ow >= 4 && oh > 0:
		maxPool2AVX2(&x[0], w, oh, &y[0], &arg[0], base)
		return
	}
	maxPool2Go(x, w, oh, y, arg, base)
}

func maxPool2Go(x []float32, w, oh int, y []float32, arg []int32, base int32) {
	ow := w / 2
	for oy := range oh {
		r0, r1 := x[2*oy*w:(2*oy+1)*w], x[(2*oy+1)*w:(2*oy+2)*w]
		yr, ar := y[oy*ow:(oy+1)*ow], arg[oy*ow:(oy+1)*ow]
		top := base + int32(2*oy*w)
		for ox := range yr {
			// Two pairwise maxima, then theirs: selects, not branches.
			a, ia := max2(r0[2*ox], r0[2*ox+1], top+int32(2*ox))
			b, ib := max2(r1[2*ox], r1[2*ox+1], top+int32(w+2*ox))
			m, k := max2(a, b, 0)
			yr[ox], ar[ox] = m, ia+(ib-ia)*k
		}
	}
}

// max2 returns the larger of u and v and its index, i for u or i+1 for v.
// It selects with bit masks rather than a branch, which would be
// mispredicted half the time.
func max2(u, v float32, i int32) (float32, int32) {
	var k uint32
	if v > u {
		k = 1
	}
	ub, vb := math.Float32bits(u), math.Float32bits(v)
	return math.Float32frombits(ub ^ (ub^vb)&-k), i + int32(k)
}

// MaxUnpool2 is the backward pass of MaxPool2 for one map: it sets every
// value of dx (2·oh rows of w) to 0 except each window's winner, named by
// arg (with the same base as MaxPool2), which gets 0 + dy of its window.
// Every arg must name a value of its own window, as MaxPool2's do.
func MaxUnpool2(dy []float32, arg []int32, base int32, w, oh int, dx []float32) {
	ow := w / 2
	dy, arg, dx = dy[:oh*ow], arg[:oh*ow], dx[:2*oh*w]
	switch {
	case useAsm && useAVX512 && ow >= 1 && oh > 0:
		maxUnpool2AVX512(&dy[0], &arg[0], base, w, oh, &dx[0], poolMasks(ow))
		return
	case useAsm && ow >= 4 && oh > 0:
		maxUnpool2AVX2(&dy[0], &arg[0], base, w, oh, &dx[0])
		return
	}
	maxUnpool2Go(dy, arg, base, w, oh, dx)
}

// poolMasks packs the K masks of the AVX-512 pooling passes for rows of
// ow outputs, whose last group holds t = ow mod 16 of them: t outputs in
// bits 0–15, and of their 2t inputs a row the first 16 in bits 16–31 and
// the rest in bits 32–47.
func poolMasks(ow int) uint64 {
	t := ow % 16
	in0, in1 := min(2*t, 16), max(2*t-16, 0)
	return uint64(1<<t-1) | uint64(1<<in0-1)<<16 | uint64(1<<in1-1)<<32
}

func maxUnpool2Go(dy []float32, arg []int32, base int32, w, oh int, dx []float32) {
	ow := w / 2
	for oy := range oh {
		r0, r1 := dx[2*oy*w:(2*oy+1)*w], dx[(2*oy+1)*w:(2*oy+2)*w]
		top := base + int32(2*oy*w)
		for ox, g := range dy[oy*ow : (oy+1)*ow] {
			k := arg[oy*ow+ox] - top - int32(2*ox)
			r0[2*ox], r0[2*ox+1], r1[2*ox], r1[2*ox+1] = 0, 0, 0, 0
			switch k {
			case 0:
				r0[2*ox] += g
			case 1:
				r0[2*ox+1] += g
			case int32(w):
				r1[2*ox] += g
			default:
				r1[2*ox+1] += g
			}
		}
	}
}

// SumPool2 sets each value of sum (oh rows of w/2) to the sum of its 2×2
// window of x (2·oh rows of w, w even), added as ((a+b)+c)+d in reading
// order.
func SumPool2(x []float32, w, oh int, sum []float32) {
	ow := w / 2
	x, sum = x[:2*oh*w], sum[:oh*ow]
	if useAsm && ow >= 4 && oh > 0 {
		sumPool2AVX2(&x[0], w, oh, &sum[0])
		return
	}
	sumPool2Go(x, w, oh, sum)
}

func sumPool2Go(x []float32, w, oh int, sum []float32) {
	ow := w / 2
	for oy := range oh {
		r0, r1 := x[2*oy*w:(2*oy+1)*w], x[(2*oy+1)*w:(2*oy+2)*w]
		out := sum[oy*ow : (oy+1)*ow]
		for ox := range out {
			out[ox] = r0[2*ox] + r0[2*ox+1] + r1[2*ox] + r1[2*ox+1]
		}
	}
}

// Spread2 sets all four values of each 2×2 window of dx (2·oh rows of w,
// w even) to scale times dy of the window (oh rows of w/2).
func Spread2(dy []float32, scale float32, w, oh int, dx []float32) {
	ow := w / 2
	dy, dx = dy[:oh*ow], dx[:2*oh*w]
	if useAsm && ow >= 4 && oh > 0 {
		spread2AVX2(&dy[0], scale, w, oh, &dx[0])
		return
	}
	spread2Go(dy, scale, w, oh, dx)
}

func spread2Go(dy []float32, scale float32, w, oh int, dx []float32) {
	ow := w / 2
	for oy := range oh {
		r0, r1 := dx[2*oy*w:(2*oy+1)*w], dx[(2*oy+1)*w:(2*oy+2)*w]
		for ox, g := range dy[oy*ow : (oy+1)*ow] {
			g *= scale
			r0[2*ox], r0[2*ox+1], r1[2*ox], r1[2*ox+1] = g, g, g, g
		}
	}
}
