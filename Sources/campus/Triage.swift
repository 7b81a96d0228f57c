import ArgumentParser
import CampusKit
import Foundation
import TriageKit
import TriageTraining

struct Triage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train, evaluate and time the maintenance ticket triage model.",
        discussion: """
            Run from the repository root: the data set and the model file are read and written at \
            their committed paths unless --data/--model say otherwise.

            Examples:
              campus triage train     retrain and write the committed model file
              campus triage eval      the outside test set, then 5-fold cross-validation
              campus triage explain "title" "description" "location"
                                      what the shipped engine makes of one ticket, and why
              campus triage bench     time one triage of the shipped model
            """,
        subcommands: [Train.self, Evaluate.self, Explain.self, Bench.self]
    )

    struct DataOption: ParsableArguments {
        @Option(help: "The labelled tickets, JSON Lines.")
        var data: String = LabelledTicket.repositoryPath

        func load() throws -> [LabelledTicket] { try Self.load(data) }

        static func load(_ path: String) throws -> [LabelledTicket] {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("Cannot read \(path). Run from the repository root or pass --data and --outside.")
            }
            do {
                return try LabelledTicket.parse(jsonLines: contents)
            } catch {
                throw ValidationError("\(path): \(error)")
            }
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train on the whole data set and write the model file.")
        @OptionGroup var source: DataOption
        @Option(help: "Where to write the model.")
        var model: String = TriageModel.repositoryPath

        func run() throws {
            let examples = try source.load()
            let trained = TriageTrainer.train(examples: examples)
            let bytes = try trained.encoded()
            try bytes.write(to: URL(fileURLWithPath: model))
            print("Trained on \(examples.count) tickets from \(source.data)")
            print(
                "  priority: "
                    + Priority.allCases.map { level in "\(level.rawValue) \(examples.filter { $0.priority == level }.count)" }.joined(separator: ", "))
            print("  category: " + TriageCategories.all.map { name in "\(name) \(examples.filter { $0.category == name }.count)" }.joined(separator: ", "))
            print("  features kept: priority \(trained.priority.weights.count), category \(trained.category.weights.count)")
            print("Wrote \(model) (\(bytes.count / 1024) KiB)")
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "How good triage is: on the outside test set, and by k-fold cross-validation.",
            discussion: """
                First the shipped model, trained on the whole data set, triages the outside test set: \
                tickets written apart from the training data by other hands, which no model is ever \
                trained on. That is the figure to trust. Then k-fold cross-validation on the training \
                data: every ticket triaged by a model that never saw it, but written like the rest.
                """
        )
        @OptionGroup var source: DataOption
        @Option(help: "The outside test set, JSON Lines with scope and safety_risk labels.")
        var outside: String = LabelledTicket.outsidePath
        @Option(help: "Number of folds.")
        var folds: Int = 5
        @Option(help: "Print this many misjudged tickets of each evaluation.")
        var mistakes: Int = 0
        @Flag(help: "Only the outside test set, no cross-validation.")
        var outsideOnly = false
        @Option(help: "Write each outside ticket with what triage made of it to this file (JSON Lines), for reading.")
        var predictions: String?
        @Option(
            help:
                "Write each training ticket with what the cross-validation's first stage that never saw it made of it (JSON Lines; the decision model's own readings), for trying decision rules without the outside set."
        )
        var foldPredictions: String?

        func run() throws {
            let examples = try source.load()
            let outsideTickets = try DataOption.load(outside)
            let engine = TriageEngine(model: TriageTrainer.train(examples: examples))
            let held = TriageEvaluation.measure(engine, on: outsideTickets)
            if let predictions { try writePredictions(engine, outsideTickets, to: predictions) }
            print("Outside test set: \(held.examples) tickets from \(outside), triaged by a model trained on \(examples.count) others")
            print(
                "  P0 recall (life safety rated P0): \(decimal(held.p0Recall)) (\(held.priorityConfusion[0][0]) of \(held.priorityConfusion[0].reduce(0, +)))")
            print("  P0 rated two or more levels low: \(held.p0RatedTwoOrMoreLow)")
            report(held)
            if let scope = held.scopeAgreement { print("  Scope agreement (room / floor / building / campus): \(decimal(scope))") }
            if let safety = held.safetyAgreement { print("  safety_risk agreement: \(decimal(safety))") }
            guard !outsideOnly else { return }
            if let foldPredictions {
                var lines = Data()
                for (foldEngine, held) in TriageTrainer.foldEngines(examples: examples, folds: folds) {
                    lines.append(try predictionLines(foldEngine, held, decision: engine.model.decision))
                }
                try lines.write(to: URL(fileURLWithPath: foldPredictions))
            }
            let evaluation = TriageTrainer.evaluate(examples: examples, folds: folds)
            print("\(evaluation.folds)-fold cross-validation on \(evaluation.examples) training tickets (model + rules)")
            report(evaluation)
        }

        private func writePredictions(_ engine: TriageEngine, _ tickets: [LabelledTicket], to path: String) throws {
            try predictionLines(engine, tickets).write(to: URL(fileURLWithPath: path))
        }

        /// `decision` is the decision model to read the first stage's features with: the engine's own,
        /// or for a fold's first stage, the shipped one.
        private func predictionLines(_ engine: TriageEngine, _ tickets: [LabelledTicket], decision: LinearClassifier? = nil) throws -> Data {
            let decisionModel = decision ?? engine.model.decision
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var lines = Data()
            for ticket in tickets {
                let result = engine.triage(ticket.input)
                let first = engine.firstStageDecision(ticket.input)
                let analysis = TicketAnalysis(title: ticket.title, description: ticket.description, location: ticket.location)
                let cues = FeatureExtractor.dangerFeatures(analysis)
                let features = FeatureExtractor.features(analysis, settings: engine.model.settings)
                let modelProbabilities = engine.model.priority.probabilities(features)
                let row = Prediction(
                    ticket: ticket, priority: result.priority, category: result.category, scope: result.impact.scope,
                    safetyRisk: result.impact.safetyRisk, signals: result.signals,
                    danger: engine.model.danger.classifier.probabilities(cues).map { ($0 * 1000).rounded() / 1000 },
                    cues: cues.map(\.name),
                    model: modelProbabilities.map { ($0 * 1000).rounded() / 1000 },
                    safetyModel: engine.model.safety.probabilities(features)[0],
                    scopeModel: engine.model.scope.probabilities(features).map { ($0 * 1000).rounded() / 1000 },
                    rules: TriageEngine.applyRules(base: Priority(level: TriageEngine.best(modelProbabilities).index) ?? .p2, ticket: analysis)
                        .priority,
                    rulesByBase: Priority.allCases.map { TriageEngine.applyRules(base: $0, ticket: analysis).priority },
                    firstStage: first.priority,
                    readings: Dictionary(first.readings.map { ($0.name, ($0.value * 1000).rounded() / 1000) }) { a, _ in a },
                    decision: decisionModel.map { $0.probabilities(first.readings).map { ($0 * 1000).rounded() / 1000 } })
                lines.append(try encoder.encode(row))
                lines.append(0x0A)
            }
            return lines
        }

        private struct Prediction: Encodable {
            let ticket: LabelledTicket
            let priority: Priority
            let category: String
            let scope: Impact.Scope
            let safetyRisk: Bool
            let signals: [String]
            /// The danger model's P0, P1, lower, and the concepts it read.
            let danger: [Double]
            let cues: [String]
            /// The priority model's P0…P4 before the rules.
            let model: [Double]
            let safetyModel: Double
            /// The scope model's room, floor, building, campus before it reads the priority.
            let scopeModel: [Double]
            /// The priority after the rules, before the asymmetric thresholds.
            let rules: Priority
            /// The priority after the rules for each possible model priority P0…P4, for trying
            /// other ways of choosing the model's priority.
            let rulesByBase: [Priority]
            /// The first stage's priority, before the decision model; the decision model's
            /// features and its P0…P4, for trying other decision rules.
            let firstStage: Priority
            let readings: [String: Double]
            let decision: [Double]?
        }

        private func report(_ evaluation: TriageEvaluation) {
            print(
                "  Priority: macro-F1 \(decimal(evaluation.priorityMacroF1)), accuracy \(percent(evaluation.priorityAccuracy)), within one level \(decimal(evaluation.priorityWithinOne))"
            )
            print("    F1 per level: " + zip(Priority.allCases, evaluation.priorityF1).map { "\($0.rawValue) \(decimal($1))" }.joined(separator: ", "))
            print("    confusion (rows label, columns predicted):")
            print("          " + Priority.allCases.map { $0.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0) }.joined())
            for (level, row) in zip(Priority.allCases, evaluation.priorityConfusion) {
                print("      \(level.rawValue)  " + row.map { String($0).leftPadded(to: 4, with: " ") + " " }.joined())
            }
            print("  Category: macro-F1 \(decimal(evaluation.categoryMacroF1)), accuracy \(percent(evaluation.categoryAccuracy))")
            for mistake in evaluation.mistakes.prefix(max(0, mistakes)) {
                print("  - [\(mistake.ticket.priority.rawValue) → \(mistake.predicted.rawValue)] \(mistake.ticket.title) | \(mistake.ticket.location)")
                print("      \(mistake.signals.joined(separator: "; "))")
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Triage one ticket with the shipped model and print the result with its signals (as POST /triage answers)."
        )
        @Argument(help: "The ticket's title.") var title: String
        @Argument(help: "Its description.") var description: String = ""
        @Argument(help: "Its location.") var location: String = ""

        func run() throws {
            let result = try TriageEngine.bundled().triage(TriageInput(title: title, description: description, location: location))
            print(String(decoding: try CampusJSON.encoder.encode(result), as: UTF8.self))
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time triage with the shipped model over the data set's tickets.")
        @Option(help: "Passes over the data set.")
        var passes: Int = 20

        func run() throws {
            let engine = try TriageEngine.bundled()
            let inputs = try LabelledTicket.bundled().map(\.input)
            for input in inputs.prefix(50) { _ = engine.triage(input) }  // warm up
            var samples: [Double] = []
            samples.reserveCapacity(inputs.count * max(1, passes))
            var checksum = 0
            let clock = ContinuousClock()
            for _ in 0..<max(1, passes) {
                for input in inputs {
                    let start = clock.now
                    let result = engine.triage(input)
                    let elapsed = start.duration(to: clock.now)
                    checksum &+= result.priority.level
                    samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
                }
            }
            samples.sort()
            let mean = samples.reduce(0, +) / Double(samples.count)
            let p99 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]
            print(
                "triage: \(samples.count) tickets, mean \(String(format: "%.1f", mean)) µs, p50 \(String(format: "%.1f", samples[samples.count / 2])) µs, p99 \(String(format: "%.1f", p99)) µs (checksum \(checksum))"
            )
        }
    }
}

private func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
private func decimal(_ value: Double) -> String { String(format: "%.3f", value) }
