import Foundation
import Testing

@testable import UnrollEngine

/// The cells' vectorised exp, sigmoid and tanh (`GateMath.swift`) against libm (Foundation's `exp` and `tanh`
/// in Double), on the scalar path, the Double lanes and the Float lanes, with the special values.
struct GateMathTests {
    /// Arguments from tiny to saturated, both signs, both sides of the 0.55 switch, and a dense sweep of the cell range.
    static let arguments: [Double] = {
        let m: [Double] = [
            1e-300, 1e-30, 1e-9, 1e-5, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.55.nextDown, 0.55, 0.55.nextUp,
            0.7, 1, 1.5, 2, 3, 5, 8, 9, 12, 19, 20, 30, 40, 80, 86, 87.5, 88.5, 100, 700, 708.5
        ]
        let sweep = (-400...400).map { Double($0) / 37 }
        return m + m.map { -$0 } + sweep
    }()

    /// |a − b| in units of b's ulp.
    static func ulps<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Double {
        Double(abs(a - b) / (b == 0 ? T.leastNonzeroMagnitude : b.ulp))
    }

    /// `f` applied to `xs` through `GateFunction.apply`, as the cell kernels call it.
    static func applied<T: EngineScalar>(_ f: GateFunction, _ xs: [T]) -> [T] {
        var out = [T](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xp = x.baseAddress, let op = o.baseAddress { f.apply(xp, op, count: xs.count) }
            }
        }
        return out
    }

    @Test func doubleExpWithinTwoUlpsOfLibm() {
        for x in Self.arguments where x >= -708 && x <= 709 {
            #expect(Self.ulps(gateExp(x), exp(x)) <= 2, "x = \(x): \(gateExp(x)) vs \(exp(x))")
        }
        #expect(gateExp(0) == 1 && gateExp(710) == .infinity && gateExp(-709) == 0 && gateExp(-.infinity) == 0)
        #expect(gateExp(.infinity) == .infinity && gateExp(Double.nan).isNaN)
    }

    @Test func doubleLanesEqualTheScalarFunctions() throws {
        let xs = Self.arguments + [0, -0.0, .infinity, -.infinity, 1e-320, -1e-320]
        let tanhs = Self.applied(.tanh, xs), sigmoids = Self.applied(.sigmoid, xs)
        try #require(tanhs.count == xs.count && sigmoids.count == xs.count)
        for (k, x) in xs.enumerated() {
            #expect(tanhs[k].bitPattern == fastTanh(x).bitPattern, "tanh x = \(x)")
            #expect(sigmoids[k].bitPattern == gateSigmoid(x).bitPattern, "sigmoid x = \(x)")
            let ref = 1 / (1 + exp(-x))
            if x > -700 { #expect(Self.ulps(sigmoids[k], ref) <= 3, "sigmoid x = \(x): \(sigmoids[k]) vs \(ref)") }
        }
        let nan = Self.applied(.tanh, [Double.nan, 1, 2, 3]) + Self.applied(.sigmoid, [Double.nan, 1, 2, 3])
        try #require(nan.count == 8)
        #expect(nan[0].isNaN && nan[4].isNaN && nan[1] == fastTanh(1.0) && nan[5] == gateSigmoid(1.0))
    }

    @Test func floatLanesWithinTwoUlpsOfCorrectlyRounded() throws {
        let xs = Self.arguments.map { Float($0) }.filter { $0.isFinite }
        let tanhs = Self.applied(.tanh, xs), sigmoids = Self.applied(.sigmoid, xs)
        try #require(tanhs.count == xs.count && sigmoids.count == xs.count)
        for (k, x) in xs.enumerated() {
            let t = Float(tanh(Double(x))), s = Float(1 / (1 + exp(-Double(x))))
            #expect(Self.ulps(tanhs[k], t) <= 2, "tanh x = \(x): \(tanhs[k]) vs \(t)")
            // Below e^-87 the sigmoid leaves Float's normal range; the lanes return 0 there.
            if x > -87 { #expect(Self.ulps(sigmoids[k], s) <= 2, "sigmoid x = \(x): \(sigmoids[k]) vs \(s)") }
        }
    }

    @Test func floatLanesSpecialValues() throws {
        let xs: [Float] = [
            0, -0.0, .infinity, -.infinity, .nan, 1e-30, -1e-30, Float.leastNonzeroMagnitude, 10, -10, 200, -200
        ]
        let t = Self.applied(.tanh, xs), s = Self.applied(.sigmoid, xs)
        try #require(t.count == 12 && s.count == 12)
        #expect(t[0] == 0 && t[0].sign == .plus && t[1] == 0 && t[1].sign == .minus)
        #expect(t[2] == 1 && t[3] == -1 && t[4].isNaN)
        #expect(t[5] == 1e-30 && t[6] == -1e-30 && t[7] == Float.leastNonzeroMagnitude)
        #expect(t[8] == 1 && t[9] == -1 && t[10] == 1 && t[11] == -1)
        #expect(s[0] == 0.5 && s[2] == 1 && s[3] == 0 && s[4].isNaN && s[10] == 1 && s[11] == 0)
        #expect(Self.ulps(s[9], Float(1 / (1 + exp(10.0)))) <= 2)
    }

    @Test("An entry in the padded last group gets the same value as in a full group", arguments: [1, 5, 7, 9, 13, 15])
    func tailEqualsFullGroup(count: Int) throws {
        let xs = (0..<count).map { Float($0) * 0.37 - 2 }
        let tail = Self.applied(.tanh, xs), sig = Self.applied(.sigmoid, xs)
        try #require(tail.count == count && sig.count == count)
        for (k, x) in xs.enumerated() {
            let full = Self.applied(.tanh, [Float](repeating: x, count: 8)),
                fullSig = Self.applied(.sigmoid, [Float](repeating: x, count: 8))
            try #require(full.count == 8 && fullSig.count == 8)
            #expect(tail[k] == full[0] && sig[k] == fullSig[0], "k = \(k) of \(count)")
        }
        let d = xs.map(Double.init)
        #expect(Self.applied(.tanh, d) == d.map { fastTanh($0) })
    }
}
