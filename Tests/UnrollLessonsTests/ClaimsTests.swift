import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

// The claims test: every number a built-in lesson's captions (examples/NAME.yaml) and its worksheet's
// answer key (docs/labs/NAME.md) state is a row of `claimTable`, checked against the trace it describes:
// the lesson's own model, or the model after the keys the text asks for (applied through `Lab`).
// A guard fails when a caption or answer states a number no row covers, or a row names a number the text
// no longer states, so a change to a lesson, a worksheet or the engine cannot make a number false silently.
//
// What counts as a number: a numeral standing as a value ("0.6", "1/4", "2.5⁷", "8e4", "18%"). Not numbers:
// indices (h0, L6, y1..y5, ℓ2, weight_hh_l0, h_{t-3}, t+1), a list's "1." enumerator, the constants 0 and 1
// of a formula ("1 − h²", "(1 − z)"), and step references ("step 5", "steps 1–10"), which are checked
// against the lesson's number of steps instead.
//
// To add a lesson: add a scenario to examples/ and its rows to `claimTable`; the guard fails until every number is tabled.

/// Where a number is stated.
enum ClaimPlace: Hashable, CustomStringConvertible {
    /// A caption of the narration, at a 1-based step as written in the YAML.
    case caption(Phase, Int)
    /// A caption of a held-out input (`input: k` in the YAML, k ≥ 2 as written), at a 1-based step.
    case inputCaption(Int, Phase, Int)
    /// An answer of the worksheet's answer key.
    case answer(Int)

    var description: String {
        switch self {
        case .caption(let p, let s): return "caption \(p.rawValue) \(s)"
        case .inputCaption(let k, let p, let s): return "input \(k) caption \(p.rawValue) \(s)"
        case .answer(let n): return "answer \(n)"
        }
    }
}

/// What a lesson's claim is checked against: its own trace, or the trace after some keys.
///
/// Reading `trace` or `lesson`, or running the engine again (`after`, `scaled`, another `ClaimFacts`, `other`,
/// `rerun`), is noted in `ClaimReads.current`, so the report can say of each row what its value was derived from.
struct ClaimFacts: Sendable {
    private let ownLesson: Lesson
    private let ownTrace: Trace<Double>

    init(_ lesson: Lesson) throws {
        ClaimReads.note(.secondRun)
        ownLesson = lesson
        ownTrace = try Lab(lesson: lesson).compute().trace
    }

    /// The lesson (its scenario and weights).
    var lesson: Lesson {
        ClaimReads.note(.lessonFile)
        return ownLesson
    }

    /// The lesson's own trace, as the step-through computes it: the one its captions were written from.
    var trace: Trace<Double> {
        ClaimReads.note(.trace)
        return ownTrace
    }

    /// The trace after `keys` changed the lesson's lab, as the step-through computes it.
    func after(_ keys: (inout Lab) -> Void) throws -> Trace<Double> {
        ClaimReads.note(.secondRun)
        var lab = Lab(lesson: ownLesson)
        keys(&lab)
        return try lab.compute().trace
    }

    /// The trace after `]` pressed `n` times (`[` when negative).
    func scaled(_ n: Int) throws -> Trace<Double> {
        try after { lab in for _ in 0..<abs(n) { lab.scaleRecurrent(by: n > 0 ? 1.1 : 1 / 1.1) } }
    }
}

/// Notes that a claim's check runs the engine again outside `ClaimFacts` (a changed lesson, a trainer); returns `value`.
func rerun<T>(_ value: @autoclosure () throws -> T) rethrows -> T {
    ClaimReads.note(.secondRun)
    return try value()
}

/// What a claim's check read while it ran, and so which kind of derivation its value is.
final class ClaimReads: @unchecked Sendable {
    /// Kinds of derivation, from the most independent of the caption's own trace to the least... but one:
    /// a second run is independent of the trace the caption was written from, yet needs the engine.
    enum Kind: Int, Comparable, CaseIterable, CustomStringConvertible {
        /// Read nothing of the lesson: a hand computation or a closed form (tanh(1.7), a parameter count, IEEE limits).
        case byHand
        /// Read only the lesson's scenario or weights, not the engine's output.
        case lessonFile
        /// Read the lesson's own trace, the one the caption was written from.
        case trace
        /// Ran the engine again: the lesson after keys, on another sentence or weights, or another lesson.
        case secondRun

        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }

        var description: String {
            switch self {
            case .byHand: return "by hand or closed form"
            case .lessonFile: return "the lesson's scenario or weights"
            case .trace: return "the lesson's own trace"
            case .secondRun: return "a second run"
            }
        }
    }

    /// The recorder of the check running on this task, if any.
    @TaskLocal static var current: ClaimReads?

    private let lock = NSLock()
    private var seen: Set<Kind> = []

    /// Notes a read in the current recorder.
    static func note(_ kind: Kind) { current?.add(kind) }

    private func add(_ kind: Kind) { lock.withLock { _ = seen.insert(kind) } }

    /// The kind of the check: a second run if it made one, else the own trace if it read it, else the lesson's
    /// file if it read that, else by hand.
    var kind: Kind { lock.withLock { seen.max() ?? .byHand } }
}

/// The own trace of another built-in lesson.
func other(_ name: String) throws -> Trace<Double> {
    guard let lesson = Lesson.builtin(named: name) else { throw EngineError(problems: ["no lesson \(name)"]) }
    return try ClaimFacts(lesson).trace
}

/// The trace's ‖∂L_T/∂h‖ at 1-based `step` of layer `layer` (the last loss's gradient, as the panel plots).
func lastNorm(_ t: Trace<Double>, _ step: Int, layer: Int = 0) -> Double {
    t.layers[layer].steps[step - 1].lastLossGradientNorm
}
/// The trace's ‖∂L/∂h‖ (total loss) at 1-based `step`.
func totalNorm(_ t: Trace<Double>, _ step: Int, layer: Int = 0) -> Double {
    t.layers[layer].steps[step - 1].hiddenGradientNorm
}
/// The first W_hh block's σmax (the first H rows of `weight_hh_l0` among the trace's parameters), by power iteration
/// on WᵀW in plain Swift: not the engine's LAPACK value (`recurrent[0].largestSingularValue`), which a test checks
/// against it.
func sigmaMax(_ t: Trace<Double>) -> Double {
    guard let i = t.parameterNames.firstIndex(of: "weight_hh_l0") else { return .nan }
    let w = t.parameters[i], h = w.cols
    // A start with a component along every direction; the Rayleigh quotient vᵀWᵀWv rises to σmax² as v aligns.
    var v = (0..<h).map { 1 + Double($0) / Double(h) }
    var sigmaSquared = 0.0
    for _ in 0..<2000 {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return 0 }
        v = v.map { $0 / norm }
        let u = (0..<h).map { r in (0..<h).reduce(0.0) { $0 + w[r, $1] * v[$1] } }
        sigmaSquared = u.reduce(0) { $0 + $1 * $1 }
        v = (0..<h).map { c in (0..<h).reduce(0.0) { $0 + w[$1, c] * u[$1] } }
    }
    return sigmaSquared.squareRoot()
}

/// One number stated somewhere, and how to check it.
struct Claim: Sendable {
    enum Check: Sendable {
        /// The number as written equals this value to the written digits (or within `relative` when given).
        case value(relative: Double?, @Sendable (ClaimFacts) throws -> Double)
        /// The statement the number belongs to holds.
        case holds(@Sendable (ClaimFacts) throws -> Bool)
        /// Not a claim about the model: the number is true by definition (ReLU′ = 1 for a > 0, 1/∞ = 0 in IEEE 754),
        /// or names something (a unit, a count of key presses) whose values other rows check. The reason says which.
        case definition(String)
    }
    let place: ClaimPlace
    let number: String
    let check: Check
}

/// A claim whose number must equal `value` to the digits written.
func claim(_ place: ClaimPlace, _ number: String, _ value: @escaping @Sendable (ClaimFacts) throws -> Double) -> Claim {
    Claim(place: place, number: number, check: .value(relative: nil, value))
}
/// A claim whose number, said "about", must be within `relative` of `value`.
func about(
    _ place: ClaimPlace, _ number: String, within relative: Double,
    _ value: @escaping @Sendable (ClaimFacts) throws -> Double
) -> Claim {
    Claim(place: place, number: number, check: .value(relative: relative, value))
}
/// A number that is a definition, not a claim about the model: the guard accepts it, the report counts it apart.
func definition(_ place: ClaimPlace, _ number: String, _ reason: String) -> Claim {
    Claim(place: place, number: number, check: .definition(reason))
}
/// A claim whose number belongs to a statement checked as a whole.
func holds(_ place: ClaimPlace, _ number: String, _ statement: @escaping @Sendable (ClaimFacts) throws -> Bool) -> Claim
{
    Claim(place: place, number: number, check: .holds(statement))
}

