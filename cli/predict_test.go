package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// fixture is the trained net of testdata (see its README) and MNIST's
// test set.
const fixture = "testdata/lenet5-mnist-1epoch.safetensors"

func fixtureNet(t *testing.T) (*classifier, *dataset.Set) {
	t.Helper()
	_, test, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	cl, err := newClassifier(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return cl, test
}

func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// asIs is MNIST image i as a 28×28 grey PNG would hold it.
func asIs(s *dataset.Set, i int) image.Image {
	img := image.NewGray(image.Rect(0, 0, 28, 28))
	copy(img.Pix, s.Image(i))
	return img
}

// rescaled is MNIST image i as someone might scan it: 5× larger (140×140)
// by bilinear interpolation, dark ink on white, as colour.
func rescaled(s *dataset.Set, i int) image.Image {
	const k = 5
	src := s.Image(i)
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= 28 || y >= 28 {
			return 0
		}
		return float64(src[y*28+x])
	}
	img := image.NewNRGBA(image.Rect(0, 0, 28*k, 28*k))
	for y := range 28 * k {
		for x := range 28 * k {
			// the centre of output pixel (x, y) in source pixel coordinates
			sx, sy := (float64(x)+0.5)/k-0.5, (float64(y)+0.5)/k-0.5
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			v := (1-fy)*((1-fx)*at(x0, y0)+fx*at(x0+1, y0)) + fy*((1-fx)*at(x0, y0+1)+fx*at(x0+1, y0+1))
			g := uint8(255 - math.Round(v))
			copy(img.Pix[img.PixOffset(x, y):], []uint8{g, g, g, 255})
		}
	}
	return img
}

// TestPredictRoundTrip writes MNIST test digits out as PNG files and
// classifies the files as predict does: each gets the class the net gives
// the digit in memory. As they are, preparing them is nearly the identity
// (package digit), so no class may change. Scanned — five times larger by
// bilinear interpolation, dark on white, in colour — they come back
// through inversion, cropping and a 5:1 area average: the two resamplings
// blur strokes by about a pixel and the centring rounds to another whole
// pixel for some, 7.5 grey levels from the original per pixel on average.
// The fixture's net changes none of these 200 (a net trained on 12,000
// images, unsure of more digits, changed 4, each at under 65% either way):
// up to 3% may.
func TestPredictRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("classifies 400 PNG files")
	}
	cl, test := fixtureNet(t)
	dir := t.TempDir()
	const n = 200
	var changed [2]int
	for i := range n {
		want := argmax(cl.net.Look(test.Image(i), &cl.scale).Probs)
		for k, img := range []image.Image{asIs(test, i), rescaled(test, i)} {
			file := filepath.Join(dir, []string{"as-is", "scanned"}[k]+".png")
			writePNG(t, file, img)
			probs, err := cl.classifyFile(file)
			if err != nil {
				t.Fatalf("test image %d %s: %v", i, []string{"as is", "scanned"}[k], err)
			}
			if got := argmax(probs); got != want {
				changed[k]++
				t.Logf("test image %d (label %d) %s: class %d (%.2f), in memory %d", i, test.Labels[i], []string{"as is", "scanned"}[k], got, probs[got], want)
			}
		}
	}
	t.Logf("of %d test digits, %d as-is and %d scanned PNGs changed class", n, changed[0], changed[1])
	if changed[0] > 0 || changed[1] > n*3/100 {
		t.Errorf("%d as-is and %d scanned PNGs of %d changed class; want 0 and at most %d", changed[0], changed[1], n, n*3/100)
	}
}

// TestPredictBadInput: each image that cannot be classified gets one line
// on stderr naming it, the others their results, and the exit code is 1.
func TestPredictBadInput(t *testing.T) {
	if _, err := dataset.LocateMNIST(); err != nil {
		t.Skip(err) // the good image comes from MNIST
	}
	_, test := fixtureNet(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "seven.png")
	writePNG(t, good, rescaled(test, 0)) // test image 0 is a 7
	tiny := filepath.Join(dir, "tiny.png")
	writePNG(t, tiny, image.NewGray(image.Rect(0, 0, 1, 1)))
	blank := filepath.Join(dir, "blank.png")
	white := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	writePNG(t, blank, white)
	text := filepath.Join(dir, "notes.png")
	os.WriteFile(text, []byte("not an image at all\n"), 0o644)
	cut := filepath.Join(dir, "cut.png")
	b, _ := os.ReadFile(good)
	os.WriteFile(cut, b[:len(b)/2], 0o644)
	missing := filepath.Join(dir, "missing.png")
	huge := filepath.Join(dir, "huge.png")
	writePNGHeader(huge, 100_000, 100_000, 8, 0)
	colour16 := filepath.Join(dir, "colour16.png")
	writePNGHeader(colour16, 5000, 5000, 16, 6) // 16-bit RGBA: 200 MB decoded

	for _, tt := range []struct {
		args   []string
		stdout string
		stderr []string
	}{
		{[]string{"predict", good}, "", []string{"predict classifies images with a trained net: lenet-tui predict --load FILE IMAGE…"}},
		{[]string{"predict", "--load", fixture}, "", []string{"predict: name an image to classify"}},
		{[]string{"predict", "--load", fixture, missing}, "", []string{missing + ": no such file or directory"}},
		{[]string{"predict", "--load", fixture, text}, "", []string{text + ": not a PNG, JPEG or GIF image"}},
		{[]string{"predict", "--load", fixture, cut}, "", []string{cut + ": a broken PNG image: invalid format: not enough pixel data"}},
		{[]string{"predict", "--load", fixture, tiny}, "", []string{tiny + ": a 1×1 picture is too small to hold a digit: want at least 8×8 pixels"}},
		{[]string{"predict", "--load", fixture, blank}, "", []string{blank + ": blank: nothing stands out from the background as ink"}},
		{[]string{"predict", "--load", fixture, dir}, "", []string{dir + ": a folder, not a file"}},
		{[]string{"predict", "--load", fixture, colour16}, "", []string{colour16 + ": a 5000×5000 PNG: decoding it would take 200,000,000 bytes, more than the 67,108,864 (64 MiB) a picture may"}},
		{[]string{"predict", "--load", fixture, huge}, "", []string{huge + ": a 100000×100000 PNG: want at most 25,000,000 pixels"}},
		{[]string{"predict", "--load", filepath.Join(dir, "none.safetensors"), good}, "", []string{"none.safetensors: no such file"}},
		{[]string{"predict", tiny, "--load", fixture, good, blank}, good + ": 7 (", []string{tiny + ": a 1×1", blank + ": blank"}},
	} {
		var out, errb bytes.Buffer
		code := Run(tt.args, &out, &errb)
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		ok := code == 1 && len(lines) == len(tt.stderr) && strings.Contains(out.String(), tt.stdout) && (tt.stdout != "" || out.Len() == 0)
		for i, want := range tt.stderr {
			ok = ok && i < len(lines) && strings.HasPrefix(lines[i], "lenet-tui: ") && strings.Contains(lines[i], want)
		}
		if !ok {
			t.Errorf("lenet-tui %s = exit %d, stdout %q, stderr %q; want exit 1, stdout with %q, a line each with %q",
				strings.Join(tt.args, " "), code, out.String(), errb.String(), tt.stdout, tt.stderr)
		}
	}
}

