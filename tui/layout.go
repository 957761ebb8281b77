package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// cards are the views of the maps' place (the lower deck), the feature
// maps first and then each with the key that shows it. A new view there is
// a panel in its own file and one line here; if it follows the run
// (runObserver), the layout finds it (layout.go, observers).
func (m *model) cards() []card {
	k := m.keys
	return []card{
		{p: &m.maps},
		{p: newFlowPanel(m.st), key: k.Flow},
		{p: newConfusionPanel(m.st), key: k.Confusion},
		{p: newEmbeddingPanel(m.st), key: k.Embedding},
		{p: &m.pad, key: k.Draw},
		{p: newAugmentPanel(m.st), key: k.Augment},
		{p: newOverviewPanel(m.st), key: k.Overview},
	}
}

// screens is the layout table: for each size class, from the largest, the
// smallest terminal it is for and where each panel goes. layout uses the
// first class the terminal is large enough for; below the last, View says
// the terminal is too small. While '?' is open the keys take the whole
// body: grouped, with why, they need the lines and two columns. While the
// tour is open its text takes a fixed band, the same for every step, so
// that stepping through it moves nothing.
func (m *model) screens() []screen {
	return append(m.wideScreens(), m.compactScreens()...)
}

// wideScreens are the size classes from 120×40.
func (m *model) wideScreens() []screen {
	charts := row(pane(&m.loss, 1, 0, 0), pane(&m.acc, 1, 0, 0))
	return []screen{{
		name: "wide, keys", minW: 120, minH: 40, keys: true,
		root: column(fitted(&m.header, false), pane(&m.keysHelp, 1, 0, 0), fitted(&m.help, true)),
	}, {
		// As wide, with the tour's band under the header and the charts
		// shrunk to make room.
		name: "wide, tour", minW: 120, minH: 40, tour: true,
		root: m.wide(charts.sized(35, 10, 0), 65, pane(&m.tourText, 1, 7, 7)),
	}, {
		// As wide, with the charts shrunk for a deep view in the maps'
		// place (kernels, inspect: deep in screen.deep).
		name: "wide, deep", minW: 120, minH: 40, deep: true,
		root: m.wide(charts.sized(30, 10, 0), 70),
	}, {
		// Header; the layers over the whole body on the left; on the right
		// the two charts side by side over the feature maps and the probe;
		// the key help at the bottom.
		name: "wide", minW: 120, minH: 40,
		root: m.wide(charts.sized(45, 12, 0), 55),
	}}
}

// wide is the header (and the tour's band, if given); the layers over the
// whole body on the left; on the right top over the feature maps and the
// probe, which take a share lower of the height; the key help.
func (m *model) wide(top cell, lower int, tour ...cell) cell {
	return column(append(append([]cell{fitted(&m.header, false)}, tour...),
		row(
			pane(&m.layers, 30, 44, 56),
			column(
				top,
				row(pane(&m.lower, 70, 0, 0), pane(&m.pred, 30, 32, 40)).sized(lower, 14, 0),
			).sized(70, 0, 0),
		),
		fitted(&m.help, true),
	)...)
}

// compactScreens are the size classes from 80×24: a header without a
// border, the help at the bottom.
func (m *model) compactScreens() []screen {
	lower := row(pane(&m.lower, 72, 0, 0), pane(&m.pred, 28, 22, 32))
	return []screen{{
		name: "compact, keys", minW: 80, minH: 24, keys: true,
		root: column(fitted(&m.header, true), pane(&m.keysHelp, 1, 0, 0), fitted(&m.help, true)),
	}, {
		// The tour's text in the place of the layers and the charts: the
		// view a step is about keeps its lines.
		name: "compact, tour", minW: 80, minH: 24, tour: true,
		root: column(fitted(&m.header, true), pane(&m.tourText, 1, 8, 8), lower, fitted(&m.help, true)),
	}, {
		// As compact, with the layers cut to the selected one and no charts
		// for a deep view in the maps' place (kernels, inspect): the
		// inspected value keeps its window and each input map's sum.
		name: "compact, deep", minW: 80, minH: 24, deep: true,
		root: column(
			fitted(&m.header, true),
			pane(&m.layers, 1, 4, 4),
			lower.sized(3, 0, 0),
			fitted(&m.help, true),
		),
	}, {
		// The layers and both charts over the feature maps and the probe.
		name: "compact", minW: 80, minH: 24,
		root: column(
			fitted(&m.header, true),
			row(pane(&m.layers, 36, 30, 44), pane(&m.loss, 32, 0, 0), pane(&m.acc, 32, 0, 0)),
			lower,
			fitted(&m.help, true),
		),
	}}
}

// screen is one size class of the layout table.
type screen struct {
	name       string
	minW, minH int  // the smallest terminal it is for
	keys       bool // for while the key help ('?') is open
	tour       bool // for while the tour is open (and the key help is not)
	deep       bool // for while the maps' place shows something deep (kernels, inspect); else skipped
	root       cell
}

// cell is a node of a layout: a panel, or a column or row of cells that
// share its space. Along its parent's direction a cell is as tall as its
// content (fit, in a column only) or gets a share of the space the fitted
// cells leave, in proportion to weight and within min..max (max 0: no
// bound). Across it, it gets the parent's whole size.
type cell struct {
	p        panel
	bare     bool // p without a border
	fit      bool // as tall as p's content
	across   bool // children side by side (a row), else stacked (a column)
	kids     []cell
	weight   int
	min, max int
}

func pane(p panel, weight, lo, hi int) cell { return cell{p: p, weight: weight, min: lo, max: hi} }

func fitted(p panel, bare bool) cell { return cell{p: p, bare: bare, fit: true} }