private let fwd = Phase.forward, bwd = Phase.backward
private func cap(_ p: Phase, _ s: Int) -> ClaimPlace { .caption(p, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }
private func isZero(_ m: Matrix<Double>?) -> Bool { m?.storage.allSatisfy { $0 == 0 } ?? false }
private func distance(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
    zip(a.storage, b.storage).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
}
private func gradient(_ t: Trace<Double>, _ name: String) -> Matrix<Double>? { t.gradient(name) }
/// σ'(a) at unit 2 of step 2 of the sigmoid lesson, from its a (not from the engine's h).
private func sigmoidUnit(_ f: ClaimFacts) -> (a: Double, h: Double, d: Double) {
    let a = f.trace.layers[0].steps[1].preactivation[0, 1]
    let h = 1 / (1 + Foundation.exp(-a))
    return (a, h, h * (1 - h))
}
/// The largest value of `f` on a grid of a in [−10, 10] with step 1/1000 (which holds a = 0 exactly), and where.
private func peak(of f: (Double) -> Double) -> (a: Double, value: Double) {
    (-10_000...10_000).map { Double($0) / 1000 }.map { ($0, f($0)) }.max { $0.1 < $1.1 } ?? (.nan, .nan)
}
/// σ'(a) = σ(a)(1 − σ(a)) and tanh'(a) = 1 − tanh²(a), from their definitions.
private func sigmoidPrime(_ a: Double) -> Double {
    let s = 1 / (1 + Foundation.exp(-a))
    return s * (1 - s)
}
private func tanhPrime(_ a: Double) -> Double { 1 - Foundation.pow(Foundation.tanh(a), 2) }
/// The fewest hops from 1-based step `from` to `to` when each hop moves 1 step or `skip` steps, by breadth-first search.
func hops(from: Int, to: Int, skip: Int) -> Double {
    var distance = [from: 0], frontier = [from]
    while let s = frontier.first, distance[to] == nil {
        frontier.removeFirst()
        for next in [s + 1, s + skip] where next <= to && distance[next] == nil {
            distance[next] = (distance[s] ?? 0) + 1
            frontier.append(next)
        }
    }
    return Double(distance[to] ?? -1)
}
/// The 1-based step at which `word` is read.
func step(of word: String, in lesson: Lesson) -> Int { (lesson.tokens.firstIndex(of: word) ?? -2) + 1 }

/// The units of a step whose |a| exceeds 1.7 (tanh lesson) or ≤ 0 (relu lesson).
private func count(_ t: Trace<Double>, step: Int, _ test: (Double) -> Bool) -> Int {
    t.layers[0].steps[step - 1].preactivation.storage.filter(test).count
}
func jacobians(_ t: Trace<Double>) -> [Double] { t.layers[0].steps.map(\.jacobianNorm) }
/// Number of parameters by hand: an RNN cell with g gate blocks, input size i, hidden h, vocabulary v.
private func parametersByHand(gates g: Int, input i: Int, hidden h: Int, output v: Int) -> Double {
    Double(g * h * (i + h) + 2 * g * h + v * h + v)
}

/// Every lesson's claims: these, `semanticClaims` (SemanticClaims.swift) and `handcalcClaims` (HandcalcClaims.swift).
let claimTable = baseClaims.merging(semanticClaims) { $0 + $1 }.merging(handcalcClaims) { $0 + $1 }
    .merging(eigenClaims) { $0 + $1 }.merging(trainingLessonClaims) { $0 + $1 }
    .merging(sumAndFreeClaims) { $0 + $1 }

/// The claims of the lessons on drawn weights (the trained lessons' rows are `semanticClaims`).
let baseClaims: [String: [Claim]] = [
    "memory": [
        holds(ans(1), "0") { isZero($0.trace.layers[0].initialHidden) },
        holds(ans(2), "0.1") { distance($0.trace.layers[0].steps[0].hidden, $0.trace.layers[0].steps[4].hidden) > 0.1 }
    ],
    "one2one": [
        holds(cap(fwd, 1), "0") { isZero($0.trace.layers[0].initialHidden) },
        holds(cap(bwd, 1), "0") { isZero($0.trace.layers[0].initialHidden) },
        holds(cap(bwd, 1), "0") { isZero(gradient($0.trace, "weight_hh_l0")) },
        holds(ans(1), "0") { isZero($0.trace.layers[0].initialHidden) },
        holds(ans(3), "0") { isZero(gradient($0.trace, "weight_hh_l0")) && $0.trace.columns == 1 }
    ],
    "one2many": [
        holds(cap(fwd, 2), "0") { f in (1..<f.trace.columns).allSatisfy { isZero(f.trace.inputs[$0]) } },
        holds(cap(bwd, 1), "4") { $0.trace.lossColumns == [0, 1, 2, 3] },
        holds(cap(bwd, 1), "0") { isZero($0.trace.layers[0].initialHidden) },
        holds(ans(1), "0") { f in (1..<f.trace.columns).allSatisfy { isZero(f.trace.inputs[$0]) } }
    ],
    "caption": [
        claim(cap(fwd, 1), "5") { Double($0.trace.conditioning?.cols ?? 0) },
        claim(ans(4), "0.034") { $0.trace.loss },
        claim(ans(4), "0.479") { _ in try other("caption-h0").loss },
        claim(ans(4), "0.036") { _ in try other("caption-both").loss }
    ],
    "caption-h0": [
        holds(ans(1), "0") { $0.trace.layers[0].initialHidden.maxAbs > 0.01 }
    ],
    "seq2seq": [
        claim(cap(fwd, 6), "5") { Double($0.trace.columns - ($0.trace.decoderStartColumn ?? 0)) },
        claim(cap(fwd, 6), "4") { Double($0.trace.decoderStartColumn ?? 0) },
        claim(ans(1), "5") { Double(($0.trace.decoderStartColumn ?? 0) + 1) },
        claim(ans(1), "9") { Double($0.trace.columns) },
        claim(ans(4), "4") { Double($0.trace.decoderStartColumn ?? 0) },
        claim(ans(4), "5") { Double($0.trace.columns - ($0.trace.decoderStartColumn ?? 0)) }
    ],
    "seq2seq-h0": [
        about(ans(3), "5.6e-4", within: 0.01) { _ in try totalNorm(other("seq2seq"), 4) },
        about(ans(3), "1.6e-4", within: 0.03) { totalNorm($0.trace, 4) },
        holds(ans(3), "2") { f in try totalNorm(other("seq2seq"), 4) > 2 * totalNorm(f.trace, 4) },
        about(ans(3), "9.2e-4", within: 0.01) { _ in try lastNorm(other("seq2seq"), 4) },
        about(ans(3), "2.4e-6", within: 0.02) { lastNorm($0.trace, 4) }
    ],
    "sigmoid": [
        holds(cap(fwd, 1), "0") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { $0 > 0 && $0 < 1 } }
        },
        claim(cap(fwd, 1), "1") { _ in 1 / (1 + Foundation.exp(-40.0)) },
        holds(cap(fwd, 1), "0") { _ in peak(of: sigmoidPrime).a == 0 },
        claim(cap(fwd, 1), "1/4") { _ in peak(of: sigmoidPrime).value },
        claim(cap(fwd, 1), "0.5") { _ in 1 / (1 + Foundation.exp(-0.0)) },
        definition(
            cap(fwd, 2), "2", "'unit 2' names a unit, the second of six; the rows below read its a, h and σ' at step 2"),
        claim(cap(fwd, 2), "2.3") { -sigmoidUnit($0).a },
        claim(cap(fwd, 2), "0.09") { sigmoidUnit($0).h },
        claim(cap(fwd, 2), "0.08") { sigmoidUnit($0).d },
        holds(cap(bwd, 6), "1/4") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { $0 * (1 - $0) <= 0.25 } }
        },
        claim(cap(bwd, 4), "0.81") { sigmaMax($0.trace) / 4 },
        // The question's why: "σ'(a) ≤ 1/4 … at most σmax(W_hh)/4 ≈ 0.81 per step".
        holds(cap(bwd, 6), "1/4") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { $0 * (1 - $0) <= 0.25 } }
        },
        claim(cap(bwd, 6), "0.81") { sigmaMax($0.trace) / 4 },
        holds(cap(bwd, 4), "4") { f in jacobians(f.trace).allSatisfy { $0 <= sigmaMax(f.trace) / 4 + 1e-9 } },
        claim(cap(bwd, 4), "1/4") { _ in peak(of: sigmoidPrime).value },
        holds(cap(bwd, 1), "20") { lastNorm($0.trace, 6) / lastNorm($0.trace, 1) > 20 },
        claim(cap(bwd, 1), "5") { Double($0.trace.columns - 1) },
        claim(cap(bwd, 1), "3.2") { sigmaMax($0.trace) },
        claim(ans(1), "2.3") { -sigmoidUnit($0).a },
        claim(ans(1), "0.09") { sigmoidUnit($0).h },
        claim(ans(1), "0.08") { sigmoidUnit($0).d },
        claim(ans(2), "1/4") { _ in peak(of: sigmoidPrime).value },
        holds(ans(2), "0") { _ in peak(of: sigmoidPrime).a == 0 },
        claim(ans(2), "0.5") { _ in 1 / (1 + Foundation.exp(-0.0)) },
        claim(ans(3), "3.24/4") { sigmaMax($0.trace) / 4 },
        claim(ans(3), "0.81") { sigmaMax($0.trace) / 4 },
        claim(ans(3), "0.67") { jacobians($0.trace).min() ?? .nan },
        claim(ans(3), "0.76") { jacobians($0.trace).max() ?? .nan },
        about(ans(4), "20", within: 0.05) { lastNorm($0.trace, 6) / lastNorm($0.trace, 1) },
        claim(ans(4), "2.25") { lastNorm($0.trace, 6) },
        claim(ans(4), "0.11") { lastNorm($0.trace, 1) },
        claim(ans(5), "1") { _ in peak(of: tanhPrime).value },
        claim(ans(5), "1/4") { _ in peak(of: sigmoidPrime).value }
    ],
    "tanh": [
        claim(cap(fwd, 1), "1") { _ in -Foundation.tanh(-40.0) },
        claim(cap(fwd, 1), "1") { _ in Foundation.tanh(40.0) },
        holds(cap(fwd, 1), "0") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { abs($0) < 1 } }
        },
        claim(cap(fwd, 1), "1") { _ in peak(of: tanhPrime).value },
        holds(cap(fwd, 1), "0") { _ in peak(of: tanhPrime).a == 0 && Foundation.tanh(0.0) == 0 },
        holds(cap(fwd, 5), "1.7") { count($0.trace, step: 5) { abs($0) > 1.7 } == 4 },
        definition(
            cap(fwd, 5), "1.7",
            "the argument of tanh(1.7): the threshold |a| > 1.7 that the row above counts in the trace"),
        claim(cap(fwd, 5), "0.935") { _ in Foundation.tanh(1.7) },
        holds(cap(fwd, 5), "0.13") { _ in 1 - Foundation.pow(Foundation.tanh(1.7), 2) < 0.13 },
        holds(cap(bwd, 6), "1") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { 1 - $0 * $0 <= 1 } }
        },
        claim(cap(bwd, 4), "3.2") { sigmaMax($0.trace) },
        claim(ans(1), "1") { _ in tanhPrime(0) },
        definition(
            ans(1), "0.96²", "the question's own h = 0.96, squared as 1 − h² needs; the 0.08 row checks the arithmetic"),
        claim(ans(1), "0.08") { _ in 1 - 0.96 * 0.96 },
        holds(ans(2), "1.7") { count($0.trace, step: 5) { abs($0) > 1.7 } == 4 },
        claim(ans(2), "0.935") { _ in Foundation.tanh(1.7) },
        claim(ans(2), "0.935²") { _ in Foundation.pow(Foundation.tanh(1.7), 2) },
        claim(ans(2), "0.13") { _ in 1 - Foundation.pow(Foundation.tanh(1.7), 2) },
        claim(ans(3), "3.2") { sigmaMax($0.trace) },
        claim(ans(3), "1.3") { jacobians($0.trace).min() ?? .nan },
        claim(ans(3), "2.6") { jacobians($0.trace).max() ?? .nan },
        claim(ans(4), "3.2") { sigmaMax($0.trace) },
        holds(ans(4), "1") { sigmaMax($0.trace) > 1 },
        holds(ans(4), "1") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { 1 - $0 * $0 < 1 } }
        },
        claim(ans(5), "5.3") { lastNorm($0.trace, 1) },
        claim(ans(5), "3.2") { try lastNorm($0.scaled(-6), 1) },
        claim(ans(5), "1.83") { try sigmaMax($0.scaled(-6)) },
        claim(ans(5), "2.6") { try lastNorm($0.scaled(-6), 6) }
    ],
    "relu": [
        holds(cap(fwd, 1), "0") { f in
            f.trace.layers[0].steps.allSatisfy {
                zip($0.preactivation.storage, $0.hidden.storage).allSatisfy { $1 == max(0, $0) }
            }
        },
        holds(cap(fwd, 1), "0") { f in f.trace.layers[0].steps.contains { $0.hidden.storage.contains(0) } },
        holds(cap(fwd, 2), "0") { count($0.trace, step: 2) { $0 <= 0 } == 5 },
        holds(cap(fwd, 2), "0") { $0.trace.layers[0].steps[1].hidden.storage.filter { $0 == 0 }.count == 5 },
        definition(cap(fwd, 2), "0", "ReLU'(a) = 0 for a ≤ 0, by the definition of ReLU = max(0, a)"),
        definition(cap(fwd, 2), "1", "ReLU'(a) is 1 or 0: 1 for a > 0 by the definition of ReLU = max(0, a)"),
        definition(cap(fwd, 2), "0", "ReLU'(a) is 1 or 0: 0 for a ≤ 0 by the definition of ReLU = max(0, a)"),
        definition(
            cap(bwd, 6), "1/4", "'no 1/4' names the sigmoid's bound on σ', a factor ReLU' ∈ {0, 1} does not have"),
        holds(cap(bwd, 4), "0") { $0.trace.layers[0].steps[1].hidden.storage.contains(0) },
        claim(cap(bwd, 4), "3.2") { sigmaMax($0.trace) },
        claim(cap(bwd, 1), "3.9") { try sigmaMax($0.scaled(2)) },
        claim(cap(bwd, 1), "4.9") { lastNorm($0.trace, 2) },
        claim(cap(bwd, 1), "11") { try lastNorm($0.scaled(2), 2) },
        holds(cap(bwd, 1), "0") { f in
            let t = try f.scaled(2)
            return lastNorm(t, 1) == 0 && t.layers[0].steps[1].hidden.storage.allSatisfy { $0 == 0 }
        },
        holds(ans(1), "0") { count($0.trace, step: 2) { $0 <= 0 } == 5 },
        definition(ans(2), "1", "ReLU'(a) = 1 for a > 0, by the definition of ReLU = max(0, a)"),
        holds(ans(3), "3.2") { f in
            abs(sigmaMax(f.trace) - 3.2) < 0.05 && jacobians(f.trace).allSatisfy { $0 <= sigmaMax(f.trace) + 1e-9 }
        },
        claim(ans(4), "5.3") { _ in try lastNorm(other("tanh"), 1) },
        claim(ans(4), "1.8") { _ in try lastNorm(other("tanh"), 6) },
        about(ans(4), "20", within: 0.05) { f in
            let t = try other("sigmoid")
            return lastNorm(t, 6) / lastNorm(t, 1)
        },
        claim(ans(4), "4.9") { lastNorm($0.trace, 2) },
        claim(ans(4), "0.48") { lastNorm($0.trace, 1) },
        claim(ans(5), "4.9") { lastNorm($0.trace, 2) },
        claim(ans(5), "7.3") { try lastNorm($0.scaled(1), 2) },
        claim(ans(5), "11") { try lastNorm($0.scaled(2), 2) },
        holds(ans(5), "0") { try count($0.scaled(2), step: 2) { $0 <= 0 } == 6 },
        holds(ans(5), "0") { try lastNorm($0.scaled(2), 1) == 0 }
    ],
    "vanishing": [
        claim(cap(fwd, 5), "7") { f in Double(f.trace.columns - 5) },
        claim(cap(bwd, 9), "0.6") { sigmaMax($0.trace) },
        claim(cap(bwd, 12), "0.6") { sigmaMax($0.trace) }, // the question's why
        // The second question's choice and its why: "about 50 times smaller, and at step 1 about 500 … at most 0.6".
        about(cap(bwd, 5), "50", within: 0.1) { lastNorm($0.trace, 12) / lastNorm($0.trace, 5) },
        about(cap(bwd, 5), "50", within: 0.1) { lastNorm($0.trace, 12) / lastNorm($0.trace, 5) },
        about(cap(bwd, 5), "500", within: 0.1) { lastNorm($0.trace, 12) / lastNorm($0.trace, 1) },
        claim(cap(bwd, 5), "0.6") { sigmaMax($0.trace) },
        holds(cap(bwd, 1), "6") { f in
            let t = try f.scaled(6)
            return lastNorm(t, 1) / lastNorm(t, 12) > 0.7
        },
        claim(cap(bwd, 1), "1.06") { try sigmaMax($0.scaled(6)) },
        holds(cap(bwd, 1), "16") { f in
            let t = try f.scaled(16)
            return lastNorm(t, 1) / lastNorm(t, 12) > 40
        },
        claim(cap(bwd, 1), "2.76") { try sigmaMax($0.scaled(16)) },
        about(cap(bwd, 1), "40", within: 0.05) { f in
            let t = try f.scaled(16)
            return lastNorm(t, 1) / lastNorm(t, 12)
        },
        holds(cap(bwd, 1), "25") { f in
            let t = try f.scaled(25)
            return lastNorm(t, 1) / lastNorm(t, 12) < 0.05
                && t.layers[0].steps[2...].allSatisfy { $0.hidden.maxAbs > 0.999 }
        },
        claim(cap(bwd, 1), "6.5") { try sigmaMax($0.scaled(25)) },
        claim(ans(1), "7") { f in Double(f.trace.columns - 5) },
        claim(ans(2), "0.6") { sigmaMax($0.trace) },
        holds(ans(2), "0.6") { f in jacobians(f.trace).allSatisfy { $0 <= 0.6 + 1e-9 } },
        holds(ans(2), "1") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { 1 - $0 * $0 <= 1 } }
        },
        about(ans(3), "50", within: 0.1) { lastNorm($0.trace, 12) / lastNorm($0.trace, 5) },
        claim(ans(3), "1.9") { 100 * lastNorm($0.trace, 5) / lastNorm($0.trace, 12) },
        about(ans(3), "500", within: 0.1) { lastNorm($0.trace, 12) / lastNorm($0.trace, 1) },
        holds(ans(4), "0") { lastNorm($0.trace, 5) < 0.02 * lastNorm($0.trace, 12) },
        definition(
            ans(5), "6",
            "a number of ] presses the answer names; the rows after it read σmax and the gradients after them"),
        claim(ans(5), "1.06") { try sigmaMax($0.scaled(6)) },
        claim(ans(5), "72") { f in
            let t = try f.scaled(6)
            return 100 * lastNorm(t, 1) / lastNorm(t, 12)
        },
        definition(
            ans(5), "16",
            "a number of ] presses the answer names; the rows after it read σmax and the gradients after them"),
        claim(ans(5), "2.76") { try sigmaMax($0.scaled(16)) },
        claim(ans(5), "41") { f in
            let t = try f.scaled(16)
            return lastNorm(t, 1) / lastNorm(t, 12)
        },
        definition(
            ans(5), "25",
            "a number of ] presses the answer names; the rows after it read σmax and the gradients after them"),
        claim(ans(5), "6.5") { try sigmaMax($0.scaled(25)) },
        claim(ans(5), "2.6") { f in
            let t = try f.scaled(25)
            return 100 * lastNorm(t, 1) / lastNorm(t, 12)
        },
        holds(ans(5), "1") { try sigmaMax($0.scaled(25)) > 1 }
    ],
    "exploding": [
        holds(cap(fwd, 1), "2.5") { f in
            // Every singular value 2.5: W_hhᵀ W_hh = 6.25 I.
            guard let i = f.trace.parameterNames.firstIndex(of: "weight_hh_l0") else { return false }
            let w = f.trace.parameters[i], n = w.rows
            return (0..<n).allSatisfy { r in
                (0..<n).allSatisfy { c in
                    abs((0..<n).reduce(0.0) { $0 + w[$1, r] * w[$1, c] } - (r == c ? 6.25 : 0)) < 1e-9
                }
            }
        },
        claim(cap(fwd, 8), "2.5") { sigmaMax($0.trace) },
        claim(cap(fwd, 8), "2.5⁷") { Foundation.pow(sigmaMax($0.trace), 7) },
        claim(cap(fwd, 8), "610") { _ in Foundation.pow(2.5, 7) },
        holds(cap(bwd, 4), "2.5") { f in
            (1..<8).allSatisfy { abs(lastNorm(f.trace, $0) / lastNorm(f.trace, $0 + 1) - 2.5) < 0.2 }
        },
        // The question's why: "Every singular value of W_hh is 2.5: each step back multiplies the gradient by 2.5".
        claim(cap(bwd, 8), "2.5") { sigmaMax($0.trace) },
        holds(cap(bwd, 8), "2.5") { f in
            (1..<8).allSatisfy { abs(lastNorm(f.trace, $0) / lastNorm(f.trace, $0 + 1) - 2.5) < 0.2 }
        },
        about(cap(bwd, 1), "1600", within: 0.01) { $0.trace.clip.normBefore },
        claim(cap(bwd, 1), "1") { try $0.after { $0.toggleClipping() }.clip.normAfter },
        claim(ans(1), "2.5") { sigmaMax($0.trace) },
        claim(ans(2), "2.5") { lastNorm($0.trace, 1) / lastNorm($0.trace, 2) },
        claim(ans(2), "2.5⁷") { Foundation.pow(sigmaMax($0.trace), 7) },
        claim(ans(2), "610") { _ in Foundation.pow(2.5, 7) },
        holds(ans(2), "500") { lastNorm($0.trace, 1) / lastNorm($0.trace, 8) > 500 },
        about(ans(3), "1600", within: 0.01) { $0.trace.clip.normBefore },
        claim(ans(3), "1") { try $0.after { $0.toggleClipping() }.clip.normAfter },
        about(ans(3), "1600", within: 0.01) { try $0.after { $0.toggleClipping() }.clip.normBefore },
        claim(ans(3), "1") { try $0.after { $0.toggleClipping() }.clip.normAfter },
        claim(ans(6), "6.5") { try sigmaMax($0.scaled(10)) },
        holds(ans(6), "0") { f in
            let t = try f.scaled(10)
            return t.losses[t.columns - 1] == 0
        },
        holds(ans(6), "0") { f in
            let t = try f.scaled(10)
            return (1...8).allSatisfy { lastNorm(t, $0) == 0 }
        },
        about(ans(6), "8e4", within: 0.1) { try totalNorm($0.scaled(10), 1) }
    ],
    "nan": [
        claim(cap(fwd, 1), "30") { $0.trace.recurrent.first?.spectralRadius ?? .nan },
        about(cap(fwd, 8), "30", within: 0.1) {
            Double($0.trace.layers[0].steps[7].hidden.norm / $0.trace.layers[0].steps[6].hidden.norm)
        },
        claim(cap(fwd, 8), "900") { Foundation.pow($0.trace.recurrent.first?.spectralRadius ?? .nan, 2) },
        claim(cap(fwd, 8), "3.4e38") { _ in Double(Float.greatestFiniteMagnitude) },
        claim(cap(bwd, 16), "30") { $0.trace.recurrent.first?.spectralRadius ?? .nan },
        claim(ans(1), "30") { $0.trace.recurrent.first?.spectralRadius ?? .nan },
        claim(ans(1), "3.4e38") { _ in Double(Float.greatestFiniteMagnitude) },
        claim(ans(1), "30⁷") { Foundation.pow($0.trace.recurrent.first?.spectralRadius ?? .nan, 7) },
        about(ans(1), "2e10", within: 0.1) { Foundation.pow($0.trace.recurrent.first?.spectralRadius ?? .nan, 7) },
        claim(ans(2), "900") { Foundation.pow($0.trace.recurrent.first?.spectralRadius ?? .nan, 2) },
        claim(ans(3), "30") { $0.trace.recurrent.first?.spectralRadius ?? .nan },
        claim(ans(3), "3.4e38") { _ in Double(Float.greatestFiniteMagnitude) },
        // 1.8e308 itself overflows a Double, so the comparison is made 1e300 lower.
        holds(ans(5), "1.8e308") { _ in abs(Double.greatestFiniteMagnitude / 1e300 - 1.8e8) < 0.05e8 }
    ],
    "gru": [
        // The question's why: "409 parameters against the GRU's 319".
        claim(cap(fwd, 4), "319") { Double(try ClaimFacts.results($0).parameterCount) },
        claim(cap(fwd, 4), "409") { f in
            var lab = Lab(lesson: f.lesson)
            lab.cycleCell()
            lab.cycleCell()
            return lab.settings.cell == .lstm ? Double(try rerun(lab.compute()).parameterCount) : .nan
        },
        holds(cap(fwd, 6), "3") { $0.trace.recurrent.count == 3 },
        holds(cap(fwd, 6), "4") {
            try $0.after {
                $0.cycleCell()
                $0.cycleCell()
            }.recurrent.count == 4
        },
        claim(cap(fwd, 6), "319") { Double(try ClaimFacts.results($0).parameterCount) },
        claim(cap(fwd, 6), "409") { f in
            var lab = Lab(lesson: f.lesson)
            lab.cycleCell()
            lab.cycleCell()
            return lab.settings.cell == .lstm ? Double(try rerun(lab.compute()).parameterCount) : .nan
        },
        // z = 1 keeps h_{t-1}, z = 0 takes n: the trace obeys h = (1 − z) ⊙ n + z ⊙ h_{t-1} at every step and unit,
        // which is the notes' h = (1 − z') ⊙ h_{t-1} + z' ⊙ n with z' = 1 − z (so z' = 0 keeps and z' = 1 replaces).
        holds(ans(1), "1") { gruUpdateHolds($0.trace) },
        holds(ans(1), "0") { gruUpdateHolds($0.trace) },
        holds(ans(1), "0") { gruUpdateHolds($0.trace, notes: true) },
        holds(ans(1), "1") { gruUpdateHolds($0.trace, notes: true) },
        holds(ans(3), "3") { $0.trace.recurrent.count == 3 },
        holds(ans(3), "4") {
            try $0.after {
                $0.cycleCell()
                $0.cycleCell()
            }.recurrent.count == 4
        },
        claim(ans(3), "270") { _ in parametersByHand(gates: 3, input: 7, hidden: 6, output: 0) },
        claim(ans(3), "360") { _ in parametersByHand(gates: 4, input: 7, hidden: 6, output: 0) },
        claim(ans(3), "7") { Double($0.lesson.vocabulary.count) },
        claim(ans(3), "6") { Double($0.trace.layers[0].hiddenSize) },
        claim(ans(3), "319") { _ in parametersByHand(gates: 3, input: 7, hidden: 6, output: 7) },
        claim(ans(3), "409") { _ in parametersByHand(gates: 4, input: 7, hidden: 6, output: 7) }
    ],
    "feedback": [
        holds(cap(fwd, 1), "0") { f in fed(f.trace, f.lesson).first == "0" },
        claim(cap(fwd, 2), "0.997") { f in try chosenOwnTarget(f, step: 1) },
        claim(ans(1), "0.997") { f in try chosenOwnTarget(f, step: 1) },
        holds(ans(4), "1e-12") { f in try outputGradientGap(f) <= 1e-12 },
        // "y3 says 'sont', is fed it, and steps 4 and 5 go wrong too" (answer 2: "steps 3 to 5 are all wrong").
        // On input 2 (the held-out sentence): "steps 4 and 5 go wrong too: 2 of the 5 words right".
        holds(.inputCaption(2, fwd, 5), "5") { f in try heldOutRight(f, "feedback").allSatisfy { $0 < 4 } },
        holds(.inputCaption(2, fwd, 5), "2") { f in try heldOutRight(f, "feedback") == [1, 2] },
        holds(.inputCaption(2, fwd, 5), "5") { f in
            try heldOutRight(f, "feedback") == [1, 2] && heldOutSentence.tokens.count == 5
        },
        holds(ans(2), "5") { f in try heldOutRight(f, "feedback") == [1, 2] && heldOutSentence.tokens.count == 5 },
        holds(ans(5), "4") { f in try heldOutRight(f, "teacher") == [1, 2, 4, 5] },
        holds(ans(5), "5") { f in try heldOutRight(f, "teacher").count == 4 && heldOutSentence.tokens.count == 5 },
        holds(ans(5), "2") { f in try heldOutRight(f, "feedback") == [1, 2] }
    ],
    "teacher": [
        holds(cap(fwd, 1), "0") { f in fed(f.trace, f.lesson).first == "0" },
        claim(cap(fwd, 2), "0.997") { f in try chosenOwnTarget(f, step: 1) },
        claim(ans(1), "0.997") { f in try chosenOwnTarget(f, step: 1) },
        holds(ans(3), "1e-12") { f in try outputGradientGap(f) <= 1e-12 },
        // "On the lesson's sentence all six states are the same ... teacher forcing gets 4 of the 5 words right,
        // running free 2".
        // On input 2 (the held-out sentence): "y4 and y5 are right, 4 of the 5 words".
        holds(.inputCaption(2, fwd, 5), "4") { f in try heldOutRight(f, "teacher") == [1, 2, 4, 5] },
        holds(.inputCaption(2, fwd, 5), "5") { f in
            try heldOutRight(f, "teacher").count == 4 && heldOutSentence.tokens.count == 5
        },
        holds(ans(4), "4") { f in try sameStatesAsFeedback(f) && heldOutRight(f, "teacher") == [1, 2, 4, 5] },
        holds(ans(4), "5") { f in try heldOutRight(f, "teacher").count == 4 && heldOutSentence.tokens.count == 5 },
        holds(ans(4), "2") { f in try heldOutRight(f, "feedback") == [1, 2] },
        holds(ans(4), "5") { f in try heldOutRight(f, "feedback") == [1, 2] && heldOutSentence.tokens.count == 5 }
    ],
    "truncated": [
        // "Chunks of 4 steps: 1-4, 5-8, 9-10, a cut line drawn between them".
        holds(cap(fwd, 1), "4") { f in
            try f.lesson.truncation == 4 && gradientChunks(f).dropLast().allSatisfy { $0.count == 4 }
        },
        holds(cap(fwd, 1), "1") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(cap(fwd, 1), "4") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(cap(fwd, 1), "5") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(cap(fwd, 1), "8") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(cap(fwd, 1), "9") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] && cutsFollowChunks(f) },
        holds(cap(fwd, 1), "10") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] && f.trace.columns == 10 },
        // "Step 5 reads 'France' and starts chunk 2. h4 is carried in as a value".
        holds(cap(fwd, 5), "2") { f in
            try gradientChunks(f).dropFirst().first?.lowerBound == 5 && f.lesson.tokens[4] == "France"
                && forwardAsWithoutCuts(f)
        },
        // "It needs 'France', read at step 5, 4 steps back, across the cut before step 9".
        holds(cap(fwd, 9), "4") { f in try franceToFrench(f) == 4 && f.trace.truncationCuts.contains(8) },
        // "Chunk 3: the losses at steps 9 and 10 reach h10 and h9".
        holds(cap(bwd, 10), "3") { f in try gradientChunks(f).dropFirst(2).first == 9...10 },
        holds(cap(bwd, 10), "10") { f in
            try reaches(f, loss: 9, state: 9) && reaches(f, loss: 10, state: 9) && reaches(f, loss: 10, state: 10)
        },
        // "∂L9/∂h5 = 0 exactly (0.03 with full BPTT)".
        holds(cap(bwd, 8), "0") { f in try oneLoss(f, loss: 9)[4] == 0 },
        claim(cap(bwd, 8), "0.03") { f in try oneLoss(f, truncation: .full, loss: 9)[4] },
        // The question's why: "∂L9/∂h5 = 0 (0.03 with full BPTT)".
        holds(cap(bwd, 10), "0") { f in try oneLoss(f, loss: 9)[4] == 0 },
        claim(cap(bwd, 10), "0.03") { f in try oneLoss(f, truncation: .full, loss: 9)[4] },
        // "Chunk 2: h5 to h8 get gradient from the losses at steps 5 to 8 only, never from steps 9 or 10".
        holds(cap(bwd, 5), "2") { f in try gradientChunks(f).dropFirst().first == 5...8 },
        holds(cap(bwd, 5), "8") { f in try (5...8).allSatisfy { s in try lossesReaching(f, state: s) == Array(s...8) }
        },
        holds(cap(bwd, 5), "10") { f in
            try (5...8).allSatisfy { s in try !reaches(f, loss: 9, state: s) && !reaches(f, loss: 10, state: s) }
        },
        // "Chunk 1: h1-h4 from losses 1-4. Shown: all chunks' gradients for one set of weights".
        holds(cap(bwd, 4), "1") { f in try gradientChunks(f).first == 1...4 },
        holds(cap(bwd, 4), "1") { f in try (1...4).allSatisfy { s in try lossesReaching(f, state: s) == Array(s...4) }
        },
        holds(cap(bwd, 4), "4") { f in
            try (1...4).allSatisfy { s in try lossesReaching(f, state: s) == Array(s...4) } && chunksSummed(f)
        },
        // "France (5) to French (9) is 4 steps, no longer than a chunk, yet cut".
        holds(cap(bwd, 1), "5") { f in f.lesson.tokens[4] == "France" && f.lesson.tokens.firstIndex(of: "France") == 4
        },
        holds(cap(bwd, 1), "9") { f in
            f.lesson.targetTokens[8] == "French" && f.lesson.targetTokens.firstIndex(of: "French") == 8
        },
        holds(cap(bwd, 1), "4") { f in
            try franceToFrench(f) == 4 && 4 <= (f.lesson.truncation ?? 0) && oneLoss(f, loss: 9)[4] == 0
        },
        // "1–4, 5–8, 9–10; the cuts are drawn before steps 5 and 9".
        holds(ans(1), "1") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "4") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "5") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "8") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "9") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "10") { f in try gradientChunks(f) == [1...4, 5...8, 9...10] },
        holds(ans(1), "9") { f in try cutsFollowChunks(f) && f.trace.truncationCuts == [4, 8] },
        // "Only steps 9 and 10; all earlier bars are exactly 0" (the last loss, as the panel plots and by itself).
        holds(ans(3), "10") { f in try lossesReachingFromLast(f) == [9, 10] },
        holds(ans(3), "0") { f in
            try (1...8).allSatisfy { s in try lastNorm(f.trace, s) == 0 && oneLoss(f, loss: 10)[s - 1] == 0 }
        },
        // "‖∂L9/∂h5‖ is exactly 0 (0.03 with full BPTT), and so is ∂L9/∂x5. Steps 5 and 9 lie in different chunks".
        holds(ans(4), "0") { f in try oneLoss(f, loss: 9)[4] == 0 && oneLossTrace(f, loss: 9).inputGradientNorms[4] == 0
        },
        claim(ans(4), "0.03") { f in try oneLoss(f, truncation: .full, loss: 9)[4] },
        holds(ans(4), "9") { f in try !gradientChunks(f).contains { $0.contains(5) && $0.contains(9) } },
        // "The losses at steps 6, 7 and 8".
        holds(ans(5), "7") { f in try lossesReaching(f, state: 6) == [6, 7, 8] },
        holds(ans(5), "8") { f in try lossesReaching(f, state: 6) == [6, 7, 8] },
        // "Only k ≥ 9: with k = 5 to 8 a cut still falls between steps 5 and 9 (before step 6, 7, 8 or 9),
        // and ∂L9/∂h5 stays exactly 0".
        holds(ans(6), "9") { f in
            try (1...10).allSatisfy { k in try (oneLoss(f, truncation: .of(k), loss: 9)[4] > 0) == (k >= 9) }
        },
        holds(ans(6), "5") { f in try (5...8).allSatisfy { k in try oneLoss(f, truncation: .of(k), loss: 9)[4] == 0 } },
        holds(ans(6), "8") { f in try (5...8).allSatisfy { k in try oneLoss(f, truncation: .of(k), loss: 9)[4] == 0 } },
        holds(ans(6), "9") { f in try cutBetweenFranceAndFrench(f) == [5: 6, 6: 7, 7: 8, 8: 9] },
        holds(ans(6), "7") { f in try Set(cutBetweenFranceAndFrench(f).values) == [6, 7, 8, 9] },
        holds(ans(6), "8") { f in try Set(cutBetweenFranceAndFrench(f).values) == [6, 7, 8, 9] },
        holds(ans(6), "9") { f in try Set(cutBetweenFranceAndFrench(f).values) == [6, 7, 8, 9] },
        holds(ans(6), "0") { f in try (5...8).allSatisfy { k in try oneLoss(f, truncation: .of(k), loss: 9)[4] == 0 } },
        // "Training updates the weights after each chunk, so chunk 2 runs with the weights chunk 1 updated; ...
        // one update per chunk that takes a loss, ⌈T/k⌉ when every step has one".
        holds(ans(7), "2") { f in try trainingUpdatesPerChunk(f) },
        holds(ans(7), "1") { f in try trainingUpdatesPerChunk(f) },
        // "proportional to the chunk length (4), not the sequence length (10)".
        claim(ans(8), "4") { f in Double(try gradientChunks(f).map(\.count).max() ?? 0) },
        claim(ans(8), "10") { Double($0.trace.columns) }
    ],
    "train-adding-lstm": addingClaims + addingAnswers,
    "train-adding-rnn": addingClaims + addingAnswers,
    "train-adding-gru": addingClaims + addingAnswers,
    "train-copy-lstm": copyClaims + copyAnswers,
    "train-copy-rnn": copyClaims + copyAnswers
        // train-chars: its captions state no number (the guard checks their step references against its 50 steps).
]

