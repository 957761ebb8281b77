package vec

import "math"

// The passes behind the gradient-flow meter, which reads every activation
// and every input gradient of a measured batch: in scalar Go they cost
// about as much as the batch's own training.

// SumSquares returns Σ x², summed in float64.
func SumSquares(x []float32) float64 {
	if useAsm && len(x) >= 16 {
		return sumSquaresAVX2(x)
	}
	return sumSquaresGo(x)
}

// sumSquaresGo sums on four float64s so that no addition waits for the
// one before.
func sumSquaresGo(x []float32) float64 {
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(x); k += 4 {
		d := x[k : k+4 : k+4]
		s0 += float64(d[0]) * float64(d[0])
		s1 += float64(d[1]) * float64(d[1])
		s2 += float64(d[2]) * float64(d[2])
		s3 += float64(d[3]) * float64(d[3])
	}
	for _, v := range x[k:] {
		s0 += float64(v) * float64(v)
	}
	return (s0 + s1) + (s2 + s3)
}

// OrBits ORs the bits of each x[i] that is not NaN into dst[i]; len(dst)
// must be ≥ len(x). ORed over a batch, a unit's bits are 0 (or just the
// sign) exactly when it output ±0 or NaN on every image: a net gone NaN
// counts as dead, not alive.
func OrBits(dst []uint32, x []float32) {
	dst = dst[:len(x)]
	if n := len(x) &^ 7; useAsm && n > 0 {
		orBitsAVX2(dst[:n], x[:n])
		dst, x = dst[n:], x[n:]
	}
	orBitsGo(dst, x)
}

func orBitsGo(dst []uint32, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v == v { // not NaN; NaN is rare, so the branch is predicted
			dst[i] |= math.Float32bits(v)
		}
	}
}
