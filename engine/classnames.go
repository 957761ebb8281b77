package engine

import (
	"strconv"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// classNames is a fresh copy of the names of the net's classes, by index
// (RunInfo.Classes): the training set's, numbers where it has none.
func (t *Trainer) classNames() []string {
	names := make([]string, t.net.classes)
	for c := range names {
		names[c] = t.train.ClassName(c)
	}
	return names
}

// ClassNames returns the names of the checkpoint's classes, by index, a
// fresh slice of len Classes: those it was saved with (Names); for a
// checkpoint saved without them, those of its dataset when that has as
// many classes (dataset.ClassNames: Fashion-MNIST's ten, MNIST's digits),
// else the indexes as numbers.
func (c *Checkpoint) ClassNames() []string {
	if len(c.Names) == c.Classes {
		return append([]string(nil), c.Names...)
	}
	if known := dataset.ClassNames(c.Dataset); len(known) == c.Classes {
		return known
	}
	names := make([]string, max(0, c.Classes))
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}
