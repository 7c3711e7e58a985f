#!/bin/sh
# CPU time against wall time per command (docs/performance.md): each command run REPS times (default 3) with
# the threads Unroll chooses (OPENBLAS_NUM_THREADS unset) and with OPENBLAS_NUM_THREADS=1 and =2, through
# /usr/bin/time; prints the best wall time of each and the user+system CPU time of that run, and CPU / wall.
# The interactive view is timed in a tmux server of its own: idle (10 s, no key) and stepping (40 steps and
# 10 model keys, 50 ms apart).
#
# usage: scripts/cpu_time.sh UNROLL_BINARY [REPS]
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
reps=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
server="unroll-cpu-$$"
trap 'tmux -L "$server" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT INT TERM
# run THREADS COMMAND...: one run, prints "wall cpu"
run() {
  threads=$1; shift
  if [ "$threads" = chosen ]; then env -u OPENBLAS_NUM_THREADS /usr/bin/time -o "$dir/t" -f "%e %U %S" "$@" >/dev/null 2>&1
  else env OPENBLAS_NUM_THREADS="$threads" /usr/bin/time -o "$dir/t" -f "%e %U %S" "$@" >/dev/null 2>&1; fi
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/t"
}
# interactive THREADS MODE: the view in tmux under /usr/bin/time
interactive() {
  threads=$1 mode=$2
  server="unroll-cpu-$$-$(date +%s%N)"   # a server of its own per run: an exiting one refuses new sessions
  env_threads=""; [ "$threads" = chosen ] || env_threads="OPENBLAS_NUM_THREADS=$threads"
  tmux -L "$server" new-session -d -x 200 -y 60 \
    "env -u OPENBLAS_NUM_THREADS $env_threads /usr/bin/time -o $dir/t -f '%e %U %S' $bin lesson lstm"
  sleep 1
  if [ "$mode" = idle ]; then sleep 10; else
    i=0; while [ $i -lt 40 ]; do tmux -L "$server" send-keys Right; sleep 0.05; i=$((i + 1)); done
    i=0; while [ $i -lt 10 ]; do tmux -L "$server" send-keys -l "]"; sleep 0.05; i=$((i + 1)); done
  fi
  tmux -L "$server" send-keys q
  while tmux -L "$server" has-session >/dev/null 2>&1; do sleep 0.1; done
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$dir/t"
}
best() {  # best of REPS by wall time: "wall cpu"
  i=0; : > "$dir/runs"
  while [ $i -lt "$reps" ]; do "$@" >> "$dir/runs"; i=$((i + 1)); done
  sort -n "$dir/runs" | head -1
}
printf '%-46s %-20s %-20s %-20s\n' command "chosen wall/CPU (x)" "1 thread" "2 threads"
line() {
  name=$1; shift
  printf '%-46s' "$name"
  for t in chosen 1 2; do
    r=$(best "$@" "$t")
    printf ' %-20s' "$(echo "$r" | awk '{printf "%.2f / %.2f (%.2f)", $1, $2, ($1 > 0 ? $2 / $1 : 0)}')"
  done
  printf '\n'
}
c_train() { run "$1" "$bin" train train-adding-lstm --iterations 300; }
c_trace() { run "$1" "$bin" trace "$here/scripts/lstm-h256-t200.yaml" --format json; }
c_trace_small() { run "$1" "$bin" trace lstm --format json; }
c_check() { run "$1" "$bin" check "$here/scripts/lstm-h256-t200.yaml"; }
c_bench() { run "$1" "$bin" bench --part engine --hidden 512 --cell lstm --repetitions 3; }
c_idle() { interactive "$1" idle; }
c_step() { interactive "$1" step; }
line "unroll train train-adding-lstm --iterations 300" c_train
line "unroll trace scripts/lstm-h256-t200.yaml" c_trace
line "unroll trace lstm --format json" c_trace_small
line "unroll check scripts/lstm-h256-t200.yaml" c_check
line "unroll bench --part engine --hidden 512 --cell lstm" c_bench
line "unroll lesson lstm, idle 10 s" c_idle
line "unroll lesson lstm, 40 steps + 10 keys" c_step
