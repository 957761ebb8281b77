package dconv

import "testing"

// TestTransposes checks toPixelMajor16 and toMapMajor16 against the plain
// loops for every length of the last partial block, with row strides
// wider than the rows, and that they write nothing outside their rows.
func TestTransposes(t *testing.T) {
	if !useAsm || !hasAVX512 {
		t.Skip("no AVX-512F on this CPU or no assembly in this build")
	}
	const sentinel = -7
	for n := 1; n <= 50; n++ {
		mapStride, pixStride := n+3, 16+5 // in floats, past the rows
		maps := make([]float32, 16*mapStride)
		pix := make([]float32, n*pixStride)
		for i := range maps {
			maps[i] = float32(i + 1)
		}
		for i := range pix {
			pix[i] = sentinel
		}
		toPixelMajor16(&maps[0], uintptr(mapStride*4), n, &pix[0], uintptr(pixStride*4))
		for j := range n {
			for c := range pixStride {
				want := float32(sentinel)
				if c < 16 {
					want = maps[c*mapStride+j]
				}
				if got := pix[j*pixStride+c]; got != want {
					t.Fatalf("toPixelMajor16 n=%d: pixel %d lane %d = %v, want %v", n, j, c, got, want)
				}
			}
		}
		back := make([]float32, len(maps))
		for i := range back {
			back[i] = sentinel
		}
		toMapMajor16(&pix[0], uintptr(pixStride*4), n, &back[0], uintptr(mapStride*4), nil)
		for c := range 16 {
			for j := range mapStride {
				want := float32(sentinel)
				if j < n {
					want = maps[c*mapStride+j]
				}
				if got := back[c*mapStride+j]; got != want {
					t.Fatalf("toMapMajor16 n=%d: map %d pixel %d = %v, want %v", n, c, j, got, want)
				}
			}
		}
	}
}
