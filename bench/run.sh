#!/usr/bin/env bash
# migsafe benchmark, one command (from anywhere):
#
#   bench/run.sh                  the table: synthetic 20k/200k-statement
#                                 histories and ../shared/corpora, against
#                                 the parse floor and squawk; targets; the
#                                 pre-commit case (about 1-2 minutes)
#   bench/run.sh --quick          small history, corpora, pre-commit; 1 run
#   bench/run.sh --profile [small|large]
#                                 perf (or callgrind) top functions, time
#                                 by thread, and the catalog's SQL by time
#                                 (on Debian's shared SQLite), on one history
#   bench/run.sh --no-squawk      skip squawk even where npm exists
#   bench/run.sh --runs N         median of N runs (default 5)
#
# Builds a Release migsafe in build-bench/ (profile: build-bench-prof/,
# with -g -fno-omit-frame-pointer), bench/parse_floor.c and the sqlprof
# shim there, and installs squawk-cli with npm into build-bench/squawk
# when npm exists. Histories are generated into a temporary directory
# and removed afterwards. Set MIGSAFE_BENCH_BUILD to build elsewhere, and
# MIGSAFE_CORPORA to read the real histories from elsewhere than
# ../shared/corpora.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGSAFE_BENCH_BUILD:-$root/build-bench}
jobs=$(nproc 2>/dev/null || echo 2)

profile='' size=large squawk_ok=1 args=()
while (($#)); do
	case $1 in
	--profile)
		profile=1
		if [[ ${2:-} == small || ${2:-} == large ]]; then size=$2; shift; fi ;;
	--no-squawk) squawk_ok= ;;
	--quick) args+=(--quick) ;;
	--runs) args+=(--runs "$2"); shift ;;
	--keep) args+=(--keep) ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done

# build DIR [extra cmake args]: a Release migsafe, quietly
build_migsafe() {
	local dir=$1; shift
	cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" --target migsafe >/dev/null
}

cflags=(-O2 -Wall -Wextra)
if [[ $profile ]]; then
	pbuild=${build}-prof
	build_migsafe "$pbuild" -DCMAKE_C_FLAGS="-g -fno-omit-frame-pointer"
	# the sqlprof shim sees SQLite's calls only in a shared library:
	# a second migsafe on Debian's libsqlite3 for that pass
	build_migsafe "$pbuild-shared" -DMIGSAFE_BUNDLED_SQLITE=OFF -DMIGSAFE_STATIC_DEPS=OFF
	cc "${cflags[@]}" -shared -fPIC -o "$pbuild/sqlprof.so" "$root/bench/sqlprof.c" -ldl
	exec python3 "$root/bench/profile.py" --migsafe "$pbuild/migsafe" \
		--sqlprof "$pbuild/sqlprof.so" --sqlprof-migsafe "$pbuild-shared/migsafe" \
		--out "$pbuild/profile" --size "$size"
fi

build_migsafe "$build"
# shellcheck disable=SC2046  # pkg-config output is meant to split
cc "${cflags[@]}" -o "$build/parse_floor" "$root/bench/parse_floor.c" -lpg_query \
	$(pkg-config --cflags --libs libcjson)

# squawk: the npm package's native binary (not its node launcher, whose
# start-up is not squawk's work), or a squawk on PATH
squawk=
if [[ $squawk_ok ]]; then
	if command -v npm >/dev/null; then
		if ! compgen -G "$build/squawk/node_modules/@squawk-cli/*/bin/squawk" >/dev/null; then
			npm install --silent --no-audit --no-fund --prefix "$build/squawk" squawk-cli \
				>/dev/null 2>&1 || echo "bench: npm could not install squawk-cli" >&2
		fi
		for s in "$build"/squawk/node_modules/@squawk-cli/*/bin/squawk \
			 "$build/squawk/node_modules/.bin/squawk"; do
			if [[ -x $s ]]; then squawk=$s; break; fi
		done
	fi
	[[ $squawk ]] || squawk=$(command -v squawk || true)
	[[ $squawk ]] || echo "bench: squawk is not installed (no npm); skipping it" >&2
fi

exec python3 "$root/bench/bench.py" --migsafe "$build/migsafe" --floor "$build/parse_floor" \
	${squawk:+--squawk "$squawk"} "${args[@]}"
