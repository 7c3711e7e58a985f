import Testing

@testable import UnrollEngine

/// The start-up choice of OpenBLAS kernels: a pure function of the detected core, the CPU's features,
/// the user's OPENBLAS_CORETYPE and whether this process is already a re-execution.
struct OpenBLASCoreTests {
    static let avx2: CPUFeatures = [.avx, .avx2, .fma]
    static let avx512 = CPUFeatures.skylakeX.union(.avx)
    static let bf16 = avx512.union(.avx512bf16)

    struct Case: Sendable, CustomTestStringConvertible {
        var detected: String, features: CPUFeatures, user: String?, reexecuted: Bool
        var expected: OpenBLAS.CoreDecision
        var testDescription: String { "\(detected) \(features.names) user=\(user ?? "-") re=\(reexecuted)" }
    }

    static let cases: [Case] = [
        // Debian's 0.3.21 on a CPU it does not know: the best the features allow.
        Case(detected: "Prescott", features: bf16, user: nil, reexecuted: false, expected: .reexec("Cooperlake")),
        Case(detected: "Prescott", features: avx512, user: nil, reexecuted: false, expected: .reexec("SkylakeX")),
        Case(detected: "Haswell", features: bf16, user: nil, reexecuted: false, expected: .reexec("Cooperlake")),
        Case(detected: "Prescott", features: avx2, user: nil, reexecuted: false, expected: .reexec("Haswell")),
        Case(detected: "Prescott", features: [.avx], user: nil, reexecuted: false, expected: .reexec("Sandybridge")),
        // Already the best, or better than the table knows: keep.
        Case(
            detected: "Cooperlake", features: bf16, user: nil, reexecuted: false,
            expected: .keep("detected by OpenBLAS")),
        Case(
            detected: "SkylakeX", features: avx512, user: nil, reexecuted: false,
            expected: .keep("detected by OpenBLAS")),
        Case(detected: "Zen", features: avx2, user: nil, reexecuted: false, expected: .keep("detected by OpenBLAS")),
        Case(
            detected: "Haswell", features: avx2, user: nil, reexecuted: false, expected: .keep("detected by OpenBLAS")),
        Case(detected: "Prescott", features: [], user: nil, reexecuted: false, expected: .keep("detected by OpenBLAS")),
        // AVX-512 without OS support for the ZMM state is not enough for SkylakeX.
        Case(
            detected: "Haswell", features: bf16.subtracting(.osAVX512), user: nil, reexecuted: false,
            expected: .keep("detected by OpenBLAS")),
        // The user's choice wins, even a weaker one; a re-executed process never re-executes again.
        Case(
            detected: "Haswell", features: bf16, user: "Haswell", reexecuted: false,
            expected: .keep("OPENBLAS_CORETYPE=Haswell set by the user")),
        Case(detected: "Prescott", features: bf16, user: nil, reexecuted: true, expected: .keep("chosen by unroll")),
        Case(detected: "Prescott", features: bf16, user: "", reexecuted: false, expected: .reexec("Cooperlake")),
        // A re-executed process has OPENBLAS_CORETYPE set by unroll, not the user: its reason says so.
        Case(
            detected: "Haswell", features: bf16, user: "Cooperlake", reexecuted: true,
            expected: .keep("chosen by unroll")),
        // OpenBLAS ignored the request (still the weak core after the re-execution): keep, no second re-execution.
        Case(
            detected: "Prescott", features: avx2, user: "Haswell", reexecuted: true, expected: .keep("chosen by unroll")
        ),
        // Names as OpenBLAS spells them or not; a name the table does not know counts as the lowest.
        Case(
            detected: "HASWELL", features: avx2, user: nil, reexecuted: false, expected: .keep("detected by OpenBLAS")),
        Case(detected: "Katmai", features: avx2, user: nil, reexecuted: false, expected: .reexec("Haswell")),
        Case(detected: "Zen", features: avx512, user: nil, reexecuted: false, expected: .reexec("SkylakeX"))
    ]

