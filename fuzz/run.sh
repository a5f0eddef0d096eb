#!/usr/bin/env bash
# Fuzz migsafe for a bounded time:
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default 60 s each; targets:
#                                          fuzz_lint fuzz_config)
#
# Builds the libFuzzer targets with clang (ASan + UBSan, no recovery) in
# build-fuzz/ (-DMIGSAFE_FUZZ=ON), seeds each one's working corpus from
# tests/fuzz_corpus/<target>/ and, for fuzz_lint, every .sql file of
# fixtures/, examples/, tests/histories/ and ../shared/corpora, then runs
# each target for SECONDS. Crashing inputs are written to
# build-fuzz/artifacts/; a crash found should become a fixture (and the
# input a file in tests/fuzz_corpus/). Exit status 1 when a target found
# a crash, a leak or a timeout. Set MIGSAFE_FUZZ_BUILD to build elsewhere,
# MIGSAFE_CORPORA to take the real histories from elsewhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGSAFE_FUZZ_BUILD:-$root/build-fuzz}
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_lint fuzz_config)
jobs=$(nproc 2>/dev/null || echo 2)

if ! command -v clang >/dev/null; then
	echo "fuzz: clang is needed (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DMIGSAFE_FUZZ=ON \
	-DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null

# seed_dir TARGET: the working corpus (grows between runs; not committed)
seed_dir() {
	local t=$1 dir=$build/corpus/$1
	mkdir -p "$dir"
	cp -f "$root/tests/fuzz_corpus/${t#fuzz_}"/* "$dir"/ 2>/dev/null || true
	if [[ $t == fuzz_lint ]]; then
		local n=0 f
		while IFS= read -r -d '' f; do
			cp -f "$f" "$dir/seed-$((n++))-$(basename "$f")"
		done < <(find "$root/fixtures" "$root/examples" "$root/tests/histories" \
			"${MIGSAFE_CORPORA:-$root/../shared/corpora}" -name '*.sql' -size -64k \
			-print0 2>/dev/null)
	fi
	echo "$dir"
}

status=0
mkdir -p "$build/artifacts" "$build/logs"
for t in "${targets[@]}"; do
	corpus=$(seed_dir "$t")
	dict=$root/fuzz/sql.dict maxlen=65536
	[[ $t == fuzz_config ]] && dict=$root/fuzz/json.dict maxlen=8192
	log=$build/logs/$t.log
	echo "== $t: ${seconds}s, corpus $corpus ($(find "$corpus" -type f | wc -l) inputs)"
	# -close_fd_mask=3: migsafe's own messages about bad input are noise
	# here; libFuzzer still prints its reports
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$root/fuzz/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$root/fuzz/ubsan.supp \
	"$build/$t" "$corpus" -max_total_time="$seconds" -max_len="$maxlen" -timeout=20 \
		-rss_limit_mb=4096 -dict="$dict" -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1 || rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' ||
		grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
	if [[ ${rc:-0} -ne 0 ]]; then
		status=1
		echo "   FOUND A PROBLEM (exit ${rc}) after $execs executions; $cov"
		grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written to|ALARM|out-of-memory' "$log" |
			head -8 | sed 's/^/   /'
		echo "   full log: $log"
	else
		echo "   ok: $execs executions, $cov, no crash"
	fi
	unset rc
done
find "$build/artifacts" -type f -printf '   artifact: %f\n'
exit $status
