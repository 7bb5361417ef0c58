#!/bin/sh
# Fills the Go adapter's shared, read-only build cache (packages/languages/src/go/verify.ts, WARM_CACHE):
# the standard library packages small programs import, built, vetted and test-compiled once, with the
# settings the sandbox uses. Each verification copies it into its own workspace first, so `go vet` (which
# analyses every imported package) and `go test` start warm instead of taking seconds. Run as root by
# the worker image and scripts/setup.sh; re-run after a Go upgrade (stale entries are only misses).
set -eu
cache=${1:-/var/cache/hardfix-go}
go=${GO:-/usr/bin/go}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'module warm\n\ngo 1.19\n' > go.mod
cat > main.go <<'GO'
package main

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

var _ heap.Interface
var _ io.Reader = bufio.NewReader(os.Stdin)
var _ sync.Mutex

func main() {
	b, _ := json.Marshal(map[string]int{"a": 1})
	fmt.Println(bytes.ToUpper(b), errors.New("x"), math.Sqrt(2), rand.Intn(3), regexp.MustCompile("a+"),
		sort.IntsAreSorted(nil), strconv.Itoa(1), strings.ToUpper("a"), time.Second, unicode.IsUpper('A'))
}
GO
cat > main_test.go <<'GO'
package main

import "testing"

func TestWarm(t *testing.T) {}
GO
mkdir -p "$cache"
export GOCACHE="$cache" GOPATH="$work/path" GOENV=off GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod \
  GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=0 GOTELEMETRY=off
"$go" build -o /dev/null .
"$go" vet ./...
"$go" test -count=1 -vet=off ./... >/dev/null
"$go" version > "$cache/GO_VERSION"
chmod -R a+rX "$cache"
echo "go build cache warmed in $cache ($(du -sh "$cache" | cut -f1))"
