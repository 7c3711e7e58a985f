import Foundation
import Testing
@testable import UnrollEngine

/// The cells' tanh through one exp agrees with libm's tanh to about 1e-16 absolute, and handles ±∞ and NaN.
struct FastTanhTests {
    @Test(arguments: [-30.0, -5, -1, -0.3, -1e-3, -1e-9, 0, 1e-9, 1e-3, 0.3, 1, 5, 30])
    func agreesWithLibm(_ x: Double) {
        #expect(abs(fastTanh(x) - tanh(x)) <= 4e-16)
        #expect(fastTanh(Float(x)) == Float(tanh(Double(Float(x)))))
    }

    @Test func limits() {
        #expect(fastTanh(Double.infinity) == 1 && fastTanh(-Double.infinity) == -1)
        #expect(fastTanh(Double.nan).isNaN && fastTanh(Float.nan).isNaN)
        #expect(fastTanh(-0.0 as Double) == 0)
    }
}