extension ClaimFacts {
    /// The lab results of the lesson's own model (for what `LabResults` derives, like the parameter count).
    static func results(_ f: ClaimFacts) throws -> LabResults { try rerun(Lab(lesson: f.lesson).compute()) }
}

// MARK: - Facts of the feedback, teacher and truncated lessons

private func failure(_ what: String) -> EngineError { EngineError(problems: [what]) }

/// The word fed back at each column of `t` (batch row 0), read off its one-hot: "0" for zeros, nil without
/// feedback, "?" for anything but a one-hot or zeros.
private func fed(_ t: Trace<Double>, _ lesson: Lesson) -> [String?] {
    t.fedBack.map { m in
        guard let m, m.rows > 0 else { return nil }
        let row = m.row(0)
        guard row.allSatisfy({ $0 == 0 || $0 == 1 }), row.reduce(0, +) <= 1 else { return "?" }
        return row.firstIndex(of: 1).map { $0 < lesson.vocabulary.count ? lesson.vocabulary[$0] : "?" } ?? "0"
    }
}

/// The word each column's output chooses (row 0's largest logit, by a plain scan).
private func chosenWords(_ t: Trace<Double>, _ lesson: Lesson) throws -> [String] {
    try t.outputs.map { y in
        guard let row = y?.row(0), !row.isEmpty else { throw failure("a column without output") }
        var best = 0
        for j in row.indices where row[j] > row[best] { best = j }
        return lesson.vocabulary[best]
    }
}

