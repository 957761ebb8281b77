package dataset_test

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/digit"
	"github.com/lenet-tui/lenet-tui/internal/imagefolder"
)

// mnist returns MNIST's sets, or skips the test when it is not there.
func mnist(t *testing.T) (train, test *dataset.Set) {
	t.Helper()
	train, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	return train, test
}

// prepareDigit is how the program prepares an image folder's pictures.
func prepareDigit(img image.Image) ([]uint8, error) {
	px, w, h := digit.FromImage(img)
	return digit.Prepare(px, w, h)
}

// prepared is what prepareDigit makes of MNIST image px.
func prepared(t *testing.T, px []uint8) []uint8 {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	copy(g.Pix, px)
	out, err := prepareDigit(g)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// byDigit maps each loaded image (its pixels as a string) of s to the name
// of its class, failing on two equal images of different classes.
func byPixels(s *dataset.Set) map[string]string {
	m := map[string]string{}
	for i := range s.Count {
		m[string(s.Image(i))] = s.ClassName(int(s.Labels[i]))
	}
	return m
}

// TestLoadFolder: 40 + 20 MNIST digits saved as PNG under class folders
// zero … nine load as 40 + 20 images, each the digit prepared as predict
// prepares one (or, with KeepSize, the digit itself), in the class of its
// folder; the names are the folders' in sorted order.
func TestLoadFolder(t *testing.T) {
	mtrain, mtest := mnist(t)
	dir := t.TempDir()
	if err := imagefolder.Digits(dir, mtrain, mtest, 40, 20, nil); err != nil {
		t.Fatal(err)
	}
	wantNames := slices.Sorted(slices.Values(imagefolder.DigitNames))
	for _, keep := range []bool{false, true} {
		var calls [][2]int
		o := dataset.Options{KeepSize: keep, Prepare: prepareDigit, Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
		train, test, err := dataset.Load(dir, "ignored", o)
		if err != nil {
			t.Fatalf("Load(%s, KeepSize %t) = %v", dir, keep, err)
		}
		for _, c := range []struct {
			got, from *dataset.Set
			n         int
			name      string
		}{{train, mtrain, 40, filepath.Base(dir) + "/train"}, {test, mtest, 20, filepath.Base(dir) + "/test"}} {
			s := c.got
			if s.Count != c.n || s.Rows != 28 || s.Cols != 28 || s.Classes != 10 || !slices.Equal(s.Names, wantNames) || s.Name != c.name {
				t.Fatalf("loaded %s: %d %d×%d images, %d classes %q, want %d 28×28, 10 classes %q named %s", s.Name, s.Count, s.Rows, s.Cols, s.Classes, s.Names, c.n, wantNames, c.name)
			}
			loaded := byPixels(s)
			for i := range c.n {
				want := c.from.Image(i)
				if !keep {
					want = prepared(t, want)
				}
				class, ok := loaded[string(want)]
				if wantClass := imagefolder.DigitNames[c.from.Labels[i]]; !ok || class != wantClass {
					t.Errorf("KeepSize %t: MNIST %s image %d (a %s) loaded as class %q (found %t)", keep, c.from.Name, i, wantClass, class, ok)
				}
			}
		}
		if len(calls) == 0 || calls[len(calls)-1] != [2]int{60, 60} || !slices.IsSortedFunc(calls, func(a, b [2]int) int { return a[0] - b[0] }) {
			t.Errorf("Progress calls %v, want increasing counts ending with 60 of 60", calls)
		}
	}
}

// TestLoadFolderAnyPicture: a digit saved three times larger, in blue ink
// on white paper, loads as the digit itself prepared, within a few grey
// levels: the tint lifts the ink's luminance by 0.114·40 = 4.6 levels,
// which stretching the strongest ink to 255 nearly undoes.
func TestLoadFolderAnyPicture(t *testing.T) {
	mtrain, mtest := mnist(t)
	dir := t.TempDir()
	big := func(px []uint8) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 84, 84))
		for y := range 84 {
			for x := range 84 {
				v := 255 - px[y/3*28+x/3]
				img.Set(x, y, color.RGBA{v, v, uint8(min(255, int(v)+40)), 255})
			}
		}
		return img
	}
	if err := imagefolder.Digits(dir, mtrain, mtest, 20, 10, big); err != nil {
		t.Fatal(err)
	}
	train, _, err := dataset.Load(dir, "x", dataset.Options{Prepare: prepareDigit})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		want := prepared(t, mtrain.Image(i))
		best := 255
		for j := range train.Count {
			worst := 0
			for k, p := range train.Image(j) {
				worst = max(worst, int(p)-int(want[k]), int(want[k])-int(p))
			}
			best = min(best, worst)
		}
		if best > 6 {
			t.Errorf("MNIST training image %d, 84×84 in colour: the nearest loaded image is %d grey levels off somewhere, want at most 6", i, best)
		}
	}
}

