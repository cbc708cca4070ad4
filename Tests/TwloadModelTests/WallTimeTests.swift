import Testing
import TwloadModel

/// `--start-at`'s instants: RFC 3339 and Unix seconds in, RFC 3339 (UTC, milliseconds) out.
struct WallTimeTests {
    static let parsed: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-12-01T23:00:00Z", Int64(1_796_166_000_000_000_000)),
        ("2026-12-01t23:00:00z", Int64(1_796_166_000_000_000_000)),
        ("2026-12-01 23:00:00Z", Int64(1_796_166_000_000_000_000)),
        ("2026-12-02T00:00:00+01:00", Int64(1_796_166_000_000_000_000)),
        ("2026-12-01T18:30:00-04:30", Int64(1_796_166_000_000_000_000)),
        ("2026-12-01T23:00:00.25Z", Int64(1_796_166_000_250_000_000)),
        ("2026-12-01T23:00:00.123456789123Z", Int64(1_796_166_000_123_456_789)),
        ("2024-02-29T12:00:00Z", Int64(1_709_208_000_000_000_000)),
        ("2000-03-01T00:00:00Z", Int64(951_868_800_000_000_000)),
        ("1796166000", Int64(1_796_166_000_000_000_000)),
        ("1796166000.5", Int64(1_796_166_000_500_000_000)),
        ("0.000000001", Int64(1)),
    ]

    @Test(arguments: parsed)
    func parsesRFC3339AndUnixSeconds(text: String, nanos: Int64) {
        #expect(WallTime(parsing: text)?.unixNanos == nanos, "\(text)")
    }

    @Test(arguments: [
        "", "now", "2026-12-01", "2026-12-01T23:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-12-32T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z", "2026-12-01T23:00:60Z",
        "2026-12-01T23:00:00+1:00", "2026-12-01T23:00:00.Z", "2026-12-01T23:00:00Zjunk", "1969-12-31T23:59:59Z",
        "-5", "1.", ".5", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z", "9300000000", "1796166000.1234567890",
        "179616600000000", "12e9", "+1796166000",
    ])
    func refusesAnythingElse(text: String) {
        #expect(WallTime(parsing: text) == nil, "\(text)")
    }

    static let printed: [(Int64, String)] = [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_796_166_000_250_999_999), "2026-12-01T23:00:00.250Z"),
        (Int64(1_709_251_199_000_000_000), "2024-02-29T23:59:59.000Z"),
        (Int64(7_258_118_400_000_000_000), "2200-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: printed)
    func printsUTCWithMilliseconds(nanos: Int64, text: String) {
        #expect(WallTime(unixNanos: nanos).description == text)
    }

    @Test func daysFrom1970To2261RoundTrip() {
        var day: Int64 = 0
        while day < 105_000 {
            let t = WallTime(unixNanos: (day * 86_400 + 3661) * 1_000_000_000)
            #expect(WallTime(parsing: t.description) == t, "\(t)")
            day += 37
        }
    }
}
