//go:build !unix

package infile

// nonblock is 0 where the system has no non-blocking open; Open's check
// of the kind before opening still refuses a pipe.
const nonblock = 0
