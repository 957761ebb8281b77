//go:build !noasm && !gccgo && !safe

package dconv

import "golang.org/x/sys/cpu"

//go:generate go run gen_kernel.go

// useAsm selects the AVX2+FMA kernels; tests switch it off to exercise the
// pure-Go path.
var useAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// hasAVX512 selects the K-masked kernels for the last partial 8-column
// strip of each row; without it the strip goes through a scratch buffer.
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