/// The probability of the target at 1-based `step`, by a softmax of the logits, when it is the chosen word; NaN else.
private func chosenOwnTarget(_ f: ClaimFacts, step: Int) throws -> Double {
    let c = step - 1, target = f.lesson.targetTokens[c]
    guard try chosenWords(f.trace, f.lesson)[c] == target, let y = f.trace.outputs[c]?.row(0),
        let k = f.lesson.vocabulary.firstIndex(of: target), let m = y.max()
    else { return .nan }
    let e = y.map { Foundation.exp($0 - m) }
    return e[k] / e.reduce(0, +)
}

/// A sentence the teacher and feedback lessons were never trained on ('are' left out), and its word-by-word targets.
private let heldOutSentence = (tokens: ["the", "clouds", "in", "the", "sky"], targets: ["les", "nuages", "dans", "le", "ciel"])

/// The 1-based steps at which lesson `name` (teacher or feedback) chooses the target on `heldOutSentence`.
private func heldOutRight(_ f: ClaimFacts, _ name: String) throws -> [Int] {
    guard var lesson = Lesson.builtin(named: name) else { throw failure("no lesson \(name)") }
    lesson.tokens = heldOutSentence.tokens
    lesson.targets = heldOutSentence.targets
    let t = try rerun(lesson.trace().1), chosen = try chosenWords(t, lesson)
    return chosen.indices.filter { chosen[$0] == heldOutSentence.targets[$0] }.map { $0 + 1 }
}

