package plain

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lenet-tui/lenet-tui/engine"
)

// BenchPasses prints where a training step's time goes (engine.BenchPasses):
// a row per block and pass, the update and the rest, then the step against
// the FMA bound; with asJSON one record.
func BenchPasses(w io.Writer, pt engine.PassTable, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(map[string]any{"impl": "lenet-tui", "passes": pt})
	}
	fmt.Fprintf(w, "%s, batch %d: one worker's passes, on one goroutine training %d images a step (batch/%s) in chunks of %d; best of 3 rounds of %.2f s\n\n",
		pt.Arch, pt.Batch, pt.WorkerImages, plural(pt.Workers, "worker"), pt.Chunk, pt.Round)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\tpass\tFLOP/img\tµs/img\tGFLOP/s\tshare\t")
	for _, r := range pt.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%.1f%%\t\n", r.Layer, r.Pass, passFLOP(r), r.Seconds*1e6, passRate(r), 100*r.Share)
	}
	fmt.Fprintf(tw, "step\t\t%s\t%.2f\t%.1f\t100.0%%\t\n", engine.Thousands(int(pt.StepFLOP)), pt.StepSeconds*1e6, pt.StepFLOP/pt.StepSeconds/1e9)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* element ops, not FMA work, left out of the step's FLOP; conv and dense rows include their bias and activation, not counted")
	fmt.Fprintf(w, "step: %s FLOP a trained image; a real step on %s trains %.0f img/s = %.1f GFLOP/s\n",
		engine.Thousands(int(pt.StepFLOP)), plural(pt.Workers, "worker"), pt.TrainImgS, pt.TrainImgS*pt.StepFLOP/1e9)
	if pt.PeakGFLOPS == 0 {
		_, err := fmt.Fprintln(w, "FMA bound: no assembly FMA peak on this build or CPU")
		return err
	}
	bound := float64(pt.Workers) * pt.PeakGFLOPS
	_, err := fmt.Fprintf(w, "FMA bound: %s × %.1f GFLOP/s (AVX2, measured now) = %.1f GFLOP/s, %.0f img/s; the step runs at %.1f%% of it\n",
		plural(pt.Workers, "core"), pt.PeakGFLOPS, bound, bound*1e9/pt.StepFLOP, 100*pt.BoundShare)
	if err != nil || pt.Peak512GFLOPS == 0 {
		return err
	}
	bound = float64(pt.Workers) * pt.Peak512GFLOPS
	_, err = fmt.Fprintf(w, "with AVX-512, which the dense layers' products and most convolution kernels use: %s × %.1f GFLOP/s = %.1f GFLOP/s, %.0f img/s; the step runs at %.1f%% of it\n",
		plural(pt.Workers, "core"), pt.Peak512GFLOPS, bound, bound*1e9/pt.StepFLOP, 100*pt.Bound512Share)
	return err
}

// passFLOP is a row's FLOP per image, starred when they are element ops,
// blank for the update and the rest.
func passFLOP(r engine.PassRow) string {
	switch {
	case r.FLOP == 0:
		return "–"
	case !r.FMA:
		return engine.Thousands(int(r.FLOP)) + "*"
	}
	return engine.Thousands(int(r.FLOP))
}

// passRate is a row's GFLOP/s, blank for a row without FLOP.
func passRate(r engine.PassRow) string {
	if r.FLOP == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", r.GFLOPS())
}

// plural is n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
