//go:build !noasm && !gccgo && !safe

package gemm

import "golang.org/x/sys/cpu"

//go:generate go run gen_kernel.go

// useAsm selects the blocked assembly path; tests switch it off to compare
// against sgemmGo.
var useAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kern6x16AVX2 computes the 6×16 tile
//
//	for r := 0; r < 6; r++ {
//		for j := 0; j < 16; j++ {
//			var s float32
//			for p := 0; p < kc; p++ {
//				s += A[r*rsA + p*csA] * B[p*rsB + j]
//			}
//			C[r*ldc+j] = s + beta*C[r*ldc+j] // C not read when beta == 0
//		}
//	}
//
// with all strides in bytes and kc >= 1.
//
//go:noescape
func kern6x16AVX2(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32)

// kern6x16AVX2Mask is kern6x16AVX2 with C read and written only in the
// columns j where mask[j] is -1 (the others are 0), so a partial tile can be
// stored in place.
//
//go:noescape
func kern6x16AVX2Mask(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask *int32)

// kern6x8AVX2Mask is kern6x16AVX2Mask for the first 8 columns only.
//
//go:noescape
func kern6x8AVX2Mask(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask *int32)

// hasAVX512 selects the K-masked edge kernels, whose masked stores are much
// cheaper than VMASKMOVPS on some CPUs (AMD).
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL

// kern6x16AVX512Mask is kern6x16AVX2Mask with the column mask as bits:
// column j is read and written iff mask&(1<<j) != 0. Needs AVX-512VL.
//
//go:noescape
func kern6x16AVX512Mask(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask uint32)

// kern6x8AVX512Mask is kern6x16AVX512Mask for the first 8 columns only.
//
//go:noescape
func kern6x8AVX512Mask(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask uint32)

// kern6x16AVX512 is kern6x16AVX2 on 16-lane vectors (AVX-512F), with the
// same results to the bit.
//
//go:noescape
func kern6x16AVX512(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32)

// kern12x16AVX512 is kern6x16AVX512 for 12 rows: rows 0…5 of A at a, rows
// 6…11 at a2 (same strides), rows 0…11 of C at c.
//
//go:noescape
func kern12x16AVX512(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, a2 *float32)

// packBT16AVX2 packs 16 rows of 8·n8 consecutive floats, row j starting at
// src + j·ldb bytes, transposed: dst[p*16+j] = row j[p].
//
//go:noescape
func packBT16AVX2(n8 int, src *float32, ldb uintptr, dst *float32)

// dot8AVX2 sets out[r] = Σ_{p < 8·n8} a[r·lda + p]·x[p] for r < 8, with
// lda in bytes and n8 >= 1.
//
//go:noescape
func dot8AVX2(n8 int, a *float32, lda uintptr, x *float32, out *[8]float32)

// fmaPeakAVX2 runs n steps of twelve independent 8-lane FMAs on registers
// and nothing else: BenchmarkFMAPeak's measure of one core's peak, against
// which the kernels' GFLOP/s are read.
//
//go:noescape
func fmaPeakAVX2(n int)

// fmaPeakAVX512 is fmaPeakAVX2 on 16-lane vectors; it needs AVX-512F.
//
//go:noescape
func fmaPeakAVX512(n int)
