package vec

import "math"

// Adam does one Adam update of w from the gradient g with moments m and
// v, all of len(w) (the bias corrections folded into step and eps):
//
//	m ← b1·m + (1−b1)·g;  v ← b2·v + ((1−b2)·g)·g;  w ← w − (step·m)/(√v + eps)
//
// in float32, each operation rounded as written (no fused multiply-add),
// so the assembly and Go give the same bits.
//
// Subnormal numbers (below 2⁻¹²⁶, about 1.2e-38) count as zero, in and
// out of every operation: the assembly runs with the CPU's flush-to-zero
// and denormals-are-zero modes on, and the Go loop flushes by hand. A
// moment decaying under a zero gradient, or a tiny gradient squared,
// otherwise goes subnormal, and each operation on one takes a microcode
// assist of a hundred cycles or more: in the default run a tenth of the
// step's CPU time went to Adam, most of it on such values.
func Adam(w, g, m, v []float32, b1, b2, step, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	if useAsm && len(w) >= 8 {
		adamAVX2(w, g, m, v, b1, 1-b1, b2, 1-b2, step, eps)
		return
	}
	adamGo(w, g, m, v, b1, b2, step, eps)
}

func adamGo(w, g, m, v []float32, b1, b2, step, eps float32) {
	b1, b2, step, eps = flush(b1), flush(b2), flush(step), flush(eps)
	c1, c2 := flush(1-b1), flush(1-b2)
	for i := range w {
		gi := flush(g[i])
		mi := flush(flush(b1*flush(m[i])) + flush(c1*gi))
		vi := flush(flush(b2*flush(v[i])) + flush(flush(c2*gi)*gi))
		m[i], v[i] = mi, vi
		d := flush(flush(float32(math.Sqrt(float64(vi)))) + eps)
		w[i] = flush(flush(w[i]) - flush(flush(step*mi)/d))
	}
}

// flush is x, or a zero of x's sign if x is subnormal.
func flush(x float32) float32 {
	const signBit, minNormal = 1 << 31, 0x00800000 // the bits of 2⁻¹²⁶
	if b := math.Float32bits(x); b&^signBit < minNormal {
		return math.Float32frombits(b & signBit)
	}
	return x
}
