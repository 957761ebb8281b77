package runfolder

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testStart = `{"type":"start","time":"","dataset":"mnist","arch":"lenet5","activation":"relu","optimizer":"adam","loss":"stable","schedule":"constant","lr":0.1,"batch":1,"epochs":1,"train_images":1,"test_images":1}`

// longRun writes into a new run folder the history of a run of epochs
// epochs of perEpoch batches, with its evaluations, epoch ends, a flow
// every 10 batches and an lr switch every 20, written as the recorder
// writes them; batch s has loss 1/s and accuracy s mod 2.
func longRun(t *testing.T, epochs, perEpoch int) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, SettingsFile), []byte("arch: lenet5\n"), 0o644)
	f, err := os.Create(filepath.Join(dir, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	put := func(r any) {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(append(b, '\n'))
	}
	w.WriteString(testStart + "\n")
	step := 0
	for e := 1; e <= epochs; e++ {
		for q := range 4 {
			b := Batches{Type: "batches", First: step + 1, BatchesPerEpoch: perEpoch, LR: 0.1}
			for range perEpoch / 4 {
				step++
				b.Losses, b.Accs = append(b.Losses, Float(1/float64(step))), append(b.Accs, Float(step%2))
				if step%10 == 0 {
					put(Flow{Type: "flow", Step: step, Epoch: Float(float64(step) / float64(perEpoch)), Layers: []LayerFlow{{Name: "C1", Maps: 6}}})
				}
				if step%20 == 0 {
					put(Switch{Type: "lr", Step: step, LR: Float(step)})
				}
			}
			put(b)
			if q < 3 {
				put(Eval{Type: "eval", Step: step, Epoch: Float(float64(step) / float64(perEpoch)), Images: 10, TestLoss: 1, TestAcc: 0.5})
			}
		}
		put(Epoch{Type: "epoch", Epoch: e, Step: step, TestLoss: Float(1 / float64(e)), TestAcc: 0.9})
	}
	put(End{Type: "done", Epochs: epochs, Step: step, TestLoss: 0.1, TestAcc: 0.9})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return dir
}

// TestReadLongHistory: a history of 5 times maxPoints batches is read
// thinned: at most maxPoints+1 points, means of a power of two of batches
// ending at the last batch; the other lists at most their bounds, each
// with its first record and its last; every epoch and the end kept.
func TestReadLongHistory(t *testing.T) {
	const epochs, perEpoch = 80, 1024 // 81,920 batches
	r, err := Read(longRun(t, epochs, perEpoch))
	if err != nil {
		t.Fatal(err)
	}
	n := epochs * perEpoch
	last := r.Points[len(r.Points)-1]
	if len(r.Points) > maxPoints+1 || r.PointBatches < 2 || last.Step != n || r.Points[0].Step != r.PointBatches {
		t.Fatalf("Read(%d batches): %d points of %d batches, the first at step %d, the last at %d; want at most %d, the first at step %d, the last at %d",
			n, len(r.Points), r.PointBatches, r.Points[0].Step, last.Step, maxPoints+1, r.PointBatches, n)
	}
	if p := r.Points[1]; p.Acc != 0.5 || p.Epoch != float64(2*r.PointBatches)/perEpoch {
		t.Errorf("Read: point 2 = %+v, want the mean accuracy 0.5 at epoch %g", p, float64(2*r.PointBatches)/perEpoch)
	}
	for _, l := range []struct {
		name        string
		got, max    int
		first, last int // steps
		wantFirst   int
	}{
		{"evals", len(r.Evals), maxEvals + 1, r.Evals[0].Step, r.Evals[len(r.Evals)-1].Step, 256},
		{"switches", len(r.Switches), maxSwitches + 1, r.Switches[0].Step, r.Switches[len(r.Switches)-1].Step, 20},
		{"flows", len(r.Flows), maxFlows + 1, r.Flows[0].Step, r.Flows[len(r.Flows)-1].Step, 10},
	} {
		if l.got > l.max || l.first != l.wantFirst || n-l.last >= perEpoch {
			t.Errorf("Read: %d %s from step %d to %d; want at most %d, the first at step %d, the last in the last epoch", l.got, l.name, l.first, l.last, l.max, l.wantFirst)
		}
	}
	if len(r.Epochs) != epochs || r.End == nil || r.End.Step != n {
		t.Errorf("Read: %d epochs, end %+v; want all %d, and the end at step %d", len(r.Epochs), r.End, epochs, n)
	}
}

// TestRecordLimits: a record longer than lenet-tui writes is refused in a
// line naming the file, the line and the limit.
func TestRecordLimits(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, SettingsFile), []byte("a: 1\n"), 0o644)
	long := fmt.Sprintf(`{"type":"activation","step":1,"activation":"%s"}`, strings.Repeat("x", maxRecord))
	os.WriteFile(filepath.Join(dir, HistoryFile), []byte(testStart+"\n"+long+"\n"), 0o644)
	_, err := Read(dir)
	if want := fmt.Sprintf(`history.jsonl:2: a "activation" record of %s bytes: lenet-tui writes them under 16,384`, thousandsOf(len(long)+1)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Read(a %d-byte switch) = %v, want %q", len(long), err, want)
	}
}

