package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // an image folder holds GIF, JPEG and PNG pictures
	_ "image/jpeg"
	_ "image/png"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Prepare turns a decoded picture of any size and colour into FolderSide ×
// FolderSide bytes, light ink on black as MNIST's; see Options.Prepare.
type Prepare func(img image.Image) ([]uint8, error)

// decode reads every picture of l into the sets (train, test), on all cores.
// When pictures are bad, the error is about the first of them in l's order
// (class folder after class folder, by name), whatever the timing: workers
// take pictures in that order and finish the one in hand before stopping.
func (l *listing) decode(sets [2]*Set, o Options) error {
	var (
		next   atomic.Int64
		failed atomic.Bool
		mu     sync.Mutex
		first  = len(l.files) // the index of the first bad picture found
		err    error
	)
	pixels := newBudget(MaxPixels)
	prog := progress{report: o.Progress, total: len(l.files), step: max(1, len(l.files)/100)}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(l.files) {
					return
				}
				f := l.files[i]
				s := sets[btoi(f.test)]
				n := s.Rows * s.Cols
				if e := readPicture(f.path, s.Images[f.slot*n:(f.slot+1)*n], o, pixels); e != nil {
					mu.Lock()
					if i < first {
						first, err = i, e
					}
					mu.Unlock()
					failed.Store(true)
					return
				}
				s.Labels[f.slot] = uint8(f.class)
				prog.add()
			}
		})
	}
	wg.Wait()
	return err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readPicture decodes the picture at path into dst (FolderSide² bytes),
// prepared by o. Its size is read from the header first: a picture over
// MaxPixels is refused undecoded, and one under it waits for its pixels in
// the budget before it is decoded.
func readPicture(path string, dst []uint8, o Options, pixels *budget) error {
	f, _, err := infile.Open(path)
	if err != nil {
		return &FolderError{Path: path, Problem: pathProblem(err), Err: err}
	}
	defer f.Close()
	r := bufio.NewReader(f)
	cfg, format, err := image.DecodeConfig(r)
	if errors.Is(err, image.ErrFormat) {
		return &FolderError{Path: path, Problem: "not a PNG, JPEG or GIF picture", Err: err}
	} else if err != nil {
		return &FolderError{Path: path, Problem: "a broken picture: " + decodeError(err, format), Err: err}
	}
	format = strings.ToUpper(format)
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPixels/cfg.Height {
		return &FolderError{Path: path, Problem: fmt.Sprintf("a %d×%d %s: want at most %s pixels", cfg.Width, cfg.Height, format, thousands(MaxPixels))}
	}
	n := cfg.Width * cfg.Height
	pixels.take(n)
	defer pixels.give(n)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return &FolderError{Path: path, Problem: pathProblem(err), Err: err}
	}
	r.Reset(f)
	img, _, err := image.Decode(r)
	if err != nil {
		return &FolderError{Path: path, Problem: fmt.Sprintf("a broken %s picture: %s", format, decodeError(err, strings.ToLower(format))), Err: err}
	}
	return prepare(path, img, dst, o)
}

// prepare fills dst with img: its bytes when o keeps pictures that are
// already FolderSide² grey, else what o.Prepare makes of it.
func prepare(path string, img image.Image, dst []uint8, o Options) error {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Dx() == FolderSide && b.Dy() == FolderSide && (o.KeepSize || o.Prepare == nil) {
		for y := range FolderSide {
			copy(dst[y*FolderSide:(y+1)*FolderSide], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return nil
	}
	if o.Prepare == nil {
		return &FolderError{Path: path, Problem: fmt.Sprintf("a %d×%d %T picture: without a way to prepare pictures, want %d×%d grey ones", b.Dx(), b.Dy(), img, FolderSide, FolderSide)}
	}
	out, err := o.Prepare(img)
	if err != nil {
		return &FolderError{Path: path, Problem: err.Error(), Err: err}
	}
	if len(out) != len(dst) {
		panic(fmt.Sprintf("dataset: Options.Prepare gave %d bytes for %s, want %d", len(out), path, len(dst)))
	}
	copy(dst, out)
	return nil
}

// decodeError is a decoder's error without the format's name it starts
// with ("png: invalid format: …"), which the caller says in its own words.
func decodeError(err error, format string) string {
	msg := err.Error()
	if format != "" {
		msg = strings.TrimPrefix(msg, format+": ")
	}
	return msg
}

// budget hands out pixels to decode, at most total at a time, first come
// first served: a large picture waits until the pictures before it are
// done, and pictures after it wait behind it, so it is never starved.
type budget struct {
	mu            sync.Mutex
	cond          sync.Cond
	free, total   int
	next, serving uint64 // tickets: the next to hand out, the one whose turn it is
}

func newBudget(total int) *budget {
	b := &budget{free: total, total: total}
	b.cond.L = &b.mu
	return b
}

// take waits until n pixels (at most the total) are free and takes them.
func (b *budget) take(n int) {
	n = min(n, b.total)
	b.mu.Lock()
	t := b.next
	b.next++
	for b.serving != t || b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.serving++
	b.cond.Broadcast()
	b.mu.Unlock()
}

// give returns n pixels that take took.
func (b *budget) give(n int) {
	b.mu.Lock()
	b.free += min(n, b.total)
	b.cond.Broadcast()
	b.mu.Unlock()
}

// progress counts the pictures decoded and reports, in increasing order,
// every step of them and the last.
type progress struct {
	report      func(done, total int) // nil: none
	total, step int
	done        atomic.Int64
	mu          sync.Mutex
	reported    int
}

func (p *progress) add() {
	n := int(p.done.Add(1))
	if p.report == nil || n%p.step != 0 && n != p.total {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n > p.reported {
		p.reported = n
		p.report(n, p.total)
	}
}
