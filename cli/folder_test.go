package cli

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/internal/imagefolder"
)

// squarePNG is a 28×28 grey PNG of a light square on black: a picture
// with ink, of shift pixels down and right.
func squarePNG(t *testing.T, shift int) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	for y := 8 + shift; y < 18+shift; y++ {
		for x := 8 + shift; x < 18+shift; x++ {
			g.Pix[y*28+x] = 255
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// headerPNG is a PNG header claiming w×h pixels, and nothing more.
func headerPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit grey
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)-4))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// writeTree writes files (path relative to dir → content) into dir; a nil
// content makes a folder.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, name)
		if data == nil {
			if err := os.MkdirAll(path, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// badFolder is an image folder that is wrong in one way: its files (path
// relative to the folder → content; nil for a folder), the flags beyond
// --data, and the line train must write (DIR for the folder).
type badFolder struct {
	name  string
	files map[string][]byte
	args  []string
	want  string
}

// badFolders are the ways an image folder can be wrong.
func badFolders(t *testing.T) []badFolder {
	sq := squarePNG(t, 0)
	good := func(extra map[string][]byte) map[string][]byte {
		files := map[string][]byte{"train/a/1.png": sq, "train/a/2.png": squarePNG(t, 1), "train/b/1.png": squarePNG(t, 2), "train/b/2.png": squarePNG(t, 3)}
		maps.Copy(files, extra)
		return files
	}
	manyClasses := map[string][]byte{}
	for i := range dataset.MaxClasses + 1 {
		manyClasses[fmt.Sprintf("train/c%03d", i)] = nil
	}
	return []badFolder{
		{"neither layout", map[string][]byte{"README": []byte("hi")}, nil,
			"dataset: DIR holds neither MNIST's IDX files (train-images-idx3-ubyte and three others, gzipped or not) nor an image folder (DIR/train/<class> with one folder of pictures per class)"},
		{"no class folders", map[string][]byte{"train": nil}, nil,
			"dataset: DIR/train: no class folders: put each class's pictures in a folder of its own, DIR/train/<class>"},
		{"one class", map[string][]byte{"train/a/1.png": sq}, nil, "dataset: DIR/train: one class folder (a): a classifier needs at least 2"},
		{"too many classes", manyClasses, nil, "dataset: DIR/train: 257 class folders: want at most 256"},
		{"empty class", good(map[string][]byte{"train/c": nil}), nil,
			"dataset: DIR/train/c: a class folder with no pictures: want .png, .jpg, .jpeg or .gif files in it"},
		{"a file among the classes", good(map[string][]byte{"train/labels.csv": []byte("a,b")}), nil,
			"dataset: DIR/train/labels.csv: a regular file among the class folders: train/ holds one folder per class, the pictures inside"},
		{"not a picture by name", good(map[string][]byte{"train/a/notes.txt": []byte("x")}), nil,
			"dataset: DIR/train/a/notes.txt: not a picture: a class folder holds .png, .jpg, .jpeg or .gif files only"},
		{"a folder in a class", good(map[string][]byte{"train/a/more": nil}), nil,
			"dataset: DIR/train/a/more: a folder inside a class folder: put the pictures directly in DIR/train/a"},
		{"not a picture inside", good(map[string][]byte{"train/b/3.jpg": []byte("GIF? no, text")}), nil,
			"dataset: DIR/train/b/3.jpg: not a PNG, JPEG or GIF picture"},
		{"a broken picture", good(map[string][]byte{"train/b/3.png": sq[:len(sq)/2]}), nil,
			"dataset: DIR/train/b/3.png: a broken PNG picture: invalid format: not enough pixel data"},
		{"a huge picture", good(map[string][]byte{"train/a/3.png": headerPNG(100_000, 100_000)}), nil,
			"dataset: DIR/train/a/3.png: a 100000×100000 PNG: want at most 25,000,000 pixels"},
		{"a blank picture", good(map[string][]byte{"train/a/3.png": blankPNG(t)}), nil,
			"dataset: DIR/train/a/3.png: blank: nothing stands out from the background as ink"},
		{"a tiny picture", good(map[string][]byte{"train/a/3.png": tinyPNG(t)}), nil,
			"dataset: DIR/train/a/3.png: a 5×5 picture is too small to hold a digit: want at least 8×8 pixels"},
		{"a test class train lacks", good(map[string][]byte{"test/a/1.png": sq, "test/z/1.png": sq}), nil,
			"dataset: DIR/test/z: a class train/ does not have (DIR/train/z is missing): test/'s folders must be train/'s classes"},
		{"an empty test class", good(map[string][]byte{"test/a": nil}), nil,
			"dataset: DIR/test/a: a class folder with no pictures: want .png, .jpg, .jpeg or .gif files in it"},
		{"nothing to hold out", map[string][]byte{"train/a/1.png": sq, "train/b/1.png": sq}, nil,
			"dataset: DIR: no test/, and no class folder has 2 pictures to hold one out for testing: add pictures, or a test/ folder"},
		{"a class name that is not text", good(map[string][]byte{"train/\x1b[31mred/1.png": sq}), nil,
			`dataset: DIR/train/\x1b[31mred: the class name "\x1b[31mred" is not printable text: rename the folder`},
		{"rbf on 2 classes", good(map[string][]byte{"test/a/1.png": sq}), []string{"--arch", "lenet5-1998"},
			"DIR holds 2 classes of 28×28 images: --output rbf: want softmax for 2 classes: the RBF output's bitmaps exist for the 10 digits only"},
	}
}

// TestTrainBadFolder: each way an image folder can be wrong stops
// `lenet-tui train --data DIR` with exit status 1 and one line naming the
// file or folder and what is wrong.
func TestTrainBadFolder(t *testing.T) {
	for _, tt := range badFolders(t) {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			args := append([]string{"train", "--data", dir, "--epochs", "1", "--batch", "1", "--no-save"}, tt.args...)
			var out, errb bytes.Buffer
			code := Run(args, &out, &errb)
			want := "lenet-tui: " + strings.ReplaceAll(tt.want, "DIR", dir) + "\n"
			if code != 1 || errb.String() != want || out.Len() != 0 {
				t.Errorf("lenet-tui %s = exit %d, stdout %q, stderr\n%q\nwant exit 1, no stdout, stderr\n%q", strings.Join(args, " "), code, out.String(), errb.String(), want)
			}
		})
	}
}

