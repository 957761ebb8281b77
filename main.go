// Command lenet-tui trains LeNet-5 on MNIST on the CPU while you watch.
//
// All it does is in package cli: one file per command, and the one pipeline
// (command line → config → dataset → net → trainer → run folder → view,
// package tui or, without a terminal, package plain) they share. main owns
// os.Exit.
package main

import (
	"os"

	"github.com/lenet-tui/lenet-tui/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) }
