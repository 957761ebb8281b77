package dataset_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// ReadImages takes any io.Reader, raw or gzip-compressed: here two 2×3
// images built in memory and gzipped.
func ExampleReadImages() {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte{
		0, 0, 8, 3, // magic: unsigned bytes (8) in 3 dimensions, big-endian
		0, 0, 0, 2, // 2 images
		0, 0, 0, 2, // of 2 rows
		0, 0, 0, 3, // of 3 columns
		0, 128, 255, 0, 128, 255, // image 0, row by row
		9, 8, 7, 6, 5, 4, // image 1
	})
	w.Close()

	images, count, rows, cols, err := dataset.ReadImages(&gz, "tiny-images-idx3-ubyte.gz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d images of %d×%d\n", count, rows, cols)
	fmt.Println("image 1:", images[rows*cols:])
	// Output:
	// 2 images of 2×3
	// image 1: [9 8 7 6 5 4]
}

// A malformed file is a *FormatError naming the file and the byte where
// the problem is: here labels given to the images reader, then to the
// labels reader whole and cut short.
func ExampleFormatError() {
	labels := []byte{
		0, 0, 8, 1, // magic: unsigned bytes in 1 dimension
		0, 0, 0, 3, // 3 labels
		7, 2, 1,
	}
	_, _, _, _, err := dataset.ReadImages(bytes.NewReader(labels), "train-images-idx3-ubyte")
	var fe *dataset.FormatError
	if errors.As(err, &fe) {
		fmt.Println("at byte", fe.Offset, "of", fe.File+":", fe.Problem)
	}
	fmt.Println(err)

	got, err := dataset.ReadLabels(bytes.NewReader(labels), "train-labels-idx1-ubyte")
	fmt.Println(got, err)
	_, err = dataset.ReadLabels(bytes.NewReader(labels[:len(labels)-1]), "train-labels-idx1-ubyte")
	fmt.Println(err)
	// Output:
	// at byte 0 of train-images-idx3-ubyte: bad magic 0x00000801, want 0x00000803
	// dataset: train-images-idx3-ubyte: byte 0: bad magic 0x00000801, want 0x00000803
	// [7 2 1] <nil>
	// dataset: train-labels-idx1-ubyte: byte 10: truncated: dimensions 3 want 3 bytes of labels after the 8-byte header, the file has 2
}

// A Batcher fills caller-owned buffers with shuffled mini-batches, scaled
// on the way; the last batch of an epoch is the remainder.
func ExampleBatcher() {
	s := dataset.Synthetic(100, 28, 28, 1)
	b := dataset.NewBatcher(s, 32, true, 1)
	x := make([]float32, 32*s.Rows*s.Cols) // (32, 1, 28, 28)
	y := make([]uint8, 32)                 // (32)
	sc := dataset.Standardize(dataset.MNISTMean, dataset.MNISTStd)

	fmt.Println(b.Batches(), "batches")
	for n := b.Next(x, y, &sc); n > 0; n = b.Next(x, y, &sc) {
		fmt.Println(n, "images")
	}
	b.Reset()
	// Output:
	// 4 batches
	// 32 images
	// 32 images
	// 32 images
	// 4 images
}
