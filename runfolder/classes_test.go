package runfolder

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// TestStartKeepsClassNames: the start record keeps the run's class names
// by index (Fashion-MNIST's here, as its training set names them), as
// "classes" on history.jsonl's first line, and Read gives them back.
func TestStartKeepsClassNames(t *testing.T) {
	spec, _ := engine.LookupArch("lenet5")
	s := spec.Defaults
	s.Batch, s.Epochs = 32, 1
	train, test := dataset.Synthetic(64, 28, 28, 1), dataset.Synthetic(32, 28, 28, 2)
	names := dataset.ClassNames("fashion-mnist")
	train.Names = names
	net, err := engine.Build(spec, engine.Shape{C: 1, H: 28, W: 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.NewTrainer(net, train, test, engine.TrainConfig{Settings: s, Dataset: "fashion-mnist", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := record(t, t.TempDir(), tr, "arch: lenet5\n")
	f, err := os.Open(filepath.Join(dir, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	if first := sc.Text(); !strings.Contains(first, `"classes":["T-shirt/top","Trouser",`) {
		t.Errorf("history.jsonl's first line = %s, want the class names as \"classes\"", first)
	}
	r, err := Read(dir)
	if err != nil {
		t.Fatalf("Read(%s) = %v", dir, err)
	}
	if !slices.Equal(r.Start.Classes, names) {
		t.Errorf("Read: start classes %q, want %q", r.Start.Classes, names)
	}
}