/// Whether the teacher lesson's states equal the feedback lesson's at every step (its choices are the targets).
/// The feedback lesson runs on the teacher's own weights (the two share a recipe): the same weights fed the same
/// one-hots give the same states to the bit, while the two committed files may differ in their last bits when one
/// was retrained on another OpenBLAS core.
private func sameStatesAsFeedback(_ f: ClaimFacts) throws -> Bool {
    guard var feedback = Lesson.builtin(named: "feedback") else { throw failure("no lesson feedback") }
    feedback.weights = f.lesson.weights
    let free = try ClaimFacts(feedback).trace, own = f.trace.layers[0].steps, theirs = free.layers[0].steps
    return try chosenWords(f.trace, f.lesson) == f.lesson.targetTokens && own.count == theirs.count
        && zip(own, theirs).allSatisfy { $0.hidden == $1.hidden }
}

/// The largest gap, over every step and class, between the trace's ∂L/∂y_t and softmax(y_t) − onehot(target)
/// computed here from the logits.
private func outputGradientGap(_ f: ClaimFacts) throws -> Double {
    var gap = 0.0
    for (c, target) in f.lesson.targetTokens.enumerated() {
        guard c < f.trace.columns, let y = f.trace.outputs[c]?.row(0), let g = f.trace.outputGradients[c]?.row(0),
            let k = f.lesson.vocabulary.firstIndex(of: target), y.count == g.count
        else { throw failure("step \(c + 1)") }
        let m = y.max() ?? 0, e = y.map { Foundation.exp($0 - m) }, sum = e.reduce(0, +)
        for j in y.indices { gap = max(gap, abs(e[j] / sum - (j == k ? 1 : 0) - g[j])) }
    }
    return gap
}

