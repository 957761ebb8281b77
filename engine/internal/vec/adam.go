package vec

import "math"

// Adam does one Adam update of w from the gradient g with moments m and
// v, all of len(w) (the bias corrections folded into step and eps):
//
//	m ← b1·m + (1−b1)·g;  v ← b2·v + ((1−b2)·g)·g;  w ← w − (step·m)/(√v + eps)
//
// in float32, each operation rounded as written (no fused multiply-add),
// so the assembly and Go give the same bits.
func Adam(w, g, m, v []float32, b1, b2, step, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	if useAsm && len(w) >= 8 {
		adamAVX2(w, g, m, v, b1, 1-b1, b2, 1-b2, step, eps)
		return
	}
	adamGo(w, g, m, v, b1, b2, step, eps)
}

func adamGo(w, g, m, v []float32, b1, b2, step, eps float32) {
	c1, c2 := 1-b1, 1-b2
	for i := range w {
		gi := g[i]
		m[i] = float32(b1*m[i]) + float32(c1*gi)
		v[i] = float32(b2*v[i]) + float32(float32(c2*gi)*gi)
		w[i] -= float32(step*m[i]) / (float32(math.Sqrt(float64(v[i]))) + eps)
	}
}
