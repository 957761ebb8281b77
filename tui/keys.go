package tui

import "github.com/charmbracelet/bubbles/key"

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
	Save       key.Binding
	Back       key.Binding // back to the maps from a view in their place
	LayerNav   key.Binding // display only: ←/→ in the short help
	ProbeNav   key.Binding // display only: n/p in the short help
	ActShort   key.Binding // display only: a in a narrow short help
	LRShort    key.Binding // display only: +/- in a narrow short help
	FlowShort  key.Binding // display only: g in a narrow short help
	Help       key.Binding
	Quit       key.Binding
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
		Inspect:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "inspect a pixel")),
		NextProbe:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next digit")),
		PrevProbe:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous digit")),
		Restart:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restart")),
		LogScale:   key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "log↔linear loss")),
		Flow:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "gradients ↔ maps")),
		Draw:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "draw a digit")),
		Confusion:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "confusion matrix")),
		Embedding:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "F6 embedding")),
		Augment:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "distortions")),
		Save:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save checkpoint")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the maps")),
		ProbeNav:   key.NewBinding(key.WithKeys("n", "p"), key.WithHelp("n/p", "digit")),
		LayerNav:   key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "layer")),
		ActShort:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sigmoid↔relu")),
		LRShort:    key.NewBinding(key.WithKeys("+", "-"), key.WithHelp("+/-", "lr")),
		FlowShort:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "gradients")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the one line always shown at the bottom.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, k.Activation, k.LRUp, k.LayerNav, k.Kernels, k.Flow, k.ProbeNav, k.Restart, k.Help, k.Quit}
}

// narrowHelps are shorter variants of ShortHelp for narrow terminals, in
// the order to try them: terse descriptions, then without the digit, the
// kernel and the layer keys, which '?' still lists. Each keeps pause, the
// activation, restart, help and quit.
func (k keyMap) narrowHelps() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.ActShort, k.LRShort, k.LayerNav, k.Kernels, k.FlowShort, k.ProbeNav, k.Restart, k.Help, k.Quit},
		{k.Pause, k.ActShort, k.LRShort, k.LayerNav, k.Kernels, k.ProbeNav, k.Restart, k.Help, k.Quit},
		{k.Pause, k.ActShort, k.LRShort, k.LayerNav, k.Kernels, k.Restart, k.Help, k.Quit},
		{k.Pause, k.ActShort, k.LRShort, k.LayerNav, k.Restart, k.Help, k.Quit},
		{k.Pause, k.ActShort, k.LRShort, k.Restart, k.Help, k.Quit},
	}
}

// FullHelp is shown by '?': every key once (but ?, which the panel's title
// names), in columns that fit 80 cells: the run, the layers and the probe,
// and the views.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Restart, k.Save, k.Quit, k.ActShort, k.CycleAct, k.LRUp},
		{k.Prev, k.Next, k.Kernels, k.Scale, k.Inspect, k.NextProbe, k.PrevProbe},
		{k.Flow, k.Confusion, k.Embedding, k.Draw, k.Augment, k.LogScale, k.Back},
	}
}
