// Package safetensors reads and writes the safetensors format: an 8-byte
// little-endian header length N, N bytes of JSON header
//
//	{"NAME": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, …,
//	 "__metadata__": {"key": "value", …}}
//
// then the tensors' raw little-endian bytes, offsets counted from the end of
// the header. It knows nothing of networks: package engine decides which
// tensors and metadata a lenet-tui checkpoint holds.
//
// Only float32 ("F32") tensors are read and written: that is all lenet-tui
// trains. A file with another dtype is reported, not converted.
//
// # Invariants
//
// A file is written whole or not at all (WriteFile: a temporary file in the
// same folder, synced, then renamed over the name), and only over a regular
// file: a device or a folder at the name is refused and left alone. Writing
// streams the tensors into the file: it never holds the file in memory.
//
// A file is read in order of trust: the header length is checked against
// the file's size and MaxHeader before the header is read; the header
// against the limits (MaxTensors, MaxName, MaxRank, MaxMetadata,
// MaxMetadataLen: far above what lenet-tui writes) and against the size of
// the data before any data is read; a name given twice, or data offsets
// that are not two numbers, are refused. Every byte of the data belongs to
// exactly one tensor. A refused file costs at most MaxHeader bytes. Only a
// regular file is opened, without waiting (internal/infile). Every error
// names the file and what is wrong with it, on one line; no input makes a
// reader panic. What Decode accepts, Encode writes back.
package safetensors
