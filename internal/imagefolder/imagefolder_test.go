package imagefolder

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/digit"
)

// TestLetters: the same seed draws the same letters, byte for byte; they
// load as an image folder of the classes A to E, every drawing prepared
// (none blank, none too small); and a folder already written is refused.
func TestLetters(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := Letters(dir, 3, 2, 7); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"train/A/0002.png", "test/E/0001.png"} {
		x, errA := os.ReadFile(filepath.Join(a, f))
		y, errB := os.ReadFile(filepath.Join(b, f))
		if errA != nil || errB != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two folders drawn from seed 7 (%v, %v)", f, errA, errB)
		}
	}
	prepare := func(img image.Image) ([]uint8, error) {
		px, w, h := digit.FromImage(img)
		return digit.Prepare(px, w, h)
	}
	train, test, err := dataset.Load(a, "letters", dataset.Options{Prepare: prepare})
	if err != nil {
		t.Fatalf("loading the letters: %v", err)
	}
	if want := []string{"A", "B", "C", "D", "E"}; !slices.Equal(train.Names, want) || train.Count != 15 || test.Count != 10 {
		t.Errorf("letters loaded as %d + %d images of %q, want 15 + 10 of %q", train.Count, test.Count, train.Names, want)
	}
	if err := Letters(a, 1, 1, 7); err == nil {
		t.Errorf("Letters into a folder that holds train/ = nil, want an error")
	}
}
