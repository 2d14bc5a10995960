#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up, every tier of the normal
# build's tests (meson test --setup full: the fast tier and the slow suites,
# tests/meson.build), the fast tier under AddressSanitizer +
# UndefinedBehaviorSanitizer, the threads suite under ThreadSanitizer, a
# short libFuzzer run, the golden and CLI
# suites under valgrind, and one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash .ci/setup --test || { echo "0 passed, 1 failed"; exit 1; }

logs=()
run_suite() {   # build dir, setup, extra meson test arguments
	local dir=$1 setup=$2
	shift 2
	# meson names the log after the setup; an old one must not be counted
	# if this run writes none.
	local log="$dir/meson-logs/testlog-$setup.json"
	rm -f "$log"
	meson test -C "$dir" --print-errorlogs --num-processes 2 --setup "$setup" "$@"
	logs+=("$log")
}

run_suite build full

# Sanitizers: any report aborts the test that triggered it.
if [[ ! -f build-san/build.ninja ]]; then
	meson setup build-san -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null
fi
# In CI, warnings are errors here too, as in build/ (.ci/setup).
if [[ -n ${CI:-} ]]; then
	meson configure build-san -Dwerror=true
fi
if meson compile -C build-san >/dev/null; then
	# A sanitized debug build runs several times slower than the build
	# the timeouts are set for (from-json took 260 s of its 300 here on
	# 2026-12-04, and timed out on a busier run), hence the multiplier.
	# RSTDIAG_SANITIZED: tests that start thousands of runs keep the
	# variants that exercise other code (tests/wrapper.py, slow_runs).
	RSTDIAG_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_suite build-san fast --no-suite source --timeout-multiplier 3
	# The fast tier only: lab, namespaces and live captures, once is
	# enough; memory: a sanitized binary's RSS is not the product's; tshark:
	# its lists do not depend on the build; source: the same files, read once.
else
	echo "sanitizer build failed"
	logs+=("build-san/missing-testlog.json")
fi

# ThreadSanitizer: the suite that starts rstdiag's threads (the slab maker,
# the JSON renderer): their unit tests, the goldens and two floods. Any
# report aborts the test that triggered it.
if [[ ! -f build-tsan/build.ninja ]]; then
	meson setup build-tsan -Db_sanitize=thread -Db_lundef=false \
		-Dbuildtype=debug >/dev/null
fi
if [[ -n ${CI:-} ]]; then
	meson configure build-tsan -Dwerror=true
fi
if meson compile -C build-tsan >/dev/null; then
	TSAN_OPTIONS=halt_on_error=1:abort_on_error=1 \
		run_suite build-tsan fast --suite threads --timeout-multiplier 3
else
	echo "thread sanitizer build failed"
	logs+=("build-tsan/missing-testlog.json")
fi

# libFuzzer: each harness 25 s on the committed corpus, both at once
# (fuzz/meson.build); the clang build of the harnesses alone, not the tool.
if bash fuzz/run --build-only; then
	run_suite build-fuzz full --no-rebuild --suite fuzz
else
	echo "fuzz build failed"
	logs+=("build-fuzz/missing-testlog.json")
fi

# valgrind's memcheck on rstdiag itself in the golden and CLI suites: zero
# errors and zero definite or indirect leaks (tests/meson.build).
run_suite build valgrind --suite golden --suite cli

python3 tests/count_results.py "${logs[@]}"
