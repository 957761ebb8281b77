//go:build !amd64 || noasm || gccgo || safe

package vec

// useAsm and useAVX512 are false: there are no assembly passes in this
// build.
var useAsm, useAVX512 = false, false

func biasReLUAVX2(y []float32, b float32)         { panic("vec: no assembly") }
func biasAddAVX2(y []float32, b float32)          { panic("vec: no assembly") }
func scaleAVX2(y []float32, f float32)            { panic("vec: no assembly") }
func reluGradSumAVX2(dx, dy, y []float32) float32 { panic("vec: no assembly") }
func sumAVX2(x []float32) float32                 { panic("vec: no assembly") }

func maxPool2AVX2(x *float32, w, oh int, y *float32, arg *int32, base int32) {
	panic("vec: no assembly")
}

func maxPool2AVX512(x *float32, w, oh int, y *float32, arg *int32, base int32, masks uint64) {
	panic("vec: no assembly")
}

func maxUnpool2AVX512(dy *float32, arg *int32, base int32, w, oh int, dx *float32, masks uint64) {
	panic("vec: no assembly")
}

func adamAVX2(w, g, m, v []float32, b1, c1, b2, c2, step, eps float32) { panic("vec: no assembly") }

func maxUnpool2AVX2(dy *float32, arg *int32, base int32, w, oh int, dx *float32) {
	panic("vec: no assembly")
}

func sumPool2AVX2(x *float32, w, oh int, sum *float32) { panic("vec: no assembly") }

func spread2AVX2(dy *float32, scale float32, w, oh int, dx *float32) { panic("vec: no assembly") }

func sumSquaresAVX2(x []float32) float64   { panic("vec: no assembly") }
func orBitsAVX2(dst []uint32, x []float32) { panic("vec: no assembly") }
