// Package engine trains small convolutional networks such as LeNet-5 on the
// CPU, in float32.
//
// A Net is a list of blocks, each an operation (a convolution, a pooling or
// subsampling layer, a dense layer, a pad of background, or the 1998 paper's
// fixed RBF output units) optionally followed by an activation. Nets
// are built from an ArchSpec, which is plain data: the built-in architectures
// (LookupArch) are ArchSpecs, and a config file can describe a new one.
// Settings are the hyper-parameters; each enum among them is a type that
// decodes its own names, and Settings.Check validates them all.
//
// Every layer is a forward/backward pair. Forward caches what Backward needs;
// Backward adds into the parameter gradients and returns the gradient of its
// input. The trainer zeroes gradients once per step. Each layer also counts
// its trainable parameters and its "connections" in the sense of LeCun et al.
// (1998), and gives the arithmetic as text so a reader can check it.
//
// The Trainer runs in its own goroutine. It owns the net and sends value
// Events (progress, epoch results, snapshots of the probe digit, done or
// failed) on a channel it closes when it returns; it takes Commands (pause,
// resume, set activation, set learning rate, pick the probe — a test image
// or an image of one's own —, the pace, one batch more while paused,
// explain a weight, stop)
// which it applies between batches.
//
// For a student, the arithmetic is open: Snapshot.Explain takes one output
// value of the probe apart (probe.go); Net.WeightGradient computes one
// weight's gradient on one image by the chain rule, beside a finite
// difference, and Checkpoint.NextStep the optimiser's step for it
// (gradient.go); a running Trainer does the same between batches for an
// ExplainWeight command, on the probe and its last batch, with its live
// optimiser state (WeightExplained), on a replica of the net so that
// training's buffers and gradients are not touched; engine/internal/naive
// holds every kernel as plain loops.
//
// A failed run is reported as facts (Failed: where, the Cause and its
// numbers, the settings in force), never as advice: what to do is the views'
// to say, each in its own terms. Under on_nan continue the same facts come
// as a WentNaN event and the run goes on, on NaN weights.
//
// # Files
//
// spec.go (LayerSpec, ArchSpec, the built-in architectures), settings.go
// (Settings and its enums), build.go (Build), net.go (the runtime Net),
// summary.go (LayerInfo, counts as text), trainer.go (Trainer, Run, a
// training step, evaluation), commands.go (what Commands do), worker.go (one
// share of a batch), crew.go (the goroutines that run the shares),
// handoff.go (how they wait), diagnose.go (why a loss turned NaN),
// crash.go (a panic in the trainer, recovered into a Failed event),
// breakdown.go (an evaluation image by image: confusion counts, the digits
// behind them, the embedding of the layer before the output), limits.go
// (Plan, the limits on a net's sizes and the memory budget), checkpoint.go
// (a net and its run saved: the format, tensor names), checkpointread.go
// (ReadCheckpoint, a checkpoint's net), checkpointstate.go (the optimiser's
// state file beside it, the fingerprints, resume), probe.go (a
// Snapshot of the probe digit, and Explain: one output value taken apart
// in float64), field.go (receptive fields), subsample.go (what a
// subsampling map's coefficient and bias make of its window), events.go, and
// one file per layer kind (conv.go, pool.go, dense.go, pad.go, rbf.go with
// the paper's loss), activation, loss, optimiser and schedule.
//
// # Speed
//
// A batch is split over GOMAXPROCS workers, each with a replica of the net
// that shares its parameter values (one flat vector) and keeps its own
// gradients; the workers then sum the gradients and apply the optimiser, each
// over its own range of the vector. A worker passes its share through the net
// in chunks of 16 images so the layers' buffers stay in cache. A share
// belongs to its worker, not to a goroutine: a goroutine that is free takes
// the share of one that is away (the screen has its processor), and the
// sums come out the same. Convolutions
// use the direct kernels of internal/dconv, dense layers the SGEMM of
// internal/gemm, both in Go assembly with pure-Go fallbacks.
//
// # Layout
//
// Tensors are row-major float32 slices in NCHW order: a batch of n samples of
// Shape{C, H, W} is n·C·H·W values, sample-major, then map, row, column. Shape
// comments on buffers use this order, e.g. (N, C, H, W).
//
// # Invariants
//
// Input slices are never modified by Forward or Backward. The slices a layer
// returns are its own buffers, valid until its next call. After the first step
// at a given batch size a training step performs no heap allocation. Shape
// mismatches between layers are programmer errors and panic with an "engine:"
// prefix; a spec that cannot be built is reported by Build as an error.
// Build and Plan check every size against the limits (limits.go), factor by
// factor so that nothing overflows, and the whole net against the memory
// budget before a single parameter is allocated; Plan allocates none. No
// panic escapes Run or its workers: it becomes the run's Failed event, with
// the stack in a log file. Events never alias the trainer's buffers.
package engine
