// Package gemm computes single-precision general matrix products,
// C = op(A)·op(B) + β·C, for row-major float32 matrices.
//
// The algorithm in plain loops: engine/internal/naive (DenseForward, a
// dense layer's product), the oracle of this package's tests.
//
// Sgemm is the only entry point. On amd64 with AVX2 and FMA it runs a
// GotoBLAS/BLIS-style blocked algorithm: the k dimension is cut into
// blocks of kcMax, the m dimension into blocks of mcMax whose A panel is
// optionally packed into contiguous mr-row micro-panels, op(B) is walked in
// nr-column micro-panels (used in place when contiguous, packed otherwise),
// and a Go-assembly micro-kernel computes each mr×nr tile of C in
// registers. Partial tiles at the m and n edges are computed from
// zero-padded copies into a small tile buffer and written back in Go.
// Everywhere else, and for problems too small to amortise the blocking,
// the pure-Go sgemmGo is used; the build tag noasm forces it. It is blocked
// too: op(A) and op(B)ᵀ as rows along k (packed, transposed, when not
// already laid out so), 3×2 tiles of dot products (gemm_go.go), and plain
// loops below goMinWork.
//
// # Invariants
//
// Input arguments a and b are never modified. C is written only inside its
// m×n window: elements between a row's n-th column and ldc are untouched.
// With β = 0 the old contents of C are never read, so NaN or Inf there do
// not propagate. Sgemm allocates nothing on the heap: pack buffers come from
// a fixed set of package-level workspaces claimed with an atomic flag, or
// from the stack when all are busy, so it is safe for concurrent use by
// goroutines writing disjoint C. Bad dimensions, strides or short slices are
// programmer errors and panic with a "gemm: " prefix before any work is
// done. Results are not bitwise identical between the assembly and Go paths
// (FMA and summation order differ); they agree to float32 rounding.
package gemm
