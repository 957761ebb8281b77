package dataset

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Options say how to read an image folder; the IDX files need none. The
// zero value holds out DefaultHeldOut and keeps only pictures that are
// already FolderSide×FolderSide grey.
type Options struct {
	// HeldOut is the share of each class of train/ held out as the test
	// set when the folder has no test/, in (0, 1); 0 is DefaultHeldOut.
	HeldOut float64
	// KeepSize keeps a picture that is already FolderSide×FolderSide grey
	// (8 bits) byte for byte, rather than preparing it: for pictures made
	// as MNIST's are, light ink on black.
	KeepSize bool
	// Prepare makes FolderSide×FolderSide bytes of any other picture. The
	// program passes package digit's preparation (grey, fitted, centred
	// as MNIST's digits), which predict and the drawing pad use; dataset
	// cannot import digit, whose tests read MNIST through dataset. Nil
	// refuses such pictures. It is called from several goroutines at once.
	Prepare Prepare
	// Progress, when not nil, is told how many pictures of how many are
	// decoded: every hundredth of them and at the end, in increasing
	// order, from one goroutine at a time.
	Progress func(done, total int)

	maxFiles int // the most entries read; 0 is MaxFiles (tests lower it)
}

// Load reads the training and test sets in dir, in either layout (see
// Peek): four IDX files, or an image folder read as o says. The sets are
// named name+"/train" and name+"/test"; an image folder's by its own name
// (filepath.Base of dir). Their Names are the classes': for IDX files those
// of ClassNames(name), for an image folder its class folders' in sorted
// order.
func Load(dir, name string, o Options) (train, test *Set, err error) {
	folder, err := detect(dir)
	if err != nil {
		return nil, nil, err
	}
	if folder {
		return loadFolder(dir, o)
	}
	return loadIDX(dir, name)
}

// loadIDX reads a train/test pair of IDX files from dir:
//
//	train-images-idx3-ubyte  train-labels-idx1-ubyte
//	t10k-images-idx3-ubyte   t10k-labels-idx1-ubyte
//
// each raw or gzip-compressed, with or without a ".gz" suffix; a '.' may
// stand for the '-' before "idx" ("train-images.idx3-ubyte"). When more than
// one of these names exists for a file, their contents (gunzipped) must be
// the same. Only regular files are read. loadIDX checks that each split has
// as many labels as images, that every label is less than Classes and that
// both splits have the same image size.
func loadIDX(dir, name string) (train, test *Set, err error) {
	if _, _, err := peekIDX(dir); err != nil {
		return nil, nil, err
	}
	if train, err = loadSplit(dir, name+"/train", "train"); err != nil {
		return nil, nil, err
	}
	if test, err = loadSplit(dir, name+"/test", "t10k"); err != nil {
		return nil, nil, err
	}
	train.Names, test.Names = ClassNames(name), ClassNames(name)
	return train, test, nil
}

// loadFolder reads the image folder dir.
func loadFolder(dir string, o Options) (train, test *Set, err error) {
	l, err := listFolder(dir, o.HeldOut, cmp.Or(o.maxFiles, MaxFiles))
	if err != nil {
		return nil, nil, err
	}
	var sets [2]*Set
	for i, split := range []string{"train", "test"} {
		n := l.counts[i]
		sets[i] = &Set{Name: filepath.Base(dir) + "/" + split, Images: make([]uint8, n*FolderSide*FolderSide), Labels: make([]uint8, n),
			Count: n, Rows: FolderSide, Cols: FolderSide, Classes: len(l.names), Names: slices.Clone(l.names)}
	}
	if err := l.decode(sets, o); err != nil {
		return nil, nil, err
	}
	return sets[0], sets[1], nil
}

// Dims is what a dataset's files announce of a split: for IDX files their
// headers, for an image folder its pictures counted (images are then
// FolderSide×FolderSide, whatever their size in the files).
type Dims struct{ Count, Rows, Cols, Classes int }

// Peek says what Load would read from dir without reading the images, so a
// caller can check a run against the data and what it would ask of memory
// first. dir holds one of two layouts:
//
//   - the four IDX files of MNIST (see loadIDX); Peek reads their headers
//     and checks that they go together: as many labels as images in each
//     split, the same image size in both;
//   - an image folder, DIR/train/<class>/ and optionally DIR/test/<class>/
//     (see the package documentation); Peek walks it and checks its
//     layout, its class names and the number of files, but opens no
//     picture.
//
// IDX files are looked for first. A folder with neither is an error
// saying what was looked for.
func Peek(dir string, o Options) (train, test Dims, err error) {
	folder, err := detect(dir)
	if err != nil {
		return Dims{}, Dims{}, err
	}
	if !folder {
		return peekIDX(dir)
	}
	l, err := listFolder(dir, o.HeldOut, cmp.Or(o.maxFiles, MaxFiles))
	if err != nil {
		return Dims{}, Dims{}, err
	}
	k := len(l.names)
	return Dims{l.counts[0], FolderSide, FolderSide, k}, Dims{l.counts[1], FolderSide, FolderSide, k}, nil
}

// detect reports whether dir is an image folder rather than a folder of IDX
// files: it has none of the IDX files' names and has a train/ folder.
func detect(dir string) (folder bool, err error) {
	if _, err := os.Stat(dir); err != nil {
		return false, fmt.Errorf("dataset: %w", err)
	}
	if hasIDX(dir) {
		return false, nil
	}
	if isFolderLayout(dir) {
		return true, nil
	}
	return false, fmt.Errorf("dataset: %s holds neither MNIST's IDX files (train-images-idx3-ubyte and three others, gzipped or not) nor an image folder (%s with one folder of pictures per class)",
		dir, filepath.Join(dir, "train", "<class>"))
}

// hasIDX reports whether any name of the four IDX files (see loadIDX)
// exists in dir.
func hasIDX(dir string) bool {
	for _, stem := range []string{"train-images-", "train-labels-", "t10k-images-", "t10k-labels-"} {
		kind := "idx3-ubyte"
		if strings.Contains(stem, "labels") {
			kind = "idx1-ubyte"
		}
		for _, base := range []string{stem + kind, strings.TrimSuffix(stem, "-") + "." + kind} {
			for _, ext := range []string{"", ".gz"} {
				if _, err := os.Lstat(filepath.Join(dir, base+ext)); err == nil {
					return true
				}
			}
		}
	}
	return false
}

// peekIDX reads only the headers of the four IDX files in dir and checks
// that they go together: as many labels as images in each split, the same
// image size in both.
func peekIDX(dir string) (train, test Dims, err error) {
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
		splits[i], imagesPaths[i] = Dims{images.dims[0], images.dims[1], images.dims[2], Classes}, imagesPath
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
	images, err := readIDXFile(imagesPath, imagesMagic, "pixels")
	if err != nil {
		return nil, err
	}
	labels, err := readIDXFile(labelsPath, labelsMagic, "labels")
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
