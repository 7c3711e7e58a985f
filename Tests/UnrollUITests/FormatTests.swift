import Foundation
import Testing

@testable import UnrollUI

/// Values across every branch of `Format.number` and `Format.signed`: zero, tiny, the e-notation bounds, rounding
/// edges, huge and non-finite.
private let values: [Double] = [
    0, -0.0, 1, -1, 0.5, 0.12345, -0.98765, 0.0009999, 0.001, 0.00123456, 3.2e-05, -5e-12, 9.9995, 9999.4, 9999.6,
    1e4, -12345.678, 123.456, 99.95, 1e300, -1e300, 5e-324, .greatestFiniteMagnitude, 2.0 / 3.0, 1.0 / 3.0, 42
]

@Test(
    "Format.number and Format.signed give exactly what String(format:) gives, at every digit count",
    arguments: [1, 2, 3, 4, 6])
func formatMatchesFoundation(_ digits: Int) {
    let spread: [Double] = (0..<300).map { (i: Int) -> Double in
        let mantissa: Double = sin(Double(i) * 12.9898) * 8
        return mantissa * pow(10.0, Double(i % 13 - 6))
    }
    for x in values + spread {
        let a = abs(x)
        let exponential = a >= 1e4 || a < 1e-3
        let format = exponential ? "%.\(max(0, digits - 2))e" : "%.\(digits)g"
        let foundation = x == 0 ? "0" : String(format: format, x)
        #expect(Format.number(x, digits: digits) == foundation, "\(x)")
        #expect(Format.signed(x, decimals: digits) == String(format: "%+.\(digits)f", x), "\(x)")
    }
}

@Test("Format.number's own figures, and the non-finite cases")
func formatFigures() {
    #expect(Format.number(0.12345) == "0.123")
    #expect(Format.number(3.2e-05) == "3.2e-05")
    #expect(Format.number(-12345.678) == "-1.2e+04")
    #expect(Format.number(.nan) == "NaN")
    #expect(Format.number(-.infinity) == "-Inf")
    #expect(Format.signed(0.5) == "+0.50")
    #expect(Format.signed(-1.25) == "-1.25")
    // Wider than the 64-character buffer: the long path gives the whole number.
    #expect(Format.signed(1e300).count == 1 + 301 + 3)
}
