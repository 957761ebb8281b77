package tui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// classNames are a run's class names by index (engine.RunInfo.Classes):
// MNIST's digits, Fashion-MNIST's "T-shirt/top" … "Ankle boot", an image
// folder's class folders. A panel shows a class by its name where there is
// room, cut short ("T-shi…") where there is a little, and by its index
// where there is none; MNIST's names are their indexes, so its screens
// read as they always did.
type classNames []string

// name is class c's name, or its index when the run names none.
func (n classNames) name(c int) string {
	if c >= 0 && c < len(n) && n[c] != "" {
		return n[c]
	}
	return strconv.Itoa(c)
}

// numbered reports whether every class is named by its index (MNIST's
// digits, a run without names): its name and its index are one.
func (n classNames) numbered() bool {
	for c, s := range n {
		if s != strconv.Itoa(c) {
			return false
		}
	}
	return true
}

// minCut is the fewest cells a name is cut to, its "…" included: below,
// the index says more.
const minCut = 3

// cut is class c's name in at most w cells: whole, or cut short with "…"
// (spaces before it dropped), or its index when fewer than minCut cells
// are left.
func (n classNames) cut(c, w int) string {
	s := n.name(c)
	switch {
	case ansi.StringWidth(s) <= w:
		return s
	case w < minCut:
		return draw.Truncate(strconv.Itoa(c), max(w, 1))
	}
	cut := strings.TrimRight(ansi.Truncate(s, w-1, ""), " ")
	return cut + "…"
}

// widest is the width of the widest name, in cells.
func (n classNames) widest() int {
	w := 1
	for c := range n {
		w = max(w, ansi.StringWidth(n.name(c)))
	}
	return w
}

// nameCuts are the widths names are cut to, in turn, to make a phrase fit:
// 0 for whole, −1 for the indexes.
var nameCuts = []int{0, 12, 10, 8, 6, 5, 4, minCut, -1}

// namers are the ways fit and fitLines name a class, longest first: the
// whole name, the name cut shorter and shorter, the index.
func (n classNames) namers() []func(c int) string {
	out := make([]func(int) string, len(nameCuts))
	for i, at := range nameCuts {
		switch {
		case at == 0:
			out[i] = n.name
		case at < 0:
			out[i] = strconv.Itoa
		default:
			out[i] = func(c int) string { return n.cut(c, at) }
		}
	}
	return out
}

// fit returns the first of says that fits in w cells with the names whole,
// else with the names cut shorter and shorter (cut), else with the
// indexes; the last of says with the indexes when none fits. A say builds
// its phrase from the name function it is given.
func (n classNames) fit(w int, says ...func(name func(c int) string) string) string {
	var s string
	for _, name := range n.namers() {
		for _, say := range says {
			if s = say(name); ansi.StringWidth(s) <= w {
				return s
			}
		}
	}
	return s
}

// fitEach is fit for lines said together (a column of classes): say's
// lines with the longest names with which each fits in w cells; with the
// indexes when none do.
func (n classNames) fitEach(w int, say func(name func(c int) string) []string) []string {
	var lines []string
	for _, name := range n.namers() {
		lines = say(name)
		if !slices.ContainsFunc(lines, func(l string) bool { return ansi.StringWidth(l) > w }) {
			break
		}
	}
	return lines
}

// fitLines is fit for a phrase wrapped into lines of w cells: the first
// of says, with the longest names, whose wrapping takes at most h lines;
// the last with the indexes, wrapped, when none does. A name is kept on
// one line: its spaces and hyphens do not break.
func (n classNames) fitLines(w, h int, says ...func(name func(c int) string) string) []string {
	var lines []string
	for _, name := range n.namers() {
		unbroken := func(c int) string { return keepWhole.Replace(name(c)) }
		for _, say := range says {
			if lines = wrapCells(say(unbroken), w); len(lines) <= h {
				break
			}
		}
		if len(lines) <= h {
			break
		}
	}
	for i, l := range lines {
		lines[i] = unkeep.Replace(l)
	}
	return lines
}

// nbsp and nbHyphen are a space and a hyphen that ansi.Wrap does not
// break a line at; keepWhole puts them in a name, unkeep takes them out.
const nbsp, nbHyphen = "\u00a0", "\u2011"

var (
	keepWhole = strings.NewReplacer(" ", nbsp, "-", nbHyphen)
	unkeep    = strings.NewReplacer(nbsp, " ", nbHyphen, "-")
)
