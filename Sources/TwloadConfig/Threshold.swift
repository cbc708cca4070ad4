import TwloadModel

/// A capacity gate for CI, such as `achieved_rate >= 0.99 * rate`, given as `--fail-on EXPR` or in a profile.
///
/// Grammar: `expr cmp expr` with `cmp` one of `== != < <= > >=`; `expr` uses `+ - * /`, parentheses, unary
/// minus, numbers (`12`, `0.99`, `1e3`, `1.5k`) and metric names (`[a-z_][a-z0-9_]*`). Values are IEEE doubles;
/// `+infinity` means "the event never happened".
public struct Threshold: Sendable, Equatable, CustomStringConvertible {
    /// The text as written (trimmed), used in reports.
    public let text: String
    private let left: Expression
    private let comparison: Comparison
    private let right: Expression

    /// Longer texts are rejected, which also bounds the parser's and evaluator's recursion.
    private static let maximumLength = 1000

    /// Parses `text`; every identifier must be in `knownMetrics`. Errors name `option` and quote the text.
    public init(parsing text: String, knownMetrics: Set<String>, option: String = "--fail-on") throws(ConfigError) {
        let chars = Array(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !chars.isEmpty else {
            throw ConfigError(option, "expected a threshold such as 'eaddrnotavail == 0' (got '')")
        }
        guard chars.count <= Self.maximumLength else {
            let start = String(Self.oneLine(chars.prefix(40)))
            throw ConfigError(option, "is longer than \(Self.maximumLength) characters (got '\(start)...')")
        }
        var parser = Parser(option: option, quoted: String(Self.oneLine(chars)), known: knownMetrics)
        try parser.tokenize(chars)
        (left, comparison, right) = try parser.threshold()
        self.text = String(chars)
    }

    public var description: String { text }

    /// The metric names the expression uses.
    public var metrics: Set<String> { left.metrics.union(right.metrics) }

    /// Evaluates against metric values. A metric missing from `values` makes the result `.unknown`;
    /// a NaN on either side fails.
    public func evaluate(_ values: [String: Double]) -> ThresholdOutcome {
        let l = left.value(values)
        let r = right.value(values)
        let shown = String(Self.oneLine(Array(text)))
        func outcome(_ verdict: ThresholdOutcome.Verdict, _ label: String, _ detail: String) -> ThresholdOutcome {
            ThresholdOutcome(verdict: verdict, left: l, right: r, line: "\(label)\(shown)   (\(detail))")
        }
        guard let l, let r else {
            let missing = metrics.filter { values[$0] == nil }.sorted().joined(separator: ", ")
            return outcome(.unknown, "N/A   ", "no value for \(missing)")
        }
        if l.isNaN || r.isNaN { return outcome(.fail, "FAIL  ", "nan") }
        let detail = "\(NumberText.compact(l)) \(comparison.rawValue) \(NumberText.compact(r))"
        return comparison.holds(l, r) ? outcome(.pass, "PASS  ", detail) : outcome(.fail, "FAIL  ", detail)
    }

    /// Whitespace and control characters as single spaces, so quotes stay on one line and columns line up.
    private static func oneLine(_ chars: some Collection<Character>) -> [Character] {
        chars.map { $0.isWhitespace || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) ? " " : $0 }
    }

    // MARK: AST

    /// The parsed expression; numbers are always finite.
    private indirect enum Expression: Sendable, Equatable {
        case number(Double)
        case metric(String)
        case negate(Expression)
        case binary(Operator, Expression, Expression)

        var metrics: Set<String> {
            switch self {
            case .number: []
            case .metric(let name): [name]
            case .negate(let e): e.metrics
            case .binary(_, let a, let b): a.metrics.union(b.metrics)
            }
        }

        /// The IEEE value, or nil when a metric has no value.
        func value(_ values: [String: Double]) -> Double? {
            switch self {
            case .number(let n): return n
            case .metric(let name): return values[name]
            case .negate(let e): return e.value(values).map { -$0 }
            case .binary(let op, let a, let b):
                guard let x = a.value(values), let y = b.value(values) else { return nil }
                switch op {
                case .add: return x + y
                case .subtract: return x - y
                case .multiply: return x * y
                case .divide: return x / y
                }
            }
        }
    }

