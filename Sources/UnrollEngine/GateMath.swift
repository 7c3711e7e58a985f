/// The elementwise functions of the cells (`exp`, the logistic sigmoid, tanh), written without calls or
/// branches (selects only), so the cell kernels run them on SIMD lanes (`GateFunction.apply`). The scalar
/// functions and the Double lanes compute in Double (a Float scalar result is the rounded Double); Float
/// buffers are computed in Float lanes.

/// e^x in Double for the gate kernels: Cody–Waite reduction `x = n·ln 2 + r` (|r| ≤ ½ ln 2), Cephes' rational
/// form of e^r (1 + 2r·P(r²)/(Q(r²) − r·P(r²)), within 2.2e-16 relative) and 2ⁿ built from its bits.
/// Within 2 ulps of libm's `exp` for −708 ≤ x ≤ 709; below −708 it returns 0 and above 709 +∞ (libm returns
/// subnormals down to −745 and finite values up to 709.78: no gate value changes but in the subnormal range);
/// NaN stays NaN.
@usableFromInline @inline(__always) func gateExp(_ x: Double) -> Double {
    let xc = x > 709 ? 709 : (x < -708 ? -708 : x)
    let shifter = 6_755_399_441_055_744.0 // 1.5·2⁵²: adding it leaves round(x/ln 2) in the low bits
    let kd = xc * 1.4426950408889634 + shifter
    let n = kd - shifter
    let r = (xc - n * 6.93145751953125e-1) - n * 1.42860682030941723212e-6
    let rr = r * r
    let px = r * ((1.26177193074810590878e-4 * rr + 3.02994407707441961300e-2) * rr + 9.99999999999999999910e-1)
    let qx =
        ((3.00198505138664455042e-6 * rr + 2.52448340349684104192e-3) * rr + 2.27265548208155028766e-1) * rr
        + 2.00000000000000000009e0
    let er = 1 + 2 * (px / (qx - px))
    // The low 12 bits of kd's pattern are n + 2⁵¹ mod 2¹²; n + 1023 (1 ... 2046 here) is 2ⁿ's exponent field.
    let scale = Double(bitPattern: (kd.bitPattern &+ 1023) << 52)
    return x > 709 ? .infinity : (x < -708 ? 0 : er * scale)
}

/// The logistic sigmoid 1 / (1 + e^(−x)) through `gateExp`: 0 below −709, 1 above 37 (rounded), NaN stays NaN.
@usableFromInline @inline(__always) func gateSigmoid<T: EngineScalar>(_ x: T) -> T {
    T(1 / (1 + gateExp(-Double(x))))
}

