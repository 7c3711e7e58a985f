import Testing
import UnrollLessons
import UnrollTraining

@Test(
    "The recent loss averages a tenth of the history plus one, at most 50 iterations",
    arguments: [(1, 1), (9, 1), (10, 2), (19, 2), (25, 3), (489, 49), (490, 50), (10_000, 50)])
func recentLossWindow(_ iterations: Int, _ averaged: Int) {
    #expect(RecentLoss.window(iterations) == averaged)
}

@Test("The recent loss of 25 iterations is the mean of the last 3, accuracy over those that have one")
func recentLossByHand() throws {
    // Losses 1, 2, …, 25; accuracy 0.5 at iteration 24, 1 at 25, none elsewhere. By hand: the last 25 / 10 + 1 = 3
    // iterations, losses (23 + 24 + 25) / 3 = 24, accuracies (0.5 + 1) / 2 = 0.75 (iteration 23 has none).
    let accuracy: [Int: Double] = [24: 0.5, 25: 1]
    let records = (1...25).map { i in
        IterationRecord(
            iteration: i, loss: Double(i), accuracy: accuracy[i], gradientNormBefore: 1, gradientNormAfter: 1,
            learningRate: 0.01, seconds: Double(i))
    }
    let headless = try #require(RecentLoss(records))
    #expect(headless.loss == 24 && headless.accuracy == 0.75 && headless.count == 3)
    let view = try #require(RecentLoss(records.map(TrainingSnapshot.Point.init)))
    #expect(view == headless)
    // Without accuracies, none; without iterations, no recent loss at all.
    let plain = try #require(
        RecentLoss(
            records.map {
                var r = $0
                r.accuracy = nil
                return r
            }))
    #expect(plain.loss == 24 && plain.accuracy == nil)
    #expect(RecentLoss([IterationRecord]()) == nil)
}
