import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

// The handcalc lesson's numbers, worked by hand from its weights (scripts/make_handcalc_weights.py, typed in
// again here) with every 2×2 product written out, never read from the engine; a test then checks that the
// trace agrees with the hand computation, and the claims rows check the captions and the worksheet against it.

/// The hand computation of the handcalc lesson: 'not bad' → 'good', H = 2, vocabulary not, bad, good, <eos>.
struct HandCalc {
    // W_ih columns: not (1, 0), bad (0, 1), good (0, −1), <eos> (0, 0); b = b_ih + b_hh = (0, 0.25).
    static let notColumn = [1.0, 0], badColumn = [0.0, 1], b = [0.0, 0.25]
    // W_hh = [[0.5, 0], [−2, 0.5]]; W_hy rows: not (0, 0), bad (−1, 1), good (1, −1), <eos> (0, 0).
    static let whh = [[0.5, 0.0], [-2.0, 0.5]]

    /// a_1 = W_ih x_1 + W_hh h_0 + b with h_0 = 0.
    static let a1 = [notColumn[0] + b[0], notColumn[1] + b[1]]
    static let h1 = a1.map { Foundation.tanh($0) }
    /// W_hh h_1, row by row.
    static let whhH1 = [whh[0][0] * h1[0] + whh[0][1] * h1[1], whh[1][0] * h1[0] + whh[1][1] * h1[1]]
    static let a2 = [badColumn[0] + whhH1[0] + b[0], badColumn[1] + whhH1[1] + b[1]]
    static let h2 = a2.map { Foundation.tanh($0) }
    /// y_2 = W_hy h_2 (b_y = 0), for not, bad, good, <eos>.
    static let y2 = [0.0, -h2[0] + h2[1], h2[0] - h2[1], 0.0]
    static let p = y2.map { Foundation.exp($0) / y2.map { Foundation.exp($0) }.reduce(0, +) }
    static let loss = -Foundation.log(p[2])
    /// ∂L/∂y_2 = p − onehot(good).
    static let dy2 = [p[0], p[1], p[2] - 1, p[3]]
    /// ∂L/∂h_2 = W_hyᵀ ∂L/∂y_2: column k of W_hy dotted with ∂L/∂y_2.
    static let dh2 = [-dy2[1] + dy2[2], dy2[1] - dy2[2]]
    static let fPrime2 = h2.map { 1 - $0 * $0 }
    static let delta2 = [fPrime2[0] * dh2[0], fPrime2[1] * dh2[1]]
    /// ∂L/∂h_1 = W_hhᵀ δ_2 (no loss at step 1): column k of W_hh dotted with δ_2.
    static let dh1 = [whh[0][0] * delta2[0] + whh[1][0] * delta2[1], whh[0][1] * delta2[0] + whh[1][1] * delta2[1]]
    static let fPrime1 = h1.map { 1 - $0 * $0 }
    static let delta1 = [fPrime1[0] * dh1[0], fPrime1[1] * dh1[1]]
}

