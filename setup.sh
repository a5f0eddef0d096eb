#!/usr/bin/env bash
# Install what migsafe needs on Debian 12 (or Ubuntu), and nothing when it
# is all there already (one dpkg query, no network).
#
#   ./setup.sh          build dependencies
#   ./setup.sh --test   build dependencies and what the test suite uses
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libpg-query-dev postgresql-server-dev-15
	libsqlite3-dev libjansson-dev libpcre2-dev libcjson-dev check)
# the fuzz tests need clang and libclang-rt-dev (libFuzzer: clang only
# recommends it, and recommends are not installed), and llvm for the
# llvm-symbolizer that puts file:line into their crash reports;
# tests/t_valgrind.py needs valgrind
test_pkgs=(python3 python3-jsonschema postgresql git pre-commit sqlite3
	clang libclang-rt-dev llvm valgrind)

want=("${build_pkgs[@]}")
case "${1:-}" in
--test) want+=("${test_pkgs[@]}") ;;
"") ;;
*) echo "usage: ./setup.sh [--test]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	echo "setup: all ${#want[@]} packages present"
	exit 0
fi

sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
