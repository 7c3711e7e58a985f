#!/bin/sh
# Many students, one server: starts N unroll sessions (default 30) in tmux on the default lesson,
# lets them idle, measures each one's CPU and resident memory from /proc, prints the figures,
# then stops them. Targets (docs/reliability.md): CPU below 0.5% per idle session, RSS below 50 MB.
#
#   scripts/load_test.sh [SESSIONS] [IDLE_SECONDS]      (defaults 30 and 60)
#
# Uses the release build (built if missing). Needs tmux and Linux's /proc. Exits 1 when a target is missed.
# RSS is VmRSS (shared library pages counted in every process), PSS divides shared pages among
# the processes sharing them; both in MB of 10^6 bytes.
set -eu
SESSIONS=${1:-30}
IDLE=${2:-60}
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-$(command -v swift || echo /opt/swift/usr/bin/swift)}
BIN="$("$SWIFT" build -c release --show-bin-path)/unroll"
[ -x "$BIN" ] || "$SWIFT" build -c release --product unroll
SOCKET="unroll-load-$$"
TMUX_CMD="tmux -L $SOCKET -f /dev/null"
trap '$TMUX_CMD kill-server 2>/dev/null || true' EXIT INT TERM

export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
$TMUX_CMD new-session -d -s s1 -x 100 -y 30 "$BIN"
i=2
while [ "$i" -le "$SESSIONS" ]; do
  $TMUX_CMD new-session -d -s "s$i" -x 100 -y 30 "$BIN"
  i=$((i + 1))
done

# Wait until every session has drawn its first frame.
deadline=$(( $(date +%s) + 120 ))
while :; do
  drawn=0
  for s in $($TMUX_CMD list-sessions -F '#{session_name}'); do
    $TMUX_CMD capture-pane -p -t "$s" | grep -q FORWARD && drawn=$((drawn + 1))
  done
  [ "$drawn" -ge "$SESSIONS" ] && break
  [ "$(date +%s)" -ge "$deadline" ] && { echo "only $drawn of $SESSIONS sessions drew a frame in 120 s" >&2; exit 1; }
  sleep 1
done
PIDS=$($TMUX_CMD list-panes -a -F '#{pane_pid}')
echo "$SESSIONS sessions drawn; idling ${IDLE}s"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
for p in $PIDS; do echo "$p $(ticks "$p")"; done > "/tmp/$SOCKET.before"
sleep "$IDLE"
for p in $PIDS; do
  echo "$p $(ticks "$p") $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status") $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)"
done > "/tmp/$SOCKET.after"

status=0
awk -v hz="$HZ" -v idle="$IDLE" -v n="$SESSIONS" '
  NR == FNR { before[$1] = $2; next }
  {
    cpu = ($2 - before[$1]) / hz / idle * 100; rss = $3 * 1024 / 1e6
    sumcpu += cpu; sumrss += rss; sumpss += $4 * 1024 / 1e6
    if (cpu > maxcpu) maxcpu = cpu
    if (rss > maxrss) maxrss = rss
    if (minrss == 0 || rss < minrss) minrss = rss
  }
  END {
    printf "sessions: %d, idle for %d s\n", n, idle
    printf "CPU per session while idle: mean %.3f%%, max %.3f%% (target < 0.5%%)\n", sumcpu / n, maxcpu
    printf "RSS per session: mean %.1f MB, min %.1f MB, max %.1f MB (target < 50 MB)\n", sumrss / n, minrss, maxrss
    printf "PSS per session (shared pages divided among the sessions): mean %.1f MB\n", sumpss / n
    printf "all sessions together: %.2f%% of one core, %.0f MB PSS (%.0f MB summing RSS)\n", sumcpu, sumpss, sumrss
    printf "CPU is measured in clock ticks of 1/%d s: %.3f%% is the resolution over %d s\n", hz, 100 / hz / idle, idle
    exit (maxcpu < 0.5 && maxrss < 50) ? 0 : 1
  }' "/tmp/$SOCKET.before" "/tmp/$SOCKET.after" || status=$?
rm -f "/tmp/$SOCKET.before" "/tmp/$SOCKET.after"
exit $status
