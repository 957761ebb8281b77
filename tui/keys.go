package tui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
)

// keyMap lists every key of the UI; it implements help.KeyMap.
type keyMap struct {
	Pause      key.Binding
	Activation key.Binding
	CycleAct   key.Binding
	LRUp       key.Binding
	LRDown     key.Binding
	Prev       key.Binding
	Next       key.Binding
	Kernels    key.Binding
	Scale      key.Binding
	Inspect    key.Binding
	NextProbe  key.Binding
	PrevProbe  key.Binding
	Restart    key.Binding
	LogScale   key.Binding
	Flow       key.Binding
	Draw       key.Binding
	Confusion  key.Binding
	Embedding  key.Binding
	Augment    key.Binding
	Overview   key.Binding // the probe's whole forward pass (overview.go)
	Save       key.Binding
	Back       key.Binding // back to the maps from a view in their place
	LayerNav   key.Binding // display only: ←/→ in the short help
	ProbeNav   key.Binding // display only: n/p in the short help
	ActShort   key.Binding // display only: a in a narrow short help
	LRShort    key.Binding // display only: +/- in a narrow short help
	FlowShort  key.Binding // display only: g in a narrow short help

	// Display only: the keys a view in the maps' place takes while it is
	// shown (inspect.go, confusion.go, pad.go), as the footer names them.
	Page       key.Binding // kernels: [ ] turn the pages
	ValueMove  key.Binding // inspect: the arrows move the value
	ValueMap   key.Binding // inspect: [ ] the map
	ValueInput key.Binding // inspect: tab the input shown
	ValueDone  key.Binding // inspect: esc or i leaves
	Backward   key.Binding // inspect: b the weight under the value, its gradient and step
	CellMove   key.Binding // confusion: the arrows move the cursor
	CellOpen   key.Binding // confusion: enter opens the cell
	DigitStep  key.Binding // confusion, a cell's digits: ←/→
	DigitProbe key.Binding // confusion, a cell's digits: enter makes one the probe
	DigitBack  key.Binding // confusion, a cell's digits: esc back to the matrix
	PenMove    key.Binding // pad: the arrows move the pen
	PenDown    key.Binding // pad: space lowers or lifts it
	PenClear   key.Binding // pad: x clears
	PadAdd     key.Binding // pad: enter adds the drawing to the image folder (padfolder.go)
	ClassPick  key.Binding // pad, asking for the class: ↑↓ the classes offered
	ClassAdd   key.Binding // pad, asking for the class: enter adds the drawing
	ClassStop  key.Binding // pad, asking for the class: esc gives up
	GradMode   key.Binding // overview: tab forward ↔ gradients
	BackShort  key.Binding // display only: esc back to the maps, in the footer
	HelpClose  key.Binding // display only: ? or esc closes the key help
	Help       key.Binding
	Quit       key.Binding

	Tour      key.Binding // the guided tour (tour.go)
	TourNav   key.Binding // display only: →/← step through the tour
	TourLeave key.Binding // display only: esc leaves the tour
	Pace      key.Binding // full speed, slowed, one batch at a time
	StepBatch key.Binding // paused: train one batch
}

