package runfolder

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead writes a settings.yaml, a history.jsonl and an embedding.jsonl
// into a run folder and reads it back as plot and compare do: Read and
// ReadEmbedding return a run or a one-line error, never panic, and hold no
// more of any list than their bounds. Seeded with the files of real runs
// (one with gradient flow, one with embeddings) and some broken ones.
func FuzzRead(f *testing.F) {
	flows, _ := record(f, f.TempDir(), newTrainer(f, "relu", 1), "arch: lenet5\nactivation: relu # the hidden activation\nlayers:\n  - {name: C1, kind: conv}\n")
	embeds, _ := record(f, f.TempDir(), newBreakdownTrainer(f, 2), "arch: lenet5\n")
	read := func(dir, name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			f.Fatal(err)
		}
		return b
	}
	for _, dir := range []string{flows, embeds} {
		settings, history, embedding := read(dir, SettingsFile), read(dir, HistoryFile), read(dir, EmbeddingFile)
		f.Add(settings, history, embedding)
		f.Add(settings, history[:len(history)/2], embedding[:len(embedding)/2]) // cut off
	}
	f.Add([]byte("a: &x [1, 2]\nb: *x\n"), []byte(testStart+"\n"+`{"type":"batches","first_step":1,"batches_per_epoch":1,"losses":[null],"accs":[1],"lr":1}`), []byte{})
	dir := f.TempDir() // a worker process runs one input at a time
	f.Fuzz(func(t *testing.T, settings, history, embedding []byte) {
		for name, b := range map[string][]byte{SettingsFile: settings, HistoryFile: history, EmbeddingFile: embedding} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Read(dir)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("Read = %q, want one line", err)
		}
		if r != nil && (len(r.Points) > maxPoints+1 || len(r.Evals) > maxEvals+1 || len(r.Epochs) > maxEpochs+1 ||
			len(r.Switches) > maxSwitches+1 || len(r.Flows) > maxFlows+1) {
			t.Fatalf("Read kept %d points, %d evals, %d epochs, %d switches, %d flows: over the bounds",
				len(r.Points), len(r.Evals), len(r.Epochs), len(r.Switches), len(r.Flows))
		}
		e, err := ReadEmbedding(dir)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("ReadEmbedding = %q, want one line", err)
		}
		if e != nil && (len(e.Projections) > maxProjections+2 || len(e.Labels) > 1000) {
			t.Fatalf("ReadEmbedding kept %d projections of %d digits: over the bounds", len(e.Projections), len(e.Labels))
		}
		if e != nil {
			e.Last() // what plot calls
		}
	})
}