// writePNGHeader writes at path a PNG header claiming w×h pixels of bit
// depth depth and colour type typ, and nothing more.
func writePNGHeader(path string, w, h uint32, depth, typ byte) {
	var hdr bytes.Buffer
	hdr.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = append(binary.BigEndian.AppendUint32(ihdr, h), depth, typ, 0, 0, 0)
	binary.Write(&hdr, binary.BigEndian, uint32(len(ihdr)-4))
	hdr.Write(ihdr)
	binary.Write(&hdr, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	os.WriteFile(path, hdr.Bytes(), 0o644)
}

// TestPredictOutput: the line and the JSON record say what the net says of
// the prepared image.
func TestPredictOutput(t *testing.T) {
	cl, test := fixtureNet(t)
	path := filepath.Join(t.TempDir(), "digit.png")
	writePNG(t, path, rescaled(test, 1))
	pixels, err := readDigit(path)
	if err != nil {
		t.Fatal(err)
	}
	probs := cl.net.Look(pixels, &cl.scale).Probs
	order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
	var out, errb bytes.Buffer
	if code := Run([]string{"predict", "--load", fixture, path}, &out, &errb); code != 0 {
		t.Fatalf("predict = exit %d, %s", code, errb.String())
	}
	want := fmt.Sprintf("%s: %d (%.1f%%)  then %d (%.1f%%), %d (%.1f%%)\n", path,
		order[0], 100*probs[order[0]], order[1], 100*probs[order[1]], order[2], 100*probs[order[2]])
	if out.String() != want {
		t.Errorf("predict printed %q, want %q", out.String(), want)
	}
	out.Reset()
	if code := Run([]string{"predict", "--json", "--load", fixture, path}, &out, &errb); code != 0 {
		t.Fatalf("predict --json = exit %d, %s", code, errb.String())
	}
	var rec struct {
		Image       string
		Class       int
		Probability float32
		Probs       []float32
	}
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatalf("predict --json printed %q: %v", out.String(), err)
	}
	if rec.Image != path || rec.Class != order[0] || rec.Probability != probs[order[0]] || !slices.Equal(rec.Probs, probs) {
		t.Errorf("predict --json = %+v, want image %s, class %d, probability %v, probs %v", rec, path, order[0], probs[order[0]], probs)
	}
	if test.Labels[1] != uint8(rec.Class) {
		t.Logf("test image 1 is a %d; the net says %d", test.Labels[1], rec.Class)
	}
}

// TestPredictMemory: predict holds a picture's decoded image and a few rows
// of it, not a copy of 8 bytes a pixel (a 16-bit grey 5,000×5,000 PNG of
// 88 KB took 351 MB). Measured in bytes allocated, which do not depend on
// the machine or the collector's timing.
func TestPredictMemory(t *testing.T) {
	const side = 2000
	img := image.NewGray16(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			if d := (x-side/2)*(x-side/2) + (y-side/2)*(y-side/2); d > 700*700 && d < 800*800 {
				continue // the ring, black
			}
			img.SetGray16(x, y, color.Gray16{Y: 0xffff})
		}
	}
	path := filepath.Join(t.TempDir(), "ring16.png")
	writePNG(t, path, img)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var out, errb bytes.Buffer
	code := Run([]string{"predict", "--load", fixture, path}, &out, &errb)
	runtime.ReadMemStats(&after)
	if code != 0 || !strings.HasPrefix(out.String(), path+": 0 (") {
		t.Fatalf("predict %s = exit %d, %q, %q; want it read as a 0", path, code, out.String(), errb.String())
	}
	decoded := uint64(2 * side * side)
	if got := after.TotalAlloc - before.TotalAlloc; got > decoded+decoded/2 {
		t.Errorf("predict of a %d×%d 16-bit grey PNG allocated %d bytes, want at most %d (its %d decoded and half as much)", side, side, got, decoded+decoded/2, decoded)
	}
}
