package plain

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lenet-tui/lenet-tui/engine"
)

// Summary prints an architecture's blocks: shapes, parameters, connections
// and the arithmetic behind them; with asJSON one record.
func Summary(w io.Writer, spec engine.ArchSpec, in engine.Shape, infos []engine.LayerInfo, asJSON bool) error {
	if asJSON {
		p, c := engine.Totals(infos)
		return json.NewEncoder(w).Encode(map[string]any{"arch": spec.Name, "about": spec.About, "input": in.String(),
			"layers": infos, "params": p, "connections": c})
	}
	_, err := fmt.Fprintf(w, "%s: %s\ninput %v\n\n%s", spec.Name, spec.About, in, engine.Summary(spec.Name, infos))
	return err
}

// Bench prints a throughput measurement; with asJSON one record.
func Bench(w io.Writer, arch string, batch int, res engine.BenchResult, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(map[string]any{"impl": "lenet-tui", "arch": arch, "batch": batch,
			"workers": res.Workers, "train_img_s": res.TrainImgS, "infer_img_s": res.InferImgS})
	}
	_, err := fmt.Fprintf(w, "%s, batch %d, %d workers: training %.0f img/s, inference %.0f img/s\n",
		arch, batch, res.Workers, res.TrainImgS, res.InferImgS)
	return err
}
