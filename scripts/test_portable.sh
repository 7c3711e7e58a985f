#!/bin/sh
# `make test-portable`: the suite again under the settings a user's machine may have (docs/reliability.md,
# "Every machine"). It runs after `make test` (which built the tests) and changes nothing of the caller's own
# environment: each setting is given to one command.
#   1. OPENBLAS_CORETYPE=Prescott (the oldest x86-64 kernels; other sums, other last bits): the numerics targets.
#   2. One CPU (taskset -c 0): the numerics targets and the binary end to end (threads, timing-sensitive keys).
#   3. A 100-character TMPDIR: class mode and the binary end to end (Unix socket paths hold 108 bytes).
#   4. Another user (uid 65534, when run as root): the whole suite.
# Usage: sh scripts/test_portable.sh SWIFT; PORTABLE_STEPS="prescott cpu tmpdir user" (the default) picks settings.
set -eu
steps=" ${PORTABLE_STEPS:-prescott cpu tmpdir user} "
wants() { case "$steps" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
SWIFT=${1:-swift}
cd "$(dirname "$0")/.."
root=$(pwd)
numerics='Unroll(Engine|Training|Lessons|UI)Tests\.'
failed=""
# Each step's output is kept, so that the end of the run names the tests that failed (CI shows only its tail).
logs=$(mktemp -d /tmp/unroll-portable-logs-XXXXXX)
summary=""
step() {
    name=$1; shift
    echo "== test-portable: $name"
    start=$(date +%s)
    log="$logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_')"
    { if "$@"; then echo 0 > "$log.rc"; else echo 1 > "$log.rc"; fi; } 2>&1 | tee "$log"
    if [ "$(cat "$log.rc")" = 0 ]; then echo "== test-portable: $name passed in $(( $(date +%s) - start )) s"
    else
        echo "== test-portable: $name FAILED"; failed="$failed [$name]"
        summary="$summary
== $name: what failed
$(grep -E '✘|error:|Fatal|signal' "$log" | grep -v -E '^✘ Test run with' | head -40)"
    fi
}

if ! wants prescott; then :
elif [ "$(uname -m)" = x86_64 ]; then
    step "OPENBLAS_CORETYPE=Prescott" env OPENBLAS_CORETYPE=Prescott "$SWIFT" test --skip-build --filter "$numerics"
else
    echo "== test-portable: OPENBLAS_CORETYPE=Prescott is an x86-64 core; on $(uname -m) the default core runs in make test"
fi

if ! wants cpu; then :
elif command -v taskset >/dev/null 2>&1; then
    step "one CPU (taskset -c 0)" taskset -c 0 "$SWIFT" test --skip-build --filter "$numerics|UnrollEndToEndTests\."
else
    echo "== test-portable: taskset (util-linux) is missing"; failed="$failed [one CPU]"
fi

if wants tmpdir; then
    long=$(mktemp -d /tmp/unroll-portable-XXXXXX)
    deep="$long/$(printf 'd%.0s' $(seq 1 $(( 100 - ${#long} - 1 ))))"
    mkdir -p "$deep"
    step "TMPDIR of ${#deep} characters" env TMPDIR="$deep/" "$SWIFT" test --skip-build --filter 'UnrollClassTests\.|UnrollEndToEndTests\.'
    rm -rf "$long"
fi

if ! wants user; then :
elif [ "$(id -u)" = 0 ]; then
    # uid 65534 (nobody) runs the test bundle the root build made, in place: the bundle finds the repository's
    # files by their absolute paths, so every folder above the clone must let it through.
    bundle="$("$SWIFT" build --show-bin-path)/UnrollPackageTests.xctest"
    home=$(mktemp -d /tmp/unroll-nobody-XXXXXX)
    chown 65534:65534 "$home"
    # As uid 65534, with its own HOME and tmux folder, and UNROLL_TEST_SKIP_TMUX once $reason says why tmux cannot run.
    # SHELL=/bin/sh: tmux runs a pane's command with $SHELL, else with the login shell, nobody's /usr/sbin/nologin.
    reason=""
    as_nobody() {
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$home" TMPDIR=/tmp TMUX_TMPDIR="$home" \
            SHELL=/bin/sh ${reason:+"UNROLL_TEST_SKIP_TMUX=$reason"} "$@"
    }
    # The end-to-end tests drive the binary in tmux, which needs a pseudo-terminal: where this user may not open
    # one (a container whose /dev/ptmx is devpts's own, mode 000, opens only to root), they are skipped for this
    # user, loudly; they ran as the caller in make test. Everything else runs as this user. The probe is what a
    # test does: a pane that prints a line, read back with capture-pane.
    if probe=$(as_nobody tmux -L probe -f /dev/null new-session -d -s probe 'echo unroll-probe; sleep 5' 2>&1) \
        && sleep 1 && probe=$(as_nobody tmux -L probe capture-pane -p -t probe 2>&1) \
        && case "$probe" in *unroll-probe*) true ;; *) false ;; esac; then
        as_nobody tmux -L probe kill-server 2>/dev/null || true
    else
        as_nobody tmux -L probe kill-server 2>/dev/null || true
        reason="uid 65534 cannot run a command in tmux: ${probe:-no message}; $(ls -lL /dev/ptmx 2>&1)"
        echo "== test-portable: $reason: its tmux tests are skipped (they ran as $(id -un) in make test)"
    fi
    if setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$root/Package.swift" -a -x "$bundle"; then
        step "another user (uid 65534)" as_nobody "$bundle" --testing-library swift-testing
    else
        # The clone is under a folder closed to other users: build a copy of it in a folder of the user's own.
        # The package copies git reads are root's: safe.directory in the user's own (global) git config lets it
        # clone from them (git 2.39 takes safe.directory from no other place).
        copy="$home/unroll"
        git ls-files -z | (mkdir -p "$copy" && xargs -0 cp --parents -t "$copy")
        printf '[safe]\n\tdirectory = *\n' > "$home/.gitconfig"
        chown -R 65534:65534 "$home"
        step "another user (uid 65534), on a copy of the clone" \
            as_nobody sh -c "cd '$copy' && '$SWIFT' build --build-tests && '$SWIFT' test --skip-build"
    fi
    rm -rf "$home"
else
    echo "== test-portable: not root, so make test already ran as another user than root"
fi

rm -rf "$logs"
if [ -n "$failed" ]; then printf '%s\n' "$summary"; echo "test-portable: failed:$failed"; exit 1; fi
echo "test-portable: every setting passed"
