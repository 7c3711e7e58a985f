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
        /// Each model's samples, oldest first.
        var samples: [[TrainingSample]]
        /// The iteration, temperature and prime of the last samples; nil before the first.
        var sampled: (iteration: Int, temperature: Double, prime: String)?
        /// When the last samples were written, and how long writing them took.
        var lastSample = ContinuousClock.now
        var sampleCost = Duration.zero

        init(contenders: [any TrainingContender], template: TrainingSnapshot, onChange: @escaping @Sendable () -> Void)
        {
            self.contenders = contenders
            self.template = template
            self.onChange = onChange
            examples = contenders.map { try? $0.example() }
            exampleIterations = contenders.map { _ in 0 }
            samples = contenders.map { _ in [] }
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
                    samples = contenders.map { _ in [] }
                    sampled = nil
                    rates = []
                    publish(c.paused ? .paused : .running, to: shared, redraw: true)
                    continue
                }
                let done = contenders.allSatisfy { $0.history.count >= template.iterations }
                let wantsStep = c.stepRequests > seenSteps
                if failure != nil || done || (c.paused && !wantsStep) {
                    seenSteps = c.stepRequests
                    refreshExamples()
                    if samplesDue(c, running: false) { writeSamples(c) }
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
                if samplesDue(c, running: true) { writeSamples(c) }
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

        /// Whether to write samples now: never unless the task is characters and `control.samples`; at once when
        /// there are none yet or the temperature or prime changed; when idle (`running` false), when the weights
        /// changed since; while training, every `sampleEvery` iterations or `sampleSeconds`, whichever comes
        /// first, but only once the time since the last samples is at least `sampleBudget` times what writing
        /// them took, so samples take at most 1 / (1 + `sampleBudget`) of the time.
        func samplesDue(_ control: TrainingControl, running: Bool) -> Bool {
            guard control.samples, template.vocabulary != nil else { return false }
            guard let last = sampled else { return true }
            if last.temperature != control.temperature || last.prime != control.prime { return true }
            let n = contenders.first?.history.count ?? 0
            guard n != last.iteration else { return false }
            guard running else { return true }
            let since = ContinuousClock.now - lastSample
            guard since >= sampleCost * TrainingWorker.sampleBudget else { return false }
            return n - last.iteration >= TrainingWorker.sampleEvery || since >= TrainingWorker.sampleSeconds
        }

        /// Every model writes `sampleLength` characters with its current weights, at the control's temperature and
        /// prime; the last `samplesKept` of each are kept.
        mutating func writeSamples(_ control: TrainingControl) {
            let start = ContinuousClock.now
            for (i, x) in contenders.enumerated() {
                let text = try? x.sample(
                    prime: control.prime, temperature: control.temperature, length: TrainingWorker.sampleLength)
                guard let text = text ?? nil else { continue }
                samples[i].append(
                    TrainingSample(
                        iteration: x.history.count, temperature: control.temperature, prime: control.prime, text: text))
                if samples[i].count > TrainingWorker.samplesKept { samples[i].removeFirst() }
            }
            sampled = (contenders.first?.history.count ?? 0, control.temperature, control.prime)
            lastSample = .now
            sampleCost = lastSample - start
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
                    iterationsPerSecond: state == .running ? rate : 0, seconds: x.history.last?.seconds ?? 0,
                    samples: samples[i])
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
