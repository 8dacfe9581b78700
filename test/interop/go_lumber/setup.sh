#!/usr/bin/env bash
# Builds the go-lumber test client (Elastic's client packages, fetched through the Go module
# proxy) into bin/, unless the binary is newer than its sources.
set -euo pipefail
cd "$(dirname "$0")"
if [ -x bin/lumber-send ] && [ bin/lumber-send -nt main.go ] && [ bin/lumber-send -nt go.mod ] && [ bin/lumber-send -nt go.sum ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "go is required to build the go-lumber test client" >&2; exit 1; }
mkdir -p bin
GOFLAGS=-mod=mod go build -o bin/lumber-send .