/// How the truncated lesson's gradient is cut: the lesson's own chunks, full BPTT, or chunks of k.
enum Chunking { case own, full, of(Int) }

/// The truncated lesson's pass with the loss at 1-based step `t` alone.
func oneLossTrace(_ f: ClaimFacts, truncation: Chunking = .own, loss t: Int) throws -> Trace<Double> {
    var lesson = f.lesson
    switch truncation {
    case .own: break
    case .full: lesson.truncation = nil
    case .of(let k): lesson.truncation = k
    }
    lesson.lossSteps = .only([t - 1])
    return try rerun(lesson.trace().1)
}

/// ‖∂L_t/∂h_s‖ at every state s (index s − 1), from the pass with the loss at step `t` alone.
func oneLoss(_ f: ClaimFacts, truncation: Chunking = .own, loss t: Int) throws -> [Double] {
    try oneLossTrace(f, truncation: truncation, loss: t).layers[0].steps.map(\.hiddenGradientNorm)
}

/// Whether the loss at step `t` reaches h_s with the lesson's chunks.
private func reaches(_ f: ClaimFacts, loss t: Int, state s: Int) throws -> Bool { try oneLoss(f, loss: t)[s - 1] > 0 }

/// The steps whose loss reaches h_s.
private func lossesReaching(_ f: ClaimFacts, state s: Int) throws -> [Int] {
    try (1...f.trace.columns).filter { try reaches(f, loss: $0, state: s) }
}

/// The states the last loss reaches, read from the panel's ‖∂L_T/∂h‖ and from the last loss alone; empty if they disagree.
private func lossesReachingFromLast(_ f: ClaimFacts) throws -> [Int] {
    let n = f.trace.columns, alone = try oneLoss(f, loss: n)
    let panel = (1...n).filter { lastNorm(f.trace, $0) > 0 }
    return panel == (1...n).filter { alone[$0 - 1] > 0 } ? panel : []
}

/// The chunks as the gradient shows them: the loss at step t reaches exactly the states from its chunk's first
/// step to t. Throws when some loss reaches a set of states that is not such a run.
private func gradientChunks(_ f: ClaimFacts) throws -> [ClosedRange<Int>] {
    var chunks: [ClosedRange<Int>] = []
    for t in 1...f.trace.columns {
        let norms = try oneLoss(f, loss: t)
        let reached = (1...f.trace.columns).filter { norms[$0 - 1] > 0 }
        guard let first = reached.first, reached == Array(first...t) else { throw failure("L\(t) reaches \(reached)") }
        if let last = chunks.last, last.lowerBound == first {
            chunks[chunks.count - 1] = first...t
        } else {
            chunks.append(first...t)
        }
    }
    return chunks
}

/// Whether the cuts the views draw (`truncationCuts`, 0-based columns) fall before each chunk's first step.
private func cutsFollowChunks(_ f: ClaimFacts) throws -> Bool {
    try f.trace.truncationCuts == gradientChunks(f).dropFirst().map { $0.lowerBound - 1 }
}

/// Whether the forward pass with cuts is the one without (h carried across a cut as a value).
private func forwardAsWithoutCuts(_ f: ClaimFacts) throws -> Bool {
    var full = f.lesson
    full.truncation = nil
    let a = f.trace.layers[0].steps, b = try rerun(full.trace().1).layers[0].steps
    return a.count == b.count && zip(a, b).allSatisfy { $0.hidden == $1.hidden }
}

/// Steps from reading 'France' to predicting 'French'.
private func franceToFrench(_ f: ClaimFacts) throws -> Int {
    guard let read = f.lesson.tokens.firstIndex(of: "France"),
        let predicted = f.lesson.targetTokens.firstIndex(of: "French")
    else {
        throw failure("no France or French")
    }
    return predicted - read
}

/// For chunks of k = 5 to 8: the step the cut between steps 5 and 9 falls before, read from where the loss at
/// step 9 stops (the first state it reaches), and drawn there.
private func cutBetweenFranceAndFrench(_ f: ClaimFacts) throws -> [Int: Int] {
    var before: [Int: Int] = [:]
    for k in 5...8 {
        let t = try oneLossTrace(f, truncation: .of(k), loss: 9)
        guard let first = t.layers[0].steps.firstIndex(where: { $0.hiddenGradientNorm > 0 }),
            t.truncationCuts.filter({ (5...8).contains($0) }) == [first]
        else { throw failure("chunks of \(k)") }
        before[k] = first + 1
    }
    return before
}

