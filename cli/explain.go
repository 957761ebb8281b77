package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
)

// explainUsage is how explain is called, for its help and its errors.
const explainUsage = "lenet-tui explain --load FILE --image N [--weight NAME[i,j,…]] [--json]"

// explainHelp says what explain prints.
const explainHelp = `For test image N it prints the net's softmax and the loss −log p_label;
with --weight, the gradient of that loss with respect to one weight, as the
chain rule computes it (δ = dL/d(pre-activation) at each output position
times the input under the weight's tap, the largest terms and their sum),
beside a central difference (L(w+h) − L(w−h))/2h in float64 and the step the
optimiser would take next for that gradient, from the checkpoint's state.
Weights are named as in the checkpoint: c1.weight[0,0,2,2] (OIHW),
c3.weight[5,0,1,1], s2.coef[3], f6.weight[3,17] ([out, in]), f6.bias[3].`

// dispatchExplain parses explain's command line: its own flags and the
// settings (--load, --data), then explains.
func dispatchExplain(cmd command, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("lenet-tui explain", flag.ContinueOnError)
	var o options
	var image int
	var weight string
	fs.BoolVar(&o.json, "json", false, "machine-readable output: JSON, one record")
	fs.IntVar(&image, "image", 0, "the test image `N` (0-based) to take the loss of")
	fs.StringVar(&weight, "weight", "", "take apart the gradient of the weight `NAME[i,j,…]`, as the checkpoint names it: c1.weight[0,0,2,2]")
	var flags config.Flags
	flags.Register(fs)
	switch err := flags.Parse(fs, args); {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, "Usage: %s\n\n%s%s.\n%s\n\nFlags:\n", explainUsage, strings.ToUpper(cmd.about[:1]), cmd.about[1:], explainHelp)
		config.Help(stdout, fs)
		return nil
	case err != nil:
		return err
	}
	c, err := flags.Resolve()
	if err != nil {
		return err
	}
	if c.Load == "" {
		return errors.New("explain takes apart a trained net's loss: " + explainUsage +
			"; make a checkpoint with lenet-tui train --save lenet5.safetensors (or press s in the terminal UI: it saves into the run folder)")
	}
	var tensor string
	var index []int
	if weight != "" {
		if tensor, index, err = engine.ParseWeight(weight); err != nil {
			return fmt.Errorf("--weight: %w", err)
		}
	}
	return explain(c, o, image, tensor, index, stdout)
}

