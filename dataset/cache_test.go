package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestMain keeps the package's tests out of the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lenet-tui-idx")
	if err != nil {
		panic(err)
	}
	cacheDir = func() string { return dir }
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cachedSet writes a gzipped train/test pair of 2×2×3 images to a new
// folder and returns it with the training images' content.
func cachedSet(t *testing.T) (dir string, content []byte) {
	t.Helper()
	dir = t.TempDir()
	content = idx(imagesMagic, []uint32{2, 2, 3}, pixels)
	labels := idx(labelsMagic, []uint32{2}, []byte{1, 7})
	for _, split := range []string{"train", "t10k"} {
		write(t, filepath.Join(dir, split+"-images-idx3-ubyte.gz"), gz(content))
		write(t, filepath.Join(dir, split+"-labels-idx1-ubyte.gz"), gz(labels))
	}
	return dir, content
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCache holds the inflated copies to what they are for: the first
// load keeps one of each gzipped file, the next reads them, and a copy
// that is damaged, cut short or of other data is passed over for the
// gzipped file, which is what is loaded, and then kept again.
func TestCache(t *testing.T) {
	cache := t.TempDir()
	defer func(old func() string) { cacheDir = old }(cacheDir)
	cacheDir = func() string { return cache }
	dir, content := cachedSet(t)

	load := func(what string) {
		t.Helper()
		train, test, err := Load(dir, "mnist", Options{})
		if err != nil {
			t.Fatalf("%s: Load: %v", what, err)
		}
		if !bytes.Equal(train.Images, pixels) || !bytes.Equal(test.Images, pixels) || train.Labels[1] != 7 {
			t.Fatalf("%s: loaded images %v and %v, labels %v; want %v and labels [1 7]", what, train.Images, test.Images, train.Labels, pixels)
		}
	}
	load("first load")
	copies, _ := filepath.Glob(filepath.Join(cache, "*.idx"))
	if len(copies) != 4 {
		t.Fatalf("after the first load the cache holds %q, want a copy of each of the 4 files", copies)
	}
	imagesCopy := filepath.Join(cache, "train-images-idx3-ubyte-*.idx")
	got, _ := filepath.Glob(imagesCopy)
	if len(got) != 1 {
		t.Fatalf("no copy matching %s in %q", imagesCopy, copies)
	}
	if b, _ := os.ReadFile(got[0]); !bytes.Equal(b, content) {
		t.Fatalf("the copy holds %v, want the inflated file %v", b, content)
	}

	// The copy is what the next load reads: one made to say other pixels
	// (its trailer sum would not match, so write it with the true name
	// but other bytes of the same length) is refused, not read.
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"a damaged copy", append(content[:len(content)-1:len(content)-1], 99)},
		{"a truncated copy", content[:len(content)-2]},
		{"an empty copy", nil},
		{"a copy of other data", idx(imagesMagic, []uint32{1, 2, 6}, pixels)},
	} {
		write(t, got[0], tc.data)
		load(tc.name)
		if b, _ := os.ReadFile(got[0]); !bytes.Equal(b, content) {
			t.Errorf("after %s the cache holds %v, want it written again as %v", tc.name, b, content)
		}
	}

	// A cache that cannot be written is no cache: loading goes on.
	cacheDir = func() string { return filepath.Join(got[0], "not-a-folder") }
	load("an unwritable cache")
	cacheDir = func() string { return "" }
	load("no cache folder")
}

// TestCacheIsRead shows that a whole copy is what is read: the gzipped
// file's deflate stream is broken after the copy was kept, and reading it
// still gives the content, from the copy. (Load itself would stop
// earlier: it first reads every file's header through gzip, to check that
// the files go together.)
func TestCacheIsRead(t *testing.T) {
	cache := t.TempDir()
	defer func(old func() string) { cacheDir = old }(cacheDir)
	cacheDir = func() string { return cache }
	dir, _ := cachedSet(t)
	if _, _, err := Load(dir, "mnist", Options{}); err != nil {
		t.Fatal(err)
	}
	// Keep the gzip header and trailer (which name the copy) and break the
	// deflate stream between them.
	path := filepath.Join(dir, "train-images-idx3-ubyte.gz")
	b, _ := os.ReadFile(path)
	for i := 10; i < len(b)-8; i++ {
		b[i] = 0xff
	}
	write(t, path, b)
	f, err := readIDXFile(path, imagesMagic, "pixels")
	if err != nil {
		t.Fatalf("reading it with a whole copy kept: %v; want the copy read, not the broken gzip stream", err)
	}
	if !bytes.Equal(f.body, pixels) || f.name != path {
		t.Errorf("read %v from %q, want %v from %q", f.body, f.name, pixels, path)
	}
}
