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
// file: a device or a folder at the name is refused and left alone. A file is read only as
// far as its size allows: a header length or offset beyond the file is an
// error before anything is allocated for it; every byte of the data belongs
// to exactly one tensor. Every error names the file and what is wrong with
// it, on one line; no input makes a reader panic.
package safetensors