// explain loads the checkpoint and the test set and prints the image's
// outcome and, for a tensor, the weight's gradient and next step.
func explain(c config.Config, o options, image int, tensor string, index []int, stdout io.Writer) error {
	d, err := load(c, o.stderr)
	if err != nil {
		return err
	}
	ck, s := d.ck, d.c.Settings
	if image < 0 || image >= d.test.Count {
		return fmt.Errorf("--image %d: the test set has %s images (0 to %d)", image, engine.Thousands(d.test.Count), d.test.Count-1)
	}
	net, err := ck.Net(s)
	if err != nil {
		return err
	}
	sc := ck.Scale()
	pixels, label := d.test.Image(image), int(d.test.Labels[image])
	r := explained{Checkpoint: ck.Path, Arch: ck.Spec.Name, Image: image}
	if tensor == "" {
		r.Outcome = net.Outcome(s, pixels, &sc, label)
	} else {
		wg, err := net.WeightGradient(s, tensor, index, pixels, &sc, label)
		if err != nil {
			return fmt.Errorf("--weight: %w", err)
		}
		st := ck.NextStep(s, wg.Flat, wg.Value, wg.Grad)
		r.Outcome, r.wg, r.st = wg.Outcome, &wg, &st
	}
	if o.json {
		b, err := json.Marshal(r.record())
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	return r.write(stdout)
}

// explained is what explain found.
type explained struct {
	Checkpoint, Arch string
	Image            int
	engine.Outcome
	wg *engine.WeightGrad    // --weight; nil otherwise
	st *engine.OptimizerStep // its next step
}

// weightRef is the weight as the user names it: c1.weight[0,0,2,2].
func weightRef(wg *engine.WeightGrad) string {
	d := make([]string, len(wg.Index))
	for i, v := range wg.Index {
		d[i] = fmt.Sprint(v)
	}
	return wg.Tensor + "[" + strings.Join(d, ",") + "]"
}

// record is the JSON record: "loss", "probs", "label", and for a weight
// "grad" (the chain rule's sum), "grad_fd", "grad_engine", the terms and
// the optimiser's step.
func (r explained) record() map[string]any {
	rec := map[string]any{
		"checkpoint": r.Checkpoint, "arch": r.Arch, "image": r.Image, "label": r.Label,
		"logits": finite(r.Logits), "probs": finite(r.Probs), "loss": finite1(r.Loss),
	}
	if r.wg == nil {
		return rec
	}
	wg, st := r.wg, r.st
	var terms []map[string]any
	for _, t := range wg.Terms {
		tm := map[string]any{"map": t.Map, "y": t.Y, "x": t.X, "delta": t.Delta, "in": t.In, "product": t.Product}
		switch {
		case wg.Kind == "dense weight":
			tm["in_index"] = t.InX
		case t.InX != -1 || t.InY != -1:
			tm["in_y"], tm["in_x"] = t.InY, t.InX
		}
		terms = append(terms, tm)
	}
	for k, v := range map[string]any{
		"weight": weightRef(wg), "block": wg.Block, "kind": wg.Kind, "value": wg.Value,
		"grad": finite1(wg.Grad), "grad_fd": finite1(wg.FD), "grad_engine": finite1(wg.Engine), "h": wg.H,
		"terms": terms, "n_terms": wg.NTerms,
		"optimizer": st.Optimizer, "t": st.T, "lr": st.LR, "weight_decay": st.Decay, "state_saved": st.Saved, "run_over": st.Over,
		"step": finite1(st.Step), "new_value": finite1(st.New),
	} {
		rec[k] = v
	}
	switch st.Optimizer {
	case engine.Momentum:
		rec["mu"], rec["v"], rec["v_new"] = st.Mu, st.V, finite1(st.NewV)
	case engine.Adam:
		rec["beta1"], rec["beta2"], rec["eps"] = st.Beta1, st.Beta2, st.Eps
		rec["m"], rec["v"], rec["m_new"], rec["v_new"] = st.M, st.V, finite1(st.NewM), finite1(st.NewV)
		rec["m_hat"], rec["v_hat"] = finite1(st.MHat), finite1(st.VHat)
	}
	return rec
}

// finite1 is v for JSON, which has no NaN or infinity: those become null.
func finite1(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func finite(vs []float64) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = finite1(v)
	}
	return out
}

