import Foundation
import Testing

@testable import UnrollEngine

/// The gate functions on AVX2 and AVX-512 lanes (`GateKernels`, the C target CUnrollKernels) against the baseline
/// Swift lanes (`GateMath.swift`), on random inputs from tiny to ±large and on the special values (±∞, ±0, subnormals, NaN): both compute the same IEEE operations in
/// the same order (no fused multiply–add), so the stated tolerance is zero, bit for bit, in Float and Double.
/// A path this CPU lacks is skipped, with the reason in the test's trait (the engine suites run under each path
/// with `make test-simd`, docs/performance.md).
struct GateKernelsTests {
    /// `count` arguments: normal cell values, ±large (past every saturation and clamp), tiny and exact zeros.
    static func arguments(count: Int, seed: UInt64, large: Double) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { k in
            switch k % 6 {
            case 0: g.normal() * 3
            case 1: g.uniform(-100, 100)
            case 2: (g.unit() < 0.5 ? -1 : 1) * large * g.unit()
            case 3: g.normal() * 1e-6
            case 4: g.uniform(-0.6, 0.6)
            default: k % 12 == 5 ? 0 : g.uniform(-20, 20)
            }
        }
    }

    /// The lengths: every tail of a 16-lane vector, and long buffers.
    static let lengths = Array(1...33) + [64, 127, 1000]

    /// `f` on `xs` through `path`.
    static func applied<T: EngineScalar>(_ f: GateFunction, _ xs: [T], path: GateKernels.Path) -> [T] {
        var out = [T](repeating: -7, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xp = x.baseAddress, let op = o.baseAddress { f.apply(xp, op, count: xs.count, path: path) }
            }
        }
        return out
    }

    func compare(path: GateKernels.Path) throws {
        var checked = 0
        for (i, n) in Self.lengths.enumerated() {
            let d = Self.arguments(count: n, seed: UInt64(100 + i), large: 1e300)
            let f = Self.arguments(count: n, seed: UInt64(200 + i), large: 1e30).map { Float($0) }
            for function in [GateFunction.sigmoid, .tanh] {
                let dWide = Self.applied(function, d, path: path), dBase = Self.applied(function, d, path: .baseline)
                let fWide = Self.applied(function, f, path: path), fBase = Self.applied(function, f, path: .baseline)
                try #require(dWide.count == n && dBase.count == n && fWide.count == n && fBase.count == n)
                for k in 0..<n {
                    #expect(!dBase[k].isNaN && !fBase[k].isNaN, "\(function) of \(d[k]) / \(f[k])")
                    #expect(dWide[k].bitPattern == dBase[k].bitPattern, "\(function) Double x = \(d[k]), n = \(n)")
                    #expect(fWide[k].bitPattern == fBase[k].bitPattern, "\(function) Float x = \(f[k]), n = \(n)")
                    checked += 1
                }
            }
        }
        #expect(checked == 2 * Self.lengths.reduce(0, +))
        // The special values: infinities, signed zeros, subnormals, the largest finite values, NaN.
        let d: [Double] = [
            .infinity, -.infinity, 0, -0.0, 1e-320, -1e-320, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            709.5, -708.5, 19.5, .nan
        ]
        let f: [Float] = [
            .infinity, -.infinity, 0, -0.0, 1e-40, -1e-40, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            88.5, -87.5, 9.5, .nan
        ]
        for function in [GateFunction.sigmoid, .tanh] {
            let dWide = Self.applied(function, d, path: path), dBase = Self.applied(function, d, path: .baseline)
            let fWide = Self.applied(function, f, path: path), fBase = Self.applied(function, f, path: .baseline)
            try #require(dWide.count == d.count && dBase.count == d.count)
            try #require(fWide.count == f.count && fBase.count == f.count)
            for k in d.indices.dropLast() {
                #expect(dWide[k].bitPattern == dBase[k].bitPattern, "\(function) Double x = \(d[k])")
                #expect(fWide[k].bitPattern == fBase[k].bitPattern, "\(function) Float x = \(f[k])")
            }
            #expect(dWide[d.count - 1].isNaN && fWide[f.count - 1].isNaN, "\(function) of NaN")
        }
    }

    @Test(
        "AVX2 lanes equal the baseline lanes bit for bit",
        .enabled(if: GateKernels.available.contains(.avx2), "this CPU lacks AVX2 or FMA"))
    func avx2EqualsBaseline() throws {
        try compare(path: .avx2)
    }

    @Test(
        "AVX-512 lanes equal the baseline lanes bit for bit",
        .enabled(if: GateKernels.available.contains(.avx512), "this CPU lacks AVX-512F"))
    func avx512EqualsBaseline() throws {
        try compare(path: .avx512)
    }

    @Test("A path this CPU lacks computes nothing, and the baseline is always available")
    func unavailablePathsWriteNothing() throws {
        #expect(GateKernels.available.contains(.baseline))
        #expect(GateKernels.available.contains(GateKernels.active))
        let xs: [Double] = [0.5, -3, 2]
        for path in GateKernels.Path.allCases where path != .baseline {
            var out = [Double](repeating: 9, count: 3)
            let done = xs.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in
                    guard let xp = x.baseAddress, let op = o.baseAddress else { return false }
                    return GateKernels.apply(.tanh, xp, op, count: 3, double: true, path: path)
                }
            }
            #expect(done == GateKernels.available.contains(path), "\(path)")
            if !done { #expect(out == [9, 9, 9]) }
        }
    }
}
