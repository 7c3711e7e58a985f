import Foundation
import Testing

/// The binary's start-up choice of OpenBLAS core, through the hidden hook `UNROLL_DEBUG_OPENBLAS_DETECTED`
/// (Sources/unroll/Startup.swift): its value stands in for the core OpenBLAS detected, and each start writes one
/// `unroll: debug: start …` line to stderr. The hook stays in the environment across the re-execution, so the
/// second start sees the weak core again, as if OpenBLAS had ignored `OPENBLAS_CORETYPE`: the case where a
/// missing guard would re-execute for ever. Only the child's environment is changed, never this process's.
@Suite("OpenBLAS core at start, through the binary")
struct OpenBLASStartTests {
    /// The best core OpenBLAS 0.3.21 has for this CPU, read independently of unroll from the kernel's
    /// /proc/cpuinfo flags (x86-64); nil when there are none (another architecture): unroll then never re-executes.
    static func bestCoreFromCPUInfo() throws -> String? {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return nil }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        if flags.isSuperset(of: ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return "Prescott"
    }

    /// The hook's lines in `stderr`.
    static func starts(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("unroll: debug: start with ") }
    }

    /// Runs `unroll --version` with OpenBLAS's detection faked as `detected`, the thread count fixed at one (so
    /// only the core can cause a re-execution), `OPENBLAS_CORETYPE` as given (unset when nil), under a time
    /// limit so that a loop of re-executions fails instead of hanging.
    static func version(detected: String, coreType: String?) throws -> (status: Int32, out: String, err: String) {
        let timeout = try #require(
            ["/usr/bin/timeout", "/bin/timeout"].first { FileManager.default.isExecutableFile(atPath: $0) })
        var environment = ["UNROLL_DEBUG_OPENBLAS_DETECTED": detected, "OPENBLAS_NUM_THREADS": "1"]
        if let coreType { environment["OPENBLAS_CORETYPE"] = coreType }
        let unset = coreType == nil ? ["-u", "OPENBLAS_CORETYPE"] : []
        let r = try run(
            unset + [
                "-u", "UNROLL_OPENBLAS_DETECTED", "-u", "UNROLL_OPENBLAS_THREADS",
                timeout, "60", unrollBinary, "--version"
            ], environment: environment)
        #expect(
            r.status != 124, "unroll did not end within 60 s: a loop of re-executions? \(starts(r.err).count) starts")
        return r
    }

    @Test("A weaker detected core than the CPU supports: one re-execution with the best core, which keeps it")
    func reexecutesOnce() throws {
        let r = try Self.version(detected: "Prescott", coreType: nil)
        #expect(r.status == 0, "\(r.err)")
        let starts = Self.starts(r.err)
        guard let best = try Self.bestCoreFromCPUInfo(), best != "Prescott" else {
            // No AVX (or not x86-64): nothing better than the detected core, so no re-execution.
            #expect(starts.count == 1 && starts[0].hasSuffix(": keep (detected by OpenBLAS)"), "\(r.err)")
            #expect(r.out.contains("(detected by OpenBLAS)"), "\(r.out)")
            return
        }
        try #require(starts.count == 2, "one start and one re-execution, no more:\n\(r.err)")
        #expect(
            starts[0].hasPrefix("unroll: debug: start with OPENBLAS_CORETYPE=(unset), detected Prescott, "),
            "\(starts[0])")
        #expect(starts[0].hasSuffix(": re-execute with OPENBLAS_CORETYPE=\(best)"), "\(starts[0])")
        #expect(
            starts[1].hasPrefix("unroll: debug: start with OPENBLAS_CORETYPE=\(best), detected Prescott, "),
            "\(starts[1])")
        #expect(starts[1].hasSuffix(": keep (chosen by unroll)"), "\(starts[1])")
        #expect(r.out.contains("(chosen by unroll for this CPU; OpenBLAS detected Prescott)"), "\(r.out)")
    }

    @Test(
        "A core the user set in OPENBLAS_CORETYPE is kept, even a weaker one, and the line says what the CPU supports")
    func userCoreKept() throws {
        let r = try Self.version(detected: "Prescott", coreType: "Prescott")
        #expect(r.status == 0, "\(r.err)")
        let starts = Self.starts(r.err)
        #expect(starts.count == 1, "no re-execution:\n\(r.err)")
        #expect(
            starts.first?.hasPrefix("unroll: debug: start with OPENBLAS_CORETYPE=Prescott, detected Prescott, ")
                == true, "\(r.err)")
        #expect(starts.first?.hasSuffix(": keep (OPENBLAS_CORETYPE=Prescott set by the user)") == true, "\(r.err)")
        #if arch(x86_64)
            // Every x86-64 runs Prescott's kernels, so OpenBLAS takes the user's core as it is.
            let best = try #require(try Self.bestCoreFromCPUInfo())
            let note = best == "Prescott" ? ")" : "; this CPU supports \(best))"
            #expect(r.out.contains("OpenBLAS core Prescott (OPENBLAS_CORETYPE=Prescott\(note), "), "\(r.out)")
        #endif
    }

    @Test("Without the hook a start writes no debug line")
    func hookOff() throws {
        let r = try run(["-u", "UNROLL_DEBUG_OPENBLAS_DETECTED", unrollBinary, "--version"])
        #expect(r.status == 0 && Self.starts(r.err).isEmpty && !r.err.contains("debug"), "\(r.err)")
    }

    @Test(
        "OPENBLAS_CORETYPE=SkylakeX on a CPU without AVX-512 is refused with exit 2 and the best core named, before OpenBLAS traps; with AVX-512 it runs"
    )
    func unrunnableCoreRefused() throws {
        let best = try Self.bestCoreFromCPUInfo()
        let r = try run([
            "-u", "UNROLL_OPENBLAS_DETECTED", "OPENBLAS_CORETYPE=SkylakeX", unrollBinary, "trace", "handcalc",
            "--format", "csv"
        ])
        switch best {
        case nil:
            // Not x86-64: OpenBLAS has no such core here and ignores the name.
            #expect(r.status == 0, "\(r.err)")
        case "SkylakeX", "Cooperlake":
            #expect(r.status == 0 && r.out.hasPrefix("section,"), "\(r.err)")
        case let best?:
            #expect(r.status == 2 && r.out.isEmpty, "\(r.status) \(r.err)")
            #expect(
                r.err.contains(
                    "unroll: OPENBLAS_CORETYPE=SkylakeX: OpenBLAS loaded its SkylakeX kernels, which use instructions this CPU lacks (avx512f"
                ), "\(r.err)")
            #expect(r.err.contains("set it to \(best), the best core here"), "\(r.err)")
        }
    }
}
