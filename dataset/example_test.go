package dataset_test

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/dataset"
)

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
