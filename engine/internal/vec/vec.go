package vec

import "math"

// BiasReLU sets y[i] = max(y[i]+b, 0) in place, with +0 (never −0) for
// the non-positive values and NaN kept.
func BiasReLU(y []float32, b float32) {
	if useAsm && len(y) >= 8 {
		biasReLUAVX2(y, b)
		return
	}
	biasReLUGo(y, b)
}

func biasReLUGo(y []float32, b float32) {
	for i, v := range y {
		y[i] = max(v+b, 0)
	}
}

// Scale sets y[i] *= f.
func Scale(y []float32, f float32) {
	if useAsm && len(y) >= 8 {
		scaleAVX2(y, f)
		return
	}
	scaleGo(y, f)
}

func scaleGo(y []float32, f float32) {
	for i := range y {
		y[i] *= f
	}
}

// BiasAdd sets y[i] += b.
func BiasAdd(y []float32, b float32) {
	if useAsm && len(y) >= 8 {
		biasAddAVX2(y, b)
		return
	}
	biasAddGo(y, b)
}

func biasAddGo(y []float32, b float32) {
	for i := range y {
		y[i] += b
	}
}

// ReLUGradSum sets dx[i] = dy[i] where y[i], a ReLU output (+0 or
// positive, or NaN), is not +0, and dx[i] = 0 where it is, and returns the
// sum of dx. dy and y must be at least as long as dx; dx may be dy.
func ReLUGradSum(dx, dy, y []float32) float32 {
	dy, y = dy[:len(dx)], y[:len(dx)]
	if useAsm && len(dx) >= 8 {
		return reluGradSumAVX2(dx, dy, y)
	}
	return reluGradSumGo(dx, dy, y)
}

func reluGradSumGo(dx, dy, y []float32) float32 {
	var s float32
	for i, v := range y {
		// A mask instead of a branch: the signs of a layer's inputs are a
		// coin toss that no branch predictor guesses.
		b := math.Float32bits(v)
		mask := -((b | -b) >> 31)
		g := math.Float32frombits(math.Float32bits(dy[i]) & mask)
		dx[i] = g
		s += g
	}
	return s
}

// Sum returns the sum of x.
func Sum(x []float32) float32 {
	if useAsm && len(x) >= 8 {
		return sumAVX2(x)
	}
	return sumGo(x)
}

func sumGo(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v
	}
	return s
}
