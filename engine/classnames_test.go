package engine

import (
	"slices"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// TestInfoClasses: a run's RunInfo names its classes as the training set
// does (Fashion-MNIST's names here), as numbers when the set has none,
// and each call gives a copy of its own.
func TestInfoClasses(t *testing.T) {
	spec, _ := LookupArch("lenet5")
	fashion := dataset.ClassNames("fashion-mnist")
	for _, tc := range []struct {
		name  string
		names []string
		want  []string
	}{
		{"named", fashion, fashion},
		{"unnamed", nil, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			train, test := dataset.Synthetic(64, 28, 28, 1), dataset.Synthetic(16, 28, 28, 2)
			train.Names = tc.names
			net, err := Build(spec, mnistIn, 10, spec.Defaults)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := NewTrainer(net, train, test, TrainConfig{Settings: spec.Defaults, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := tr.Info().Classes
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Info().Classes = %q, want %q", got, tc.want)
			}
			got[0] = "changed"
			if again := tr.Info().Classes; again[0] != tc.want[0] {
				t.Errorf("Info().Classes after changing the last one's = %q, want a fresh copy", again)
			}
		})
	}
}

// TestCheckpointClassNames: a checkpoint's class names are those saved
// with it; without them, its dataset's when the count agrees, else the
// indexes.
func TestCheckpointClassNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		ck   Checkpoint
		want []string
	}{
		{"saved", Checkpoint{Dataset: "mnist", Classes: 2, Names: []string{"cat", "dog"}}, []string{"cat", "dog"}},
		{"fashion", Checkpoint{Dataset: "fashion-mnist", Classes: 10}, dataset.ClassNames("fashion-mnist")},
		{"mnist", Checkpoint{Dataset: "mnist", Classes: 10}, dataset.ClassNames("mnist")},
		{"a folder's count", Checkpoint{Dataset: "mnist", Classes: 3}, []string{"0", "1", "2"}},
		{"names of another count", Checkpoint{Dataset: "fashion-mnist", Classes: 3, Names: []string{"a"}}, []string{"0", "1", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.ck.ClassNames()
			if !slices.Equal(got, tc.want) {
				t.Fatalf("ClassNames() = %q, want %q", got, tc.want)
			}
			got[0] = "changed"
			if again := tc.ck.ClassNames(); again[0] != tc.want[0] {
				t.Errorf("ClassNames() shares its slice: %q after a change to the last", again)
			}
		})
	}
}
