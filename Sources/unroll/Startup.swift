import COpenBLAS
import Foundation
import UnrollEngine

/// What the executable does before it parses its arguments: run OpenBLAS on the best kernels the CPU has,
/// and keep freed memory for reuse.
enum Startup {
    /// A hidden test hook: when set (not empty), its value stands in for the core OpenBLAS detected, and every
    /// start writes one line to stderr, `unroll: debug: start with OPENBLAS_CORETYPE=…, detected …, OpenBLAS
    /// loaded …: keep (…)` or `…: re-execute with OPENBLAS_CORETYPE=…`, so a test can see the re-execution and
    /// count the starts without changing OpenBLAS for itself (Tests/UnrollEndToEndTests/OpenBLASStartTests.swift).
    static let debugDetectedVariable = "UNROLL_DEBUG_OPENBLAS_DETECTED"

    /// Refuses (exit 2, with a message) when the core OpenBLAS loaded (one the user forced with
    /// `OPENBLAS_CORETYPE`) uses instructions this CPU lacks: OpenBLAS would stop at its first product with
    /// SIGILL, in the middle of a lesson (`OpenBLAS.missingFeatures`).
    static func refuseUnrunnableCore() throws(Refusal) {
        #if arch(x86_64)
            let loaded = OpenBLAS.coreName, features = CPUFeatures.current
            let missing = OpenBLAS.missingFeatures(core: loaded, features: features)
            guard !missing.isEmpty else { return }
            let set = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? loaded
            throw Refusal(
                "unroll: OPENBLAS_CORETYPE=\(set): OpenBLAS loaded its \(loaded) kernels, which use instructions this "
                    + "CPU lacks (\(missing.names)), and would stop with an illegal instruction; unset OPENBLAS_CORETYPE or set "
                    + "it to \(OpenBLAS.bestCore(for: features)), the best core here")
        #endif
    }

    /// glibc returns large blocks (above 128 KiB) to the system at once and maps them afresh, page faults
    /// and all, on the next pass: for an LSTM with B = 32 that was a seventh of the time. Keep them.
    static func keepMemory() { unroll_malloc_keep_memory() }

    /// Re-executes this binary once, when needed, so that OpenBLAS loads as unroll wants it (it reads these
    /// variables only when it loads, so setting them now would be too late): with `OPENBLAS_CORETYPE` set when
    /// OpenBLAS detected a weaker core than the CPU supports (unless the user set one), and with
    /// `OPENBLAS_NUM_THREADS=1` when unroll's thread choice is one thread and OpenBLAS started more
    /// (`OpenBLAS.threadReexec`). Does nothing in a re-executed process for what it already chose, or when exec
    /// fails (then the thread count is still set at once by `OpenBLAS.chooseThreads`).
    static func chooseOpenBLAS() {
        let env = ProcessInfo.processInfo.environment
        // The test hook stands in for OpenBLAS's detection (it stays in the environment, so a re-executed
        // process sees the same "detected" core again: as if OpenBLAS had ignored OPENBLAS_CORETYPE).
        let faked = env[debugDetectedVariable].flatMap { $0.isEmpty ? nil : $0 }
        let detected = faked ?? OpenBLAS.coreName
        let decision = OpenBLAS.coreDecision(
            detected: detected, features: .current,
            userCoreType: env["OPENBLAS_CORETYPE"],
            reexecuted: env[OpenBLAS.chosenMarker] != nil)
        var set = OpenBLAS.threadReexec(environment: env, loadedThreads: OpenBLAS.threads)
        if case .reexec(let core) = decision {
            set["OPENBLAS_CORETYPE"] = core
            set[OpenBLAS.chosenMarker] = detected
        }
        if faked != nil {
            let what: String
            switch decision {
            case .keep(let why): what = "keep (\(why))"
            case .reexec(let core): what = "re-execute with OPENBLAS_CORETYPE=\(core)"
            }
            let line =
                "unroll: debug: start with OPENBLAS_CORETYPE=\(env["OPENBLAS_CORETYPE"] ?? "(unset)"), "
                + "detected \(detected), OpenBLAS loaded \(OpenBLAS.coreName): \(what)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        guard !set.isEmpty else { return }
        for (name, value) in set { setenv(name, value, 1) }
        let args = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        // The binary's own path, not /proc/self/exe: the process keeps its name ("unroll", not "exe") for ps and pgrep.
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(path, &argv)
        // exec failed (no /proc): carry on with what OpenBLAS loaded and say so nowhere else.
        for name in set.keys { unsetenv(name) }
        for p in argv { free(p) }
    }
}
