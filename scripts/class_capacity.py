#!/usr/bin/env python3
"""Class mode capacity: one presenter and N followers (default 60) in tmux on this machine.

Sends the presenter KEYS step keys (default 20, one every 0.5 s) and measures, for each key, the time from the
presenter publishing the new state to every follower having drawn its frame (median and worst over the keys, and
the median of every follower's own latency), then the CPU and resident memory per follower, idle (no key for
IDLE seconds) and while following (during the keys).

With --clients M, M protocol clients join as well (over TCP on 127.0.0.1, or --transport unix): one child process
speaks the class protocol for all of them (hello with the proof of the code, then it reads every frame) and notes
when each state arrives. It reports key -> received (from just before the key is sent to tmux, to the client
reading the state that key published) and publish -> received, median and p99 over every client and key, and the
presenter's CPU per key and memory (VmRSS, VmHWM). For a lecture hall of 500: --clients 496 --followers 4.

    scripts/class_capacity.py [--followers 60] [--clients 0] [--transport tcp] [--keys 20] [--idle 20] [--binary PATH]

Times come from the hidden hook UNROLL_CLASS_FRAME_LOG=FILE (docs/performance.md): the presenter appends
"pPOSITION NANOSECONDS" when it publishes, each follower when it has drawn the frame of a new state, on
CLOCK_MONOTONIC (the same clock in every process). Uses the release build (built if missing), tmux and Linux's
/proc. Exits 1 when a target is missed: median <= 100 ms, worst <= 250 ms, idle follower below 0.1 % CPU.
"""
import argparse
import hashlib
import hmac
import multiprocessing
import os
import selectors
import socket as sockets
import struct
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


def hello_frame(code, name="client"):
    """A version-3 hello: a fresh nonce and its HMAC-SHA256 under the code (docs/reliability.md), and a name."""
    symbols = code.replace("-", "").upper()
    nonce = os.urandom(16)
    mac = hmac.new(f"unroll-class-v3:{symbols}".encode(), b"unroll-class-v3" + nonce, hashlib.sha256).digest()
    name = name.encode()
    payload = bytes([48]) + nonce + mac + bytes([len(name)]) + name
    return b"UNRC" + struct.pack(">HBBI", 3, 1, 0, len(payload)) + payload


def clients_main(count, code, address, results, ready, stop):
    """Child process: `count` protocol clients of the room at `address` (a Unix path or (host, port)); puts, when
    `stop` is set, every state's (sequence, CLOCK_MONOTONIC ns of its arrival) per client on `results`."""
    selector = selectors.DefaultSelector()
    buffers, arrivals, welcomed = {}, {}, set()
    family = sockets.AF_UNIX if isinstance(address, str) else sockets.AF_INET
    pending = list(range(count))
    while pending:
        # Sixteen at a time: a room keeps at most 32 connections waiting to say hello.
        batch, pending = pending[:16], pending[16:]
        opened = []
        for i in batch:
            s = sockets.socket(family, sockets.SOCK_STREAM)
            s.connect(address)
            s.sendall(hello_frame(code, f"c{i}"))
            opened.append((i, s))
        for i, s in opened:
            s.setblocking(False)
            buffers[s] = b""
            arrivals[i] = []
            selector.register(s, selectors.EVENT_READ, i)
        deadline = time.time() + 30
        while not all(i in welcomed for i, _ in opened) and time.time() < deadline:
            for key, _ in selector.select(timeout=1):
                data = key.fileobj.recv(1 << 16)
                if not data:
                    sys.exit(f"client {key.data}: the room closed the connection")
                buffers[key.fileobj] += data
                if len(buffers[key.fileobj]) >= 12 and buffers[key.fileobj][6] == 16:
                    welcomed.add(key.data)
    ready.set()
    while not stop.is_set():
        for key, _ in selector.select(timeout=0.2):
            now = time.monotonic_ns()
            data = key.fileobj.recv(1 << 16)
            if not data:
                selector.unregister(key.fileobj)
                continue
            buf = buffers[key.fileobj] + data
            while len(buf) >= 12:
                kind, length = buf[6], struct.unpack(">I", buf[8:12])[0]
                if len(buf) < 12 + length:
                    break
                if kind == 17:
                    arrivals[key.data].append((struct.unpack(">Q", buf[12:20])[0], now))
                buf = buf[12 + length:]
            buffers[key.fileobj] = buf
    results.put((len(welcomed), arrivals))


def free_port():
    with sockets.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def unroll_pid(socket, session):
    """The unroll process in a tmux session (the pane runs it directly)."""
    return int(tmux(socket, "display", "-p", "-t", session, "#{pane_pid}").strip())


def hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def read_log(path):
    """A frame log's lines: (tag, CLOCK_MONOTONIC ns)."""
    out = []
    with open(path) as f:
        for line in f:
            tag, ns = line.split()
            out.append((tag, int(ns)))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--followers", type=int, default=60)
    parser.add_argument("--clients", type=int, default=0, help="protocol clients joining besides the followers")
    parser.add_argument("--transport", choices=["tcp", "unix"], default="tcp", help="how the clients join")
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

    load = " ".join(open("/proc/loadavg").read().split()[:3])
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
        seats = args.followers + args.clients + 10
        port = free_port()
        listen = ["--listen", f"127.0.0.1:{port}", "--per-address", str(seats)] if args.clients else []
        start("presenter", [binary, "present", "memory", "--limit", str(seats), *listen], "presenter.log")
        code = None
        deadline = time.time() + 60
        while code is None and time.time() < deadline:
            screen = tmux(socket, "capture-pane", "-p", "-t", "presenter")
            for word in screen.split():
                if len(word) == 14 and word[4] == "-" and word[9] == "-" and word.replace("-", "").isalnum() \
                        and word.isupper():
                    code = word
            time.sleep(0.2)
        if code is None:
            sys.exit("the presenter did not show a join code in 60 s")
        sizes = [(80, 24), (120, 40)] if args.clients else [(80, 24), (100, 30), (120, 40)]
        for i in range(args.followers):
            w, h = sizes[i % len(sizes)]
            start(f"f{i}", [binary, "join", code], f"f{i}.log", w, h)
        deadline = time.time() + 180
        while True:
            joined = sum(1 for i in range(args.followers)
                         if "following " in tmux(socket, "capture-pane", "-p", "-t", f"f{i}", check=False))
            if joined == args.followers:
                break
            if time.time() > deadline:
                sys.exit(f"only {joined} of {args.followers} followers drew a frame in 180 s")
            time.sleep(1)
        pids = [unroll_pid(socket, f"f{i}") for i in range(args.followers)]
        presenter_pid = unroll_pid(socket, "presenter")
        hz = os.sysconf("SC_CLK_TCK")
        child = None
        if args.clients:
            if args.transport == "tcp":
                address = ("127.0.0.1", port)
            else:
                address = os.path.join(env["UNROLL_CLASS_DIR"], code[:4], "room.sock")
            results, ready, stop = multiprocessing.Queue(), multiprocessing.Event(), multiprocessing.Event()
            child = multiprocessing.Process(target=clients_main,
                                            args=(args.clients, code, address, results, ready, stop))
            child.start()
            if not ready.wait(300):
                sys.exit(f"the {args.clients} clients did not join in 300 s")

        # Idle: nobody presses a key.
        time.sleep(2)
        before = [ticks(p) for p in pids]
        time.sleep(args.idle)
        idle_cpu = [(ticks(p) - b) / hz / args.idle * 100 for p, b in zip(pids, before)]
        idle_rss = [rss_mb(p) for p in pids]

        # Following: the presenter steps; memory has 12 steps, so → then ← (each a new position).
        before = [ticks(p) for p in pids]
        presenter_idle_before = ticks(presenter_pid)
        time.sleep(args.interval * args.keys / 2)
        # The presenter's own idle CPU (heartbeats to every follower), subtracted from its CPU per key.
        presenter_idle = (ticks(presenter_pid) - presenter_idle_before) / hz / (args.interval * args.keys / 2)
        presenter_before = ticks(presenter_pid)
        started = time.time()
        sent = []
        for k in range(args.keys):
            sent.append(time.monotonic_ns())
            tmux(socket, "send-keys", "-t", "presenter", "l" if (k // 11) % 2 == 0 else "h")
            time.sleep(args.interval)
        time.sleep(1)
        elapsed = time.time() - started
        busy_cpu = [(ticks(p) - b) / hz / elapsed * 100 for p, b in zip(pids, before)]
        presenter_seconds = (ticks(presenter_pid) - presenter_before) / hz
        presenter_cpu = presenter_seconds / elapsed * 100
        busy_rss = [rss_mb(p) for p in pids]
        presenter_rss, presenter_hwm = rss_mb(presenter_pid), hwm_mb(presenter_pid)
        client_lines = []
        if child is not None:
            stop.set()
            joined_clients, arrivals = results.get(timeout=60)
            child.join(10)
            publishes = read_log(os.path.join(logs, "presenter.log"))
            # Sequence k is the k-th publication (the room numbers states from 1); a key's is the first after it.
            keyed = {}
            for n, key in enumerate(sent):
                j = next((j for j, (_, t) in enumerate(publishes) if t >= key), None)
                if j is not None and j + 1 not in keyed:
                    keyed[j + 1] = (publishes[j][1], key)
            if len(keyed) != args.keys:
                sys.exit(f"{args.keys} keys but {len(keyed)} publications after them")
            from_key, from_publish, missing_clients = [], [], 0
            for log in arrivals.values():
                got = {seq: t for seq, t in log}
                for seq, (published, key) in keyed.items():
                    if seq not in got:
                        missing_clients += 1
                        continue
                    from_key.append((got[seq] - key) / 1e6)
                    from_publish.append((got[seq] - published) / 1e6)
            per_key_cpu = (presenter_seconds - presenter_idle * elapsed) / args.keys * 1000
            client_lines = [
                f"{joined_clients} protocol clients over {args.transport}, {len(from_key)} states received"
                f" ({missing_clients} skipped to a newer state)",
                f"key to received: median {statistics.median(from_key):.1f} ms, p99 {percentile(from_key, 99):.1f} ms,"
                f" worst {max(from_key):.1f} ms",
                f"publish to received: median {statistics.median(from_publish):.1f} ms,"
                f" p99 {percentile(from_publish, 99):.1f} ms",
                f"presenter: {per_key_cpu:.2f} ms CPU per key ({presenter_seconds * 1000 / args.keys:.2f} ms with"
                f" its idle {presenter_idle * 1000:.1f} ms/s), VmRSS {presenter_rss:.1f} MB, VmHWM {presenter_hwm:.1f} MB",
            ]

        def read(name):
            return read_log(os.path.join(logs, name))

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
    print(f"load average before the run: {load}")
    for line in client_lines:
        print(line)
    ok = statistics.median(per_key) <= 100 and max(per_key) <= 250 and max(idle_cpu) < 0.1 and missing == 0
    print("targets (median <= 100 ms, worst <= 250 ms, idle < 0.1 % CPU):", "met" if ok else "MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
