package engine

import (
	"fmt"
	"testing"
)

var mnistIn = Shape{1, 28, 28}

func buildArch(t *testing.T, name string) *Net {
	t.Helper()
	spec, err := LookupArch(name)
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Init = InitHe
	net, err := Build(spec, mnistIn, 10, s)
	if err != nil {
		t.Fatalf("Build(%s) = %v", name, err)
	}
	return net
}

// TestCounts holds every built-in architecture to its shapes, parameters and
// connections; lenet5's are LeCun et al. 1998's.
func TestCounts(t *testing.T) {
	type row struct {
		name        string
		out         string
		params      int
		connections int
	}
	for _, tc := range []struct {
		arch  string
		rows  []row
		total int
	}{
		{"lenet5", []row{
			{"C1", "6@28×28", 156, 122304},
			{"S2", "6@14×14", 12, 5880},
			{"C3", "16@10×10", 1516, 151600},
			{"S4", "16@5×5", 32, 2000},
			{"C5", "120", 48120, 48120},
			{"F6", "84", 10164, 10164},
			{"OUTPUT", "10", 850, 850},
		}, 60850},
		{"lenet5-modern", []row{
			{"C1", "6@28×28", 156, 122304},
			{"S2", "6@14×14", 0, 4704},
			{"C3", "16@10×10", 2416, 241600},
			{"S4", "16@5×5", 0, 1600},
			{"C5", "120", 48120, 48120},
			{"F6", "84", 10164, 10164},
			{"OUTPUT", "10", 850, 850},
		}, 61706},
		{"seed-notes", []row{
			{"C1", "6@28×28", 156, 122304},
			{"S2", "6@14×14", 0, 4704},
			{"C3", "16@10×10", 2416, 241600},
			{"S4", "16@5×5", 0, 1600},
			{"C5", "120@5×5", 48120, 1203000},
			{"F6", "84", 252084, 252084},
			{"OUTPUT", "10", 850, 850},
		}, 303626},
		{"seed-code", []row{
			{"C1", "6@28×28", 156, 122304},
			{"P2", "6@14×14", 0, 4704},
			{"C3", "16@14×14", 2416, 473536},
			{"P4", "16@7×7", 0, 3136},
			{"C5", "120@7×7", 48120, 2357880},
			{"FC1", "80", 470480, 470480},
			{"OUTPUT", "10", 810, 810},
		}, 521982},
	} {
		t.Run(tc.arch, func(t *testing.T) {
			infos := buildArch(t, tc.arch).Info()
			if len(infos) != len(tc.rows) {
				t.Fatalf("%s has %d blocks, want %d", tc.arch, len(infos), len(tc.rows))
			}
			for i, want := range tc.rows {
				li := infos[i]
				got := row{li.Name, li.Out.String(), li.Params, li.Connections}
				if got != want {
					t.Errorf("block %d = %+v, want %+v", i, got, want)
				}
			}
			if p, _ := Totals(infos); p != tc.total {
				t.Errorf("total params = %d, want %d", p, tc.total)
			}
			var trainable int
			for _, p := range buildArch(t, tc.arch).Params() {
				for _, w := range p.W {
					if w != 0 || p.Bias || p.Coef {
						trainable++
					}
				}
			}
			if trainable != tc.total {
				t.Errorf("trainable values = %d, want %d (the counts must describe the real tensors)", trainable, tc.total)
			}
		})
	}
}

func TestLeNet5Formulas(t *testing.T) {
	infos := buildArch(t, "lenet5").Info()
	want := map[string][2]string{
		"C1": {"6×(5×5+1)=156", "156×28×28=122,304"},
		"S2": {"6×(1+1)=12", "6×(4+1)×14×14=5,880"},
		"C3": {"6×(3×25+1)+9×(4×25+1)+1×(6×25+1)=1,516", "1,516×10×10=151,600"},
		"C5": {"120×(16×5×5+1)=48,120", "48,120×1×1=48,120"},
		"F6": {"84×(120+1)=10,164", "10,164 (one per parameter)"},
	}
	for _, li := range infos {
		w, ok := want[li.Name]
		if !ok {
			continue
		}
		if li.ParamsFormula != w[0] || li.ConnectionsFormula != w[1] {
			t.Errorf("%s formulas = %q, %q; want %q, %q", li.Name, li.ParamsFormula, li.ConnectionsFormula, w[0], w[1])
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		specs []LayerSpec
		want  string
	}{
		{"unknown kind", []LayerSpec{{Name: "X", Kind: "rbf"}}, `architecture "bad", layer 1 (X): unknown kind "rbf" (want conv, pool, dense or pad)`},
		{"kernel too big", []LayerSpec{{Name: "C", Kind: "conv", Maps: 2, Kernel: 30}}, `architecture "bad", layer 1 (C): C: a 30×30 kernel with padding 0 does not fit input 1@28×28`},
		{"wrong outputs", []LayerSpec{{Name: "F", Kind: "dense", Units: 7}}, `architecture "bad" ends with 7 outputs, but the data has 10 classes: end it with a dense layer of 10 units`},
		{"bad table", []LayerSpec{{Name: "C", Kind: "conv", Maps: 4, Kernel: 3, Table: "lenet5"}}, `architecture "bad", layer 1 (C): table lenet5 connects 6 input maps to 16, not 1 to 4`},
		{"bad pooling", []LayerSpec{{Name: "P", Kind: "pool", Pool: "median"}}, `architecture "bad", layer 1 (P): P: unknown pooling "median" (want max, avg or subsample)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(ArchSpec{Name: "bad", Layers: tc.specs}, mnistIn, 10, modern)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Build = %v, want %s", err, tc.want)
			}
		})
	}
}

func ExampleSummary() {
	spec, _ := LookupArch("lenet5")
	net, _ := Build(spec, Shape{1, 28, 28}, 10, spec.Defaults)
	fmt.Print(Summary(spec.Name, net.Info()))
	// Output:
	// layer   op                    act      output    field     params connections  arithmetic
	// C1      conv 5×5 pad 2        relu     6@28×28   5×5          156     122,304  6×(5×5+1)=156; 156×28×28=122,304
	// S2      subsample 2×2         relu     6@14×14   6×6           12       5,880  6×(1+1)=12; 6×(4+1)×14×14=5,880
	// C3      conv 5×5 valid, table relu     16@10×10  14×14      1,516     151,600  6×(3×25+1)+9×(4×25+1)+1×(6×25+1)=1,516; 1,516×10×10=151,600
	// S4      subsample 2×2         relu     16@5×5    16×16         32       2,000  16×(1+1)=32; 16×(4+1)×5×5=2,000
	// C5      conv 5×5 valid        relu     120       32×32     48,120      48,120  120×(16×5×5+1)=48,120; 48,120×1×1=48,120
	// F6      dense                 relu     84        32×32     10,164      10,164  84×(120+1)=10,164; 10,164 (one per parameter)
	// OUTPUT  dense                 -        10        32×32        850         850  10×(84+1)=850; 850 (one per parameter)
	// total   lenet5                                             60,850     340,918
	// note: OUTPUT: a dense layer with softmax; the 1998 paper used 84×10=840 fixed RBF weights (Euclidean radial basis units) here
}