func column(kids ...cell) cell { return cell{kids: kids, weight: 1} }

func row(kids ...cell) cell { return cell{kids: kids, across: true, weight: 1} }

// sized sets the weight and bounds of a column or row.
func (c cell) sized(weight, lo, hi int) cell {
	c.weight, c.min, c.max = weight, lo, hi
	return c
}

// layout picks the size class for the terminal and sizes every panel.
func (m *model) layout() {
	m.active = nil
	deep := m.deep()
	for i, s := range m.layouts {
		if m.width >= s.minW && m.height >= s.minH && s.keys == m.keysOpen && s.tour == (m.tourOpen && !m.keysOpen) && (deep || !s.deep) {
			m.active = &m.layouts[i]
			place(s.root, 0, 0, m.width, m.height)
			return
		}
	}
}

// deep reports whether the maps' place shows a view that wants more
// lines than the maps: the kernels or coefficients (k), or inspect (i).
func (m *model) deep() bool {
	return m.lower.shown == 0 && (m.maps.kernels || m.maps.insp.on)
}

// place gives c the w×h cells whose top-left is (x, y), and its children
// their shares.
func place(c cell, x, y, w, h int) {
	if c.p != nil {
		c.p.setBare(c.bare)
		c.p.setOrigin(x, y)
		if c.fit {
			h = natural
		}
		c.p.setSize(w, h)
		return
	}
	along := h
	if c.across {
		along = w
	}
	for i, n := range share(along, c.kids, w) {
		if c.across {
			place(c.kids[i], x, y, n, h)
			x += n
		} else {
			place(c.kids[i], x, y, w, n)
			y += n
		}
	}
}

// share divides n cells among kids: fitted kids (w wide) take their
// content's height, the rest is shared by weight, largest remainders
// first, and kids whose share falls outside their bounds are held at the
// bound while the others share again.
func share(n int, kids []cell, w int) []int {
	sizes := make([]int, len(kids))
	held := make([]bool, len(kids))
	for i, k := range kids {
		if k.fit {
			place(k, 0, 0, w, natural)
			sizes[i], held[i] = lipgloss.Height(k.p.view()), true
		}
	}
	for {
		left, weights := n, 0
		for i, k := range kids {
			if held[i] {
				left -= sizes[i]
			} else {
				weights += k.weight
			}
		}
		free := byWeight(left, weights, kids, held)
		settled := true
		for i, k := range kids {
			if held[i] {
				continue
			}
			switch {
			case free[i] < k.min:
				sizes[i], held[i], settled = k.min, true, false
			case k.max > 0 && free[i] > k.max:
				sizes[i], held[i], settled = k.max, true, false
			}
		}
		if settled {
			for i := range kids {
				if !held[i] {
					sizes[i] = free[i]
				}
			}
			return sizes
		}
	}
}

// byWeight shares n among the kids not held in proportion to their
// weights: each gets the floor of its share, and the cells left over go
// one each to the largest remainders, the first kid on ties.
func byWeight(n, weights int, kids []cell, held []bool) []int {
	out := make([]int, len(kids))
	if weights <= 0 || n <= 0 {
		return out
	}
	rem := make([]int, len(kids))
	left := n
	for i, k := range kids {
		if !held[i] {
			out[i], rem[i] = n*k.weight/weights, n*k.weight%weights
			left -= out[i]
		}
	}
	for ; left > 0; left-- {
		best := -1
		for i := range kids {
			if !held[i] && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// compose joins the views of c's panels as place sized them. Every panel
// is exactly as wide as place made it and the panels of a row are equally
// tall (panel's contract), so a column is its views one under another and a
// row is their lines side by side: no widths to measure, which lipgloss's
// joins would do for every line of the screen at every frame. A row whose
// views differ in height (a broken contract) is joined by lipgloss, which
// pads.
func compose(c cell) string {
	if c.p != nil {
		return c.p.view()
	}
	views := make([]string, len(c.kids))
	for i, k := range c.kids {
		views[i] = compose(k)
	}
	if !c.across {
		return strings.Join(views, "\n")
	}
	return joinRow(views)
}

// joinRow puts views of equal height side by side, line by line.
func joinRow(views []string) string {
	if len(views) < 2 {
		return strings.Join(views, "")
	}
	lines := make([][]string, len(views))
	for i, v := range views {
		lines[i] = strings.Split(v, "\n")
		if len(lines[i]) != len(lines[0]) {
			return lipgloss.JoinHorizontal(lipgloss.Top, views...)
		}
	}
	var b strings.Builder
	b.Grow(len(views[0]) * len(views))
	for r := range lines[0] {
		if r > 0 {
			b.WriteByte('\n')
		}
		for i := range lines {
			b.WriteString(lines[i][r])
		}
	}
	return b.String()
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	return max(lo, min(v, hi))
}

// observers are the panels of the layout table that follow the run, a
// deck's cards included, each once, in the order the table first names
// them: a panel in the table is a panel the events reach.
func observers(screens []screen) []runObserver {
	var out []runObserver
	seen := map[panel]bool{}
	var visit func(p panel)
	visit = func(p panel) {
		if seen[p] {
			return
		}
		seen[p] = true
		if d, ok := p.(*deck); ok {
			for _, c := range d.cards {
				visit(c.p)
			}
		}
		if o, ok := p.(runObserver); ok {
			out = append(out, o)
		}
	}
	var walk func(c cell)
	walk = func(c cell) {
		if c.p != nil {
			visit(c.p)
		}
		for _, k := range c.kids {
			walk(k)
		}
	}
	for _, s := range screens {
		walk(s.root)
	}
	return out
}
