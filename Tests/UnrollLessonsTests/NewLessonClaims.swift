import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

// The claims rows of the lessons of issue 21, item 4: eigen (examples/eigen.yaml, docs/labs/eigen.md),
// train-adding-gru, train-deep and train-shallow, merged into `claimTable` (ClaimsTests.swift). The eigen lesson's
// W_hh is upper triangular and not normal; every eigenvalue, eigenvector angle and spectral radius here is computed
// in plain Swift by a method the engine does not use (the characteristic polynomial of a 2×2 matrix, Gelfand's
// formula for a 32×32 one), σmax by the power iteration of `sigmaMax`, the gradient norms read from the trace.

private let fwd = Phase.forward, bwd = Phase.backward
private func cap(_ p: Phase, _ s: Int) -> ClaimPlace { .caption(p, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }

/// The trace's `weight_hh_l0` as rows (empty when it has none).
func recurrentRows(_ t: Trace<Double>) -> [[Double]] {
    guard let i = t.parameterNames.firstIndex(of: "weight_hh_l0") else { return [] }
    let w = t.parameters[i]
    return (0..<w.rows).map { r in (0..<w.cols).map { w[r, $0] } }
}

/// The eigenvalues of a 2×2 matrix with real eigenvalues, by its characteristic polynomial λ² − tr·λ + det,
/// larger first; nil for another shape or complex eigenvalues.
func eigenvalues2(_ w: [[Double]]) -> (Double, Double)? {
    guard w.count == 2, w.allSatisfy({ $0.count == 2 }) else { return nil }
    let tr = w[0][0] + w[1][1], det = w[0][0] * w[1][1] - w[0][1] * w[1][0]
    let disc = tr * tr / 4 - det
    guard disc >= 0 else { return nil }
    return (tr / 2 + disc.squareRoot(), tr / 2 - disc.squareRoot())
}

/// ρ of a 2×2 matrix with real eigenvalues (NaN otherwise).
private func radius2(_ t: Trace<Double>) -> Double {
    guard let (a, b) = eigenvalues2(recurrentRows(t)) else { return .nan }
    return max(abs(a), abs(b))
}

/// The angle in degrees between the two eigenvectors (b, λ − a) of a 2×2 matrix [[a, b], [c, d]] with b ≠ 0.
private func eigenvectorAngle(_ w: [[Double]]) -> Double {
    guard let (l1, l2) = eigenvalues2(w), w[0][1] != 0 else { return .nan }
    let v1 = (w[0][1], l1 - w[0][0]), v2 = (w[0][1], l2 - w[0][0])
    let cosine = abs(v1.0 * v2.0 + v1.1 * v2.1) / (hypot(v1.0, v1.1) * hypot(v2.0, v2.1))
    return Foundation.acos(min(1, cosine)) * 180 / Double.pi
}

private func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    a.map { row in b[0].indices.map { c in row.indices.reduce(0.0) { $0 + row[$1] * b[$1][c] } } }
}
private func frobenius(_ a: [[Double]]) -> Double { a.joined().reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// W^k by repeated multiplication.
private func power(_ w: [[Double]], _ k: Int) -> [[Double]] {
    var p = w.indices.map { r in w.indices.map { $0 == r ? 1.0 : 0.0 } }
    for _ in 0..<k { p = product(p, w) }
    return p
}

/// ρ(W) by Gelfand's formula, ρ = lim ‖W^{2k}‖^{1/k}/‖W^k‖^{1/k}, at k = 2^12 by repeated squaring, each square
/// normalised (its log-norm kept apart): not the engine's LAPACK eigenvalues.
func spectralRadiusByPowers(_ w: [[Double]]) -> Double {
    var p = w, logNorm = 0.0
    var logs: [Double] = []
    for _ in 0...13 {
        let n = frobenius(p)
        guard n > 0, n.isFinite else { return .nan }
        p = p.map { $0.map { $0 / n } }
        logNorm += Foundation.log(n)
        logs.append(logNorm)  // log ‖W^(2^j)‖
        p = product(p, p)
        logNorm *= 2
    }
    // logs[j] = log ‖W^(2^j)‖; ρ ≈ exp((logs[13] − logs[12]) / 2^12).
    return Foundation.exp((logs[13] - logs[12]) / 4096)
}

/// ‖∂L_12/∂h_t‖ at every step of `t`, from step 12 back to step 1.
private func backwards(_ t: Trace<Double>) -> [Double] { (1...t.columns).reversed().map { lastNorm(t, $0) } }

/// Whether the norms going back rise for exactly `steps` steps and then fall at every step to step 1.
private func rises(_ t: Trace<Double>, for steps: Int) -> Bool {
    let b = backwards(t)
    guard b.count > steps + 1 else { return false }
    return (0..<steps).allSatisfy { b[$0 + 1] > b[$0] } && (steps..<(b.count - 1)).allSatisfy { b[$0 + 1] < b[$0] }
}
/// Unit `u` (0-based) of h at 1-based `step`.
private func hidden(_ t: Trace<Double>, _ step: Int, _ u: Int) -> Double { t.layers[0].steps[step - 1].hidden[0, u] }
/// W_hh's entry at (r, c), 0-based.
private func entry(_ f: ClaimFacts, _ r: Int, _ c: Int) -> Double {
    let w = recurrentRows(f.trace)
    return r < w.count && c < w[r].count ? w[r][c] : .nan
}
/// The largest of the two eigenvalues, and the smaller.
private func lambda(_ f: ClaimFacts, _ which: Int) -> Double {
    guard let (a, b) = eigenvalues2(recurrentRows(f.trace)) else { return .nan }
    return which == 0 ? a : b
}
/// ‖∂L/∂h_1‖ / ‖∂L/∂h_12‖.
private func leftAtStep1(_ t: Trace<Double>) -> Double { lastNorm(t, 1) / lastNorm(t, t.columns) }
/// The fewest presses of `]` (n > 0) or `[` (n < 0) after which `test` holds of the scaled trace, up to 20.
private func fewestPresses(_ f: ClaimFacts, up: Bool, until test: (Trace<Double>) -> Bool) throws -> Int {
    for n in 1...20 where test(try f.scaled(up ? n : -n)) { return n }
    return -1
}
/// From the peak at step 10 back, each step multiplies the norm by a factor that falls at every step, toward ρ:
/// the last within 1 % of it.
private func fallsByRho(_ f: ClaimFacts) -> Bool {
    let b = backwards(f.trace), rho = radius2(f.trace)
    guard b.count == 12 else { return false }
    let r = (2..<11).map { b[$0 + 1] / b[$0] }
    return (1..<r.count).allSatisfy { r[$0] < r[$0 - 1] && r[$0] > rho } && abs(r[r.count - 1] - rho) < 0.01 * rho
}
/// The first W_hh of train-adding-rnn's untrained model, its trace, and the step of its first marker (1-based).
private func addingRNN() throws -> (w: [[Double]], t: Trace<Double>, marker: Int) {
    let t = try other("train-adding-rnn")
    return (recurrentRows(t), t, firstMarker(t))
}

let eigenClaims: [String: [Claim]] = [
    "eigen": [
        // "W_hh = [[0.75, 1.5], [0, 0.5]]: that unit halves at every step; the first takes 1.5 of it."
        claim(cap(fwd, 5), "0.75") { entry($0, 0, 0) },
        claim(cap(fwd, 5), "1.5") { entry($0, 0, 1) },
        claim(cap(fwd, 5), "0") { entry($0, 1, 0) },
        claim(cap(fwd, 5), "0.5") { entry($0, 1, 1) },
        claim(cap(fwd, 5), "1.5") { f in hidden(f.trace, 6, 0) / hidden(f.trace, 5, 1) },
        // "ρ = 0.75, the largest |eigenvalue| (the diagonal of a triangular W_hh), and σmax = 1.74."
        claim(cap(fwd, 12), "0.75") { radius2($0.trace) },
        claim(cap(fwd, 12), "1.74") { sigmaMax($0.trace) },
        // The question: "shrink … by ρ = 0.75", "grow … by σmax = 1.74"; why: "At step 10 it is 1.96 times step
        // 12's; then it shrinks by a factor per step that falls toward ρ = 0.75: step 1 gets 0.25 of it."
        claim(cap(bwd, 12), "0.75") { radius2($0.trace) },
        claim(cap(bwd, 12), "1.74") { sigmaMax($0.trace) },
        claim(cap(bwd, 12), "1.96") { lastNorm($0.trace, 10) / lastNorm($0.trace, 12) },
        holds(cap(bwd, 12), "0.75") { f in fallsByRho(f) && rises(f.trace, for: 2) && abs(radius2(f.trace) - 0.75) < 5e-3 },
        claim(cap(bwd, 12), "0.25") { leftAtStep1($0.trace) },
        // "‖∂L/∂h_t‖ ≤ ‖∂L/∂h12‖·σmax^k, the dashed line. σmax = 1.74 > 1: the bound allows growth".
        claim(cap(bwd, 10), "1.74") { sigmaMax($0.trace) },
        holds(cap(bwd, 10), "1") { f in
            let b = backwards(f.trace), s = sigmaMax(f.trace)
            return s > 1 && b.indices.allSatisfy { b[$0] <= b[0] * Foundation.pow(s, Double($0)) * (1 + 1e-9) }
        },
        // "W_hh = QΛQ⁻¹, Λ = diag(0.75, 0.5), so W_hh^k = QΛ^kQ⁻¹ → 0 as 0.75^k: ρ < 1 decides the long run."
        claim(cap(bwd, 6), "0.75") { lambda($0, 0) },
        claim(cap(bwd, 6), "0.5") { lambda($0, 1) },
        holds(cap(bwd, 6), "0") { f in frobenius(power(recurrentRows(f.trace), 200)) < 1e-20 },
        claim(cap(bwd, 6), "0.75") { radius2($0.trace) },
        holds(cap(bwd, 6), "1") { radius2($0.trace) < 1 },
        // "its eigenvectors lie 9.5° apart. Step 1 gets 0.25 of step 12's gradient; the bound allows over 400×."
        claim(cap(bwd, 1), "9.5") { eigenvectorAngle(recurrentRows($0.trace)) },
        claim(cap(bwd, 1), "0.25") { leftAtStep1($0.trace) },
        holds(cap(bwd, 1), "400") { f in Foundation.pow(sigmaMax(f.trace), Double(f.trace.columns - 1)) > 400 },

        // 1. "ρ = 0.75 and σmax = 1.74."
        claim(ans(1), "0.75") { radius2($0.trace) },
        claim(ans(1), "1.74") { sigmaMax($0.trace) },
        // 2. "The second unit is 1 at step 5 and halves at every step (0.5 at step 6). The first unit takes 1.5 of
        // it: 1.5 at step 6 and 1.875 at step 7, its largest, then it fades."
        claim(ans(2), "1") { hidden($0.trace, 5, 1) },
        holds(ans(2), "0.5") { f in
            hidden(f.trace, 6, 1) == 0.5 && (6...12).allSatisfy { hidden(f.trace, $0, 1) == hidden(f.trace, $0 - 1, 1) / 2 }
        },
        claim(ans(2), "1.5") { entry($0, 0, 1) },
        claim(ans(2), "1.5") { hidden($0.trace, 6, 0) },
        holds(ans(2), "1.875") { f in
            hidden(f.trace, 7, 0) == 1.875 && (1...12).allSatisfy { hidden(f.trace, $0, 0) <= 1.875 }
                && (8...12).allSatisfy { hidden(f.trace, $0, 0) < hidden(f.trace, $0 - 1, 0) }
        },
        // 3. "at most ‖∂L/∂h12‖·1.74^k … Λ^k → 0 as 0.75^k … to 1.96 times step 12's at step 10, then it falls, by a
        // factor per step that tends to ρ = 0.75."
        claim(ans(3), "1.74") { sigmaMax($0.trace) },
        holds(ans(3), "0") { f in frobenius(power(recurrentRows(f.trace), 200)) < 1e-20 },
        claim(ans(3), "0.75") { radius2($0.trace) },
        claim(ans(3), "1.96") { lastNorm($0.trace, 10) / lastNorm($0.trace, 12) },
        holds(ans(3), "0.75") { f in fallsByRho(f) && rises(f.trace, for: 2) },
        // 4. "Step 1 gets 0.25 of step 12's gradient, while the bound there is 1.74^11, over 400 times step 12's."
        claim(ans(4), "0.25") { leftAtStep1($0.trace) },
        claim(ans(4), "1.74") { sigmaMax($0.trace) },
        holds(ans(4), "400") { f in Foundation.pow(sigmaMax(f.trace), 11) > 400 && f.trace.columns == 12 },
        // 5. "lie only 9.5° apart … as 0.5^k dies faster than 0.75^k … the corner of W_hh^k is 6·(0.75^k − 0.5^k)".
        claim(ans(5), "9.5") { eigenvectorAngle(recurrentRows($0.trace)) },
        claim(ans(5), "0.5") { lambda($0, 1) },
        claim(ans(5), "0.75") { lambda($0, 0) },
        holds(ans(5), "6") { f in
            let w = recurrentRows(f.trace)
            return (1...11).allSatisfy { k in
                abs(power(w, k)[0][1] - 6 * (Foundation.pow(0.75, Double(k)) - Foundation.pow(0.5, Double(k)))) < 1e-12
            }
        },
        claim(ans(5), "0.75") { lambda($0, 0) },
        claim(ans(5), "0.5") { lambda($0, 1) },
        // 6. "After `[` 6 times: ρ = 0.42 and σmax = 0.98 < 1, and every bar is smaller than the one after it …
        // at most 0.98 … After `]` 4 times: ρ = 1.10 > 1, and the bars grow at every step back, to about 17 times".
        claim(ans(6), "6") { f in Double(try fewestPresses(f, up: false) { sigmaMax($0) < 1 }) },
        claim(ans(6), "0.42") { try radius2($0.scaled(-6)) },
        claim(ans(6), "0.98") { try sigmaMax($0.scaled(-6)) },
        holds(ans(6), "1") { try sigmaMax($0.scaled(-6)) < 1 },
        holds(ans(6), "1") { f in try rises(f.scaled(-6), for: 0) },
        claim(ans(6), "0.98") { try sigmaMax($0.scaled(-6)) },
        claim(ans(6), "4") { f in Double(try fewestPresses(f, up: true) { radius2($0) > 1 }) },
        claim(ans(6), "1.10") { try radius2($0.scaled(4)) },
        holds(ans(6), "1") { f in
            let t = try f.scaled(4)
            let b = backwards(t)
            return radius2(t) > 1 && b.count == 12 && (0..<11).allSatisfy { b[$0 + 1] > b[$0] }
        },
        about(ans(6), "17", within: 0.03) { try leftAtStep1($0.scaled(4)) },
        // 7. "σmax > 1 … ρ = 0.57 and σmax = 1.13 … (1.13^k) … at the first marker is only 1.5e-8; there tanh' < 1
        // and ρ < 1 shrink it at every step."
        holds(ans(7), "1") { _ in try sigmaMax(addingRNN().t) > 1 },
        claim(ans(7), "0.57") { _ in try spectralRadiusByPowers(addingRNN().w) },
        claim(ans(7), "1.13") { _ in try sigmaMax(addingRNN().t) },
        claim(ans(7), "1.13") { _ in try sigmaMax(addingRNN().t) },
        claim(ans(7), "1.5e-8") { _ in
            let r = try addingRNN()
            return lastNorm(r.t, r.marker)
        },
        holds(ans(7), "1") { _ in
            let r = try addingRNN()
            let steps = r.t.layers[0].steps
            return steps.allSatisfy { $0.hidden.storage.allSatisfy { 1 - $0 * $0 < 1 } }
                && (r.marker..<r.t.columns).allSatisfy { lastNorm(r.t, $0) < lastNorm(r.t, $0 + 1) }
        },
        holds(ans(7), "1") { _ in try spectralRadiusByPowers(addingRNN().w) < 1 }
    ]
]

@Test("Gelfand's formula in the claims agrees with the 2×2 characteristic polynomial and the engine's ρ")
func gelfandRadius() throws {
    let eigen = try ClaimFacts(#require(Lesson.builtin(named: "eigen"))).trace
    #expect(abs(spectralRadiusByPowers(recurrentRows(eigen)) - 0.75) < 1e-3)
    #expect(abs(spectralRadiusByPowers([[0, -2], [2, 0]]) - 2) < 1e-3) // a rotation: complex eigenvalues ±2i
    let adding = try other("train-adding-rnn")
    let engine = try #require(adding.recurrent.first?.spectralRadius)
    #expect(abs(spectralRadiusByPowers(recurrentRows(adding)) - engine) < 2e-3 * engine)
}

// MARK: - train-adding-gru, train-deep, train-shallow

/// The 1-based step of the first marker of a trace of the adding problem (its second input is the marker).
func firstMarker(_ t: Trace<Double>) -> Int { (t.inputs.firstIndex { ($0?[0, 1] ?? 0) != 0 } ?? -2) + 1 }

/// The number of entries of the trace's parameter `name`.
private func entries(_ t: Trace<Double>, _ name: String) -> Double {
    guard let i = t.parameterNames.firstIndex(of: name) else { return .nan }
    return Double(t.parameters[i].rows * t.parameters[i].cols)
}
/// Every parameter of the trace, counted.
private func parameterCount(_ t: Trace<Double>) -> Double { Double(t.parameters.reduce(0) { $0 + $1.rows * $1.cols }) }
/// A tanh RNN's parameters by hand, for the alphabet of the characters task: H(A + H) + 2H in the cell, AH + A in
/// the output layer, and H² + H more for one transition layer.
private func charactersRNNByHand(hidden h: Int, deep: Bool) -> Double {
    let a = CharacterCorpus.shared.alphabet.count
    return Double(h * (a + h) + 2 * h + a * h + a + (deep ? h * h + h : 0))
}
/// The hidden size of the trace's first layer.
private func hiddenSize(_ t: Trace<Double>) -> Double { Double(t.layers[0].hiddenSize) }

let trainingLessonClaims: [String: [Claim]] = [
    "train-adding-gru": [
        // 7. "at the first marker, step 21, ‖∂L/∂h_t‖ is 5.9e-4 for the LSTM and 3.6e-6 for the GRU."
        claim(ans(7), "5.9e-4") { _ in
            let t = try other("train-adding-lstm")
            return lastNorm(t, firstMarker(t))
        },
        claim(ans(7), "3.6e-6") { lastNorm($0.trace, firstMarker($0.trace)) }
    ],
    "train-deep": [
        // 1. "train-deep has 4614 parameters, train-shallow 4601. The deep model's extra 1056 are the transition
        // layer s … its hidden size is smaller, 32 against 39".
        claim(ans(1), "4614") { _ in charactersRNNByHand(hidden: 32, deep: true) },
        claim(ans(1), "4601") { _ in charactersRNNByHand(hidden: 39, deep: false) },
        claim(ans(1), "1056") { entries($0.trace, "transition_l0.0.weight") + entries($0.trace, "transition_l0.0.bias") },
        claim(ans(1), "32") { hiddenSize($0.trace) },
        claim(ans(1), "39") { _ in try hiddenSize(other("train-shallow")) },
        // 4. "At step 40, 10 steps back from the last loss, ‖∂L_50/∂h_t‖ is 8.1e-6 for train-deep and 6.0e-4 for
        // train-shallow (0.56 and 0.59 at step 50)".
        holds(ans(4), "10") { $0.trace.columns == 50 && $0.trace.lossColumns.last == 49 },
        claim(ans(4), "8.1e-6") { lastNorm($0.trace, 40) },
        claim(ans(4), "6.0e-4") { _ in try lastNorm(other("train-shallow"), 40) },
        claim(ans(4), "0.56") { lastNorm($0.trace, 50) },
        claim(ans(4), "0.59") { _ in try lastNorm(other("train-shallow"), 50) },
        // 6. "its hidden state is also smaller, 32 against 39".
        claim(ans(6), "32") { hiddenSize($0.trace) },
        claim(ans(6), "39") { _ in try hiddenSize(other("train-shallow")) }
    ],
    "train-shallow": [
        // 3. "4601: W_ih has 1482, W_hh 1521, the two bias vectors 78, and the output layer 1520".
        claim(ans(3), "4601") { _ in charactersRNNByHand(hidden: 39, deep: false) },
        claim(ans(3), "1482") { entries($0.trace, "weight_ih_l0") },
        claim(ans(3), "1521") { entries($0.trace, "weight_hh_l0") },
        claim(ans(3), "78") { entries($0.trace, "bias_ih_l0") + entries($0.trace, "bias_hh_l0") },
        claim(ans(3), "1520") { entries($0.trace, "output.weight") + entries($0.trace, "output.bias") }
    ]
]

@Test("The characters RNNs' parameter counts by hand are the engine's; the adding example's first marker is step 21")
func trainingLessonCounts() throws {
    let deep = try other("train-deep"), shallow = try other("train-shallow")
    #expect(parameterCount(deep) == charactersRNNByHand(hidden: 32, deep: true))
    #expect(parameterCount(shallow) == charactersRNNByHand(hidden: 39, deep: false))
    #expect(firstMarker(try other("train-adding-gru")) == 21)
    #expect(firstMarker(try other("train-adding-lstm")) == 21)
}
