package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
)

// builtInfos builds the built-in architecture arch with its defaults,
// changed by edit, and returns its blocks as the engine describes them.
// A combination the engine refuses to build (the RBF output after a layer
// other than 84 wide) is skipped.
func builtInfos(t *testing.T, arch string, edit func(*engine.Settings)) ([]engine.LayerInfo, engine.Settings) {
	t.Helper()
	spec, err := engine.LookupArch(arch)
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	if edit != nil {
		edit(&s)
	}
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		if edit != nil {
			t.Skipf("Build(%s) with %+v: %v", arch, s, err)
		}
		t.Fatal(err)
	}
	return net.Info(), s
}

// numberRE finds the numbers a sentence quotes: 6, 28, 3,000.
var numberRE = regexp.MustCompile(`[0-9][0-9,]*`)

// factNumbers are the numbers the engine states about block i: its shapes
// and sizes, its kernel, padding and the padded size, its counts and the
// numbers of its op and formulas, and for a connection table the maps each
// output reads and how many read so many.
func factNumbers(infos []engine.LayerInfo, i int) map[int]bool {
	li := infos[i]
	ok := map[int]bool{}
	for _, n := range []int{li.In.C, li.In.H, li.In.W, li.In.Size(), li.Out.C, li.Out.H, li.Out.W, li.Out.Size(),
		li.Kernel, li.Params, li.Connections} {
		ok[n] = true
	}
	if li.Kind == "conv" {
		padded := li.Out.H + li.Kernel - 1
		ok[padded], ok[li.Out.W+li.Kernel-1], ok[(padded-li.In.H)/2] = true, true, true
	}
	for _, text := range []string{li.Op, li.Padding, li.ParamsFormula, li.ConnectionsFormula} {
		for _, m := range numberRE.FindAllString(text, -1) {
			n, _ := strconv.Atoi(strings.ReplaceAll(m, ",", ""))
			ok[n] = true
		}
	}
	if li.Table != nil {
		reads := map[int]int{}
		for j := range li.Table[0] {
			k := 0
			for _, row := range li.Table {
				if row[j] {
					k++
				}
			}
			ok[k] = true
			reads[k]++
		}
		for _, n := range reads {
			ok[n] = true
		}
	}
	return ok
}

// TestExplainEveryBlock: every block of every built-in architecture (and
// of lenet5 under the other pooling orders and activations) has its
// sentences, they name the block, and every number they quote is one the
// engine states about it.
func TestExplainEveryBlock(t *testing.T) {
	edits := map[string]func(*engine.Settings){
		"defaults":             nil,
		"pool-then-activate":   func(s *engine.Settings) { s.Order = engine.OrderPoolThenActivate },
		"activate-then-pool":   func(s *engine.Settings) { s.Order = engine.OrderActivateThenPool },
		"tanh":                 func(s *engine.Settings) { s.Activation = engine.Tanh },
		"rbf":                  func(s *engine.Settings) { s.Output = engine.OutputRBF },
		"softmax":              func(s *engine.Settings) { s.Output = engine.OutputSoftmax },
		"bias-per-position":    func(s *engine.Settings) { s.Bias = engine.BiasPerPosition },
		"sigmoid-same-pooling": func(s *engine.Settings) { s.Activation = engine.Sigmoid },
	}
	for _, arch := range engine.ArchNames() {
		for name, edit := range edits {
			t.Run(arch+"/"+name, func(t *testing.T) {
				infos, s := builtInfos(t, arch, edit)
				names := make([]string, len(infos))
				for i, li := range infos {
					names[i] = li.Name
				}
				for i, li := range infos {
					act := string(li.Activation)
					if act == "" {
						act = "none"
					}
					got := explain(infos, i, act, s.Output)
					if got == "" {
						t.Fatalf("explain(%s) = \"\", want a sentence", li.Name)
					}
					if !strings.HasPrefix(got, li.Name+" ") {
						t.Errorf("explain(%s) = %q, want it to begin with the block's name", li.Name, got)
					}
					// Strip the blocks' names (C1, S2, F6), whose digits are
					// no quantity, and check every number that is left.
					text := got
					for _, n := range names {
						text = regexp.MustCompile(`\b`+regexp.QuoteMeta(n)+`\b`).ReplaceAllString(text, "")
					}
					ok := factNumbers(infos, i)
					for _, m := range numberRE.FindAllString(text, -1) {
						n, _ := strconv.Atoi(strings.ReplaceAll(strings.TrimRight(m, ","), ",", ""))
						if !ok[n] {
							t.Errorf("explain(%s) quotes %d, which the engine does not state of it (%+v):\n%s", li.Name, n, li, got)
						}
					}
					if act != "none" && !strings.Contains(got, "then "+act) {
						t.Errorf("explain(%s) = %q, want it to say the activation %s follows", li.Name, got, act)
					}
					if act == "none" && strings.Contains(got, ", then ") {
						t.Errorf("explain(%s) = %q names an activation, but the block has none", li.Name, got)
					}
				}
			})
		}
	}
}

