package dataset

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Files of a tiny dataset: three 2×2 training images and two test images.
var (
	trainImages = idx(imagesMagic, []uint32{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	trainLabels = idx(labelsMagic, []uint32{3}, []byte{7, 0, 9})
	testImages  = idx(imagesMagic, []uint32{2, 2, 2}, []byte{20, 21, 22, 23, 24, 25, 26, 27})
	testLabels  = idx(labelsMagic, []uint32{2}, []byte{3, 4})
)

// tinyFiles returns the tiny dataset under the canonical raw file names.
func tinyFiles() map[string][]byte {
	return map[string][]byte{
		"train-images-idx3-ubyte": trainImages,
		"train-labels-idx1-ubyte": trainLabels,
		"t10k-images-idx3-ubyte":  testImages,
		"t10k-labels-idx1-ubyte":  testLabels,
	}
}

// writeFiles writes files, keyed by name, into a new temporary folder and
// returns its path.
func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// with returns tinyFiles with name deleted and the given files added.
func with(deleted string, added map[string][]byte) map[string][]byte {
	files := tinyFiles()
	delete(files, deleted)
	for name, data := range added {
		files[name] = data
	}
	return files
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string][]byte
		want    string // error text with DIR for the folder; empty for success
		missing bool   // whether the error must match fs.ErrNotExist
	}{
		{name: "raw", files: tinyFiles()},
		{name: "gzip", files: map[string][]byte{
			"train-images-idx3-ubyte.gz": gz(trainImages),
			"train-labels-idx1-ubyte.gz": gz(trainLabels),
			"t10k-images-idx3-ubyte.gz":  gz(testImages),
			"t10k-labels-idx1-ubyte.gz":  gz(testLabels),
		}},
		{name: "gzip and raw mixed", files: map[string][]byte{
			"train-images-idx3-ubyte.gz": gz(trainImages),
			"train-labels-idx1-ubyte":    trainLabels,
			"t10k-images-idx3-ubyte":     gz(testImages), // sniffed, not named
			"t10k-labels-idx1-ubyte.gz":  testLabels,     // likewise
		}},
		{name: "dot names", files: map[string][]byte{
			"train-images.idx3-ubyte":    trainImages,
			"train-labels.idx1-ubyte.gz": gz(trainLabels),
			"t10k-images.idx3-ubyte":     testImages,
			"t10k-labels.idx1-ubyte":     testLabels,
		}},
		{
			name:  "count mismatch",
			files: with("train-labels-idx1-ubyte", map[string][]byte{"train-labels-idx1-ubyte.gz": gz(testLabels)}),
			want:  "dataset: DIR/train-labels-idx1-ubyte.gz: byte 4 of the gunzipped data: 2 labels for 3 images in train-images-idx3-ubyte",
		},
		{
			name:  "label out of range",
			files: with("t10k-labels-idx1-ubyte", map[string][]byte{"t10k-labels-idx1-ubyte": idx(labelsMagic, []uint32{2}, []byte{3, 10})}),
			want:  "dataset: DIR/t10k-labels-idx1-ubyte: byte 9: label 10 at index 1, want < 10",
		},
		{
			name:  "labels for images",
			files: with("t10k-images-idx3-ubyte", map[string][]byte{"t10k-images-idx3-ubyte": testLabels}),
			want:  "dataset: DIR/t10k-images-idx3-ubyte: byte 0: bad magic 0x00000801, want 0x00000803",
		},
		{
			name:  "test size differs",
			files: with("t10k-images-idx3-ubyte", map[string][]byte{"t10k-images-idx3-ubyte": idx(imagesMagic, []uint32{2, 1, 4}, testImages[16:])}),
			want:  "dataset: DIR/t10k-images-idx3-ubyte: byte 8: test images are 1×4, want 2×2 like the training images in train-images-idx3-ubyte",
		},
		{
			name:    "missing file",
			files:   with("t10k-labels-idx1-ubyte", nil),
			want:    "dataset: open DIR/t10k-labels-idx1-ubyte(.gz): file does not exist",
			missing: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			train, test, err := Load(dir, "tiny", Options{})
			if tt.want != "" {
				want := strings.ReplaceAll(tt.want, "DIR", dir)
				if err == nil || err.Error() != want {
					t.Fatalf("Load(%q) error = %v, want %s", dir, err, want)
				}
				if missing := errors.Is(err, fs.ErrNotExist); missing != tt.missing {
					t.Errorf("errors.Is(%v, fs.ErrNotExist) = %t, want %t", err, missing, tt.missing)
				}
				if train != nil || test != nil {
					t.Errorf("Load(%q) = %v, %v with error, want nil, nil", dir, train, test)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(%q) error = %v, want nil", dir, err)
			}
			checkTiny(t, train, test, "tiny")
		})
	}
}

// checkTiny checks that train and test hold the tiny dataset named name.
func checkTiny(t *testing.T, train, test *Set, name string) {
	t.Helper()
	for _, c := range []struct {
		got, want *Set
	}{
		{train, &Set{Name: name + "/train", Images: trainImages[16:], Labels: trainLabels[8:], Count: 3, Rows: 2, Cols: 2, Classes: 10}},
		{test, &Set{Name: name + "/test", Images: testImages[16:], Labels: testLabels[8:], Count: 2, Rows: 2, Cols: 2, Classes: 10}},
	} {
		g, w := c.got, c.want
		w.Names = ClassNames(name) // Fashion-MNIST's for "fashion-mnist", the digits for the others
		if g.Name != w.Name || !slices.Equal(g.Images, w.Images) || !slices.Equal(g.Labels, w.Labels) ||
			g.Count != w.Count || g.Rows != w.Rows || g.Cols != w.Cols || g.Classes != w.Classes || !slices.Equal(g.Names, w.Names) {
			t.Errorf("loaded set = %+v, want %+v", *g, *w)
		}
	}
}

func TestLoadMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, _, err := Load(dir, "tiny", Options{})
	if want := "dataset: stat " + dir + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("Load(%q) error = %v, want %s", dir, err, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false, want true", err)
	}
}

func TestOpen(t *testing.T) {
	dir := writeFiles(t, tinyFiles())
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			train, test, err := Open(name, dir)
			if err != nil {
				t.Fatalf("Open(%q, %q) error = %v, want nil", name, dir, err)
			}
			checkTiny(t, train, test, name)
		})
	}

	t.Run("unknown", func(t *testing.T) {
		_, _, err := Open("cifar", dir)
		want := `dataset: unknown dataset "cifar", want one of mnist, fashion-mnist`
		if err == nil || err.Error() != want {
			t.Errorf("Open(%q, %q) error = %v, want %s", "cifar", dir, err, want)
		}
	})

	t.Run("fashion-mnist not installed", func(t *testing.T) {
		if _, err := os.Stat(FashionMNISTDir); err == nil {
			t.Skipf("%s exists", FashionMNISTDir)
		}
		_, _, err := Open("fashion-mnist", "")
		want := "dataset: fashion-mnist: stat " + FashionMNISTDir +
			": no such file or directory; install it with `apt-get install dataset-fashion-mnist` or pass --data DIR"
		if err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q, %q) error = %v, want %s", "fashion-mnist", "", err, want)
		}
	})
}
