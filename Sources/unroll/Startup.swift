import COpenBLAS
import Foundation
import UnrollEngine

/// What the executable does before it parses its arguments: run OpenBLAS on the best kernels the CPU has,
/// and keep freed memory for reuse.
enum Startup {
    /// glibc returns large blocks (above 128 KiB) to the system at once and maps them afresh, page faults
    /// and all, on the next pass: for an LSTM with B = 32 that was a seventh of the time. Keep them.
    static func keepMemory() { unroll_malloc_keep_memory() }

    /// Re-executes this binary with `OPENBLAS_CORETYPE` set when OpenBLAS detected a weaker core than the
    /// CPU supports (OpenBLAS reads the variable only when it loads, so setting it now would be too late).
    /// Does nothing when the user set `OPENBLAS_CORETYPE`, in a re-executed process, or when exec fails.
    static func chooseOpenBLASCore() {
        let env = ProcessInfo.processInfo.environment
        let detected = OpenBLAS.coreName
        let decision = OpenBLAS.coreDecision(detected: detected, features: .current,
                                             userCoreType: env["OPENBLAS_CORETYPE"],
                                             reexecuted: env[OpenBLAS.chosenMarker] != nil)
        guard case .reexec(let core) = decision else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(OpenBLAS.chosenMarker, detected, 1)
        let args = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // exec failed (no /proc): carry on with the detected core and say so nowhere else.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(OpenBLAS.chosenMarker)
        for p in argv { free(p) }
    }
}