    private enum Operator: Character, Sendable, Equatable {
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
    }

    private enum Comparison: String, Sendable, Equatable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        /// Exact IEEE comparison (callers rule out NaN first).
        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .equal: a == b
            case .notEqual: a != b
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            case .greaterOrEqual: a >= b
            }
        }
    }

    // MARK: Parsing

    private struct Token {
        enum Kind: Equatable {
            case number(Double)
            case name(String)
            case symbol(Character)
            case comparison(Comparison)
            case end
        }
        let kind: Kind
        /// 1-based position in the trimmed text.
        let column: Int
        let spelling: String
    }

    /// A tokenizer plus recursive-descent parser over one threshold text.
    private struct Parser {
        let option: String
        let quoted: String
        let known: Set<String>
        var tokens: [Token] = []
        var index = 0

        func error(_ problem: String) -> ConfigError { ConfigError(option, problem) }

        /// "at column 6 in 'rate 5'" or "at the end of 'rate >'".
        func place(_ t: Token) -> String {
            t.kind == .end ? "at the end of '\(quoted)'" : "at column \(t.column) in '\(quoted)'"
        }

        mutating func tokenize(_ c: [Character]) throws(ConfigError) {
            func isDigit(_ i: Int) -> Bool { i < c.count && c[i].isASCII && c[i].isNumber }
            func isWordChar(_ i: Int) -> Bool {
                i < c.count && c[i].isASCII && (c[i].isLowercase || c[i].isNumber || c[i] == "_")
            }
            var i = 0
            while i < c.count {
                let start = i
                let ch = c[i]
                if ch.isWhitespace {
                    i += 1
                } else if isDigit(i) || (ch == "." && isDigit(i + 1)) {
                    // Take the whole run ("0..9", "5rate", "1e-3k") so that a malformed number is reported whole.
                    while i < c.count, c[i].isASCII,
                        c[i].isLetter || c[i].isNumber || c[i] == "_" || c[i] == "."
                            || ((c[i] == "+" || c[i] == "-") && (c[i - 1] == "e" || c[i - 1] == "E"))
                    {
                        i += 1
                    }
                    let spelling = String(c[start..<i])
                    guard let n = Self.number(spelling) else {
                        throw error("malformed number '\(spelling)' at column \(start + 1) in '\(quoted)'")
                    }
                    tokens.append(Token(kind: .number(n), column: start + 1, spelling: spelling))
                } else if isWordChar(i), !isDigit(i) {
                    while isWordChar(i) { i += 1 }
                    let name = String(c[start..<i])
                    tokens.append(Token(kind: .name(name), column: start + 1, spelling: name))
                } else if let cmp = Self.comparison(in: c, at: i) {
                    i += cmp.rawValue.count
                    tokens.append(Token(kind: .comparison(cmp), column: start + 1, spelling: cmp.rawValue))
                } else if "+-*/()".contains(ch) {
                    i += 1
                    tokens.append(Token(kind: .symbol(ch), column: start + 1, spelling: String(ch)))
                } else {
                    let printable = ch.asciiValue.map { $0 >= 32 && $0 < 127 } ?? false
                    let scalar = ch.unicodeScalars.first?.value ?? 0
                    let shown = printable ? String(ch) : "U+" + String(scalar, radix: 16, uppercase: true)
                    let hint =
                        ch == "=" || ch == "!"
                        ? "; comparisons are ==, !=, <, <=, >, >="
                        : ch.isUppercase ? "; metric names are lowercase" : ""
                    throw error("unexpected '\(shown)' at column \(start + 1) in '\(quoted)'\(hint)")
                }
            }
            tokens.append(Token(kind: .end, column: c.count + 1, spelling: ""))
        }

        /// The longest comparison operator starting at `i`, if any.
        static func comparison(in c: [Character], at i: Int) -> Comparison? {
            if i + 1 < c.count, let two = Comparison(rawValue: String(c[i...i + 1])) { return two }
            return Comparison(rawValue: String(c[i]))
        }

        /// `12`, `0.99`, `1e3`, `1.5k` (k = x1000); nil unless the whole spelling is one finite number.
        static func number(_ spelling: String) -> Double? {
            let k = spelling.hasSuffix("k")
            let body = k ? String(spelling.dropLast()) : spelling
            // Digits, point and exponent only: keeps out what Double(_:) also reads ("0x1p3", "inf", "nan").
            guard body.allSatisfy({ $0.isASCII && ($0.isNumber || "eE.+-".contains($0)) }), let v = Double(body)
            else { return nil }
            let n = k ? v * 1000 : v
            return n.isFinite ? n : nil
        }

        var current: Token { tokens[index] }

        /// `expr cmp expr`, followed by the end of the text.
        mutating func threshold() throws(ConfigError) -> (Expression, Comparison, Expression) {
            let left = try expression()
            guard case .comparison(let cmp) = current.kind else {
                if current.kind == .symbol(")") { throw error("unexpected ')' \(place(current))") }
                let found = current.kind == .end ? "" : " but found '\(current.spelling)'"
                throw error("expected a comparison (==, !=, <, <=, >, >=)\(found) \(place(current))")
            }
            index += 1
            let right = try expression()
            switch current.kind {
            case .end: return (left, cmp, right)
            case .comparison:
                throw error("only one comparison is allowed; found a second '\(current.spelling)' \(place(current))")
            default:
                throw error("unexpected '\(current.spelling)' \(place(current))")
            }
        }

        /// `term (('+'|'-') term)*`, left-associative.
        mutating func expression() throws(ConfigError) -> Expression {
            var e = try term()
            while case .symbol(let s) = current.kind, s == "+" || s == "-", let op = Operator(rawValue: s) {
                index += 1
                e = .binary(op, e, try term())
            }
            return e
        }

        /// `factor (('*'|'/') factor)*`, left-associative.
        mutating func term() throws(ConfigError) -> Expression {
            var e = try factor()
            while case .symbol(let s) = current.kind, s == "*" || s == "/", let op = Operator(rawValue: s) {
                index += 1
                e = .binary(op, e, try factor())
            }
            return e
        }

        /// `number | identifier | '(' expr ')' | '-' factor`.
        mutating func factor() throws(ConfigError) -> Expression {
            let t = current
            switch t.kind {
            case .number(let n):
                index += 1
                return .number(n)
            case .name(let name):
                guard known.contains(name) else {
                    let list = known.isEmpty ? "(none)" : known.sorted().joined(separator: ", ")
                    throw error("unknown metric '\(name)' \(place(t)); known: \(list)")
                }
                index += 1
                return .metric(name)
            case .symbol("-"):
                index += 1
                return .negate(try factor())
            case .symbol("("):
                index += 1
                let inner = try expression()
                guard current.kind == .symbol(")") else {
                    let c = current
                    let found = c.kind == .end ? "" : " but found '\(c.spelling)' at column \(c.column)"
                    throw error("missing ')' for the '(' at column \(t.column)\(found) in '\(quoted)'")
                }
                index += 1
                return inner
            case .end:
                throw error("expected a number, metric or '(' \(place(t))")
            default:
                throw error("expected a number, metric or '(' but found '\(t.spelling)' \(place(t))")
            }
        }
    }
}

/// The result of checking one `Threshold` against a run's metric values.
public struct ThresholdOutcome: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable { case pass, fail, unknown }
    public let verdict: Verdict
    /// The value of the left side; nil when one of its metrics has no value.
    public let left: Double?
    /// The value of the right side; nil when one of its metrics has no value.
    public let right: Double?
    /// One line for the summary, e.g. "PASS  achieved_rate >= 0.99 * rate   (1985.2 >= 1980)".
    public let line: String
}