// TestExplainKinds: each kind of block is explained in its own terms, with
// the engine's numbers in the places a student reads them.
func TestExplainKinds(t *testing.T) {
	tests := []struct {
		arch, block string
		want        []string // each in the sentence, formatted from the block's LayerInfo
		not         []string
	}{
		{"lenet5", "C1", []string{"slides %[1]d kernels of %[3]d×%[3]d", "the %[5]d×%[6]d input", "padded with 2 pixels of zeros to 32×32", "maps stay %[7]d×%[8]d"}, []string{"table"}},
		{"lenet5", "S2", []string{"sums each %[3]d×%[3]d field", "trained coefficient", "%[1]d maps of %[7]d×%[8]d"}, []string{"largest"}},
		{"lenet5", "C3", []string{"slides %[1]d kernels", "connection table, 6 maps read 3 of the %[4]d input maps, 9 read 4 and 1 reads all %[4]d", "shrink to %[7]d×%[8]d"}, nil},
		{"lenet5", "C5", []string{"%[1]d kernels of %[4]d×%[3]d×%[3]d", "sums all %[4]d×%[5]d×%[6]d values", "dense layer"}, []string{"slides"}},
		{"lenet5", "F6", []string{"%[1]d units", "all %[4]d values of C5"}, nil},
		{"lenet5", "OUTPUT", []string{"%[1]d units", "logits", "Softmax"}, []string{"RBF", "bitmap"}},
		{"lenet5-1998", "INPUT", []string{"the %[5]d×%[6]d image in a %[7]d×%[8]d field", "background"}, nil},
		{"lenet5-1998", "C1", []string{"with no padding", "INPUT's %[5]d×%[6]d map"}, nil},
		{"lenet5-1998", "S2", []string{"a large one makes a threshold"}, nil},
		{"lenet5-1998", "OUTPUT", []string{"%[1]d fixed bitmaps of ±1 (7×12)", "squared distance", "smallest"}, []string{"logits", "Softmax"}},
		{"lenet5-modern", "S2", []string{"keeps the largest value of each %[3]d×%[3]d field", "no weights"}, []string{"coefficient"}},
		{"lenet5-modern", "C3", []string{"all %[4]d input maps"}, []string{"table"}},
		{"seed-code", "C5", []string{"slides %[1]d kernels", "maps stay %[7]d×%[8]d"}, []string{"dense layer"}},
		{"seed-code", "FC1", []string{"%[4]d×%[5]d×%[6]d=5,880 values of C5"}, nil},
		{"seed-notes", "F6", []string{"%[4]d×%[5]d×%[6]d=3,000 values"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.arch+"/"+tt.block, func(t *testing.T) {
			infos, s := builtInfos(t, tt.arch, nil)
			i := indexOf(infos, tt.block)
			li := infos[i]
			act := string(li.Activation)
			if act == "" {
				act = "none"
			}
			got := explain(infos, i, act, s.Output)
			args := []any{li.Out.C, 0, li.Kernel, li.In.C, li.In.H, li.In.W, li.Out.H, li.Out.W}
			for _, w := range tt.want {
				if strings.Contains(w, "%[") {
					w = fmt.Sprintf(w, args...)
				}
				if !strings.Contains(got, w) {
					t.Errorf("explain(%s) = %q, want it to contain %q", tt.block, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("explain(%s) = %q, want no %q", tt.block, got, n)
				}
			}
		})
	}
}

func indexOf(infos []engine.LayerInfo, name string) int {
	for i, li := range infos {
		if li.Name == name {
			return i
		}
	}
	panic("no block " + name)
}

// TestLayersPanelExplains: the panel shows the selected block's sentences
// under its title when it has the room, follows the selection and the
// switched activation, and shows none in the smallest layout.
func TestLayersPanelExplains(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	if v := m.layers.view(); !strings.Contains(v, "C1 slides 6 kernels") {
		t.Errorf("layers at 120×40 =\n%s\nwant C1's sentences", v)
	}
	press(m, "l") // S2
	if v := m.layers.view(); !strings.Contains(v, "S2 sums each 2×2") || strings.Contains(v, "C1 slides") {
		t.Errorf("layers at 120×40 with S2 selected =\n%s\nwant S2's sentences only", v)
	}
	m.layers.setActivation(engine.Sigmoid)
	if v := flat(m.layers.view()); !strings.Contains(v, "then sigmoid") || !strings.Contains(v, "threshold") {
		t.Errorf("layers after a switch to sigmoid =\n%s\nwant the sentences to follow it", v)
	}
	small, _ := trainedModel(t, asciiStyles(), 80, 24)
	if v := small.layers.view(); strings.Contains(v, "slides") {
		t.Errorf("layers at 80×24 =\n%s\nwant no sentences", v)
	}
}

// flat is a panel's text with its frame and line breaks taken out, so that
// a wrapped sentence can be searched.
func flat(v string) string {
	var words []string
	for _, l := range strings.Split(v, "\n") {
		words = append(words, strings.Fields(strings.Trim(l, "│ "))...)
	}
	return strings.Join(words, " ")
}
