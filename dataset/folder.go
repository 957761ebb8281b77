package dataset

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Reading an image folder (see the package documentation): walk it and
// check its layout (listFolder), then decode its pictures on all cores
// (decode, picture.go).

// Limits of an image folder.
const (
	// MaxFiles is the most entries (class folders and the files in them)
	// train/ and test/ may hold together; the walk stops at the next one,
	// before any picture is read.
	MaxFiles = 1_000_000
	// MaxClasses is the most classes: labels are bytes.
	MaxClasses = 256
	// MaxPixels is the most pixels a picture may have (a large phone
	// photo has 12 to 24 million). It is checked from the file's header
	// before the picture is decoded, and it is also the budget of pixels
	// decoded at once by all workers together, so memory stays bounded
	// however many cores decode.
	MaxPixels = 25_000_000
	// FolderSide is the side of an image folder's images once prepared:
	// MNIST's 28.
	FolderSide = 28
)

// DefaultHeldOut is the share of train/ held out as the test set when an
// image folder has no test/: 1/7, as MNIST keeps 10,000 of its 70,000
// digits for testing.
const DefaultHeldOut = 1.0 / 7

// imageExts are the file name endings of pictures, compared without case.
var imageExts = []string{".png", ".jpg", ".jpeg", ".gif"}

// wantImages names the pictures a class folder holds, for error messages.
const wantImages = ".png, .jpg, .jpeg or .gif files"

// A FolderError is a problem with an image folder: the file or folder it
// is about, and what is wrong there.
type FolderError struct {
	Path    string // the file or folder, joined onto the folder given
	Problem string // e.g. "a class folder with no pictures: …"
	Err     error  // the cause, when there is one (a decoder's, the system's)
}

func (e *FolderError) Error() string { return "dataset: " + e.Path + ": " + e.Problem }

func (e *FolderError) Unwrap() error { return e.Err }

// imageFile is one picture of an image folder.
type imageFile struct {
	path  string
	class int
	key   uint64 // orders the pictures of a split, and picks those held out
	test  bool   // in the test set
	slot  int    // its index in its set
}

// listing is an image folder walked and checked, no picture read yet.
type listing struct {
	names  []string    // the classes, sorted
	files  []imageFile // class folder after class folder, train/ then test/, by name
	counts [2]int      // pictures in the training and the test set
}

// isFolderLayout reports whether dir holds an image folder: a train/
// folder.
func isFolderLayout(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "train"))
	return err == nil && fi.IsDir()
}

// listFolder walks the image folder dir and decides which pictures make
// each set, holding out the share heldOut of train/ when there is no test/.
func listFolder(dir string, heldOut float64, maxFiles int) (*listing, error) {
	w := &walker{top: dir, max: maxFiles}
	trainDir := filepath.Join(dir, "train")
	names, err := w.classes(trainDir)
	if err != nil {
		return nil, err
	}
	switch {
	case len(names) == 0:
		return nil, &FolderError{Path: trainDir, Problem: "no class folders: put each class's pictures in a folder of its own, " + filepath.Join(trainDir, "<class>")}
	case len(names) == 1:
		return nil, &FolderError{Path: trainDir, Problem: fmt.Sprintf("one class folder (%s): a classifier needs at least 2", names[0])}
	case len(names) > MaxClasses:
		return nil, &FolderError{Path: trainDir, Problem: fmt.Sprintf("%d class folders: want at most %d", len(names), MaxClasses)}
	}
	l := &listing{names: names}
	for c, name := range names {
		if err := w.images(l, filepath.Join(trainDir, name), c, false); err != nil {
			return nil, err
		}
	}
	if err := l.testSet(w, filepath.Join(dir, "test"), heldOut); err != nil {
		return nil, err
	}
	l.order()
	return l, nil
}

// testSet adds the pictures of testDir to l, or when there is none, holds
// out the share heldOut of each class of train/.
func (l *listing) testSet(w *walker, testDir string, heldOut float64) error {
	fi, err := os.Stat(testDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.holdOut(heldOut)
		if !slices.ContainsFunc(l.files, func(f imageFile) bool { return f.test }) {
			return &FolderError{Path: filepath.Dir(testDir), Problem: "no test/, and no class folder has 2 pictures to hold one out for testing: add pictures, or a test/ folder"}
		}
		return nil
	case err != nil:
		return &FolderError{Path: testDir, Problem: pathProblem(err), Err: err}
	case !fi.IsDir():
		return &FolderError{Path: testDir, Problem: infile.Kind(fi.Mode()) + ", not a folder: test/ holds class folders as train/ does"}
	}
	names, err := w.classes(testDir)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return &FolderError{Path: testDir, Problem: "no class folders: put each class's test pictures in a folder named as in train/, or remove test/ to hold some of train/ out"}
	}
	for _, name := range names {
		c, found := slices.BinarySearch(l.names, name)
		if !found {
			return &FolderError{Path: filepath.Join(testDir, name),
				Problem: fmt.Sprintf("a class train/ does not have (%s is missing): test/'s folders must be train/'s classes", filepath.Join(filepath.Dir(testDir), "train", name))}
		}
		if err := w.images(l, filepath.Join(testDir, name), c, true); err != nil {
			return err
		}
	}
	return nil
}

