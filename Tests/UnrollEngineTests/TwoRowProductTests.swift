import Foundation
import Testing

@testable import UnrollEngine

/// `GateKernels.twoRowProduct` (CUnrollKernels' `unroll_gemv2`): `x0·W` and `x1·W` in one pass over `W`, against
/// sums formed here in order in Double (an independent computation: no BLAS, no FMA). The kernel uses FMA and
/// another order of additions, so the stated tolerance is a bound on rounding: `count · ε · Σ|x_i·W_ij|` per entry.
struct TwoRowProductTests {
    /// Shapes: every remainder of the 4-row blocks and of the 4- and 8-wide column blocks, and the 256-unit LSTM's
    /// `W_hh` (1024 × 256).
    static let shapes: [(m: Int, n: Int, ldw: Int)] = [
        (1, 1, 1), (3, 5, 5), (4, 8, 8), (5, 9, 12), (7, 3, 3), (13, 17, 20), (64, 16, 16), (1024, 256, 256)
    ]

    /// Random `W`, `x0` and `x1` for `shape`, entries of a few magnitudes and signs.
    static func operands(_ shape: (m: Int, n: Int, ldw: Int), seed: UInt64) -> (w: [Double], x0: [Double], x1: [Double]) {
        var g = SeededGenerator(seed: seed)
        let w = (0..<(shape.m * shape.ldw)).map { k in k % shape.ldw < shape.n ? g.normal() : .nan }
        return (w, (0..<shape.m).map { _ in g.normal() * 3 }, (0..<shape.m).map { _ in g.uniform(-1e-3, 1e-3) })
    }

    /// Runs the kernel in `T` on the operands; nil when it computed nothing.
    static func run<T: EngineScalar>(
        _ type: T.Type, _ shape: (m: Int, n: Int, ldw: Int), _ w: [Double], _ x0: [Double], _ x1: [Double],
        path: GateKernels.Path? = nil
    ) -> (y0: [T], y1: [T])? {
        let (wt, a, b) = (w.map { T($0) }, x0.map { T($0) }, x1.map { T($0) })
        var y0 = [T](repeating: 7, count: shape.n), y1 = y0
        let done = wt.withUnsafeBufferPointer { wp in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    y0.withUnsafeMutableBufferPointer { o0 in
                        y1.withUnsafeMutableBufferPointer { o1 in
                            GateKernels.twoRowProduct(
                                m: shape.m, n: shape.n, wp.baseAddress!, ldw: shape.ldw, ap.baseAddress!,
                                bp.baseAddress!, o0.baseAddress!, o1.baseAddress!, path: path)
                        }
                    }
                }
            }
        }
        if !done {
            #expect(y0.allSatisfy { $0 == 7 } && y1.allSatisfy { $0 == 7 }, "nothing written when not computed")
            return nil
        }
        return (y0, y1)
    }

    /// Every entry of `y` within its rounding bound of the in-order sum `x·W` over the operands as rounded to `T`.
    static func check<T: EngineScalar>(
        _ y: [T], _ x: [Double], _ w: [Double], _ shape: (m: Int, n: Int, ldw: Int), epsilon: Double, _ label: String
    ) {
        #expect(y.count == shape.n)
        for j in 0..<shape.n {
            var sum = 0.0, size = 0.0
            for i in 0..<shape.m {
                let term = Double(T(x[i])) * Double(T(w[i * shape.ldw + j]))
                sum += term
                size += abs(term)
            }
            let bound = Double(shape.m + 2) * epsilon * size + Double.leastNormalMagnitude
            #expect(abs(Double(y[j]) - sum) <= bound, "\(label) \(shape) column \(j): \(y[j]) against \(sum)")
        }
    }

    @Test(
        "Both rows of x·W, read in one pass, within rounding of the in-order sums (Float, Double; every block remainder)",
        .enabled(if: GateKernels.available.contains(.avx2), "this CPU lacks AVX2 or FMA: the kernel does not run"))
    func matchesInOrderSums() throws {
        for (k, shape) in Self.shapes.enumerated() {
            let (w, x0, x1) = Self.operands(shape, seed: UInt64(40 + k))
            // The AVX2 path by name, so the test runs whichever path UNROLL_SIMD makes active (`make test-simd`).
            let d = try #require(Self.run(Double.self, shape, w, x0, x1, path: .avx2), "\(shape) Double")
            Self.check(d.y0, x0, w, shape, epsilon: Double.ulpOfOne, "Double y0")
            Self.check(d.y1, x1, w, shape, epsilon: Double.ulpOfOne, "Double y1")
            let f = try #require(Self.run(Float.self, shape, w, x0, x1, path: .avx2), "\(shape) Float")
            Self.check(f.y0, x0, w, shape, epsilon: Double(Float.ulpOfOne), "Float y0")
            Self.check(f.y1, x1, w, shape, epsilon: Double(Float.ulpOfOne), "Float y1")
        }
    }

    @Test("The baseline path, and a path this CPU lacks, write nothing (the caller runs two gemv)")
    func baselineWritesNothing() throws {
        let shape = (m: 5, n: 9, ldw: 9)
        let (w, x0, x1) = Self.operands(shape, seed: 7)
        #expect(Self.run(Double.self, shape, w, x0, x1, path: .baseline) == nil)
        #expect(Self.run(Float.self, shape, w, x0, x1, path: .baseline) == nil)
        for path in GateKernels.Path.allCases where path != .baseline {
            let ran = Self.run(Double.self, shape, w, x0, x1, path: path) != nil
            #expect(ran == GateKernels.available.contains(path), "\(path)")
        }
    }
}