// blankPNG is a 28×28 white PNG: nothing on it.
func blankPNG(t *testing.T) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	var b bytes.Buffer
	png.Encode(&b, g)
	return b.Bytes()
}

// tinyPNG is a 5×5 PNG with a dot of ink.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 5, 5))
	g.Pix[12] = 255
	var b bytes.Buffer
	png.Encode(&b, g)
	return b.Bytes()
}

// TestTrainUnreadablePicture: a picture the user may not read is named,
// with the system's reason.
func TestTrainUnreadablePicture(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{"train/a/1.png": squarePNG(t, 0), "train/a/2.png": squarePNG(t, 1), "train/b/1.png": squarePNG(t, 2), "train/b/2.png": squarePNG(t, 3)})
	path := filepath.Join(dir, "train", "b", "2.png")
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Run([]string{"train", "--data", dir, "--no-save"}, &out, &errb)
	if want := "lenet-tui: dataset: " + path + ": permission denied\n"; code != 1 || errb.String() != want {
		t.Errorf("train on a folder with an unreadable picture = exit %d, stderr %q; want 1, %q", code, errb.String(), want)
	}
}

// TestTrainThreeClasses: a folder of 3 classes of MNIST digits (zero, one,
// two) as PNG trains a few batches into a net whose output layer has 3
// units, kept in the checkpoint; the loading is reported on stderr.
func TestTrainThreeClasses(t *testing.T) {
	train, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	dir := t.TempDir()
	if err := imagefolder.Digits(dir, train, test, 200, 60, nil); err != nil {
		t.Fatal(err)
	}
	for _, split := range []string{"train", "test"} {
		for _, name := range imagefolder.DigitNames[3:] {
			if err := os.RemoveAll(filepath.Join(dir, split, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	ck := filepath.Join(t.TempDir(), "three.safetensors")
	var out, errb bytes.Buffer
	args := []string{"train", "--data", dir, "--epochs", "1", "--batch", "16", "--save", ck, "--no-save"}
	if code := Run(args, &out, &errb); code != 0 {
		t.Fatalf("lenet-tui %s = exit %d, stderr %q", strings.Join(args, " "), code, errb.String())
	}
	if !strings.HasPrefix(errb.String(), "loading "+dir+": ") || !strings.HasSuffix(errb.String(), " images\n") {
		t.Errorf("stderr = %q, want lines \"loading %s: N/N images\"", errb.String(), dir)
	}
	c, err := engine.ReadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	last := c.Spec.Layers[len(c.Spec.Layers)-1]
	if c.Classes != 3 || last.Units != 3 {
		t.Errorf("checkpoint of a 3-class folder: %d classes, output layer %s of %d units; want 3 and 3", c.Classes, last.Name, last.Units)
	}
	if c.TestAcc < 0.5 {
		t.Errorf("test accuracy after an epoch on zero, one and two: %.1f%%, want well above a third", 100*c.TestAcc)
	}
	checkFolderCheckpoint(t, c, dir)
}

// checkFolderCheckpoint checks what a checkpoint trained on the image
// folder dir (of classes zero, one and two) keeps of it: the classes'
// names and the folder's name, and that eval reads it on that folder only.
func checkFolderCheckpoint(t *testing.T, c *engine.Checkpoint, dir string) {
	t.Helper()
	if want := []string{"one", "two", "zero"}; !slices.Equal(c.Names, want) || c.Dataset != filepath.Base(dir) {
		t.Errorf("checkpoint: class names %q, dataset %q; want %q and %q", c.Names, c.Dataset, want, filepath.Base(dir))
	}
	var out, errb bytes.Buffer
	if code := Run([]string{"eval", "--load", c.Path, "--data", dir}, &out, &errb); code != 0 || !strings.Contains(out.String(), " on "+filepath.Base(dir)+",") {
		t.Errorf("eval on its folder: exit %d, stdout %q, stderr %q; want 0 and \"on %s,\"", code, out.String(), errb.String(), filepath.Base(dir))
	}
	out.Reset()
	errb.Reset()
	code := Run([]string{"eval", "--load", c.Path}, &out, &errb)
	if want := `was trained on classes named "one", "two", "zero", but `; code != 1 || !strings.Contains(errb.String(), want) {
		t.Errorf("eval on MNIST: exit %d, stderr %q; want 1 and %q", code, errb.String(), want)
	}
}