// TestHeldOut: without test/, each class keeps round(n/7) of its pictures
// for testing, the same ones whatever order the files were written in,
// and a set's first images are of several classes.
func TestHeldOut(t *testing.T) {
	mtrain, _ := mnist(t)
	load := func(dir string, o dataset.Options) (train, test *dataset.Set) {
		t.Helper()
		o.Prepare = prepareDigit
		train, test, err := dataset.Load(dir, "x", o)
		if err != nil {
			t.Fatal(err)
		}
		return train, test
	}
	a := t.TempDir()
	if err := imagefolder.Digits(a, mtrain, nil, 140, 0, nil); err != nil {
		t.Fatal(err)
	}
	perClass := map[uint8]int{}
	for i := range 140 {
		perClass[mtrain.Labels[i]]++
	}
	wantTest := 0
	for _, n := range perClass {
		wantTest += min(max(1, int(float64(n)/7+0.5)), n-1)
	}
	train, test := load(a, dataset.Options{})
	if train.Count+test.Count != 140 || test.Count != wantTest {
		t.Fatalf("held out %d of %d, want %d (round(n/7) of each class)", test.Count, train.Count+test.Count, wantTest)
	}
	if classes := len(byClass(test.Head(10))); classes < 4 {
		t.Errorf("the first 10 test images are of %d classes, want them mixed", classes)
	}

	// The same files written in reverse order split the same way.
	b := t.TempDir()
	for _, f := range slices.Backward(files(t, a)) {
		copyFile(t, filepath.Join(a, f), filepath.Join(b, f))
	}
	train2, test2 := load(b, dataset.Options{})
	if !slices.Equal(train.Images, train2.Images) || !slices.Equal(test.Labels, test2.Labels) || !slices.Equal(test.Images, test2.Images) {
		t.Errorf("the same folder written in another order split differently")
	}

	_, half := load(a, dataset.Options{HeldOut: 0.5})
	if half.Count < 60 || half.Count > 80 {
		t.Errorf("HeldOut 0.5 held out %d of 140, want about 70", half.Count)
	}
}

// byClass counts the images of each class of s.
func byClass(s *dataset.Set) map[uint8]int {
	m := map[uint8]int{}
	for _, l := range s.Labels {
		m[l]++
	}
	return m
}

// files lists the files under dir, relative to it, in walk order.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestFolderHiddenAndLinks: hidden files and folders are skipped, and a
// link to a picture or to a class folder is followed.
func TestFolderHiddenAndLinks(t *testing.T) {
	mtrain, mtest := mnist(t)
	src := t.TempDir()
	if err := imagefolder.Digits(src, mtrain, mtest, 30, 10, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(src, "test"), filepath.Join(dir, "test")))
	must(os.MkdirAll(filepath.Join(dir, "train", ".ipynb_checkpoints"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "train", ".ipynb_checkpoints", "notes.txt"), []byte("x"), 0o644))
	for _, f := range files(t, filepath.Join(src, "train")) {
		must(os.MkdirAll(filepath.Join(dir, "train", filepath.Dir(f)), 0o755))
		must(os.Symlink(filepath.Join(src, "train", f), filepath.Join(dir, "train", f)))
		must(os.WriteFile(filepath.Join(dir, "train", filepath.Dir(f), ".DS_Store"), []byte{0, 0, 0, 1}, 0o644))
	}
	train, test, err := dataset.Load(dir, "x", dataset.Options{Prepare: prepareDigit})
	if err != nil {
		t.Fatalf("Load with hidden files and links = %v", err)
	}
	if train.Count != 30 || test.Count != 10 {
		t.Errorf("loaded %d + %d images, want 30 + 10", train.Count, test.Count)
	}
}

// TestPeekFolder: Peek counts what Load reads without reading a picture:
// the counts of a folder whose pictures are all broken.
func TestPeekFolder(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"train/cat/1.png", "train/cat/2.png", "train/dog/1.jpg", "test/dog/9.gif"} {
		path := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("not a picture"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	train, test, err := dataset.Peek(dir, dataset.Options{})
	if want := (dataset.Dims{Count: 3, Rows: 28, Cols: 28, Classes: 2}); err != nil || train != want || test != (dataset.Dims{Count: 1, Rows: 28, Cols: 28, Classes: 2}) {
		t.Errorf("Peek = %+v, %+v, %v; want %+v and 1 test image", train, test, err, want)
	}
}

// BenchmarkLoadFolder loads 2,000 + 500 MNIST digits saved as PNG, each
// prepared as predict prepares a picture, on all cores.
func BenchmarkLoadFolder(b *testing.B) {
	mtrain, mtest, err := dataset.Open("mnist", "")
	if err != nil {
		b.Skipf("MNIST: %v", err)
	}
	dir := b.TempDir()
	if err := imagefolder.Digits(dir, mtrain, mtest, 2000, 500, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := dataset.Load(dir, "x", dataset.Options{Prepare: prepareDigit}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2500*float64(b.N)/b.Elapsed().Seconds(), "img/s")
}
