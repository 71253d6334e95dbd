#!/usr/bin/env bash
# Prints the path of an rqlited v8 binary, building it first when it is not
# in the cache ($HOME/.cache/polku-ci/rqlited-VERSION/rqlited; about 2.5
# minutes cold, with cgo). rqlite v8 is MIT; v9 and later are not open
# source: keep to v8. `go install ...@v8.x` is refused by the module proxy,
# so a scratch module requires rqlite with rqlite's own replace directives.
set -euo pipefail
version=${RQLITE_VERSION:-v8.43.4}
case "$version" in v8.*) ;; *) echo "rqlited: only rqlite v8 (MIT) may be used, not $version" >&2; exit 1 ;; esac
dir="$HOME/.cache/polku-ci/rqlited-$version"
if [ -x "$dir/rqlited" ]; then
  echo "$dir/rqlited"
  exit 0
fi
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > go.mod <<MOD
module rqbuild

go 1.24.0

require github.com/rqlite/rqlite/v8 $version

replace github.com/armon/go-metrics => github.com/hashicorp/go-metrics v0.5.1

replace github.com/mattn/go-sqlite3 => github.com/rqlite/go-sqlite3 v1.40.0
MOD
cat > tools.go <<'SRC'
//go:build tools

package tools

import _ "github.com/rqlite/rqlite/v8/cmd/rqlited"
SRC
echo "building rqlited $version into $dir" >&2
GOFLAGS=-mod=mod go mod download github.com/rqlite/rqlite/v8 >&2
GOFLAGS=-mod=mod go get github.com/rqlite/rqlite/v8/cmd/rqlited@"$version" >&2
CGO_ENABLED=1 GOFLAGS=-mod=mod go build -o "$dir/rqlited.tmp" github.com/rqlite/rqlite/v8/cmd/rqlited >&2
mv "$dir/rqlited.tmp" "$dir/rqlited"
echo "$dir/rqlited"
