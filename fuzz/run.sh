#!/usr/bin/env bash
# Fuzz migsafe for a bounded time:
#
#   fuzz/run.sh [--build-only | --no-build] [SECONDS] [TARGET...]
#
# SECONDS: how long each target runs (default $MIGSAFE_FUZZ_SECONDS,
# else 60; 0 replays the regression inputs only), libFuzzer's
# -max_total_time: the pass over the seeds counts (for fuzz_lint, ~700
# inputs, ~20 s on an idle core). Targets: fuzz_lint, fuzz_config,
# fuzz_pgjson (the JSON decoder against cJSON; default all three).
#
# Builds the libFuzzer targets with clang (ASan + UBSan, no recovery) in
# build-fuzz/ (-DMIGSAFE_FUZZ=ON). For each target it first replays every
# file of tests/fuzz_corpus/lint/ (fuzz_config: config/, fuzz_pgjson:
# pgjson/) once (regression inputs: earlier crashes stay fixed), then
# fuzzes for SECONDS, seeded
# from there and, for fuzz_lint, from every file of fixtures/, examples/,
# tests/histories/ and ../shared/corpora; the inputs it finds go to its
# working corpus <build>/corpus/<target>/ (kept between runs).
# Crashing inputs are written to <build>/artifacts/; a crash found should
# become a fixture (and the input a file in tests/fuzz_corpus/).
#
# Exit status: 0 clean; 1 when a regression input or the run found a
# crash, a leak or a timeout (the report is printed); 2 on a usage or
# build error; 77 (ctest's "skipped") when clang or its libFuzzer runtime
# is missing - except with CI=true, where that is an error (2).
# --build-only configures and builds, --no-build uses what is there (the
# ctest entries fuzz_build, fuzz_lint, fuzz_config, fuzz_pgjson:
# tests/CMakeLists.txt).
# Set MIGSAFE_FUZZ_BUILD to build elsewhere, MIGSAFE_CORPORA to take the
# real histories from elsewhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGSAFE_FUZZ_BUILD:-$root/build-fuzz}
do_build=1 do_run=1
case "${1:-}" in
--build-only) do_run=0; shift ;;
--no-build) do_build=0; shift ;;
-*) echo "usage: fuzz/run.sh [--build-only | --no-build] [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
seconds=${MIGSAFE_FUZZ_SECONDS:-60}
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
	seconds=$1
	shift
fi
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz: MIGSAFE_FUZZ_SECONDS must be a number, not '$seconds'" >&2; exit 2; }
targets=("$@")
for t in "${targets[@]}"; do
	[[ $t == fuzz_lint || $t == fuzz_config || $t == fuzz_pgjson ]] ||
		{ echo "fuzz: no target '$t' (fuzz_lint, fuzz_config, fuzz_pgjson)" >&2; exit 2; }
done
((${#targets[@]})) || targets=(fuzz_lint fuzz_config fuzz_pgjson)
jobs=$(nproc 2>/dev/null || echo 2)

# no_fuzzer WHAT: skipped (77), or an error in CI
no_fuzzer() {
	local hint="Debian: ./setup.sh --test, or apt-get install clang libclang-rt-dev"
	if [[ ${CI:-} == true ]]; then
		echo "fuzz: $1 ($hint); CI=true, so this is an error" >&2
		exit 2
	fi
	echo "fuzz: $1 ($hint): skipped"
	exit 77
}
command -v clang >/dev/null || no_fuzzer "clang is not installed"
rt=$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a
[[ -f $rt ]] || no_fuzzer "clang's libFuzzer runtime ($rt) is not installed"

if ((do_build)); then
	cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DMIGSAFE_FUZZ=ON \
		-DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null
fi
((do_run)) || exit 0
for t in "${targets[@]}"; do
	[[ -x $build/$t ]] || { echo "fuzz: $build/$t is not built (fuzz/run.sh --build-only)" >&2; exit 2; }
done

# seed_dirs TARGET: where the target's seeds are; libFuzzer reads them
# (every file, recursively; cut to -max_len) after its working corpus,
# and writes new inputs to the working corpus only
seed_dirs() {
	local d dirs=("$root/tests/fuzz_corpus/${1#fuzz_}")
	[[ $1 == fuzz_lint ]] && dirs+=("$root/fixtures" "$root/examples" "$root/tests/histories"
		"${MIGSAFE_CORPORA:-$root/../shared/corpora}")
	for d in "${dirs[@]}"; do
		[[ -d $d ]] && echo "$d"
	done
	return 0
}

# fuzz TARGET LOG ARGS...: the target under the sanitizers' options
fuzz() {
	local t=$1 log=$2 dict=$root/fuzz/sql.dict maxlen=65536
	shift 2
	[[ $t == fuzz_config ]] && dict=$root/fuzz/json.dict maxlen=8192
	[[ $t == fuzz_pgjson ]] && dict=$root/fuzz/json.dict
	# -close_fd_mask=3: migsafe's own messages about bad input are noise
	# here; libFuzzer still prints its reports
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$root/fuzz/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$root/fuzz/ubsan.supp \
	"$build/$t" -max_len="$maxlen" -timeout=20 -rss_limit_mb=4096 -dict="$dict" \
		-close_fd_mask=3 -artifact_prefix="$build/artifacts/$t-" "$@" >"$log" 2>&1
}

# report LOG: the sanitizer's or libFuzzer's report, for CI logs
report() {
	echo "   full log: $1"
	awk '/^Running: / { run = $0 }
	     !p && /ERROR: |runtime error|ALARM|out-of-memory/ { p = 1; if (run) print run }
	     p' "$1" | head -150 | sed 's/^/   | /'
}

status=0
mkdir -p "$build/artifacts" "$build/logs"
for t in "${targets[@]}"; do
	regress=("$root/tests/fuzz_corpus/${t#fuzz_}"/*)
	log=$build/logs/$t-regress.log
	if [[ -e ${regress[0]} ]]; then
		if fuzz "$t" "$log" "${regress[@]}"; then
			echo "== $t: ${#regress[@]} regression inputs replayed, ok"
		else
			status=1
			echo "== $t: a regression input of tests/fuzz_corpus/${t#fuzz_}/ FAILS again"
			report "$log"
			continue
		fi
	fi
	((seconds > 0)) || continue
	corpus=$build/corpus/$t
	mkdir -p "$corpus"
	mapfile -t seeds < <(seed_dirs "$t")
	log=$build/logs/$t.log
	echo "== $t: ${seconds}s, working corpus $corpus ($(find "$corpus" -type f | wc -l) inputs)," \
		"seeds $(find "${seeds[@]}" -type f | wc -l) files of ${seeds[*]#"$root"/}"
	fuzz "$t" "$log" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -print_final_stats=1 ||
		rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' ||
		grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
	seeds=$(grep -o '^#[0-9]*.INITED' "$log" | grep -o '[0-9]*' || echo '?')
	if [[ ${rc:-0} -ne 0 ]]; then
		status=1
		echo "   FOUND A PROBLEM (exit ${rc}) after $execs executions; $cov"
		report "$log"
	else
		echo "   ok: $execs executions ($seeds of them the seed pass), $cov, no crash"
	fi
	unset rc
done
for t in "${targets[@]}"; do
	find "$build/artifacts" -type f -name "$t-*" -printf '   artifact: %p\n'
done
exit $status
