#!/usr/bin/env python3
"""Class mode capacity: one presenter and N followers (default 60) in tmux on this machine.

Sends the presenter KEYS step keys (default 20, one every 0.5 s) and measures, for each key, the time from the
presenter publishing the new state to every follower having drawn its frame (median and worst over the keys, and
the median of every follower's own latency), then the CPU and resident memory per follower, idle (no key for
IDLE seconds) and while following (during the keys).

    scripts/class_capacity.py [--followers 60] [--keys 20] [--idle 20] [--binary PATH]

Times come from the hidden hook UNROLL_CLASS_FRAME_LOG=FILE (docs/performance.md): the presenter appends
"pPOSITION NANOSECONDS" when it publishes, each follower when it has drawn the frame of a new state, on
CLOCK_MONOTONIC (the same clock in every process). Uses the release build (built if missing), tmux and Linux's
/proc. Exits 1 when a target is missed: median <= 100 ms, worst <= 250 ms, idle follower below 0.1 % CPU.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tmux(socket, *args, check=True):
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], check=check, capture_output=True, text=True).stdout


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14, 15)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def unroll_pid(socket, session):
    """The unroll process in a tmux session (the pane runs it directly)."""
    return int(tmux(socket, "display", "-p", "-t", session, "#{pane_pid}").strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--followers", type=int, default=60)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between the presenter's keys")
    parser.add_argument("--idle", type=float, default=20, help="seconds of idling measured")
    parser.add_argument("--binary", default=None)
    args = parser.parse_args()

    binary = args.binary
    if binary is None:
        swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
        bin_path = subprocess.run([swift, "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        binary = os.path.join(bin_path, "unroll")
        if not os.access(binary, os.X_OK):
            subprocess.run([swift, "build", "-c", "release", "--product", "unroll"], cwd=ROOT, check=True)

    work = tempfile.mkdtemp(prefix="unroll-capacity-")
    os.chmod(work, 0o700)
    socket = f"unroll-capacity-{os.getpid()}"
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color",
               UNROLL_CLASS_DIR=os.path.join(work, "rooms"), USER="lecturer")
    logs = os.path.join(work, "logs")
    os.mkdir(logs)

    def start(name, argv, log, width=100, height=30):
        # A tmux server gives later sessions its own environment: the log file goes on the command line (env execs).
        subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", str(width),
                        "-y", str(height), "env", f"UNROLL_CLASS_FRAME_LOG={os.path.join(logs, log)}", *argv],
                       env=env, check=True)

    try:
        # memory: 6 steps, 12 positions, no question to hold the timeline.
        start("presenter", [binary, "present", "memory", "--limit", str(args.followers + 10)], "presenter.log")
        code = None
        deadline = time.time() + 60
        while code is None and time.time() < deadline:
            screen = tmux(socket, "capture-pane", "-p", "-t", "presenter")
            for word in screen.split():
                if len(word) == 9 and word[4] == "-" and word.replace("-", "").isalnum() and word.isupper():
                    code = word
            time.sleep(0.2)
        if code is None:
            sys.exit("the presenter did not show a join code in 60 s")
        sizes = [(80, 24), (100, 30), (120, 40)]
        for i in range(args.followers):
            w, h = sizes[i % len(sizes)]
            start(f"f{i}", [binary, "join", code], f"f{i}.log", w, h)
        deadline = time.time() + 180
        while True:
            joined = sum(1 for i in range(args.followers)
                         if "following lecturer" in tmux(socket, "capture-pane", "-p", "-t", f"f{i}", check=False))
            if joined == args.followers:
                break
            if time.time() > deadline:
                sys.exit(f"only {joined} of {args.followers} followers drew a frame in 180 s")
            time.sleep(1)
        pids = [unroll_pid(socket, f"f{i}") for i in range(args.followers)]
        presenter_pid = unroll_pid(socket, "presenter")
        hz = os.sysconf("SC_CLK_TCK")

        # Idle: nobody presses a key.
        time.sleep(2)
        before = [ticks(p) for p in pids]
        time.sleep(args.idle)
        idle_cpu = [(ticks(p) - b) / hz / args.idle * 100 for p, b in zip(pids, before)]
        idle_rss = [rss_mb(p) for p in pids]

        # Following: the presenter steps; memory has 12 steps, so → then ← (each a new position).
        before = [ticks(p) for p in pids]
        presenter_before = ticks(presenter_pid)
        started = time.time()
        for k in range(args.keys):
            tmux(socket, "send-keys", "-t", "presenter", "l" if (k // 11) % 2 == 0 else "h")
            time.sleep(args.interval)
        time.sleep(1)
        elapsed = time.time() - started
        busy_cpu = [(ticks(p) - b) / hz / elapsed * 100 for p, b in zip(pids, before)]
        presenter_cpu = (ticks(presenter_pid) - presenter_before) / hz / elapsed * 100
        busy_rss = [rss_mb(p) for p in pids]

        def read(name):
            out = []
            with open(os.path.join(logs, name)) as f:
                for line in f:
                    tag, ns = line.split()
                    out.append((tag, int(ns)))
            return out

        published = read("presenter.log")[-args.keys:]
        followers = [read(f"f{i}.log") for i in range(args.followers)]
        per_key, per_frame, missing = [], [], 0
        for n, (tag, t0) in enumerate(published):
            t_next = published[n + 1][1] if n + 1 < len(published) else float("inf")
            worst = 0
            for log in followers:
                drawn = [t for g, t in log if g == tag and t0 <= t < t_next]
                if not drawn:
                    missing += 1
                    continue
                per_frame.append((drawn[0] - t0) / 1e6)
                worst = max(worst, (drawn[0] - t0) / 1e6)
            per_key.append(worst)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    cpu_name = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_name = line.split(":", 1)[1].strip()
                break
    print(f"class capacity: 1 presenter, {args.followers} followers, {len(per_key)} keys, {cpu_name}, {os.cpu_count()} cores")
    print(f"key to every follower's frame: median {statistics.median(per_key):.1f} ms, worst {max(per_key):.1f} ms")
    print(f"key to one follower's frame: median {statistics.median(per_frame):.1f} ms, worst {max(per_frame):.1f} ms"
          f" ({missing} frames skipped to a newer state)")
    print(f"follower CPU idle: mean {statistics.mean(idle_cpu):.3f} %, max {max(idle_cpu):.3f} %;"
          f" following: mean {statistics.mean(busy_cpu):.2f} %, max {max(busy_cpu):.2f} %; presenter {presenter_cpu:.2f} %")
    print(f"follower RSS idle: mean {statistics.mean(idle_rss):.1f} MB, max {max(idle_rss):.1f} MB;"
          f" following: mean {statistics.mean(busy_rss):.1f} MB, max {max(busy_rss):.1f} MB")
    ok = statistics.median(per_key) <= 100 and max(per_key) <= 250 and max(idle_cpu) < 0.1 and missing == 0
    print("targets (median <= 100 ms, worst <= 250 ms, idle < 0.1 % CPU):", "met" if ok else "MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
