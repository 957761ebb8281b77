//go:build unix

package infile

import "syscall"

// nonblock makes opening a named pipe return at once instead of waiting
// for a writer; it changes nothing for a regular file.
const nonblock = syscall.O_NONBLOCK