func newKeyMap() keyMap {
	return keyMap{
		Pause:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause")),
		Activation: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sigmoid↔relu (others→relu)")),
		CycleAct:   key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "cycle 4 activations")),
		LRUp:       key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "lr ×2/÷2")),
		LRDown:     key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "lr ÷2")),
		Prev:       key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous layer")),
		Next:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next layer")),
		Kernels:    key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "kernels")),
		Scale:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "map scale")),
		Inspect:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect")),
		NextProbe:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next digit")),
		PrevProbe:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous digit")),
		Restart:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restart")),
		LogScale:   key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "log↔linear loss")),
		Flow:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "gradients ↔ maps")),
		Draw:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "draw")),
		Confusion:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "confusion")),
		Embedding:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "embedding")),
		Augment:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "distortions")),
		Overview:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "overview")),
		GradMode:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "gradients")),
		Save:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save checkpoint")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the maps")),
		ProbeNav:   key.NewBinding(key.WithKeys("n", "p"), key.WithHelp("n/p", "digit")),
		LayerNav:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "layer")),
		ActShort:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sigmoid↔relu")),
		LRShort:    key.NewBinding(key.WithKeys("+", "-"), key.WithHelp("+/-", "lr")),
		FlowShort:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "gradients")),
		Page:       key.NewBinding(key.WithKeys("[", "]"), key.WithHelp("[ ]", "page")),
		ValueMove:  key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "move value")),
		ValueMap:   key.NewBinding(key.WithKeys("[", "]"), key.WithHelp("[ ]", "map")),
		ValueInput: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "input")),
		ValueDone:  key.NewBinding(key.WithKeys("esc", "i"), key.WithHelp("esc", "done")),
		Backward:   key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "back to a weight")),
		CellMove:   key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "cell")),
		CellOpen:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "its digits")),
		DigitStep:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "digit")),
		DigitProbe: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "make it the probe")),
		DigitBack:  key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "matrix")),
		PenMove:    key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "pen")),
		PenDown:    key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pen down/up")),
		PenClear:   key.NewBinding(key.WithKeys("x", "backspace"), key.WithHelp("x", "clear")),
		PadAdd:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add to folder")),
		ClassPick:  key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "class")),
		ClassAdd:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add")),
		ClassStop:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		BackShort:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "maps")),
		HelpClose:  key.NewBinding(key.WithKeys("?", "esc"), key.WithHelp("?/esc", "close")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Tour:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tour")),
		TourNav:    key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "tour step")),
		TourLeave:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave tour")),
		Pace:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "pace")),
		StepBatch:  key.NewBinding(key.WithKeys("."), key.WithHelp(".", "one batch")),
	}
}

// hint is a key the footer offers and how much it matters where it is
// offered: rank 0 always shows; when the line is too long, the footer
// drops the hints of the highest rank first, the last shown of them first.
type hint struct {
	b    key.Binding
	rank int
}

// hinter is a view of the maps' place with keys of its own while it is
// shown (keyTaker); hints names them for the footer.
type hinter interface {
	hints(k keyMap) []hint
}

// footerState is what the footer's keys depend on: the view's own keys,
// whether a view other than the feature maps is shown (esc leaves it),
// which card is shown, and the run.
type footerState struct {
	own      []hint      // the keys of the view shown (hinter)
	keysOpen bool        // the key help ('?') is open
	away     bool        // a card, or the kernels, in the maps' place: esc returns to the maps
	card     key.Binding // the key of the card shown; disabled for the maps
	inspect  bool        // inspecting a value
	run      bool        // the run takes pause and resume
	paused   bool        // a pause was asked for: space resumes
	ended    bool        // the run has ended: r starts another
	tour     bool        // the tour is open: the arrows step it, esc leaves it
}

// footer is the keys of the footer in s, in the order shown: space, the
// layer, the view's own keys, esc, the ways into the other views (i, c, e, d), the
// run's keys, then ? and q.
func (k keyMap) footer(s footerState) []hint {
	var out []hint
	pause := k.Pause
	if s.paused {
		pause.SetHelp("space", "resume")
	}
	takes := func(keyName string) bool {
		return slices.ContainsFunc(s.own, func(h hint) bool { return slices.Contains(h.b.Keys(), keyName) })
	}
	if s.run && !takes(" ") {
		out = append(out, hint{pause, 0})
	}
	if s.run && s.paused {
		out = append(out, hint{k.StepBatch, 2})
	}
	if s.keysOpen {
		return append(out, hint{k.HelpClose, 0}, hint{k.Quit, 0})
	}
	if s.tour {
		out = append(out, hint{k.TourNav, 0}, hint{k.TourLeave, 0})
	} else if !s.inspect && !takes("left") && !s.card.Enabled() {
		out = append(out, hint{k.LayerNav, 2 - btoi(s.away)}) // the kernels are per layer
	}
	for _, h := range s.own {
		// In the tour the arrows and esc are the tour's.
		if !s.tour || !slices.ContainsFunc(h.b.Keys(), func(k string) bool { return k == "esc" || k == "left" || k == "right" }) {
			out = append(out, h)
		}
	}
	if s.away && !takes("esc") && !s.tour {
		out = append(out, hint{k.BackShort, 0})
	}
	ways := 1 + btoi(len(s.own) > 0 || s.away)
	for _, b := range []key.Binding{k.Inspect, k.Confusion, k.Embedding, k.Draw} {
		if !(s.inspect && b.Keys()[0] == "i") && !sameKey(b, s.card) {
			out = append(out, hint{b, ways})
		}
	}
	if !s.tour {
		out = append(out, hint{k.Tour, 3})
	}
	out = append(out, hint{k.ActShort, 3}, hint{k.LRShort, 3}, hint{k.Pace, 4})
	if !s.card.Enabled() && !s.away {
		out = append(out, hint{k.Kernels, 3})
	}
	for _, b := range []key.Binding{k.FlowShort, k.Augment, k.Overview} {
		if !sameKey(b, s.card) {
			out = append(out, hint{b, 4})
		}
	}
	return append(out, hint{k.ProbeNav, 4}, hint{k.Restart, 4 - 3*btoi(s.ended)}, hint{k.Help, 0}, hint{k.Quit, 0})
}

