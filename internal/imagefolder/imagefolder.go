// Package imagefolder writes image folders — DIR/train/<class>/*.png and
// DIR/test/<class>/*.png, the layout `--data DIR` reads (package dataset)
// — for tests and for the figures of the documentation: MNIST digits saved
// as PNG under class folders named zero … nine, and letters drawn with
// strokes, a little different each time, as a student would draw them.
//
// # Invariants
//
// It writes only into a folder that has no train/ or test/ yet, and the
// same arguments always write the same bytes.
package imagefolder

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// DigitNames are the class folders Digits writes, by label.
var DigitNames = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// A Picture turns an MNIST image (28×28 bytes, light ink on black) into
// the picture saved for it; nil saves it as it is, 8-bit grey.
type Picture func(pixels []uint8) image.Image

// Digits writes the first nTrain images of train and the first nTest of
// test as PNG into dir/train/<name>/ and dir/test/<name>/, name the label's
// DigitNames entry and the file "NNNNN.png" its index in the set; as
// picture makes them (nil: as they are). With nTest 0 it writes no test/,
// and test may be nil.
func Digits(dir string, train, test *dataset.Set, nTrain, nTest int, picture Picture) error {
	if err := fresh(dir); err != nil {
		return err
	}
	for _, split := range []struct {
		name string
		set  *dataset.Set
		n    int
	}{{"train", train, nTrain}, {"test", test, nTest}} {
		if split.n == 0 {
			continue
		}
		if split.n > split.set.Count {
			return fmt.Errorf("imagefolder: %d images wanted of %s's %d", split.n, split.set.Name, split.set.Count)
		}
		for i := range split.n {
			px := split.set.Image(i)
			var img image.Image = grey(px, split.set.Cols, split.set.Rows)
			if picture != nil {
				img = picture(px)
			}
			path := filepath.Join(dir, split.name, DigitNames[split.set.Labels[i]], fmt.Sprintf("%05d.png", i))
			if err := writePNG(path, img); err != nil {
				return err
			}
		}
	}
	return nil
}

// grey is pixels (h, w) as an 8-bit grey picture.
func grey(pixels []uint8, w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	copy(g.Pix, pixels)
	return g
}

// fresh makes dir if need be and refuses one that holds train/ or test/.
func fresh(dir string) error {
	for _, sub := range []string{"train", "test"} {
		if _, err := os.Lstat(filepath.Join(dir, sub)); err == nil {
			return fmt.Errorf("imagefolder: %s already holds %s/: pick a new folder", dir, sub)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("imagefolder: %w", err)
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// writePNG writes img as a PNG file at path, making its folder.
func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("imagefolder: %w", err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return fmt.Errorf("imagefolder: %s: %w", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("imagefolder: %w", err)
	}
	return nil
}