// holdOut moves into the test set, of each class of n ≥ 2 pictures,
// round(share·n) of them (at least 1, at most n−1): those of the smallest
// keys. A key is a hash of the class and file name, so the split depends on
// the names only: the same on every run, whatever the seed, and adding a
// picture moves at most one other. A share of 0 is DefaultHeldOut.
func (l *listing) holdOut(share float64) {
	if share <= 0 {
		share = DefaultHeldOut
	}
	for lo := 0; lo < len(l.files); {
		hi := lo
		idx := []int(nil) // the class's pictures, by key
		for ; hi < len(l.files) && l.files[hi].class == l.files[lo].class; hi++ {
			idx = append(idx, hi)
		}
		slices.SortFunc(idx, func(a, b int) int { return byKey(l.files[a], l.files[b]) })
		if n := len(idx); n >= 2 {
			k := min(max(1, int(math.Round(share*float64(n)))), n-1)
			for _, i := range idx[:k] {
				l.files[i].test = true
			}
		}
		lo = hi
	}
}

// order gives each picture its slot: each set is ordered by key, which
// interleaves the classes, so a set's first images (a quick evaluation, a
// probe) are of every class. It counts the sets.
func (l *listing) order() {
	idx := make([]int, len(l.files))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return byKey(l.files[a], l.files[b]) })
	l.counts = [2]int{}
	for _, i := range idx {
		f := &l.files[i]
		s := 0
		if f.test {
			s = 1
		}
		f.slot = l.counts[s]
		l.counts[s]++
	}
}

// byKey orders pictures by key, then path.
func byKey(a, b imageFile) int {
	if a.key != b.key {
		if a.key < b.key {
			return -1
		}
		return 1
	}
	return strings.Compare(a.path, b.path)
}

// walker reads the folders of an image folder, counting their entries.
type walker struct {
	top  string // the image folder
	max  int    // the most entries it reads
	seen int
}

// classes returns the names of the class folders in dir, sorted.
func (w *walker) classes(dir string) ([]string, error) {
	entries, err := w.read(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		path := filepath.Join(dir, e.name)
		fi, err := os.Stat(path) // a link to a class folder is one
		if err != nil {
			return nil, &FolderError{Path: path, Problem: pathProblem(err), Err: err}
		}
		if !fi.IsDir() {
			return nil, &FolderError{Path: path, Problem: infile.Kind(fi.Mode()) + " among the class folders: " + filepath.Base(dir) + "/ holds one folder per class, the pictures inside"}
		}
		if err := checkClassName(e.name); err != nil {
			return nil, &FolderError{Path: path, Problem: err.Error()}
		}
		names = append(names, e.name)
	}
	slices.Sort(names)
	return names, nil
}

// checkClassName reports a folder name that cannot name a class: one a
// screen or a checkpoint would not show as it is.
func checkClassName(name string) error {
	for _, r := range name {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return fmt.Errorf("the class name %s is not printable text: rename the folder", strconv.QuoteToASCII(name))
		}
	}
	return nil
}

// images adds the pictures of the class folder dir, of class c, to l.
func (w *walker) images(l *listing, dir string, c int, test bool) error {
	entries, err := w.read(dir)
	if err != nil {
		return err
	}
	n := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.name)
		if err := checkPicture(path, e.mode); err != nil {
			return err
		}
		l.files = append(l.files, imageFile{path: path, class: c, test: test, key: nameKey(l.names[c], e.name)})
		n++
	}
	if n == 0 {
		return &FolderError{Path: dir, Problem: "a class folder with no pictures: want " + wantImages + " in it"}
	}
	return nil
}

// checkPicture reports an entry of a class folder, of type bits mode, that
// is not a picture file: a folder, a file of another kind, a name without
// an image ending.
func checkPicture(path string, mode fs.FileMode) error {
	if mode&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		if err != nil {
			return &FolderError{Path: path, Problem: pathProblem(err), Err: err}
		}
		mode = fi.Mode().Type()
	}
	switch {
	case mode.IsDir():
		return &FolderError{Path: path, Problem: "a folder inside a class folder: put the pictures directly in " + filepath.Dir(path)}
	case !mode.IsRegular():
		return &FolderError{Path: path, Problem: infile.Kind(mode) + ", not a regular file"}
	case !slices.Contains(imageExts, strings.ToLower(filepath.Ext(path))):
		return &FolderError{Path: path, Problem: "not a picture: a class folder holds " + wantImages + " only"}
	}
	return nil
}

// nameKey is the key of file name of class: a 64-bit FNV-1a hash.
func nameKey(class, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(class))
	h.Write([]byte{'/'})
	h.Write([]byte(name))
	return h.Sum64()
}

// entry is a folder's entry as read: its name and type bits (a link's own).
type entry struct {
	name string
	mode fs.FileMode
}

// read returns the entries of dir that are not hidden, reading a chunk at
// a time so that a folder of millions of entries is refused before they
// are all in memory.
func (w *walker) read(dir string) ([]entry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, &FolderError{Path: dir, Problem: pathProblem(err), Err: err}
	}
	defer f.Close()
	var out []entry
	for {
		chunk, err := f.ReadDir(1024)
		w.seen += len(chunk)
		if w.seen > w.max {
			return nil, &FolderError{Path: w.top, Problem: fmt.Sprintf("more than %s files: an image folder holds at most %s (found while reading %s)",
				thousands(w.max), thousands(w.max), dir)}
		}
		for _, e := range chunk {
			if !strings.HasPrefix(e.Name(), ".") {
				out = append(out, entry{e.Name(), e.Type()})
			}
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &FolderError{Path: dir, Problem: pathProblem(err), Err: err}
		}
	}
}

// pathProblem is an os error without the path it names, which the
// FolderError says already: "permission denied".
func pathProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
