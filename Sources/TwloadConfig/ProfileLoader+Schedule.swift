import TwloadModel
import Yams

/// The `schedule` section: rate stages, each a constant rate or a ramp for a duration.
extension ProfileLoader {
    func stages(_ node: Node, keyNode: Node) throws(ProfileError) -> [RateSchedule.Stage] {
        if isNull(node) { return [] }
        guard case .sequence(let list) = node else {
            throw fail(
                line(keyNode), "schedule",
                "expected a list of stages such as '- {rate: 1000, for: 5s}' (got \(describe(node)))")
        }
        guard !list.isEmpty else { throw fail(line(keyNode), "schedule", "needs at least one stage") }
        var stages: [RateSchedule.Stage] = []
        var total = 0.0
        for (i, stageNode) in list.enumerated() {
            let stage = try stage(stageNode, keyPath: "schedule[\(i)]")
            total += stage.seconds
            guard total <= RateSchedule.maximumSeconds else {
                throw fail(
                    line(stageNode), "schedule[\(i)]",
                    "brings the schedule to \(NumberText.compact(total / 3_600)) h; a schedule lasts at most "
                        + "8784h (366 days) in all")
            }
            stages.append(stage)
        }
        return stages
    }

    func stage(_ node: Node, keyPath: String) throws(ProfileError) -> RateSchedule.Stage {
        guard case .mapping(let mapping) = node else {
            throw fail(
                line(node), keyPath,
                "expected a stage such as '{rate: 1000, for: 5s}' or '{ramp: [1000, 3000], for: 10s}' "
                    + "(got \(describe(node)))")
        }
        var rate: (key: Node, value: Node)?
        var ramp: (key: Node, value: Node)?
        var duration: (key: Node, value: Node)?
        for (name, key, value) in try entries(of: mapping, at: keyPath, known: ["rate", "ramp", "for"]) {
            switch name {
            case "rate": rate = (key, value)
            case "ramp": ramp = (key, value)
            default: duration = (key, value)
            }
        }
        let level: (isRamp: Bool, key: Node, value: Node)
        switch (rate, ramp) {
        case (let rate?, let ramp?):
            throw fail(
                max(line(rate.key), line(ramp.key)), keyPath,
                "has both 'rate' and 'ramp'; a stage is either a constant rate or a ramp")
        case (let rate?, nil): level = (false, rate.key, rate.value)
        case (nil, let ramp?): level = (true, ramp.key, ramp.value)
        case (nil, nil): throw fail(line(node), keyPath, "needs 'rate' (constant) or 'ramp' ([from, to])")
        }
        guard let duration else {
            throw fail(line(node), "\(keyPath).for", "is required (how long the stage lasts, e.g. 10s)")
        }
        let forText = try scalar(duration.value, key: "\(keyPath).for", keyNode: duration.key, expected: "a duration")
        let nanos = try check(duration.value, "\(keyPath).for") { k throws(ConfigError) in
            try ValueParsing.duration(forText, option: k)
        }

        guard level.isRamp else {
            let text = try scalar(level.value, key: "\(keyPath).rate", keyNode: level.key, expected: "a rate")
            let value = try check(level.value, "\(keyPath).rate") { k throws(ConfigError) in
                try ValueParsing.rate(text, option: k)
            }
            return RateSchedule.Stage(from: value, to: value, seconds: Double(nanos) / 1e9)
        }
        guard case .sequence(let ends) = level.value, ends.count == 2 else {
            throw fail(
                line(level.key), "\(keyPath).ramp",
                "expected [from, to] such as [1000, 3000] (got \(describe(level.value)))")
        }
        var rates: [Double] = []
        for (i, end) in ends.enumerated() {
            let endPath = "\(keyPath).ramp[\(i)]"
            let text = try scalar(end, key: endPath, keyNode: end, expected: "a rate")
            rates.append(try check(end, endPath) { k throws(ConfigError) in try ValueParsing.rate(text, option: k) })
        }
        return RateSchedule.Stage(from: rates[0], to: rates[1], seconds: Double(nanos) / 1e9)
    }
}