// write prints the outcome and the weight's gradient for people.
func (r explained) write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, test image %d (label %d)\n", escapeControls(r.Checkpoint), escapeControls(r.Arch), r.Image, r.Label)
	b.WriteString("softmax  ")
	for k, p := range r.Probs {
		fmt.Fprintf(&b, " %d:%.4f", k, p)
	}
	fmt.Fprintf(&b, "\nloss     %.6g (−log p_%d with p_%d = %.6g)\n", r.Loss, r.Label, r.Label, r.Probs[r.Label])
	if r.wg != nil {
		writeGradient(&b, r.wg)
		writeStep(&b, r.st)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeGradient writes the chain rule's sum with its largest terms, the
// engine's backward and the finite difference.
func writeGradient(b *strings.Builder, wg *engine.WeightGrad) {
	fmt.Fprintf(b, "\n%s = %.6g, a %s of %s\n", weightRef(wg), wg.Value, wg.Kind, wg.Block)
	var what string
	switch wg.Kind {
	case "conv weight":
		what = fmt.Sprintf("Σ over %d positions (y, x) of δ[%d,y,x] · in[%d, y+%d−P, x+%d−P]", wg.NTerms, wg.Index[0], wg.Index[1], wg.Index[2], wg.Index[3])
	case "dense weight":
		what = fmt.Sprintf("δ[%d] · in[%d]", wg.Index[0], wg.Index[1])
	case "subsample coef":
		what = fmt.Sprintf("Σ over %d positions of δ[%d,y,x] · (the window's sum)", wg.NTerms, wg.Index[0])
	default:
		what = fmt.Sprintf("Σ of δ over the %d position(s) it is added at", wg.NTerms)
	}
	fmt.Fprintf(b, "dL/dw = %s, δ = dL/d(pre-activation)\n", what)
	if len(wg.Terms) < wg.NTerms {
		fmt.Fprintf(b, "  the %d largest of %d terms:\n", len(wg.Terms), wg.NTerms)
	}
	for _, t := range wg.Terms {
		at := fmt.Sprintf("δ[%d,%d,%d]", t.Map, t.Y, t.X)
		in := fmt.Sprintf("%.6g", t.In)
		switch {
		case wg.Kind == "subsample coef":
			in = fmt.Sprintf("S = %.6g", t.In)
		case wg.Kind == "dense weight":
			at, in = fmt.Sprintf("δ[%d]", t.Map), fmt.Sprintf("in[%d] = %.6g", t.InX, t.In)
		case t.InY != -1 || t.InX != -1:
			in = fmt.Sprintf("in[%d,%d,%d] = %.6g", wg.Index[1], t.InY, t.InX, t.In)
		}
		fmt.Fprintf(b, "  %-10s = %-12.6g × %-24s = %.6g\n", at, t.Delta, in, t.Product)
	}
	fmt.Fprintf(b, "  sum (the chain rule, float64)            %.9g\n", wg.Grad)
	fmt.Fprintf(b, "  the engine's backward pass (float32)     %.9g\n", wg.Engine)
	fmt.Fprintf(b, "  (L(w+h) − L(w−h))/2h, h = %-8.3g       %.9g\n", wg.H, wg.FD)
}

// writeStep writes the optimiser's next step for the gradient.
func writeStep(b *strings.Builder, st *engine.OptimizerStep) {
	fmt.Fprintf(b, "\nthe %s step %d for g = %.6g, lr %.6g", st.Optimizer, st.T, st.Grad, st.LR)
	if st.Decay > 0 {
		fmt.Fprintf(b, ", weight decay %g (w shrinks by lr·decay first)", st.Decay)
	}
	b.WriteString(":\n")
	if st.Over {
		fmt.Fprintf(b, "  (the run has taken its %d steps: only a resume with more --epochs steps again; the rate is the schedule's continued, or pass --epochs)\n", st.T-1)
	}
	if !st.Saved {
		fmt.Fprintf(b, "  (the checkpoint holds no %s state: taken as a fresh optimiser's, 0)\n", st.Optimizer)
	}
	switch st.Optimizer {
	case engine.Adam:
		fmt.Fprintf(b, "  m  = %g·%.6g + (1−%g)·g = %.6g\n", st.Beta1, st.M, st.Beta1, st.NewM)
		fmt.Fprintf(b, "  v  = %g·%.6g + (1−%g)·g² = %.6g\n", st.Beta2, st.V, st.Beta2, st.NewV)
		fmt.Fprintf(b, "  m̂ = m/(1−%g^%d) = %.6g   v̂ = v/(1−%g^%d) = %.6g\n", st.Beta1, st.T, st.MHat, st.Beta2, st.T, st.VHat)
		fmt.Fprintf(b, "  step = −lr·m̂/(√v̂ + %g) = %.6g\n", st.Eps, st.Step)
	case engine.Momentum:
		fmt.Fprintf(b, "  v = %g·%.6g + g = %.6g\n  step = −lr·v = %.6g\n", st.Mu, st.V, st.NewV, st.Step)
	default:
		fmt.Fprintf(b, "  step = −lr·g = %.6g\n", st.Step)
	}
	fmt.Fprintf(b, "  w: %.9g → %.9g\n", st.Value, st.New)
}
