import ArgumentParser
import TwloadConfig
import TwloadModel

/// One option's value as the command line gave it: parsed by the option's declaration as the argument is
/// read, or the `ConfigError` that parse threw. The error is not thrown to ArgumentParser, which would wrap
/// it as "The value '0' is invalid for '--rate <rate>': ..."; the run reports it in twload's own one line.
struct Given<Value: Sendable>: Sendable {
    let spec: OptionSpec<Value>
    let result: Result<Value, ConfigError>
    /// The argument as typed (the JSON summary's configuration quotes it).
    let text: String

    /// The value, or nil when it did not parse (the run reports the error).
    var value: Value? { try? result.get() }

    init(_ spec: OptionSpec<Value>, text: String) {
        self.spec = spec
        self.text = text
        do {
            result = .success(try spec.value(of: text))
        } catch {
            result = .failure(error)
        }
    }
}

/// What the command line gave for one declared option: adds itself to `OptionValues`.
protocol GivenOption {
    func add(to values: inout OptionValues)
}

extension Given: GivenOption {
    func add(to values: inout OptionValues) { Self.add([self], to: &values) }
}

extension Optional: GivenOption where Wrapped: GivenOption {
    func add(to values: inout OptionValues) { self?.add(to: &values) }
}

/// A declared option that may be repeated: all its occurrences go in together.
protocol RepeatableGivenOption {
    static func add(_ occurrences: [Self], to values: inout OptionValues)
}

extension Given: RepeatableGivenOption {
    /// Every occurrence's value in order; the first that did not parse makes the option invalid.
    static func add(_ occurrences: [Given], to values: inout OptionValues) {
        guard let spec = occurrences.first?.spec else { return }
        var parsed: [Value] = []
        for given in occurrences {
            switch given.result {
            case .success(let v): parsed.append(v)
            case .failure(let e):
                values.setInvalid(spec.name, e)
                return
            }
        }
        values.set(spec, parsed, texts: occurrences.map(\.text))
    }
}

extension Array: GivenOption where Element: RepeatableGivenOption {
    func add(to values: inout OptionValues) { Element.add(self, to: &values) }
}

/// An ArgumentParser property wrapper that holds a declared option.
protocol GivenOptionWrapper {
    var given: any GivenOption { get }
}

extension Option: GivenOptionWrapper where Value: GivenOption {
    var given: any GivenOption { wrappedValue }
}

extension ParsableArguments {
    /// The values of every declared option this command's properties hold: each `@Option(spec)` property,
    /// found by reflection as ArgumentParser itself finds them, so no list of options is kept here.
    func givenValues() -> OptionValues {
        var values = OptionValues()
        for child in Mirror(reflecting: self).children {
            (child.value as? any GivenOptionWrapper)?.given.add(to: &values)
        }
        return values
    }
}
