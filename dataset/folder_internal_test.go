package dataset

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// folderOf writes an image folder of the given class folders, each with n
// copies of a 28×28 grey picture, and returns its path.
func folderOf(t *testing.T, classes []string, n int) string {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, FolderSide, FolderSide))
	for i := 200; i < 500; i++ {
		g.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range classes {
		if err := os.MkdirAll(filepath.Join(dir, "train", c), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := os.WriteFile(filepath.Join(dir, "train", c, strconv.Itoa(i)+".png"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestFolderFileLimit: a folder of more entries than the limit is refused
// while it is walked, by Peek and by Load, before a picture is opened
// (two are broken here, which would be the error otherwise); at the limit
// it is read. The limit is MaxFiles in the program, 25 here.
func TestFolderFileLimit(t *testing.T) {
	dir := folderOf(t, []string{"a", "b"}, 12) // 2 class folders and 24 files
	for _, f := range []string{"a/5.png", "b/7.png"} {
		os.WriteFile(filepath.Join(dir, "train", f), []byte("broken"), 0o644)
	}
	o := Options{maxFiles: 25}
	want := "dataset: " + dir + ": more than 25 files: an image folder holds at most 25 (found while reading " + filepath.Join(dir, "train", "b") + ")"
	if _, _, err := Peek(dir, o); err == nil || err.Error() != want {
		t.Errorf("Peek = %v, want %s", err, want)
	}
	if _, _, err := Load(dir, "x", o); err == nil || err.Error() != want {
		t.Errorf("Load = %v, want %s", err, want)
	}
	os.Remove(filepath.Join(dir, "train", "b", "0.png")) // 25 entries
	var fe *FolderError
	if _, _, err := Load(dir, "x", o); !errors.As(err, &fe) || fe.Path != filepath.Join(dir, "train", "a", "5.png") {
		t.Errorf("Load of 25 files = %v, want the first broken picture's error", err)
	}
}

// TestFolderFirstError: with several bad pictures, the error is about the
// first in class and name order, however the workers are timed.
func TestFolderFirstError(t *testing.T) {
	dir := folderOf(t, []string{"a", "b", "c"}, 40)
	for _, f := range []string{"b/17.png", "b/3.png", "c/0.png", "a/39.png"} {
		os.WriteFile(filepath.Join(dir, "train", f), []byte("broken"), 0o644)
	}
	want := filepath.Join(dir, "train", "a", "39.png")
	for range 20 {
		_, _, err := Load(dir, "x", Options{})
		var fe *FolderError
		if !errors.As(err, &fe) || fe.Path != want {
			t.Fatalf("Load = %v, want the error about %s", err, want)
		}
	}
}

// TestBudget: pictures decoded at once never hold more pixels than the
// budget, and every one gets its turn, the largest too.
func TestBudget(t *testing.T) {
	b := newBudget(100)
	var inUse, most atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				n := (g*37+i*11)%60 + 1
				if i%50 == 0 {
					n = 1000 // more than the budget: it takes it all
				}
				b.take(n)
				use := inUse.Add(int64(min(n, 100)))
				for m := most.Load(); use > m && !most.CompareAndSwap(m, use); m = most.Load() {
				}
				inUse.Add(-int64(min(n, 100)))
				b.give(n)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m > 100 || b.free != 100 {
		t.Errorf("at most %d pixels in use at once and %d free at the end, want ≤ 100 and 100", m, b.free)
	}
}

// TestClassNames: MNIST's names are its digits, Fashion-MNIST's the ten
// of its README, and the IDX loader gives them to both sets.
func TestClassNames(t *testing.T) {
	if got := ClassNames("mnist"); len(got) != 10 || got[0] != "0" || got[9] != "9" {
		t.Errorf(`ClassNames("mnist") = %q, want "0" … "9"`, got)
	}
	want := []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	if got := ClassNames("fashion-mnist"); len(got) != 10 || got[0] != want[0] || got[9] != want[9] || got[6] != want[6] {
		t.Errorf(`ClassNames("fashion-mnist") = %q, want %q`, got, want)
	}
	dir := writeFiles(t, tinyFiles())
	train, test, err := Load(dir, "fashion-mnist", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if train.ClassName(9) != "Ankle boot" || test.ClassName(0) != "T-shirt/top" {
		t.Errorf("Fashion-MNIST's class 9 is %q and 0 %q, want Ankle boot and T-shirt/top", train.ClassName(9), test.ClassName(0))
	}
	if s := (&Set{}); s.ClassName(3) != "3" {
		t.Errorf("a set without names calls class 3 %q, want 3", s.ClassName(3))
	}
}
