import Foundation
import Testing
import UnrollSupport

@testable import UnrollClass

#if canImport(Glibc)
    import Glibc
#endif

/// The network half's capacity, in one process: a room and 60 followers over the Unix socket. A benchmark, not a
/// test: it runs only with UNROLL_CLASS_BENCH=1 (docs/performance.md, "Class mode: the network half").
@Suite(
    "Class fan-out benchmark",
    .enabled(
        if: ProcessInfo.processInfo.environment["UNROLL_CLASS_BENCH"] != nil,
        "a benchmark, not a test: run it with UNROLL_CLASS_BENCH=1"))
struct ClassFanOutBenchmark {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    @Test func sixtyFollowers() throws {
        let followers = 60, rounds = 200, stateBytes = 2048
        let folder = try TempFolder()
        let roomWakes = Wakes()
        var options = RoomOptions(directory: folder.path)
        options.credentials = .everyConnectionAnotherUser
        let room = try ClassRoom(
            options: options, code: try #require(JoinCode("K7QD-7Q4K-M2XD")),
            lesson: Data(repeating: 1, count: 64 << 10), wake: roomWakes.wake)
        defer { room.close() }
        let wakes = Wakes()
        let joined = try (0..<followers).map { _ in
            try ClassFollower.join(code: room.code, options: JoinOptions(directory: folder.path), wake: wakes.wake)
        }
        defer { for follower in joined { follower.leave() } }
        #expect(roomWakes.wait { room.status.joined == followers })
        var latencies: [Double] = []
        let cpuBefore = Self.cpuSeconds()
        for round in 1...rounds {
            var state = Data(repeating: UInt8(round % 256), count: stateBytes)
            state[0] = UInt8(round / 256)
            let start = ContinuousClock.now
            room.publish(state: state)
            let all = wakes.wait { joined.allSatisfy { $0.latest?.state == state } }
            latencies.append((ContinuousClock.now - start) / .milliseconds(1))
            #expect(all)
            // Apart, so each publish is measured alone (a faster presenter is coalesced).
            _ = wakes.wait(seconds: 0.01) { false }
        }
        let busyCPU = Self.cpuSeconds() - cpuBefore
        let idleStart = Self.cpuSeconds()
        _ = wakes.wait(seconds: 10) { false }
        let idleCPU = Self.cpuSeconds() - idleStart
        latencies.sort()
        print(
            String(
                format: "class fan-out: %d followers, %d publishes of %d bytes: to all followers median %.2f ms, "
                    + "p95 %.2f ms, worst %.2f ms; CPU %.3f s for all publishes (%.2f ms each); idle 10 s: CPU %.3f s",
                followers, rounds, stateBytes, latencies[rounds / 2], latencies[rounds * 95 / 100],
                latencies[rounds - 1], busyCPU, busyCPU * 1000 / Double(rounds), idleCPU))
    }
}
