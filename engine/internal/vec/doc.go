// Package vec holds the engine's elementwise passes over float32 rows that
// sit between the convolutions: the bias add fused with ReLU, and ReLU's
// derivative fused with the bias-gradient sum. They read and write every
// activation of a layer once per pass and do one or two operations per
// value, so scalar Go spends as long on them as the convolutions spend on
// their FLOPs; with AVX2 (vec_amd64.s) each pass handles 8 values an
// instruction. With AVX-512F, the 2×2 max pool and its backward pass
// (pool_amd64.s) take 16 outputs at a time, reading the last partial group
// of a row with K masks; the pool prefetches the rows of y and arg it will
// store to next, as its masked stores to lines not yet in L1 otherwise wait
// for each line in turn (BenchmarkMaxPool2 times a chunk of 16 samples,
// larger than L1, beside one). Without AVX2, on
// other architectures, or with the noasm, safe or gccgo build tags, the
// pure-Go loops in vec.go run.
//
// The algorithm in plain loops: engine/internal/naive (MaxPoolForward,
// MaxPoolBackward, SubsampleForward, SubsampleBackward), the oracle of
// the pooling tests.
//
// Results are bit-for-bit those of the Go loops, except Sum and the sum
// of ReLUGradSum, which add in a different order (8 lanes, then the lanes)
// and so agree to float32 rounding.
package vec