/// tanh in Double, accurate to a few ulps relative over the whole range: for |x| < 0.55 Cephes' rational
/// form `x + x·z·P(z)/Q(z)` (z = x², 2.5e-16 relative; no cancellation, so tiny and subnormal x keep their
/// relative accuracy: x·z underflows and the result is x), above it `(1 − e)/(1 + e)` with
/// `e = gateExp(−2|x|)` (no cancellation there either); both are computed and one selected, so loops over
/// it vectorise. The sign is copied back, so ±0 stay ±0. A Float result is correctly rounded but for rare
/// near-ties; past about 19 (Double) the result is ±1 exactly, ±∞ give ±1, and NaN stays NaN.
@usableFromInline @inline(__always) func fastTanh<T: EngineScalar>(_ x: T) -> T {
    let d = Double(x)
    let a = Swift.abs(d)
    let z = a * a
    let p = ((-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z - 1.61468768441708447952e3)
    let q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z + 4.84406305325125486048e3
    let small = a + a * z * (p / q)
    let e = gateExp(-2 * a)
    let large = (1 - e) / (1 + e)
    return T(Double(signOf: d, magnitudeOf: a < 0.55 ? small : large))
}

/// Four lanes of Double: what the buffer kernels below compute in (two SSE2 registers on baseline x86-64).
typealias Lanes = SIMD4<Double>

/// `gateExp` on four lanes: the same operations in the same order, so every lane equals the scalar result.
@inline(__always) func gateExp(_ x: Lanes) -> Lanes {
    var xc = x.replacing(with: 709, where: x .> 709)
    xc = xc.replacing(with: -708, where: x .< -708)
    let shifter = Lanes(repeating: 6_755_399_441_055_744.0)
    let kd = xc * 1.4426950408889634 + shifter
    let n = kd - shifter
    let r = (xc - n * 6.93145751953125e-1) - n * 1.42860682030941723212e-6
    let rr = r * r
    let px = r * ((1.26177193074810590878e-4 * rr + 3.02994407707441961300e-2) * rr + 9.99999999999999999910e-1)
    let qx =
        ((3.00198505138664455042e-6 * rr + 2.52448340349684104192e-3) * rr + 2.27265548208155028766e-1) * rr
        + 2.00000000000000000009e0
    let er = 1 + 2 * (px / (qx - px))
    let scale = unsafeBitCast((unsafeBitCast(kd, to: SIMD4<UInt64>.self) &+ 1023) &<< 52, to: Lanes.self)
    return (er * scale).replacing(with: 0, where: x .< -708).replacing(with: .infinity, where: x .> 709)
}

/// `fastTanh` on four lanes: the same operations in the same order, so every lane equals the scalar result.
@inline(__always) func fastTanh(_ d: Lanes) -> Lanes {
    let bits = unsafeBitCast(d, to: SIMD4<UInt64>.self)
    let signBit: UInt64 = 1 << 63
    let a = unsafeBitCast(bits & ~signBit, to: Lanes.self)
    let z = a * a
    let p = ((-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z - 1.61468768441708447952e3)
    let q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z + 4.84406305325125486048e3
    let small = a + a * z * (p / q)
    let e = gateExp(-2 * a)
    let large = (1 - e) / (1 + e)
    let m = large.replacing(with: small, where: a .< 0.55)
    return unsafeBitCast(unsafeBitCast(m, to: SIMD4<UInt64>.self) | (bits & signBit), to: Lanes.self)
}

/// Eight lanes of Float: what the buffer kernels compute Float data in (two SSE registers on baseline x86-64).
typealias FloatLanes = SIMD8<Float>

/// e^x in Float on eight lanes: Cephes' `expf` (reduction `x = n·ln 2 + r`, a degree-6 polynomial, 2ⁿ from its
/// bits), within 2 ulps of the correctly rounded value for −87 ≤ x ≤ 88; 0 below −87 and +∞ above 88 (where
/// e^x is below Float's normal range or within 2 % of its largest value); NaN stays NaN.
@inline(__always) func gateExp(_ x: FloatLanes) -> FloatLanes {
    var xc = x.replacing(with: 88, where: x .> 88)
    xc = xc.replacing(with: -87, where: x .< -87)
    let shifter = FloatLanes(repeating: 12_582_912) // 1.5·2²³
    let kd: FloatLanes = xc * Float(1.44269504088896341) + shifter
    let n: FloatLanes = kd - shifter
    let r: FloatLanes = (xc - n * Float(0.693359375)) - n * Float(-2.12194440e-4)
    var poly: FloatLanes = r * Float(1.9875691500e-4) + Float(1.3981999507e-3)
    poly = poly * r + Float(8.3334519073e-3)
    poly = poly * r + Float(4.1665795894e-2)
    poly = poly * r + Float(1.6666665459e-1)
    poly = poly * r + Float(5.0000001201e-1)
    let rr: FloatLanes = r * r
    let er: FloatLanes = poly * rr + r + Float(1)
    let scale = unsafeBitCast((unsafeBitCast(kd, to: SIMD8<UInt32>.self) &+ 127) &<< 23, to: FloatLanes.self)
    return (er * scale).replacing(with: 0, where: x .< -87).replacing(with: .infinity, where: x .> 88)
}

/// tanh in Float on eight lanes: below |x| = 0.55 Cephes' `tanhf` polynomial `x + x·z·P(z)` (z = x²), above it
/// `(1 − e)/(1 + e)` with `e = gateExp(−2|x|)`; within 2 ulps of the correctly rounded value, ±0 and tiny x
/// kept, ±1 from |x| ≈ 9 on, NaN stays NaN.
@inline(__always) func fastTanh(_ d: FloatLanes) -> FloatLanes {
    let bits = unsafeBitCast(d, to: SIMD8<UInt32>.self)
    let signBit: UInt32 = 1 << 31
    let a = unsafeBitCast(bits & ~signBit, to: FloatLanes.self)
    let z = a * a
    var poly: FloatLanes = z * Float(-5.70498872745e-3) + Float(2.06390887954e-2)
    poly = poly * z - Float(5.37397155531e-2)
    poly = poly * z + Float(1.33314422036e-1)
    poly = poly * z - Float(3.33332819422e-1)
    let small: FloatLanes = poly * z * a + a
    let e = gateExp(-2 * a)
    let large = (1 - e) / (1 + e)
    let m = large.replacing(with: small, where: a .< 0.55)
    return unsafeBitCast(unsafeBitCast(m, to: SIMD8<UInt32>.self) | (bits & signBit), to: FloatLanes.self)
}

/// The elementwise functions the cell kernels apply to whole buffers.
enum GateFunction {
    /// The logistic sigmoid 1 / (1 + e^(−x)).
    case sigmoid
    /// tanh.
    case tanh

    /// `out[k] = f(x[k])` for `k < count`. Double data four lanes at a time, each lane equal to the scalar
    /// `gateSigmoid` / `fastTanh`; Float data eight lanes at a time in Float (`gateExp(_: FloatLanes)`, within
    /// 2 ulps of the correctly rounded value; the last partial group is padded, so every entry is computed the
    /// same way wherever it sits). `x` and `out` may be the same buffer. Float and Double data go to the wider
    /// lanes of `GateKernels.active` when it is not the baseline (the same operations, the same bits); `path`
    /// forces one (nil: the active path), for the tests.
    /// - Complexity: O(count), no calls and no branches per entry.
    @inline(__always) func apply<T: EngineScalar>(
        _ x: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, count: Int, path: GateKernels.Path? = nil
    ) {
        if T.self == Float.self {
            let (xr, outr) = (UnsafeRawPointer(x), UnsafeMutableRawPointer(out))
            if path != .baseline, GateKernels.apply(self, xr, outr, count: count, double: false, path: path) {
                return
            }
            applyFloat(xr, outr, count: count)
        } else if T.self == Double.self {
            let (xr, outr) = (UnsafeRawPointer(x), UnsafeMutableRawPointer(out))
            if path != .baseline, GateKernels.apply(self, xr, outr, count: count, double: true, path: path) {
                return
            }
            applyDouble(xr, outr, count: count)
        } else {
            for k in 0..<count {
                switch self {
                case .sigmoid: out[k] = gateSigmoid(x[k])
                case .tanh: out[k] = fastTanh(x[k])
                }
            }
        }
    }

    @inline(__always) private func applyFloat(_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, count: Int) {
        let width = FloatLanes.scalarCount, size = MemoryLayout<Float>.stride
        var k = 0
        while k < count {
            let m = Swift.min(width, count - k)
            var v = FloatLanes(repeating: 0)
            if m == width {
                v = x.loadUnaligned(fromByteOffset: k * size, as: FloatLanes.self)
            } else {
                for l in 0..<m { v[l] = x.load(fromByteOffset: (k + l) * size, as: Float.self) }
            }
            let y: FloatLanes
            switch self {
            case .sigmoid: y = 1 / (1 + gateExp(-v))
            case .tanh: y = fastTanh(v)
            }
            if m == width {
                out.storeBytes(of: y, toByteOffset: k * size, as: FloatLanes.self)
            } else {
                for l in 0..<m { out.storeBytes(of: y[l], toByteOffset: (k + l) * size, as: Float.self) }
            }
            k += width
        }
    }

    @inline(__always) private func applyDouble(_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, count: Int) {
        let width = Lanes.scalarCount, size = MemoryLayout<Double>.stride
        var k = 0
        while k + width <= count {
            let v = x.loadUnaligned(fromByteOffset: k * size, as: Lanes.self)
            let y: Lanes
            switch self {
            case .sigmoid: y = 1 / (1 + gateExp(-v))
            case .tanh: y = fastTanh(v)
            }
            out.storeBytes(of: y, toByteOffset: k * size, as: Lanes.self)
            k += width
        }
        while k < count {
            let v = x.load(fromByteOffset: k * size, as: Double.self)
            let y: Double
            switch self {
            case .sigmoid: y = gateSigmoid(v)
            case .tanh: y = fastTanh(v)
            }
            out.storeBytes(of: y, toByteOffset: k * size, as: Double.self)
            k += 1
        }
    }
}