func thousandsOf(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestEmbeddingBounds: embedding.jsonl is refused beyond what lenet-tui
// writes (1,000 digits' points, lines under 256 KiB), and of many epochs
// at most maxProjections+2 projections are kept: the first, the last, and
// the last that has points.
func TestEmbeddingBounds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, EmbeddingFile)
	labels := func(n int) string {
		return `{"type":"points","layer":"F6","dim":84,"labels":[0` + strings.Repeat(",1", n-1) + "]}\n"
	}
	for _, tc := range []struct{ name, content, want string }{
		{"1,001 digits", labels(1001), ".jsonl:1: the points of 1,001 digits: lenet-tui keeps at most 1,000"},
		{"a long line", labels(200_000), ".jsonl:1: over 262,144 bytes: not a record lenet-tui writes (it keeps the points of at most 1,000 digits"},
	} {
		os.WriteFile(path, []byte(tc.content), 0o644)
		if _, err := ReadEmbedding(dir); err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ReadEmbedding(%s) = %v, want one line with %q", tc.name, err, tc.want)
		}
	}
	var b strings.Builder
	b.WriteString(labels(2))
	const epochs, good = 1000, 777 // projections after epoch 777 failed
	for e := 1; e <= epochs; e++ {
		if e <= good {
			fmt.Fprintf(&b, `{"type":"projection","epoch":%d,"step":%d,"explained":[0.5,0.2],"x":[1,2],"y":[3,4]}`+"\n", e, e)
		} else {
			fmt.Fprintf(&b, `{"type":"projection","epoch":%d,"step":%d,"explained":[null,null],"error":"NaN"}`+"\n", e, e)
		}
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	e, err := ReadEmbedding(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, latest, ok := e.Last()
	n := len(e.Projections)
	if n > maxProjections+2 || e.Projections[0].Epoch != 1 || e.Projections[n-1].Epoch != epochs || !ok || latest || p.Epoch != good {
		t.Errorf("ReadEmbedding(%d epochs): %d projections, epochs %d to %d, Last %d (%v, %v); want at most %d, epochs 1 to %d, Last %d",
			epochs, n, e.Projections[0].Epoch, e.Projections[n-1].Epoch, p.Epoch, latest, ok, maxProjections+2, epochs, good)
	}
	for i := 1; i < n; i++ {
		if e.Projections[i].Epoch <= e.Projections[i-1].Epoch {
			t.Fatalf("ReadEmbedding: projections out of order at %d: epoch %d after %d", i, e.Projections[i].Epoch, e.Projections[i-1].Epoch)
		}
	}
}
