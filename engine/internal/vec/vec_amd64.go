//go:build !noasm && !gccgo && !safe

package vec

import "golang.org/x/sys/cpu"

// useAsm selects the AVX2 passes; tests switch it off to compare.
var useAsm = cpu.X86.HasAVX2

// useAVX512 selects, with useAsm, the AVX-512F pooling passes (16 outputs
// at a time where the AVX2 ones take 8); tests switch it off to compare.
var useAVX512 = cpu.X86.HasAVX512F

// The AVX2 passes, for len ≥ 8 (the remainder below 8 is done one value
// at a time with the same operations).

//go:noescape
func biasReLUAVX2(y []float32, b float32)

//go:noescape
func biasAddAVX2(y []float32, b float32)

//go:noescape
func scaleAVX2(y []float32, f float32)

//go:noescape
func reluGradSumAVX2(dx, dy, y []float32) float32

//go:noescape
func sumAVX2(x []float32) float32

// maxPool2AVX2 is MaxPool2 for w/2 ≥ 4 and oh ≥ 1.
//
//go:noescape
func maxPool2AVX2(x *float32, w, oh int, y *float32, arg *int32, base int32)

// adamAVX2 is Adam with c1 = 1−b1 and c2 = 1−b2.
//
//go:noescape
func adamAVX2(w, g, m, v []float32, b1, c1, b2, c2, step, eps float32)

// maxPool2AVX512 is MaxPool2 for w/2 ≥ 1 and oh ≥ 1, with masks from
// poolMasks(w/2).
//
//go:noescape
func maxPool2AVX512(x *float32, w, oh int, y *float32, arg *int32, base int32, masks uint64)

// maxUnpool2AVX512 is MaxUnpool2 for w/2 ≥ 1 and oh ≥ 1, with masks from
// poolMasks(w/2).
//
//go:noescape
func maxUnpool2AVX512(dy *float32, arg *int32, base int32, w, oh int, dx *float32, masks uint64)

// maxUnpool2AVX2 is MaxUnpool2 for w/2 ≥ 4 and oh ≥ 1.
//
//go:noescape
func maxUnpool2AVX2(dy *float32, arg *int32, base int32, w, oh int, dx *float32)

// sumPool2AVX2 is SumPool2 for w/2 ≥ 4 and oh ≥ 1.
//
//go:noescape
func sumPool2AVX2(x *float32, w, oh int, sum *float32)

// spread2AVX2 is Spread2 for w/2 ≥ 4 and oh ≥ 1.
//
//go:noescape
func spread2AVX2(dy *float32, scale float32, w, oh int, dx *float32)

// sumSquaresAVX2 is SumSquares for len ≥ 16.
//
//go:noescape
func sumSquaresAVX2(x []float32) float64

// orBitsAVX2 is OrBits for len(dst) = len(x), a multiple of 8.
//
//go:noescape
func orBitsAVX2(dst []uint32, x []float32)