/// Whether the one pass shows the sum of every chunk's gradient for one set of weights: each ∂L/∂h_s of the
/// lesson's trace is the sum of the per-loss gradients, to 1e-12 relative.
private func chunksSummed(_ f: ClaimFacts) throws -> Bool {
    let n = f.trace.columns
    var sums = f.trace.layers[0].steps.map { [Double](repeating: 0, count: $0.hiddenGradient.storage.count) }
    for t in 1...n {
        let steps = try oneLossTrace(f, loss: t).layers[0].steps
        for s in 0..<n { sums[s] = zip(sums[s], steps[s].hiddenGradient.storage).map { $0 + $1 } }
    }
    return f.trace.layers[0].steps.enumerated().allSatisfy { s, step in
        let d = zip(step.hiddenGradient.storage, sums[s]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        return d <= 1e-12 * max(step.hiddenGradient.norm, 1e-300)
    }
}

/// Whether training with the lesson's truncation makes one update per chunk, ⌈T/k⌉ for T steps each with a
/// loss, and runs the later chunks with updated weights: the iteration's loss (each chunk's, measured before
/// its own update) differs from the same batch's loss with the weights fixed, which a learning rate of 1e-15
/// reproduces to 1e-10. Checked on a small regression task of the lesson's length (a loss at every step), SGD.
private func trainingUpdatesPerChunk(_ f: ClaimFacts) throws -> Bool {
    guard let k = f.lesson.truncation else { return false }
    let n = f.trace.columns, task = TrainingTask(kind: .noisySine, length: n)
    let model = Model<Double>(spec: task.spec(cell: .rnn, hiddenSize: 6), seed: 8)
    func iteration(learningRate: Double) throws -> IterationRecord {
        var trainer = Trainer(
            model: model, task: task,
            settings: TrainingSettings(
                optimizer: .sgd(), learningRate: learningRate, truncation: k, batchSize: 2), seed: 3)
        return try trainer.step()
    }
    var generator = SeededGenerator(seed: 3) // the trainer's stream of batches
    let batch: Sample<Double> = task.batch(size: 2, generator: &generator)
    let fixed = try rerun(Engine.run(model: model, sample: batch, options: task.runOptions(truncation: k))).loss
    let updating = try iteration(learningRate: 0.5), still = try iteration(learningRate: 1e-15)
    let chunks = n / k + (n % k == 0 ? 0 : 1)
    return updating.updates == chunks && abs(still.loss * Double(n) - fixed) <= 1e-10 * abs(fixed)
        && abs(updating.loss * Double(n) - fixed) > 1e-6
}

// MARK: - Facts of the training lessons' tasks

/// The lesson's training task.
private func task(_ f: ClaimFacts) throws -> TrainingTask {
    guard let task = f.lesson.training?.task else { throw failure("\(f.lesson.name) is not a training lesson") }
    return task
}

/// A large batch from the task's generator, for statements about the task rather than the one example.
private func largeBatch(_ f: ClaimFacts) throws -> Sample<Double> {
    var generator = SeededGenerator(seed: 20_240_612)
    return try task(f).batch(size: 4096, generator: &generator)
}

/// The example the lesson unrolls (its inputs are the trace's; the targets come with the run).
private func example(_ f: ClaimFacts) -> Sample<Double> { f.lesson.materialize(as: Double.self).sample }

/// Whether every sequence reads values in [0, 1) and exactly two markers, one in each half: the example of the
/// trace and a large batch of the task.
private func addingInputsHold(_ f: ClaimFacts) throws -> Bool {
    let n = f.trace.columns
    func holds(_ inputs: [Matrix<Double>], rows: Int) -> Bool {
        inputs.count == n
            && (0..<rows).allSatisfy { b in
                let marked = (0..<n).filter { inputs[$0][b, 1] != 0 }
                return (0..<n).allSatisfy { (0..<1).contains(inputs[$0][b, 0]) && [0, 1].contains(inputs[$0][b, 1]) }
                    && marked.count == 2 && marked[0] < n / 2 && marked[1] >= n / 2
            }
    }
    let own = f.trace.inputs.compactMap { $0 }, batch = try largeBatch(f)
    return holds(own, rows: 1) && holds(batch.inputs, rows: batch.inputs.first?.rows ?? 0)
}

/// Whether the example answers only at its last step, the sum of its two marked values, and 1 is the best
/// constant answer of the task: over a large batch the sum's mean is 1 (±0.02), answering 1 scores
/// about 1/6 (±0.015) and beats answering 0.9 or 1.1.
private func answeringOneIsBest(_ f: ClaimFacts) throws -> Bool {
    let n = f.trace.columns, own = example(f), batch = try largeBatch(f)
    guard case .values(let y) = own.targets, case .values(let big) = batch.targets, let last = y.last,
        let sums = big.last
    else { return false }
    let marked = (0..<n).filter { own.inputs[$0][0, 1] != 0 }
    let sumOfMarked = marked.map { own.inputs[$0][0, 0] }.reduce(0, +)
    guard f.trace.lossColumns == [n - 1], abs(last[0, 0] - sumOfMarked) < 1e-12 else { return false }
    let s = sums.storage, count = Double(s.count)
    func mse(_ answer: Double) -> Double { s.map { (answer - $0) * (answer - $0) }.reduce(0, +) / count }
    return abs(s.reduce(0, +) / count - 1) < 0.02 && abs(mse(1) - 1.0 / 6) < 0.015 && mse(1) < mse(0.9)
        && mse(1) < mse(1.1)
}

/// E[(1 − u − v)²] for u, v uniform on [0, 1), by the midpoint rule on a 400 × 400 grid.
private func addingMSEOfAnsweringOne() -> Double {
    let n = 400
    var sum = 0.0
    for i in 0..<n {
        for j in 0..<n {
            let d = 1 - (Double(i) + 0.5) / Double(n) - (Double(j) + 0.5) / Double(n)
            sum += d * d
        }
    }
    return sum / Double(n * n)
}

/// The class each step of batch row `b` reads.
private func readClasses(_ inputs: [Matrix<Double>], row b: Int = 0) -> [Int] {
    inputs.map { m in (0..<m.cols).first { m[b, $0] == 1 } ?? -1 }
}

/// Whether the example reads ten symbols from 1…8, blanks, ':' at step T + 10 and blanks again, and the task's
/// symbols are exactly the 8 classes 1…8.
private func copySymbols(_ f: ClaimFacts) throws -> Bool {
    let t = try task(f), read = readClasses(f.trace.inputs.compactMap { $0 }), batch = try largeBatch(f)
    guard read.count == t.length + 20, t.classNames.count == 10, t.classNames[9] == ":" else { return false }
    let symbols = Set((0..<batch.inputs[0].rows).flatMap { readClasses(Array(batch.inputs[0..<10]), row: $0) })
    return read[0..<10].allSatisfy { (1...8).contains($0) } && symbols == Set(1...8)
        && read[10...].enumerated().allSatisfy { $1 == ($0 == t.length - 1 ? 9 : 0) }
}

/// The entropy of the symbol to be copied at each of the last ten steps, over a large batch: what a guess
/// without memory scores at best.
private func copyEntropy(_ f: ClaimFacts) throws -> Double {
    guard case .classes(let c) = try largeBatch(f).targets else { throw failure("copy memory has classes") }
    let copied = c.suffix(10).flatMap { $0 }
    var counts: [Int: Double] = [:]
    for k in copied { counts[k, default: 0] += 1 }
    return counts.values.map { -$0 / Double(copied.count) * Foundation.log($0 / Double(copied.count)) }.reduce(0, +)
}

/// Whether every step has a loss and the target at step 20 + k is the symbol read at step k (k = 1…10).
private func copiedFrom20Back(_ f: ClaimFacts) throws -> Bool {
    guard case .classes(let c) = example(f).targets else { return false }
    let read = readClasses(f.trace.inputs.compactMap { $0 })
    return f.trace.lossColumns == Array(0..<f.trace.columns) && c.count == read.count
        && (1...10).allSatisfy { c[20 + $0 - 1][0] == read[$0 - 1] }
}

/// The adding lessons' claims.
private let addingClaims: [Claim] = [
    // "Each step reads a value in [0, 1) and a marker; * marks the two values to add, one in each half."
    holds(cap(fwd, 1), "0") { try addingInputsHold($0) },
    holds(cap(fwd, 1), "1") { try addingInputsHold($0) },
    // "Only the last step answers: the sum of the two marked values. Always answering 1 scores MSE 1/6."
    holds(cap(fwd, 50), "1") { try answeringOneIsBest($0) },
    about(cap(fwd, 50), "1/6", within: 1e-4) { _ in addingMSEOfAnsweringOne() }
]

/// The copy-memory lessons' claims.
private let copyClaims: [Claim] = [
    // "Steps 1–10 read ten symbols from 8; then blanks; the ':' at step 20 asks for the copy."
    holds(cap(fwd, 1), "8") { try copySymbols($0) },
    // "Without memory the best is a guess: ln 8 each": the copied symbol's entropy is ln 8, e^H = 8.
    about(cap(fwd, 21), "8", within: 0.01) { try Foundation.exp(copyEntropy($0)) },
    // "Every step has a loss; the copied symbols' gradients must reach steps 1–10, 20 steps back."
    holds(cap(bwd, 30), "20") { try copiedFrom20Back($0) }
]

/// The adding worksheets' answers (docs/labs/train-adding-*.md share their numbering).
private let addingAnswers: [Claim] = [
    // "A value in [0, 1) and a marker; the marker (*) picks the two values to add, one in the first half and one in the second."
    holds(ans(1), "0") { try addingInputsHold($0) },
    holds(ans(1), "1") { try addingInputsHold($0) },
    // "Always answering 1, the mean of the sum, scores MSE 1/6."
    holds(ans(3), "1") { try answeringOneIsBest($0) },
    about(ans(3), "1/6", within: 1e-4) { _ in addingMSEOfAnsweringOne() }
]

/// The copy-memory worksheets' answers (docs/labs/train-copy-*.md share their numbering).
private let copyAnswers: [Claim] = [
    // "guess among the 8 symbols: ln 8 per copied symbol".
    holds(ans(3), "8") { try copySymbols($0) },
    about(ans(3), "8", within: 0.01) { try Foundation.exp(copyEntropy($0)) },
    // "From the copy steps back to steps 1–10: 20 steps for each symbol."
    holds(ans(5), "20") { try copiedFrom20Back($0) }
]

// MARK: - Reading the numbers a text states

/// A number as written: the numeral and whether it names a step.
struct StatedNumber: Equatable {
    var text: String
    var isStep: Bool
}

private let numeral = try? NSRegularExpression(
    pattern:
        #"(?<![\p{L}\p{N}_{.'/^\\])(?<![\p{L}][-+−])\d+(?:\.\d+)?(?:e-?\d+)?(?:/\d+)?[⁰¹²³⁴⁵⁶⁷⁸⁹]*(?![\p{L}\p{N}_])"#)

/// The numbers a caption or answer states (see the file's header for what counts).
func statedNumbers(in text: String) -> [StatedNumber] {
    guard let numeral else { return [] }
    let ns = text as NSString
    return numeral.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
        let n = ns.substring(with: m.range)
        let before = ns.substring(to: m.range.location), after = ns.substring(from: m.range.location + m.range.length)
        if before.range(of: #"[Ss]teps? (\d+[–-])?$"#, options: .regularExpression) != nil {
            return StatedNumber(text: n, isStep: true)
        }
        if (n == "0" || n == "1") && (after.hasPrefix(" − ") || after.hasPrefix(" + ")) { return nil }
        return StatedNumber(text: n, isStep: false)
    }
}

/// The value of a numeral as written ("1/4", "3.24/4", "2.5⁷", "8e4"), and half a unit of its last digit.
func valueOf(_ written: String) -> (value: Double, halfUnit: Double)? {
    let superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    var base = written, power = ""
    while let last = base.last, let i = superscripts.firstIndex(of: last) {
        power = String(superscripts.distance(from: superscripts.startIndex, to: i)) + power
        base.removeLast()
    }
    let parts = base.split(separator: "/")
    guard let first = parts.first, let mantissa = Double(first) else { return nil }
    let pieces = String(first).components(separatedBy: "e")
    let decimals = pieces[0].components(separatedBy: ".")
    let digits = decimals.count == 2 ? decimals[1].count : 0
    let exponent = pieces.count == 2 ? Double(pieces[1]) ?? 0 : 0
    var value = mantissa, half = 0.5 * Foundation.pow(10, -Double(digits) + exponent)
    if parts.count == 2, let d = Double(parts[1]) {
        value /= d
        half /= d
    }
    // A power p of a written base: half a unit of the base moves the value by about p·base^(p−1) of it.
    if let p = Double(power) {
        half *= p * Foundation.pow(value, p - 1)
        value = Foundation.pow(value, p)
    }
    return (value, half)
}

// MARK: - The texts

private func repositoryFile(_ path: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(path)
}

/// Every place of a lesson that states something: its captions and its worksheet's answers.
func statedTexts(of lesson: Lesson) -> [(ClaimPlace, String)] {
    // A caption's question (its text, choices and why) is on screen at the caption's step: its numbers count there.
    var texts = lesson.captions.map { c in
        (
            c.inputIndex == 0
                ? ClaimPlace.caption(c.phase, c.step + 1) : ClaimPlace.inputCaption(c.inputIndex + 1, c.phase, c.step + 1),
            ([c.text] + (c.question.map { [$0.text] + $0.choices + [$0.why] } ?? [])).joined(separator: " ")
        )
    }
    if let sheet = try? String(contentsOf: repositoryFile("docs/labs/\(lesson.name).md"), encoding: .utf8),
        let key = sheet.components(separatedBy: "## Answer key").dropFirst().first
    {
        for line in key.split(separator: "\n") {
            guard let dot = line.firstIndex(of: "."), let n = Int(line[..<dot]) else { continue }
            texts.append((.answer(n), String(line[line.index(after: dot)...])))
        }
    }
    return texts
}

// MARK: - Tests

@Test(
    "The claims table: every number a caption or answer states holds for the trace it describes",
    arguments: claimTable.keys.sorted())
func claimsHold(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    for failure in try falseClaims(of: lesson) { Issue.record(Comment(rawValue: failure)) }
}

/// The rows of `lesson.name` in the claims table that do not hold for `lesson` (its own weights, or others given
/// to it), each as a message naming the place and the number.
func falseClaims(of lesson: Lesson) throws -> [String] {
    try checkedClaims(of: lesson).compactMap(\.failure)
}

/// Every row of `lesson.name` checked against `lesson`: what its check derived the value from (nil for a
/// definition) and, when it does not hold, why.
func checkedClaims(of lesson: Lesson) throws -> [(claim: Claim, kind: ClaimReads.Kind?, failure: String?)] {
    let name = lesson.name
    let facts = try ClaimFacts(lesson)
    return try (claimTable[name] ?? []).map { c in
        let reads = ClaimReads()
        let failure: String? = try ClaimReads.$current.withValue(reads) {
            switch c.check {
            case .definition(let reason):
                return reason.count < 20 ? "\(name) \(c.place): the definition of \(c.number) needs its reason" : nil
            case .holds(let statement):
                return try statement(facts) ? nil : "\(name) \(c.place): the statement with \(c.number) does not hold"
            case .value(let relative, let value):
                guard let written = valueOf(c.number) else { return "\(name) \(c.place): \(c.number) is not a number" }
                let actual = try value(facts)
                let ok =
                    relative.map { abs(actual - written.value) <= $0 * abs(written.value) }
                    ?? (abs(actual - written.value) <= written.halfUnit * 1.0001 + 1e-12)
                return ok ? nil : "\(name) \(c.place): says \(c.number), the trace gives \(actual)"
            }
        }
        if case .definition = c.check { return (c, nil, failure) }
        return (c, reads.kind, failure)
    }
}

@Test("The claims report: checked claims by what they are derived from, and definitions apart, each with its reason")
func claimsReport() throws {
    var kinds: [ClaimReads.Kind: Int] = [:]
    var definitions: [String] = []
    for name in claimTable.keys.sorted() {
        let lesson = try #require(Lesson.builtin(named: name))
        for row in try checkedClaims(of: lesson) {
            if let kind = row.kind { kinds[kind, default: 0] += 1 }
            if case .definition(let reason) = row.claim.check {
                definitions.append("\(name) \(row.claim.place) \(row.claim.number): \(reason)")
            }
        }
    }
    let checked = kinds.values.reduce(0, +)
    let lines =
        ["claims: \(checked) checked, \(definitions.count) definitions"]
        + ClaimReads.Kind.allCases.map { "  \(kinds[$0, default: 0]) from \($0)" }
        + definitions.map { "  definition: \($0)" }
    print(lines.joined(separator: "\n"))
    // Every kind of derivation is used, and definitions stay few: a number is a claim unless shown otherwise.
    #expect(ClaimReads.Kind.allCases.allSatisfy { kinds[$0, default: 0] > 0 }, "\(kinds)")
    #expect(
        !definitions.isEmpty && definitions.count * 10 < checked, "\(definitions.count) definitions, \(checked) checked"
    )
}