    @Test(arguments: cases)
    func decision(_ c: Case) {
        #expect(
            OpenBLAS.coreDecision(
                detected: c.detected, features: c.features, userCoreType: c.user,
                reexecuted: c.reexecuted) == c.expected)
    }

    @Test func coreNameIsReported() {
        #expect(!OpenBLAS.coreName.isEmpty && OpenBLAS.coreName != "unknown")
        #expect(OpenBLAS.threads >= 1)
    }
}

@Suite("OpenBLAS threads")
struct OpenBLASThreadTests {
    @Test("One thread unless the environment names a count, in OpenBLAS's order of precedence; a bad value is ignored")
    func decision() {
        let cases: [([String: String], Int?, String)] = [
            ([:], 1, "unroll's default"),
            (["OPENBLAS_NUM_THREADS": "2"], nil, "OPENBLAS_NUM_THREADS=2"),
            (["OMP_NUM_THREADS": "4", "GOTO_NUM_THREADS": "3"], nil, "GOTO_NUM_THREADS=3"),
            (["OPENBLAS_NUM_THREADS": "two"], 1, "unroll's default"),
            (["OPENBLAS_NUM_THREADS": "0", "OMP_NUM_THREADS": "2"], nil, "OMP_NUM_THREADS=2"),
            // A process unroll re-executed with OPENBLAS_NUM_THREADS=1: still unroll's choice, not the user's.
            (["OPENBLAS_NUM_THREADS": "1", OpenBLAS.threadsMarker: "1"], 1, "unroll's default")
        ]
        for (env, threads, reason) in cases {
            let d = OpenBLAS.threadDecision(environment: env)
            #expect(d.threads == threads && d.reason.hasPrefix(reason), "\(env): \(d)")
        }
    }

    @Test("Re-execute with one thread only when OpenBLAS started more, unroll chooses one, and not twice")
    func reexec() {
        let one = ["OPENBLAS_NUM_THREADS": "1", OpenBLAS.threadsMarker: "1"]
        #expect(OpenBLAS.threadReexec(environment: [:], loadedThreads: 2) == one)
        #expect(OpenBLAS.threadReexec(environment: [:], loadedThreads: 1).isEmpty, "no helper thread to spin")
        #expect(
            OpenBLAS.threadReexec(environment: ["OPENBLAS_NUM_THREADS": "2"], loadedThreads: 2).isEmpty,
            "the user's count")
        #expect(OpenBLAS.threadReexec(environment: one, loadedThreads: 2).isEmpty, "already re-executed")
    }

    @Test(
        "A forced core's kernels need features the CPU may lack: AVX-512 for SkylakeX and Cooperlake, AVX2 and FMA for Haswell and Zen, AVX for Sandybridge"
    )
    func missingFeatures() {
        #expect(
            OpenBLAS.missingFeatures(core: "SkylakeX", features: OpenBLASCoreTests.avx2) == [
                .avx512f, .avx512bw, .avx512vl, .avx512dq, .osAVX512
            ])
        #expect(
            OpenBLAS.missingFeatures(core: "COOPERLAKE", features: OpenBLASCoreTests.avx2) == [
                .avx512f, .avx512bw, .avx512vl, .avx512dq, .osAVX512
            ])
        #expect(OpenBLAS.missingFeatures(core: "SkylakeX", features: OpenBLASCoreTests.avx512).isEmpty)
        #expect(OpenBLAS.missingFeatures(core: "Haswell", features: [.avx]) == [.avx2, .fma])
        #expect(OpenBLAS.missingFeatures(core: "Zen", features: OpenBLASCoreTests.avx2).isEmpty)
        #expect(OpenBLAS.missingFeatures(core: "Sandybridge", features: []) == [.avx])
        #expect(OpenBLAS.missingFeatures(core: "Prescott", features: []).isEmpty)
        #expect(OpenBLAS.missingFeatures(core: "ARMV8", features: []).isEmpty, "a core the table does not know")
    }
}
