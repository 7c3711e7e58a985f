import UnrollEngine
import UnrollSupport
import UnrollTraining

extension TrainingWorker {
    /// The worker thread's own state: the models, their latest examples, and the timing of redraws and rates.
    struct Loop: Sendable {
        var contenders: [any TrainingContender]
        let template: TrainingSnapshot
        let onChange: @Sendable () -> Void
        var examples: [TrainingExample?]
        var exampleIterations: [Int]
        var lastExample = ContinuousClock.now
        var lastRedraw = ContinuousClock.now
        var rates: [(at: ContinuousClock.Instant, iteration: Int)] = []
        /// Why the last iteration failed; training waits for a restart.
        var failure: String?

        init(contenders: [any TrainingContender], template: TrainingSnapshot, onChange: @escaping @Sendable () -> Void)
        {
            self.contenders = contenders
            self.template = template
            self.onChange = onChange
            examples = contenders.map { try? $0.example() }
            exampleIterations = contenders.map { _ in 0 }
        }

        /// Runs iterations as `shared.control` asks, publishing into `shared`, until `shared.stopping`.
        mutating func run(_ shared: Monitor<Shared>) {
            var seenSteps = 0, seenRestarts = 0
            while let c = shared.withLock({ $0.stopping ? nil : $0.control }) {
                if c.restarts > seenRestarts {
                    seenRestarts = c.restarts
                    for i in contenders.indices { contenders[i].restart(seed: UInt64(seenRestarts)) }
                    failure = nil
                    examples = contenders.map { try? $0.example() }
                    exampleIterations = contenders.map { _ in 0 }
                    rates = []
                    publish(c.paused ? .paused : .running, to: shared, redraw: true)
                    continue
                }
                let done = contenders.allSatisfy { $0.history.count >= template.iterations }
                let wantsStep = c.stepRequests > seenSteps
                if failure != nil || done || (c.paused && !wantsStep) {
                    seenSteps = c.stepRequests
                    refreshExamples()
                    publish(
                        failure.map { .failed($0) } ?? (done ? .finished : .paused), to: shared, redraw: true,
                        settledOn: c)
                    shared.wait(until: { $0.stopping || $0.control != c }) { $0.settled = false }
                    continue
                }
                if wantsStep { seenSteps += 1 }
                do {
                    for i in contenders.indices where contenders[i].history.count < template.iterations {
                        _ = try contenders[i].step(learningRate: c.learningRate, clipping: c.clipping)
                    }
                } catch {
                    failure = "training stopped: \(error)"
                    continue
                }
                let now = ContinuousClock.now
                if wantsStep || now - lastExample >= TrainingWorker.exampleInterval { refreshExamples() }
                publish(
                    wantsStep ? .paused : .running, to: shared,
                    redraw: wantsStep || now - lastRedraw >= TrainingWorker.redrawInterval)
                // A speed limit: the next iteration waits its turn, or for the control to change (pause, faster…).
                if let rate = c.iterationsPerSecond, rate > 0, !wantsStep {
                    _ = shared.wait(
                        until: { $0.stopping || $0.control != c }, deadline: now + .seconds(1 / rate), then: { _ in })
                }
            }
        }

        /// Recomputes the examples of the models that trained since theirs was computed.
        mutating func refreshExamples() {
            for (i, x) in contenders.enumerated() where exampleIterations[i] != x.history.count || examples[i] == nil {
                examples[i] = try? x.example()
                exampleIterations[i] = x.history.count
            }
            lastExample = .now
        }

        /// The template with every model's history and example, in `state`.
        mutating func snapshot(state: TrainingSnapshot.State) -> TrainingSnapshot {
            var s = template
            s.state = state
            let n = contenders.first?.history.count ?? 0
            let now = ContinuousClock.now
            rates.append((now, n))
            while let first = rates.first, now - first.at > .seconds(2), rates.count > 2 { rates.removeFirst() }
            var rate = 0.0
            if let first = rates.first, n > first.iteration {
                let dt = (now - first.at) / .seconds(1)
                rate = dt > 0 ? Double(n - first.iteration) / dt : 0
            }
            s.runs = contenders.enumerated().map { i, x in
                TrainingSnapshot.Run(
                    label: x.label, points: x.history.map(TrainingSnapshot.Point.init),
                    example: examples[i], exampleIteration: exampleIterations[i],
                    iterationsPerSecond: state == .running ? rate : 0, seconds: x.history.last?.seconds ?? 0)
            }
            return s
        }

        /// Publishes a snapshot in `state`, marking the worker settled when `settledOn` is still the control;
        /// then calls `onChange` if `redraw`.
        mutating func publish(
            _ state: TrainingSnapshot.State, to shared: Monitor<Shared>, redraw: Bool,
            settledOn control: TrainingControl? = nil
        ) {
            let s = snapshot(state: state)
            shared.withLock {
                $0.published = s
                if let control, $0.control == control { $0.settled = true }
            }
            if redraw {
                lastRedraw = .now
                onChange()
            }
        }
    }
}
