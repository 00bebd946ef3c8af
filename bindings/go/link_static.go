//go:build verify_static

package verify

// Links libverify.a into the Go binary (build tag verify_static), with the
// system libraries the Rust standard library needs. Point the linker at the
// archive with CGO_LDFLAGS="-L<prefix>/lib"; see docs/c-and-go.md.

// #cgo LDFLAGS: -l:libverify.a -lpthread -ldl -lm -lrt -lutil
import "C"
