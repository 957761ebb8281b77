package tui

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/lenet-tui/lenet-tui/internal/outfile"
)

// The drawing pad keeps what is drawn as a labelled example of an image
// folder (Options.PadFolder, --pad-folder): enter asks for the class, and
// the drawing, as the net sees it (28×28 grey, light ink on black, as
// MNIST's), is written as DIR/train/<class>/pad-<time>.png, the folder
// `lenet-tui train --data DIR` reads. The file is written off the screen's
// goroutine (a command), atomically (internal/outfile).

// maxClassName is the longest class name the pad takes, in bytes.
const maxClassName = 64

// padSavedMsg is what became of a drawing added to the image folder: the
// file written, and then how many pictures its class and how many classes
// train/ holds; or why it could not be written.
type padSavedMsg struct {
	class, path string
	pictures    int // in the class's folder, this one included
	classes     int // class folders in train/
	err         error
}

// checkClassName says why name cannot name a class folder of an image
// folder, or nil: the dataset reader skips hidden folders and wants
// printable names, and a class is one folder.
func checkClassName(name string) error {
	switch {
	case name == "":
		return errors.New("type the class's name first")
	case strings.HasPrefix(name, "."):
		return errors.New("a class name may not start with a dot: the image folder reader skips hidden folders")
	case strings.ContainsAny(name, `/\`):
		return errors.New("a class name is one folder's: no / or \\ in it")
	case len(name) > maxClassName:
		return fmt.Errorf("a class name of at most %d bytes, please", maxClassName)
	case strings.TrimSpace(name) != name:
		return errors.New("a class name may not start or end with a space")
	}
	for _, r := range name {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return errors.New("a class name of printable characters, please")
		}
	}
	return nil
}

// addDrawing writes pixels (padSide×padSide, prepared as MNIST) as a grey
// PNG into folder/train/class/, under a name no file there has
// (pad-20261212-153012.png, then -2, -3, …), and counts the class's
// pictures and train/'s classes.
func addDrawing(folder, class string, pixels []uint8, now time.Time) padSavedMsg {
	msg := padSavedMsg{class: class}
	if err := checkClassName(class); err != nil {
		msg.err = err
		return msg
	}
	train := filepath.Join(folder, "train")
	dir := filepath.Join(train, class)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		msg.err = fmt.Errorf("cannot make the class folder: %w", err)
		return msg
	}
	path, err := freeName(dir, "pad-"+now.Format("20060102-150405"), ".png")
	if err != nil {
		msg.err = err
		return msg
	}
	img := &image.Gray{Pix: pixels, Stride: padSide, Rect: image.Rect(0, 0, padSide, padSide)}
	if err := outfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		msg.err = err
		return msg
	}
	msg.path = path
	msg.pictures = countVisible(dir, false)
	msg.classes = countVisible(train, true)
	return msg
}

// freeName is dir/base+ext, or dir/base-2+ext, -3, … : the first no file
// has.
func freeName(dir, base, ext string) (string, error) {
	for i := 1; i <= 1000; i++ {
		name := base + ext
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s: a thousand drawings this second already", dir)
}

// countVisible counts the entries of dir that are not hidden: its folders
// with dirs, else its other entries; 0 when it cannot be read.
func countVisible(dir string, dirs bool) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && e.IsDir() == dirs {
			n++
		}
	}
	return n
}

// ask starts asking for the drawing's class (enter), the class last added
// to typed already; without a folder to add to, enter is not the pad's.
func (p *padPanel) ask() (bool, tea.Cmd) {
	if p.folder == "" {
		return false, nil
	}
	if p.prepared == nil {
		p.setStatus(true, "nothing to add: draw first")
		return true, nil
	}
	p.asking = true
	p.touch()
	return true, nil
}

// askKey takes a key while the class is asked for: a character types it,
// backspace deletes, ↑/↓ go through the classes offered, enter adds the
// drawing to the folder (a command writes it, padSavedMsg says how it
// went) and esc gives up.
func (p *padPanel) askKey(msg tea.KeyMsg) tea.Cmd {
	p.status = nil
	p.touch()
	switch msg.Type {
	case tea.KeyEsc:
		p.asking = false
	case tea.KeyBackspace:
		if len(p.class) > 0 {
			p.class = p.class[:len(p.class)-1]
		}
	case tea.KeyUp:
		p.pickOffered(-1)
	case tea.KeyDown:
		p.pickOffered(+1)
	case tea.KeyRunes, tea.KeySpace:
		for _, r := range msg.Runes {
			if strconv.IsPrint(r) && len(string(p.class))+utf8.RuneLen(r) <= maxClassName {
				p.class = append(p.class, r)
			}
		}
	case tea.KeyEnter:
		class := string(p.class)
		if err := checkClassName(class); err != nil {
			p.setStatus(true, err.Error())
			return nil
		}
		p.asking = false
		p.setStatus(false, "adding the drawing to "+class+"…")
		folder, pixels := p.folder, slices.Clone(p.prepared)
		return func() tea.Msg { return addDrawing(folder, class, pixels, time.Now()) }
	}
	return nil
}

// pickOffered types the class offered step places after (or before) the
// one typed.
func (p *padPanel) pickOffered(step int) {
	if len(p.offered) == 0 {
		return
	}
	i := slices.Index(p.offered, string(p.class))
	switch {
	case i < 0 && step < 0:
		i = len(p.offered) - 1
	case i < 0:
		i = 0
	default:
		i = (i + step + len(p.offered)) % len(p.offered)
	}
	p.class = []rune(p.offered[i])
}

// saved takes what became of a drawing added: it says so and, once the
// drawing is kept, clears the canvas for the next (the probe is again the
// test digit).
func (p *padPanel) saved(msg padSavedMsg) tea.Cmd {
	if msg.err != nil {
		p.setStatus(true, "not added: "+msg.err.Error())
		return nil
	}
	p.offer(msg.class)
	next := fmt.Sprintf("%d classes: train --data %s", msg.classes, p.folder)
	if msg.classes < 2 {
		next = "draw a second class to train on"
	}
	p.setStatus(false, fmt.Sprintf("added to %s: %d drawing(s)", msg.class, msg.pictures), next)
	clear(p.canvas)
	return p.changed()
}

func (p *padPanel) setStatus(bad bool, lines ...string) {
	p.status, p.statusBad = lines, bad
	p.touch()
}

// helpLines are the lines under or beside the canvas: what the keys do, or
// while the class is asked for, the class typed and the keys that take
// it, or what became of the last drawing added.
func (p *padPanel) helpLines() []string {
	s := p.st
	var lines []string
	switch {
	case p.asking:
		lines = []string{s.Label.Render("class: ") + s.Value.Render(string(p.class)) + s.Title.Render("▏"),
			s.Label.Render("enter add · ↑↓ classes · esc cancel")}
	case p.status != nil:
		st := s.Label
		if p.statusBad {
			st = s.MetricBad
		}
		for _, l := range p.status {
			lines = append(lines, st.Render(l))
		}
	default:
		for _, h := range padHelp {
			lines = append(lines, s.Label.Render(h))
		}
		if p.folder != "" {
			lines = append(lines, s.Label.Render("enter: keep it in "+p.folder+"/"))
		}
	}
	if p.asking && p.status != nil { // a class refused: why, under the prompt
		lines = append(lines[:1], s.MetricBad.Render(p.status[0]))
	}
	return lines
}