private typealias H = HandCalc
private let fwd = Phase.forward, bwd = Phase.backward
private func cap(_ p: Phase, _ s: Int) -> ClaimPlace { .caption(p, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }
/// A number that is an entry of the lesson's weights (examples/handcalc.safetensors), read from the weights the lesson
/// loads: `read` gets the model, so a change of the file or of the text shows here.
private func weight(
    _ place: ClaimPlace, _ number: String, _ read: @escaping @Sendable (Model<Double>) -> Double
) -> Claim {
    claim(place, number) { read($0.lesson.materialize(as: Double.self).model) }
}
/// W_hh[r, c], W_ih's column for word `k` at row `r`, and b_ih + b_hh at row `r`, of the lesson's model (NaN when missing).
private func whh(_ r: Int, _ c: Int) -> @Sendable (Model<Double>) -> Double { { $0["weight_hh_l0"]?[r, c] ?? .nan } }
private func wih(_ r: Int, word k: Int) -> @Sendable (Model<Double>) -> Double { { $0["weight_ih_l0"]?[r, k] ?? .nan } }
private func bias(_ r: Int) -> @Sendable (Model<Double>) -> Double {
    { m in (m["bias_ih_l0"]?.storage[r] ?? .nan) + (m["bias_hh_l0"]?.storage[r] ?? .nan) }
}
private func negated(_ read: @escaping @Sendable (Model<Double>) -> Double) -> @Sendable (Model<Double>) -> Double {
    { -read($0) }
}

/// The handcalc lesson's rows of the claims table.
let handcalcClaims: [String: [Claim]] = [
    "handcalc": [
        // "'not' picks W_ih's first column. h0 = 0, so a1 = W_ih x1 + b = (1, 0.25) and h1 = tanh(a1) = (0.762, 0.245)."
        holds(cap(fwd, 1), "0") { $0.trace.layers[0].initialHidden.storage.allSatisfy { $0 == 0 } },
        claim(cap(fwd, 1), "1") { _ in H.a1[0] }, claim(cap(fwd, 1), "0.25") { _ in H.a1[1] },
        claim(cap(fwd, 1), "0.762") { _ in H.h1[0] }, claim(cap(fwd, 1), "0.245") { _ in H.h1[1] },
        // "a2 = … = (0.381, −0.151), h2 = (0.363, −0.150). y2 = W_hy h2: P(good) = 0.391, L = 0.938."
        claim(cap(fwd, 2), "0.381") { _ in H.a2[0] }, claim(cap(fwd, 2), "0.151") { _ in -H.a2[1] },
        claim(cap(fwd, 2), "0.363") { _ in H.h2[0] }, claim(cap(fwd, 2), "0.150") { _ in -H.h2[1] },
        claim(cap(fwd, 2), "0.391") { _ in H.p[2] }, claim(cap(fwd, 2), "0.938") { _ in H.loss },
        // "∂L/∂h2 = W_hyᵀ (p − onehot(good)) = (−0.749, 0.749); δ2 = (1 − h2²) ⊙ ∂L/∂h2 = (−0.650, 0.732)."
        claim(cap(bwd, 2), "0.749") { _ in -H.dh2[0] }, claim(cap(bwd, 2), "0.749") { _ in H.dh2[1] },
        claim(cap(bwd, 2), "0.650") { _ in -H.delta2[0] }, claim(cap(bwd, 2), "0.732") { _ in H.delta2[1] },
        // "… ∂L/∂h1 = W_hhᵀ δ2 = (0.5·(−0.650) − 2·0.732, 0.5·0.732) = (−1.789, 0.366)."
        weight(cap(bwd, 1), "0.5", whh(0, 0)), claim(cap(bwd, 1), "0.650") { _ in -H.delta2[0] },
        weight(cap(bwd, 1), "2", negated(whh(1, 0))), claim(cap(bwd, 1), "0.732") { _ in H.delta2[1] },
        weight(cap(bwd, 1), "0.5", whh(1, 1)), claim(cap(bwd, 1), "0.732") { _ in H.delta2[1] },
        claim(cap(bwd, 1), "1.789") { _ in -H.dh1[0] }, claim(cap(bwd, 1), "0.366") { _ in H.dh1[1] },

        // 1. The 'not' column, (1, 0). … b = b_ih + b_hh = (0, 0.25), so a_1 = (1, 0.25).
        weight(ans(1), "1", wih(0, word: 0)), weight(ans(1), "0", wih(1, word: 0)),
        weight(ans(1), "0", bias(0)), weight(ans(1), "0.25", bias(1)),
        claim(ans(1), "1") { _ in H.a1[0] }, claim(ans(1), "0.25") { _ in H.a1[1] },
        // 2. h_1 = (tanh 1, tanh 0.25) = (0.762, 0.245).
        claim(ans(2), "1") { _ in H.a1[0] }, claim(ans(2), "0.25") { _ in H.a1[1] },
        claim(ans(2), "0.762") { _ in H.h1[0] }, claim(ans(2), "0.245") { _ in H.h1[1] },
        // 3. W_hh h_1 = (0.5·0.762 + 0·0.245, −2·0.762 + 0.5·0.245) = (0.381, −1.401); a_2 = (0, 1) + (0.381, −1.401)
        //    + (0, 0.25) = (0.381, −0.151); h_2 = (0.363, −0.150).
        weight(ans(3), "0.5", whh(0, 0)), claim(ans(3), "0.762") { _ in H.h1[0] },
        weight(ans(3), "0", whh(0, 1)), claim(ans(3), "0.245") { _ in H.h1[1] },
        weight(ans(3), "2", negated(whh(1, 0))), claim(ans(3), "0.762") { _ in H.h1[0] },
        weight(ans(3), "0.5", whh(1, 1)), claim(ans(3), "0.245") { _ in H.h1[1] },
        claim(ans(3), "0.381") { _ in H.whhH1[0] }, claim(ans(3), "1.401") { _ in -H.whhH1[1] },
        weight(ans(3), "0", wih(0, word: 1)), weight(ans(3), "1", wih(1, word: 1)),
        claim(ans(3), "0.381") { _ in H.whhH1[0] }, claim(ans(3), "1.401") { _ in -H.whhH1[1] },
        weight(ans(3), "0", bias(0)), weight(ans(3), "0.25", bias(1)),
        claim(ans(3), "0.381") { _ in H.a2[0] }, claim(ans(3), "0.151") { _ in -H.a2[1] },
        claim(ans(3), "0.363") { _ in H.h2[0] }, claim(ans(3), "0.150") { _ in -H.h2[1] },
        // 4. y_2 = (0, −0.513, 0.513, 0) …; p = (0.234, 0.140, 0.391, 0.234); L = −ln 0.391 = 0.938.
        claim(ans(4), "0") { _ in H.y2[0] }, claim(ans(4), "0.513") { _ in -H.y2[1] },
        claim(ans(4), "0.513") { _ in H.y2[2] }, claim(ans(4), "0") { _ in H.y2[3] },
        claim(ans(4), "0.234") { _ in H.p[0] }, claim(ans(4), "0.140") { _ in H.p[1] },
        claim(ans(4), "0.391") { _ in H.p[2] }, claim(ans(4), "0.234") { _ in H.p[3] },
        claim(ans(4), "0.391") { _ in H.p[2] }, claim(ans(4), "0.938") { _ in H.loss },
        // 5. ∂L/∂y_2 = (0.234, 0.140, −0.609, 0.234); ∂L/∂h_2 = (−0.140 − 0.609, 0.140 + 0.609) = (−0.749, 0.749),
        //    the inspector's −0.75 and +0.75; δ_2 = (0.868·(−0.749), 0.978·0.749) = (−0.650, 0.732).
        claim(ans(5), "0.234") { _ in H.dy2[0] }, claim(ans(5), "0.140") { _ in H.dy2[1] },
        claim(ans(5), "0.609") { _ in -H.dy2[2] }, claim(ans(5), "0.234") { _ in H.dy2[3] },
        claim(ans(5), "0.140") { _ in H.dy2[1] }, claim(ans(5), "0.609") { _ in -H.dy2[2] },
        claim(ans(5), "0.140") { _ in H.dy2[1] }, claim(ans(5), "0.609") { _ in -H.dy2[2] },
        claim(ans(5), "0.749") { _ in -H.dh2[0] }, claim(ans(5), "0.749") { _ in H.dh2[1] },
        claim(ans(5), "0.75") { -$0.trace.layers[0].steps[1].hiddenGradient[0, 0] },
        claim(ans(5), "0.75") { $0.trace.layers[0].steps[1].hiddenGradient[0, 1] },
        claim(ans(5), "0.868") { _ in H.fPrime2[0] }, claim(ans(5), "0.749") { _ in -H.dh2[0] },
        claim(ans(5), "0.978") { _ in H.fPrime2[1] }, claim(ans(5), "0.749") { _ in H.dh2[1] },
        claim(ans(5), "0.650") { _ in -H.delta2[0] }, claim(ans(5), "0.732") { _ in H.delta2[1] },
        // 6. ∂L/∂h_1 = W_hhᵀ δ_2 = (0.5·(−0.650) − 2·0.732, 0·(−0.650) + 0.5·0.732) = (−1.789, 0.366), the
        //    inspector's −1.79 and +0.37; δ_1 = (0.420·(−1.789), 0.940·0.366) = (−0.752, 0.344).
        weight(ans(6), "0.5", whh(0, 0)), claim(ans(6), "0.650") { _ in -H.delta2[0] },
        weight(ans(6), "2", negated(whh(1, 0))), claim(ans(6), "0.732") { _ in H.delta2[1] },
        weight(ans(6), "0", whh(0, 1)), claim(ans(6), "0.650") { _ in -H.delta2[0] },
        weight(ans(6), "0.5", whh(1, 1)), claim(ans(6), "0.732") { _ in H.delta2[1] },
        claim(ans(6), "1.789") { _ in -H.dh1[0] }, claim(ans(6), "0.366") { _ in H.dh1[1] },
        claim(ans(6), "1.79") { -$0.trace.layers[0].steps[0].hiddenGradient[0, 0] },
        claim(ans(6), "0.37") { $0.trace.layers[0].steps[0].hiddenGradient[0, 1] },
        claim(ans(6), "0.420") { _ in H.fPrime1[0] }, claim(ans(6), "1.789") { _ in -H.dh1[0] },
        claim(ans(6), "0.940") { _ in H.fPrime1[1] }, claim(ans(6), "0.366") { _ in H.dh1[1] },
        claim(ans(6), "0.752") { _ in -H.delta1[0] }, claim(ans(6), "0.344") { _ in H.delta1[1] },
        // 7. W_hh's entry −2 … sends −2 times δ_2's second entry back to the first unit …
        weight(ans(7), "2", negated(whh(1, 0))), weight(ans(7), "2", negated(whh(1, 0)))
    ]
]

@Test("The handcalc lesson's trace is the hand computation: a_t, h_t, p, L, ∂L/∂h_t, to 1e-12")
func handcalcTraceIsTheHandComputation() throws {
    let lesson = try #require(Lesson.builtin(named: "handcalc"))
    let trace = try ClaimFacts(lesson).trace
    let steps = try #require(trace.layers.first).steps
    try #require(steps.count == 2)
    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }
    }
    #expect(close(steps[0].preactivation.row(0), H.a1) && close(steps[0].hidden.row(0), H.h1))
    #expect(close(steps[1].preactivation.row(0), H.a2) && close(steps[1].hidden.row(0), H.h2))
    #expect(close(try #require(trace.probabilities[1]).row(0), H.p) && abs(trace.loss - H.loss) < 1e-12)
    #expect(close(steps[1].hiddenGradient.row(0), H.dh2) && close(steps[0].hiddenGradient.row(0), H.dh1))
    #expect(trace.lossColumns == [1], "many-to-one: one loss, at step 2")
}

@Test("examples/handcalc.safetensors holds the weights the hand computation uses, each a multiple of 1/4")
func handcalcWeights() throws {
    let lesson = try #require(Lesson.builtin(named: "handcalc"))
    let model = lesson.materialize(as: Double.self).model
    let expected: [String: [Double]] = [
        "weight_ih_l0": [1, 0, 0, 0, 0, 1, -1, 0], "weight_hh_l0": [0.5, 0, -2, 0.5],
        "bias_ih_l0": [0, 0.25], "bias_hh_l0": [0, 0],
        "output.weight": [0, 0, -1, 1, 1, -1, 0, 0], "output.bias": [0, 0, 0, 0]
    ]
    #expect(Set(model.layout.map(\.name)) == Set(expected.keys))
    for (name, values) in expected {
        #expect(try #require(model[name]).storage == values, "\(name)")
        #expect(values.allSatisfy { ($0 * 4).rounded() == $0 * 4 })
    }
}