func sameKey(a, b key.Binding) bool {
	return b.Enabled() && len(b.Keys()) > 0 && slices.Equal(a.Keys(), b.Keys())
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ShortHelp is the footer over the feature maps while training, every key
// it may show; the footer shows as many as fit (footer).
func (k keyMap) ShortHelp() []key.Binding {
	return bindings(k.footer(footerState{run: true}))
}

func bindings(hs []hint) []key.Binding {
	out := make([]key.Binding, len(hs))
	for i, h := range hs {
		out[i] = h.b
	}
	return out
}

// keyGroup is a heading of the key help ('?') and its keys, each with a few
// words of why a student presses it.
type keyGroup struct {
	title string
	keys  []keyWhy
}

type keyWhy struct {
	b   key.Binding
	why string
}

// groups is the key help ('?'): every key (but ?, which the panel's title
// names), by what a student does with it, with the keys c and d take. Each
// why fits 32 cells, so that two columns fit 80.
func (k keyMap) groups() []keyGroup {
	return []keyGroup{
		{"Train", []keyWhy{
			{k.Pause, "pause/resume to look closely"},
			{k.StepBatch, "paused: train one batch"},
			{k.Pace, "pace: full, slow, one batch"},
			{k.ActShort, "sigmoid↔ReLU; A: all four"},
			{k.LRUp, "learning rate ×2 / ÷2"},
			{k.Restart, "restart with fresh weights"},
		}},
		{"Look inside", []keyWhy{
			{k.LayerNav, "layer (h/l): what each sees"},
			{k.Kernels, "kernels: the weights it learned"},
			{k.Inspect, "one value's arithmetic, lit"},
			{k.Scale, "scale: per map, layer, absolute"},
			{k.FlowShort, "gradients: which layers learn"},
			{k.ProbeNav, "next/previous probe digit"},
			{k.LogScale, "loss axis: log ↔ linear"},
			{k.Back, "back to the maps from any view"},
		}},
		{"Find mistakes", []keyWhy{
			{k.Confusion, "confusion: what it mixes up"},
			{k.CellOpen, "in c: a cell's digits, a probe"},
			{k.Embedding, "F6 embedding: classes part"},
			{k.Augment, "the distortions training sees"},
		}},
		{"Draw", []keyWhy{
			{k.Draw, "draw your own digit to test it"},
			{k.PenMove, "in d: move the pen (or mouse)"},
			{k.PenDown, "in d: pen down / up"},
			{k.PenClear, "in d: clear the canvas"},
		}},
		{"Learn, keep", []keyWhy{
			{k.Tour, "a guided tour of LeNet-5"},
			{k.Overview, "the whole pass; tab: gradients"},
			{k.Backward, "in i: a weight's grad and step"},
			{k.Save, "save a checkpoint for --load"},
		}},
	}
}

// FullHelp is every key of the key help, a column per group (groups).
func (k keyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.groups() {
		col := make([]key.Binding, len(g.keys))
		for i, kw := range g.keys {
			col[i] = kw.b
		}
		out = append(out, col)
	}
	return out
}