@Test("σmax by power iteration in the claims equals the engine's LAPACK value for every lesson's first W_hh block")
func powerIterationSigmaMax() throws {
    var compared = 0
    for lesson in Lesson.builtin where lesson.training == nil {
        let trace = try ClaimFacts(lesson).trace
        guard let engine = trace.recurrent.first?.largestSingularValue, trace.parameterNames.contains("weight_hh_l0")
        else { continue }
        #expect(
            abs(sigmaMax(trace) - engine) <= 1e-6 * max(1, engine),
            "\(lesson.name): \(sigmaMax(trace)) against \(engine)")
        compared += 1
    }
    #expect(compared >= 25)
}

@Test("A claim's kind is what its check read: nothing, the lesson, its trace, or a second run")
func claimKinds() throws {
    let lesson = try #require(Lesson.builtin(named: "vanishing"))
    let facts = try ClaimFacts(lesson)
    func kind(_ check: (ClaimFacts) throws -> Void) rethrows -> ClaimReads.Kind {
        let reads = ClaimReads()
        try ClaimReads.$current.withValue(reads) { try check(facts) }
        return reads.kind
    }
    #expect(kind { _ in _ = Foundation.tanh(1.7) } == .byHand)
    #expect(kind { _ = $0.lesson.vocabulary.count } == .lessonFile)
    #expect(kind { _ = $0.trace.loss } == .trace)
    #expect(try kind { _ = try $0.scaled(1).loss } == .secondRun)
    #expect(
        try kind {
            _ = try other("tanh").loss
            _ = $0.trace.loss
        } == .secondRun)
    #expect(try kind { f in _ = try rerun(f.lesson.trace()) } == .secondRun)
}

/// The numbers a lesson states that no row covers, rows whose number is not stated, and step references
/// outside the lesson.
func uncoveredClaims(_ lesson: Lesson, columns: Int) -> [String] {
    var problems: [String] = []
    let rows = claimTable[lesson.name] ?? []
    for (place, text) in statedTexts(of: lesson) {
        let stated = statedNumbers(in: text)
        // A held-out input's caption names steps of that input.
        var steps = columns
        if case .inputCaption(let k, _, _) = place { steps = lesson.input(k - 1).stepCount }
        for s in stated where s.isStep {
            if !((Int(s.text) ?? 0) >= 1 && (Int(s.text) ?? 0) <= steps) {
                problems.append("\(place): step \(s.text) of \(columns)")
            }
        }
        let numbers = stated.filter { !$0.isStep }.map(\.text)
        let tabled = rows.filter { $0.place == place }.map(\.number)
        if numbers.sorted() != tabled.sorted() {
            problems.append("\(place): states \(numbers), the claims table checks \(tabled): \(text)")
        }
    }
    let places = Set(statedTexts(of: lesson).map(\.0))
    for r in rows where !places.contains(r.place) {
        problems.append("\(r.place): no such caption or answer (row \(r.number))")
    }
    return problems
}

@Test(
    "No caption or answer states a number the claims table does not check",
    arguments: Lesson.builtin.map(\.name))
func everyStatedNumberIsChecked(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let columns = try lesson.trace().1.columns
    for problem in uncoveredClaims(lesson, columns: columns) { Issue.record("\(name) \(problem)") }
}

@Test("Every built-in lesson has rows in the claims table, and every row names a built-in lesson")
func everyLessonIsTabled() {
    let names = Set(Lesson.builtin.map(\.name))
    #expect(names.count == 44)
    // A lesson whose texts state no number has no rows; every other lesson must have some.
    for lesson in Lesson.builtin
    where statedTexts(of: lesson).contains(where: { !statedNumbers(in: $0.1).filter { !$0.isStep }.isEmpty }) {
        #expect(claimTable[lesson.name]?.isEmpty == false, "\(lesson.name) states numbers but has no claims rows")
    }
    for name in claimTable.keys {
        #expect(names.contains(name), "claims rows for '\(name)', which is not a built-in lesson")
    }
}

@Test("The reader of numbers: values, not indices, formula constants or steps")
func statedNumberReading() throws {
    let found = statedNumbers(
        in: "Step 5: h_{t-3}, ∂L6/∂h1 and y1..y5 give 0.935, 1/4 and 2.5⁷ ≈ 610; (1 − z) ⊙ n; 18% of 8e4; steps 1–10")
    #expect(
        found == [
            StatedNumber(text: "5", isStep: true), StatedNumber(text: "0.935", isStep: false),
            StatedNumber(text: "1/4", isStep: false), StatedNumber(text: "2.5⁷", isStep: false),
            StatedNumber(text: "610", isStep: false), StatedNumber(text: "18", isStep: false),
            StatedNumber(text: "8e4", isStep: false), StatedNumber(text: "1", isStep: true),
            StatedNumber(text: "10", isStep: true)
        ])
    let quarter = try #require(valueOf("3.24/4")), power = try #require(valueOf("2.5⁷")),
        tiny = try #require(valueOf("1.6e-3"))
    #expect(abs(quarter.value - 0.81) < 1e-12 && abs(quarter.halfUnit - 0.00125) < 1e-12)
    #expect(abs(power.value - 610.3515625) < 1e-9)
    #expect(abs(tiny.value - 0.0016) < 1e-15 && abs(tiny.halfUnit - 0.00005) < 1e-15)
}

/// Whether every step and unit of the first layer of a GRU trace obeys PyTorch's update h = (1 − z) ⊙ n + z ⊙ h_{t-1}
/// or, with `notes`, the notes' h = (1 − z') ⊙ h_{t-1} + z' ⊙ n with z' = 1 − z, to 1e-12; false for no steps.
private func gruUpdateHolds(_ trace: Trace<Double>, notes: Bool = false) -> Bool {
    guard let layer = trace.layers.first, !layer.steps.isEmpty else { return false }
    var previous = layer.initialHidden.row(0)
    for step in layer.steps {
        guard step.gates.count == 3 else { return false }
        let z = step.gates[1].row(0), n = step.gates[2].row(0), h = step.hidden.row(0)
        for u in h.indices {
            let expected =
                notes ? (1 - (1 - z[u])) * previous[u] + (1 - z[u]) * n[u] : (1 - z[u]) * n[u] + z[u] * previous[u]
            if abs(h[u] - expected) > 1e-12 { return false }
        }
        previous = h
    }
    return true
}
