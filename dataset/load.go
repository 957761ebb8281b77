package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Load reads a train/test pair of IDX files from dir:
//
//	train-images-idx3-ubyte  train-labels-idx1-ubyte
//	t10k-images-idx3-ubyte   t10k-labels-idx1-ubyte
//
// each raw or gzip-compressed, with or without a ".gz" suffix; a '.' may
// stand for the '-' before "idx" ("train-images.idx3-ubyte"). When more than
// one of these names exists for a file, their contents (gunzipped) must be
// the same. Only regular files are read. The sets are named name+"/train"
// and name+"/test". Load checks that each split has as many labels as
// images, that every label is less than Classes and that both splits have
// the same image size.
func Load(dir, name string) (train, test *Set, err error) {
	if _, _, err := Peek(dir); err != nil {
		return nil, nil, err
	}
	if train, err = loadSplit(dir, name+"/train", "train"); err != nil {
		return nil, nil, err
	}
	if test, err = loadSplit(dir, name+"/test", "t10k"); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// Dims is what the headers of a split's files announce.
type Dims struct{ Count, Rows, Cols int }

// Peek reads only the headers of the four files Load would read from dir and
// checks that they go together: as many labels as images in each split, the
// same image size in both. It returns what they announce, so a caller can
// check what a run would ask of memory before Load reads the bodies.
func Peek(dir string) (train, test Dims, err error) {
	if _, err := os.Stat(dir); err != nil {
		return Dims{}, Dims{}, fmt.Errorf("dataset: %w", err)
	}
	var splits [2]Dims
	var imagesPaths [2]string
	for i, prefix := range []string{"train", "t10k"} {
		images, imagesPath, err := peekFile(dir, prefix+"-images", "idx3-ubyte", imagesMagic, "pixels")
		if err != nil {
			return Dims{}, Dims{}, err
		}
		labels, _, err := peekFile(dir, prefix+"-labels", "idx1-ubyte", labelsMagic, "labels")
		if err != nil {
			return Dims{}, Dims{}, err
		}
		if labels.dims[0] != images.dims[0] {
			return Dims{}, Dims{}, labels.errorAt(4, "%d labels for %d images in %s", labels.dims[0], images.dims[0], filepath.Base(imagesPath))
		}
		splits[i], imagesPaths[i] = Dims{images.dims[0], images.dims[1], images.dims[2]}, imagesPath
	}
	if train, test := splits[0], splits[1]; test.Rows != train.Rows || test.Cols != train.Cols {
		return Dims{}, Dims{}, &FormatError{File: imagesPaths[1], Offset: 8, Problem: fmt.Sprintf("test images are %d×%d, want %d×%d like the training images in %s",
			test.Rows, test.Cols, train.Rows, train.Cols, filepath.Base(imagesPaths[0]))}
	}
	return splits[0], splits[1], nil
}

// peekFile reads the header of the file of stem and kind in dir.
func peekFile(dir, stem, kind string, magic uint32, what string) (idxFile, string, error) {
	path, err := findFile(dir, stem, kind)
	if err != nil {
		return idxFile{}, "", err
	}
	var f idxFile
	err = readFile(path, func(r io.Reader) (err error) {
		f, err = readHeader(r, path, magic, what)
		return err
	})
	return f, path, err
}

// loadSplit reads the images and labels whose file names start with prefix.
func loadSplit(dir, name, prefix string) (*Set, error) {
	imagesPath, err := findFile(dir, prefix+"-images", "idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labelsPath, err := findFile(dir, prefix+"-labels", "idx1-ubyte")
	if err != nil {
		return nil, err
	}

	s := &Set{Name: name, Classes: Classes}
	var images, labels idxFile
	err = readFile(imagesPath, func(r io.Reader) (err error) {
		images, err = readIDX(r, imagesPath, imagesMagic, "pixels")
		return err
	})
	if err != nil {
		return nil, err
	}
	err = readFile(labelsPath, func(r io.Reader) (err error) {
		labels, err = readIDX(r, labelsPath, labelsMagic, "labels")
		return err
	})
	if err != nil {
		return nil, err
	}
	s.Images, s.Count, s.Rows, s.Cols, s.Labels = images.body, images.dims[0], images.dims[1], images.dims[2], labels.body

	if len(s.Labels) != s.Count {
		return nil, labels.errorAt(4, "%d labels for %d images in %s", len(s.Labels), s.Count, filepath.Base(imagesPath))
	}
	for i, l := range s.Labels {
		if int(l) >= s.Classes {
			return nil, labels.errorAt(8+int64(i), "label %d at index %d, want < %d", l, i, s.Classes)
		}
	}
	return s, nil
}

// findFile returns the path of the first of stem-kind, stem-kind.gz,
// stem.kind and stem.kind.gz that exists in dir. When others exist too,
// they must hold the same data (gunzipped); a file that is not a regular
// file (a folder, a named pipe, a device) is an error.
func findFile(dir, stem, kind string) (string, error) {
	var found []string
	for _, base := range []string{stem + "-" + kind, stem + "." + kind} {
		for _, ext := range []string{"", ".gz"} {
			path := filepath.Join(dir, base+ext)
			fi, err := os.Stat(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("dataset: %w", err)
			}
			if err := infile.Regular(path, fi.Mode()); err != nil {
				return "", fmt.Errorf("dataset: %w", err)
			}
			found = append(found, path)
		}
	}
	if len(found) == 0 {
		return "", fmt.Errorf("dataset: open %s(.gz): %w", filepath.Join(dir, stem+"-"+kind), fs.ErrNotExist)
	}
	for _, other := range found[1:] {
		if err := same(found[0], other); err != nil {
			return "", err
		}
	}
	return found[0], nil
}

// same reports an error unless the files at a and b hold the same data once
// gunzipped, naming the first byte where they differ.
func same(a, b string) error {
	var ra, rb io.Reader
	return readFile(a, func(fa io.Reader) error {
		return readFile(b, func(fb io.Reader) error {
			var err error
			if ra, err = content(fa, a); err != nil {
				return err
			}
			if rb, err = content(fb, b); err != nil {
				return err
			}
			off, err := differ(ra, rb)
			if err != nil || off < 0 {
				return err
			}
			return &FormatError{File: b, Offset: off, Gunzipped: true,
				Problem: fmt.Sprintf("differs from %s, which is there too: remove the one that is wrong", filepath.Base(a))}
		})
	})
}

// content returns a reader of r's data, gunzipped if it is gzipped.
func content(r io.Reader, name string) (io.Reader, error) {
	x, err := newIDXReader(r, name)
	if err != nil {
		return nil, err
	}
	return x.r, nil
}

// differ returns the offset of the first byte where a and b differ, or -1
// when they are the same.
func differ(a, b io.Reader) (int64, error) {
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	var off int64
	for {
		na, errA := io.ReadFull(a, bufA)
		nb, errB := io.ReadFull(b, bufB)
		for _, err := range []error{errA, errB} {
			if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
				return 0, err
			}
		}
		n := min(na, nb)
		if i := mismatch(bufA[:n], bufB[:n]); i >= 0 {
			return off + int64(i), nil
		}
		if na != nb {
			return off + int64(n), nil
		}
		if na < len(bufA) {
			return -1, nil
		}
		off += int64(n)
	}
}

// mismatch returns the index of the first byte where a and b, of equal
// length, differ, or -1.
func mismatch(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// readFile opens the regular file at path and hands it to read (a named
// pipe or a device is refused, as reading it may never end).
func readFile(path string, read func(r io.Reader) error) error {
	f, _, err := infile.Open(path)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	return read(f)
}
