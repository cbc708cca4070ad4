import Testing
import TwloadModel
import TwloadTestSupport

@testable import TwloadConfig

/// Options that are valid on their own (only --rate is required); `edit` then breaks one of them.
private func options(_ edit: (inout [String: [String]]) -> Void = { _ in }) -> OptionValues {
    var t = ["rate": ["100"]]
    edit(&t)
    return OptionValues(texts: t)
}

/// The error that making a run of `values` throws, or nil if it is valid.
private func parseError(_ values: OptionValues) -> ConfigError? {
    do {
        _ = try RunConfiguration(values, defaultThreads: 4)
        return nil
    } catch {
        return error
    }
}

@Suite struct ValueParsingTests {
    // MARK: Durations

    @Test(arguments: [
        ("30", 30_000_000_000 as Int64), ("30s", 30_000_000_000), ("500ms", 500_000_000), ("2m", 120_000_000_000),
        ("1.5s", 1_500_000_000), ("1ms", 1_000_000), ("1h", 3_600_000_000_000), ("5000us", 5_000_000),
        (" 10s ", 10_000_000_000),
    ])
    func durationIsParsedToNanoseconds(text: String, nanos: Int64) throws {
        #expect(try ValueParsing.duration(text, option: "--duration") == nanos)
    }

    @Test(arguments: ["250us", "999us", "0", "0.5ms", "-1s"])
    func durationBelowOneMillisecondIsRejected(text: String) {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.duration(text, option: "--timeout") }
        #expect(e?.option == "--timeout")
    }

    @Test(arguments: ["", "s", "abc", "10x", "1.5.s", "inf", "nan"])
    func durationThatIsNotANumberIsRejected(text: String) {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.duration(text, option: "--interval") }
        #expect(e?.option == "--interval")
    }

    @Test func durationOverAYearIsRejected() {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.duration("9000h", option: "--duration") }
        #expect(e?.option == "--duration")
    }

    // MARK: Rates

    @Test(arguments: [("2k", 2000.0), ("2K", 2000), ("100", 100), ("0.5", 0.5), ("1.5k", 1500), (" 7 ", 7)])
    func rateIsParsed(text: String, rate: Double) throws {
        #expect(try ValueParsing.rate(text) == rate)
    }

    @Test(arguments: ["0", "-5", "abc", "", "k", "0k", "20000k", "inf"])
    func invalidRateNamesTheRateOption(text: String) {
        let e = parseError(options { $0["rate"] = [text] })
        #expect(e?.option == "--rate")
    }

    @Test func missingRateIsReportedAsRequired() {
        let e = parseError(OptionValues(texts: ["target": ["127.0.0.1:80"]]))
        #expect(e?.option == "--rate")
        #expect(e?.problem.contains("required") == true)
    }

    // MARK: Source ports

    @Test func sourcePortRangeIsParsedInclusive() throws {
        let r = try ValueParsing.portRange("40000-40099")
        #expect(r == PortRange(low: 40000, high: 40099))
        #expect(r.count == 100)
        #expect(try ValueParsing.portRange("1-65535").count == 65535)
        #expect(try ValueParsing.portRange("5000-5000").count == 1)
    }

    @Test(arguments: ["40100-40000", "0-10", "1-70000", "40000", "40000-", "-40000", "a-b", "1-2-3"])
    func invalidSourcePortsNameTheSourcePortsOption(text: String) {
        let e = parseError(options { $0["source-ports"] = [text] })
        #expect(e?.option == "--source-ports")
    }

    @Test func reversedPortRangeSaysLowExceedsHigh() {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.portRange("40100-40000") }
        #expect(e?.problem.contains("LO must not exceed HI") == true)
    }

    // MARK: Target and source addresses

    @Test(arguments: ["nohost", "1.2.3.4:99999", "[::1]80", "1.2.3.4:0", ":80", "[::1]", "::1:80", "1.2.3.4:http"])
    func invalidTargetNamesTheTargetOption(text: String) {
        let e = parseError(options { $0["target"] = [text] })
        #expect(e?.option == "--target")
    }

    @Test func numericTargetsAreParsed() throws {
        let v4 = try RunConfiguration(options { $0["target"] = ["10.1.2.3:8080"] }, defaultThreads: 1)
        #expect(v4.target?.address.description == "10.1.2.3:8080")
        #expect(v4.target?.host == "10.1.2.3")
        let v6 = try RunConfiguration(options { $0["target"] = ["[::1]:80"] }, defaultThreads: 1)
        #expect(v6.target?.address.description == "[::1]:80")
        #expect(v6.target?.host == "::1")
    }

    @Test func endpointSplitsHostAndPort() throws {
        let e = try ValueParsing.endpoint("[fe80::1]:443", option: "--target")
        #expect(e.host == "fe80::1")
        #expect(e.port == 443)
        let z = try ValueParsing.endpoint("0.0.0.0:0", option: "--listen", allowZeroPort: true)
        #expect(z.host == "0.0.0.0")
        #expect(z.port == 0)
    }

    /// Found by the values fuzz target, which saw a host with CR and TAB accepted. The host is sent as typed
    /// in the Host header, and a NUL after an IP address hid the rest from inet_pton, so a profile's
    /// "127.0.0.1\0\r\nX-Evil 1:80" resolved to 127.0.0.1 and added a header line to every request.
    @Test(arguments: [
        "127.0.0.1\0\r\nX-Evil 1:80", "example.invalid\r\tx:0", "a b:80", "[::1\u{7F}]:80", "caf\u{E9}.example:80",
    ])
    func endpointHostsWithSpacesControlBytesOrNonASCIIAreRejected(text: String) {
        #expect(throws: ConfigError.self) { try ValueParsing.endpoint(text, option: "--target") }
        #expect(throws: ConfigError.self) { try ValueParsing.address(text, option: "--target") }
    }

    @Test func targetHostCannotInjectAHeaderLine() {
        let e = parseError(options { $0["target"] = ["127.0.0.1\0\r\nX-Evil 1:80"] })
        #expect(e?.option == "--target")
        #expect(
            e?.problem.hasPrefix("byte 0x00 at character 10 of the host is not allowed") == true,
            "\(String(describing: e))")
    }

    @Test(arguments: ["300.1.1.1", "1.2.3", "localhost", "1.2.3.4:80", ""])
    func invalidSourceAddressNamesTheSourceAddrOption(text: String) {
        let e = parseError(options { $0["source-addr"] = ["127.0.0.2", text] })
        #expect(e?.option == "--source-addr")
    }

    @Test func sourceAddressOfAnotherFamilyThanTheTargetIsRejected() {
        let e = parseError(
            options {
                $0["target"] = ["127.0.0.1:80"]
                $0["source-addr"] = ["::1"]
            })
        #expect(e?.option == "--source-addr")
    }

    @Test func bracketedIPv6SourceAddressIsAccepted() throws {
        let a = try ValueParsing.ip("[::1]", option: "--source-addr")
        #expect(a.ipString == "::1")
    }

    // MARK: Choices and numbers

    @Test(arguments: ["maybe", "-1", "3601", "1.5", ""])
    func invalidLingerNamesTheLingerOption(text: String) {
        let e = parseError(options { $0["linger"] = [text] })
        #expect(e?.option == "--linger")
    }

    @Test func lingerValuesMapToModes() throws {
        #expect(try ValueParsing.linger("off") == .off)
        #expect(try ValueParsing.linger("OFF") == .off)
        #expect(try ValueParsing.linger("0") == .reset)
        #expect(try ValueParsing.linger("5") == .seconds(5))
        #expect(try ValueParsing.linger("3600") == .seconds(3600))
    }

    @Test func invalidServerLingerNamesTheServerLingerOption() {
        #expect(parseError(options { $0["server-linger"] = ["maybe"] })?.option == "--server-linger")
    }

    @Test func closeBothIsRejected() {
        let e = parseError(options { $0["close"] = ["both"] })
        #expect(e?.option == "--close")
        #expect(e?.problem.contains("client|server") == true)
    }

    @Test func protocolUdpIsRejected() {
        let e = parseError(options { $0["protocol"] = ["udp"] })
        #expect(e?.option == "--protocol")
        #expect(e?.problem.contains("tcp|http") == true)
    }

    @Test(arguments: ["0", "257", "-1", "two", ""])
    func invalidThreadsNamesTheThreadsOption(text: String) {
        #expect(parseError(options { $0["threads"] = [text] })?.option == "--threads")
    }

    @Test(arguments: ["0", "10000001", "many"])
    func invalidMaxOpenNamesTheMaxOpenOption(text: String) {
        #expect(parseError(options { $0["max-open"] = [text] })?.option == "--max-open")
    }

    @Test(arguments: ["1ms", "9ms", "9999us"])
    func intervalBelowTenMillisecondsIsRejected(text: String) {
        let e = parseError(options { $0["interval"] = [text] })
        #expect(e?.option == "--interval")
    }

    @Test func intervalOfTenMillisecondsIsAccepted() throws {
        let c = try RunConfiguration(options { $0["interval"] = ["10ms"] }, defaultThreads: 1)
        #expect(c.intervalNanos == 10_000_000)
    }

    @Test func sendWithProtocolHttpIsRejected() {
        let e = parseError(
            options {
                $0["protocol"] = ["http"]
                $0["send"] = ["hello"]
            })
        #expect(e?.option == "--send")
    }

    @Test func pathWithoutLeadingSlashIsRejected() {
        #expect(parseError(options { $0["path"] = ["index.html"] })?.option == "--path")
    }

    @Test func emptyCsvPathIsRejected() {
        #expect(parseError(options { $0["csv"] = [""] })?.option == "--csv")
    }

    @Test func invalidPortBindingNamesThePortBindingOption() {
        #expect(parseError(options { $0["port-binding"] = ["random"] })?.option == "--port-binding")
    }

    @Test func bindingFewerPortsThanThreadsIsRejected() {
        let e = parseError(
            options {
                $0["threads"] = ["4"]
                $0["source-ports"] = ["40000-40002"]
                $0["port-binding"] = ["bind"]
            })
        #expect(e?.option == "--source-ports")
    }

    @Test func invalidConnectTimeoutNamesItsOption() {
        #expect(parseError(options { $0["connect-timeout"] = ["soon"] })?.option == "--connect-timeout")
        #expect(parseError(options { $0["timeout"] = ["100us"] })?.option == "--timeout")
    }

    // MARK: A valid configuration

    @Test func validOptionsProduceTheConfiguration() throws {
        let c = try RunConfiguration(
            options {
                $0["rate"] = ["2k"]
                $0["duration"] = ["2m"]
                $0["close"] = ["Server"]
                $0["linger"] = ["0"]
                $0["source-ports"] = ["40000-40099"]
                $0["source-addr"] = ["127.0.0.2", "127.0.0.3"]
                $0["threads"] = ["8"]
                $0["interval"] = ["500ms"]
                $0["csv"] = ["out.csv"]
                $0["send"] = ["PING\\r\\n"]
                $0["target"] = ["127.0.0.1:9000"]
            }, defaultThreads: 2)
        #expect(c.schedule.peakRate == 2000)
        #expect(c.schedule.durationNanos == 120_000_000_000)
        #expect(c.close == .server)
        #expect(c.linger == .reset)
        #expect(c.sourcePorts == PortRange(low: 40000, high: 40099))
        #expect(c.sourceAddresses.map(\.ipString) == ["127.0.0.2", "127.0.0.3"])
        #expect(c.threads == 8)
        #expect(c.threads == 8 && c.schedule.peakRate / Double(c.threads) == 250)
        #expect(c.intervalNanos == 500_000_000)
        #expect(c.csv == .file("out.csv"))
        #expect(c.payload == [80, 73, 78, 71, 13, 10])
        #expect(c.wireProtocol == .tcp)
    }

    @Test func defaultsApplyWhenOnlyTheRateIsGiven() throws {
        let c = try RunConfiguration(options(), defaultThreads: 6)
        #expect(c.schedule.peakRate == 100)
        #expect(c.target == nil)
        #expect(c.schedule.durationNanos == 30_000_000_000)
        #expect(c.threads == 6)
        #expect(c.intervalNanos == 1_000_000_000)
        #expect(c.close == .client)
        #expect(c.linger == .off)
        #expect(c.csv == .standardOutput)
        #expect(c.payload == [])
        #expect(c.connectTimeoutNanos == 3_000_000_000)
        #expect(c.timeoutNanos == 10_000_000_000)
        #expect(c.portBinding == .auto)
    }

    @Test func zeroDefaultThreadsBecomesOne() throws {
        #expect(try RunConfiguration(options(), defaultThreads: 0).threads == 1)
    }

    @Test func csvDashMeansStandardOutput() throws {
        #expect(try RunConfiguration(options { $0["csv"] = ["-"] }, defaultThreads: 1).csv == .standardOutput)
    }

    // MARK: Escapes

    @Test func escapesDecodeCarriageReturnLineFeedAndHex() throws {
        #expect(try Escapes.decode("a\\r\\n\\x41\\xfF") == [97, 13, 10, 65, 255])
    }

    @Test func escapesDecodeTabNulAndBackslash() throws {
        #expect(try Escapes.decode("\\t\\0\\\\z") == [9, 0, 92, 122])
    }

    @Test(arguments: [
        ("\\q", "unknown escape '\\q' at character 1"),
        ("ab\\xZZ", "'\\xZZ' at character 3 needs two hex digits"),
        ("\\x4", "'\\x4' at character 1 needs two hex digits"),
        ("\\x", "'\\x' at character 1 needs two hex digits"),
        ("end\\", "ends with a lone \\ at character 4"),
    ])
    func badEscapesAreRejectedWithTheirPosition(text: String, message: String) {
        #expect(throws: ConfigError.self) { try Escapes.decode(text) }
        do {
            _ = try Escapes.decode(text)
        } catch {
            #expect(error.description.hasPrefix("--send: " + message), "\(error.description)")
        }
    }

    @Test(arguments: ["/a\r\nX-Evil: 1", "/a b", "/\u{7F}", "/caf\u{E9}", "/\t"])
    func pathsWithSpacesControlBytesOrNonASCIIAreRejected(path: String) {
        #expect(throws: ConfigError.self) { try ValueParsing.path(path) }
    }

    @Test func pathsWithQueriesAndPercentEscapesAreKept() throws {
        #expect(try ValueParsing.path("/a/b?x=1&y=%20z~") == "/a/b?x=1&y=%20z~")
    }
}
