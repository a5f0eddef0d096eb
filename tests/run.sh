#!/usr/bin/env bash
# The whole test suite, twice: a -Werror build, then a build under
# AddressSanitizer + UndefinedBehaviorSanitizer (no recovery), each in
# its own build directory. ctest runs the Check unit tests, the fixture
# corpus and the end-to-end scripts; in the first build also valgrind over
# the fixtures (tests/t_valgrind.py) and a bounded fuzz run of each
# libFuzzer target (fuzz/run.sh, built with clang in build/fuzz/;
# MIGSAFE_FUZZ_SECONDS per target, default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

run() {
	local dir=$1; shift
	cmake -S . -B "$dir" -DMIGSAFE_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs"
	(cd "$dir" && ctest --output-on-failure -j"$jobs")
}

# Microsoft's SARIF multitool checks GitHub's ingestion rules
# (tests/t_sarif_multitool.py); it comes from the npm registry, so it is
# fetched only where npm is installed.
tools=build/tools
if command -v npm >/dev/null &&
   [[ ! -x $tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool ]]; then
	mkdir -p "$tools"
	npm install --silent --prefix "$tools" @microsoft/sarif-multitool@5 >/dev/null 2>&1 ||
		echo "run.sh: could not install the SARIF multitool; skipping that check" >&2
fi
export MIGSAFE_SARIF_MULTITOOL=$PWD/$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

# every migsafe the tests start checks, as it ends, that no catalog row
# refers to a relation, index or constraint that is gone (catalog.c,
# check_refs)
export MIGSAFE_CHECK_CATALOG=1

run build
# fuzz/lsan.supp: libpg_query's own 1-byte leak when PL/pgSQL does not
# parse (every DO block is parsed with its file, test_parse has such)
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	run build-asan -DMIGSAFE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
