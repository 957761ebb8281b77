package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/figure"
	"github.com/lenet-tui/lenet-tui/internal/outfile"
	"github.com/lenet-tui/lenet-tui/plain"
)

// eval measures a checkpoint's net on the test set: its accuracy and
// loss, the confusion matrix with each class's recall and precision, and
// on request the F6 embedding as a PNG.
func eval(c config.Config, o options, stdout io.Writer) error {
	if c.Load == "" {
		return errors.New("eval measures a checkpoint: lenet-tui eval --load FILE")
	}
	for _, out := range []struct{ flag, path string }{{"--logits", o.logits}, {"--embedding-png", o.embeddingPNG}} {
		if out.path == "" {
			continue
		}
		if err := outfile.Check(out.path); err != nil {
			return fmt.Errorf("%s: %w", out.flag, err)
		}
	}
	d, err := load(c, o.stderr)
	if err != nil {
		return err
	}
	d.resume = false
	t, err := d.trainer(engine.TrainConfig{}, d.c.Activation, d.c.LR)
	if err != nil {
		return err
	}
	loss, acc, bd := t.Inspect()
	conf := analysis.Confusion{Classes: bd.Classes, Counts: bd.Counts}
	names := t.Info().Classes // the data's, as the views name them
	ck := d.ck
	if o.logits != "" {
		if err := writeLogits(o.logits, t, ck.Path); err != nil {
			return err
		}
	}
	var proj *analysis.Projection // the embedding drawn, with --embedding-png
	if o.embeddingPNG != "" {
		p, err := writeEmbedding(o.embeddingPNG, bd.Embedding, ck)
		if err != nil {
			return err
		}
		proj = &p
	}
	if o.json {
		return evalJSON(stdout, d, loss, acc, bd, names, proj, o.embeddingPNG)
	}
	_, err = fmt.Fprintf(stdout, "%s: %s on %s, %g epoch(s) (step %d), %s\ntest accuracy %.2f%% (loss %.4f) on %d images; when saved %.2f%% (loss %.4f)\n",
		escapeControls(ck.Path), escapeControls(ck.Spec.Name), escapeControls(d.name()), ck.Epochs(), ck.Step, escapeControls(string(d.c.Activation)), 100*acc, loss, d.test.Count, 100*ck.TestAcc, ck.TestLoss)
	if err != nil {
		return err
	}
	if err := plain.Confusion(stdout, conf, names); err != nil || proj == nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %s of the first %s test digits by PCA; the first two components hold %.0f%% and %.0f%% of the variance\n",
		escapeControls(o.embeddingPNG), bd.Embedding.Layer, engine.Thousands(len(bd.Embedding.Labels)), 100*proj.Explained[0], 100*proj.Explained[1])
	return err
}

// evalJSON writes eval's result as one JSON record: the checkpoint, the
// test loss and accuracy (null when not finite), the confusion record with
// the classes' names and, when drawn, the embedding's PCA shares.
func evalJSON(w io.Writer, d *data, loss, acc float64, bd engine.Breakdown, names []string, proj *analysis.Projection, png string) error {
	ck := d.ck
	r := map[string]any{
		"checkpoint": ck.Path, "arch": ck.Spec.Name, "dataset": d.name(), "images": d.test.Count,
		"activation": d.c.Activation, "step": ck.Step, "epochs_done": ck.Epochs(),
		"test_loss": loss, "test_acc": acc, "saved_test_loss": ck.TestLoss, "saved_test_acc": ck.TestAcc,
	}
	plain.NullNaN(r) // a net whose loss is NaN or ±Inf is written, with null
	maps.Copy(r, plain.ConfusionRecord(analysis.Confusion{Classes: bd.Classes, Counts: bd.Counts}, names))
	if proj != nil {
		explained := []any{proj.Explained[0], proj.Explained[1]}
		for i, v := range explained {
			if f := v.(float64); math.IsNaN(f) || math.IsInf(f, 0) {
				explained[i] = nil
			}
		}
		r["embedding"] = map[string]any{"png": png, "layer": bd.Embedding.Layer, "images": len(bd.Embedding.Labels), "explained": explained}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// writeEmbedding draws the outputs of the layer before the classifier for
// the first 1,000 test digits, by PCA, into a PNG at path, and returns the
// projection drawn.
func writeEmbedding(path string, e engine.Embedding, ck *engine.Checkpoint) (analysis.Projection, error) {
	p, err := analysis.PCA2(e.Values, len(e.Labels), e.Dim, nil)
	if err != nil {
		return p, fmt.Errorf("--embedding-png: %w", err)
	}
	if err := drawEmbedding(path, e.Layer, ck.Spec.Name, ck.Epochs(), p, e.Labels); err != nil {
		return p, fmt.Errorf("--embedding-png: %w", err)
	}
	return p, nil
}

// drawEmbedding is the one drawing of an embedding, for eval (from a
// checkpoint) and plot (from a run folder): the projection p of layer's
// outputs for the first test digits (labels) of a net of arch after epochs
// epochs, as a scatter coloured by class.
func drawEmbedding(path, layer, arch string, epochs float64, p analysis.Projection, labels []uint8) error {
	title := fmt.Sprintf("%s of the first %s test digits by PCA (%s, %g epoch(s))", layer, engine.Thousands(len(labels)), arch, epochs)
	return figure.EmbeddingPNG(path, title, p, labels)
}

// writeLogits writes the logits of the first 1,000 test images as JSON:
// {"checkpoint", "images", "classes", "labels": [...], "logits": [[...], ...]},
// each logit the shortest decimal that reads back as the same float32.
func writeLogits(path string, t *engine.Trainer, ckPath string) error {
	logits, labels := t.Logits(1000)
	n := len(labels)
	k := len(logits) / max(1, n)
	var b strings.Builder
	ckJSON, _ := json.Marshal(ckPath)
	fmt.Fprintf(&b, "{\"checkpoint\": %s, \"images\": %d, \"classes\": %d,\n\"labels\": [", ckJSON, n, k)
	for i, l := range labels {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(int(l)))
	}
	b.WriteString("],\n\"logits\": [")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("[")
		for j, v := range logits[i*k : (i+1)*k] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		b.WriteString("]")
	}
	b.WriteString("]}\n")
	if err := outfile.WriteFile(path, []byte(b.String())); err != nil {
		return fmt.Errorf("--logits: %w", err)
	}
	return nil
}
