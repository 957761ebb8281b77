package engine

import (
	"errors"
	"testing"
)

// TestForClasses: every built-in architecture, given data of 3 or 47
// classes, builds with an output layer of that many units, and the spec it
// came from is unchanged; a spec that does not end with a dense layer is
// left for Build to refuse.
func TestForClasses(t *testing.T) {
	for _, name := range ArchNames() {
		spec, _ := LookupArch(name)
		s := spec.Defaults
		s.Output = OutputSoftmax
		for _, k := range []int{3, 47} {
			net, err := Build(spec.ForClasses(k), mnistIn, k, s)
			if err != nil {
				t.Fatalf("Build(%s.ForClasses(%d)) = %v", name, k, err)
			}
			if info := net.Info(); net.Classes() != k || info[len(info)-1].Out.Size() != k {
				t.Errorf("%s for %d classes: the net has %d classes, its last layer %v outputs", name, k, net.Classes(), info[len(info)-1].Out)
			}
		}
		if fresh, _ := LookupArch(name); spec.Layers[len(spec.Layers)-1] != fresh.Layers[len(fresh.Layers)-1] {
			t.Errorf("ForClasses changed %s's own layers", name)
		}
	}
	conv := ArchSpec{Name: "conv", Layers: []LayerSpec{{Name: "C", Kind: "conv", Maps: 2, Kernel: 28}}}
	if got := conv.ForClasses(3); got.Layers[0] != conv.Layers[0] {
		t.Errorf("ForClasses changed a spec ending with a convolution: %+v", got.Layers[0])
	}
}

// TestRBFNeedsTenClasses: the paper's RBF output refuses any other number
// of classes than its 10 digit bitmaps, as a setting error about output.
func TestRBFNeedsTenClasses(t *testing.T) {
	spec, _ := LookupArch("lenet5-1998")
	_, err := Build(spec.ForClasses(3), mnistIn, 3, spec.Defaults)
	var se *SettingError
	want := "output rbf: want softmax for 3 classes: the RBF output's bitmaps exist for the 10 digits only"
	if !errors.As(err, &se) || se.Key != "output" || se.Error() != want {
		t.Errorf("Build(lenet5-1998 for 3 classes) = %v, want a SettingError %q", err, want)
	}
	if _, err := Build(spec.ForClasses(10), mnistIn, 10, spec.Defaults); err != nil {
		t.Errorf("Build(lenet5-1998 for 10 classes) = %v", err)
	}
}
