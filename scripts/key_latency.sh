#!/bin/sh
# Key to frame through a real terminal (docs/performance.md): opens each lesson in a tmux server of its own,
# 200x60, presses ] and [ in turn (W_hh up, down) KEYS times, and reads the times the binary itself logs
# (UNROLL_LATENCY_LOG, monotonic clock, from the key read to the frame drawn after the terminal update):
# "forward" is the frame with the new model's numbers, "complete" the frame with its gradients too.
# Prints one line per lesson: median and worst of each, in ms.
# With -p MS, each of the KEYS is a pair: ] then, MS later, [ (pressed while ]'s lab is computing, which [
# supersedes); the times run from reading the [.
#
# usage: scripts/key_latency.sh [-n KEYS] [-p MS] UNROLL_BINARY LESSON|FILE...   (LESSON "all": every step-through
# lesson of `unroll lessons`; the training lessons open the training view, where ] changes no model)
set -eu
keys=20
pair=""
while :; do
  case "${1:-}" in
    -n) keys=$2; shift 2 ;;
    -p) pair=$2; shift 2 ;;
    *) break ;;
  esac
done
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
[ -x "$bin" ] || { echo "key_latency.sh: $bin is not an executable" >&2; exit 2; }
command -v tmux >/dev/null || { echo "key_latency.sh: needs tmux" >&2; exit 2; }
lessons=""
for a in "$@"; do
  if [ "$a" = all ]; then lessons="$lessons $("$bin" lessons | awk '/^ /{print $1}' | grep -v '^train-')"; else lessons="$lessons $a"; fi
done
server="unroll-latency-$$"
dir=$(mktemp -d)
trap 'tmux -L "$server" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT INT TERM
now_ms() { date +%s%3N; }
# Waits until the log has N lines of KIND (at most 20 s).
wait_lines() {
  deadline=$(( $(now_ms) + 20000 ))
  while [ "$(grep -c "^$2 " "$1" 2>/dev/null || true)" -lt "$3" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "key_latency.sh: no frame within 20 s" >&2; return 1; }
    sleep 0.005
  done
}
stats() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) {print "-"; exit} printf "%.2f / %.2f", (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), v[NR]}'; }
printf '%-16s %8s  %-22s %-22s\n' lesson keys "new numbers med/worst" "gradients med/worst"
for lesson in $lessons; do
  log="$dir/$(basename "$lesson").log"
  : > "$log"
  if [ -f "$lesson" ]; then cmd="open $(cd "$(dirname "$lesson")" && pwd)/$(basename "$lesson")"; else cmd="lesson $lesson"; fi
  tmux -L "$server" new-session -d -x 200 -y 60 "UNROLL_LATENCY_LOG=$log $bin $cmd"
  # The first frame: the status line is drawn.
  deadline=$(( $(now_ms) + 20000 ))
  until tmux -L "$server" capture-pane -p | grep -q "step"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "key_latency.sh: $lesson drew no frame" >&2; exit 1; }
    sleep 0.01
  done
  tmux -L "$server" send-keys Right
  sleep 0.2
  i=1
  while [ $i -le "$keys" ]; do
    if [ -n "$pair" ]; then
      tmux -L "$server" send-keys -l "]"
      sleep "$(awk -v ms="$pair" 'BEGIN {print ms / 1000}')"
      tmux -L "$server" send-keys -l "["
    else
      if [ $((i % 2)) = 1 ]; then k="]"; else k="["; fi
      tmux -L "$server" send-keys -l "$k"
    fi
    wait_lines "$log" complete $i
    sleep 0.05
    i=$((i + 1))
  done
  tmux -L "$server" send-keys q
  sleep 0.1
  tmux -L "$server" kill-server 2>/dev/null || true
  [ -n "${KEEP_LOG:-}" ] && cp "$log" "$KEEP_LOG.$(basename "$lesson" .yaml)"
  # A key whose results came back whole before the next frame has no "forward" line: its frame is the complete one.
  first=$(awk '$1 == "forward" {f = $2; next} $1 == "complete" {print (f == "" ? $2 : f); f = ""}' "$log" | stats)
  whole=$(awk '$1 == "complete" {print $2}' "$log" | stats)
  printf '%-16s %8s  %-22s %-22s\n' "$(basename "$lesson" .yaml)" "$keys" "$first" "$whole"
done
