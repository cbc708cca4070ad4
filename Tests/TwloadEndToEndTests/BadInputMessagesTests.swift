import Testing

/// Bad input gets one line naming the culprit and a documented exit status. These are the exact lines and
/// statuses of the build before the library was split into targets (fbc6bb3), recorded case by case, so
/// that no refactoring changes what a user sees.
struct BadInputMessagesTests {
    static let cases: [(arguments: [String], status: Int32, stderr: String)] = [
        (["--rate", "0"], 64, "twload: error: --rate: must be greater than 0 (got '0')"),
        (["--rate", "-5"], 64, "twload: error: --rate: must be greater than 0 (got '-5')"),
        (["--rate", "-1"], 64, "twload: error: --rate: must be greater than 0 (got '-1')"),
        (["--duration", "-1s", "--rate", "5"], 64, "twload: error: --duration: must be at least 1ms (got '-1s')"),
        (["--rate", "lots"], 64, "twload: error: --rate: expected a number of connections per second (got 'lots')"),
        (["--rate", "2e7"], 64, "twload: error: --rate: must be at most 10000000 (got '2e7')"),
        (
            ["--rate", "10", "--source-ports", "40100-40000"], 64,
            "twload: error: --source-ports: LO must not exceed HI (got '40100-40000')"
        ),
        (
            ["--rate", "10", "--source-ports", "0-100"], 64,
            "twload: error: --source-ports: port must be 1-65535 (got '0')"
        ),
        (
            ["--rate", "10", "--source-ports", "40000-70000"], 64,
            "twload: error: --source-ports: port must be 1-65535 (got '70000')"
        ),
        (
            ["--rate", "10", "--source-ports", "abc"], 64,
            "twload: error: --source-ports: expected LO-HI such as 40000-40099 (got 'abc')"
        ),
        (
            ["--rate", "10", "--target", "127.0.0.1:70000"], 64,
            "twload: error: --target: port must be 1-65535 (got '70000')"
        ),
        (
            ["--rate", "10", "--target", "notanaddress"], 64,
            "twload: error: --target: expected HOST:PORT or [IPv6]:PORT (got 'notanaddress')"
        ),
        (["--rate", "10", "--target", "[::1"], 64, "twload: error: --target: expected [IPv6]:PORT (got '[::1')"),
        (
            ["--rate", "10", "--target", "127.0.0.1"], 64,
            "twload: error: --target: expected HOST:PORT or [IPv6]:PORT (got '127.0.0.1')"
        ),
        (
            ["--rate", "10", "--source-addr", "300.1.2.3"], 64,
            "twload: error: --source-addr: expected an IPv4 or IPv6 address (got '300.1.2.3')"
        ),
        (
            ["--rate", "10", "--source-addr", "::1"], 64,
            "twload: error: --source-addr: ::1 is not the same address family as the target"
        ),
        (
            ["--rate", "10", "--linger", "sometimes"], 64,
            "twload: error: --linger: expected off, 0 or a number of seconds up to 3600 (got 'sometimes')"
        ),
        (
            ["--rate", "10", "--linger", "4000"], 64,
            "twload: error: --linger: expected off, 0 or a number of seconds up to 3600 (got '4000')"
        ),
        (
            ["--rate", "10", "--server-linger", "x"], 64,
            "twload: error: --server-linger: expected off, 0 or a number of seconds up to 3600 (got 'x')"
        ),
        (["--rate", "10", "--hold", "-1s"], 64, "twload: error: --hold: must not be negative (got '-1s')"),
        (["--rate", "10", "--hold", "2h"], 64, "twload: error: --hold: must be at most 1h (got '2h')"),
        (
            ["--rate", "10", "--target", "127.0.0.1:9", "--hold", "1s"], 64,
            "twload: error: --hold: holds the built-in server's connections; an external --target decides itself "
                + "how long it keeps them, so leave --hold out with --target"
        ),
        (
            ["--rate", "10", "--protocol", "http", "--server-max-requests", "0"], 64,
            "twload: error: --server-max-requests: expected a whole number from 1 to 1000000 (got '0')"
        ),
        (
            ["--rate", "10", "--server-max-requests", "2"], 64,
            "twload: error: --server-max-requests: applies to --protocol http only (tcp replies once per connection)"
        ),
        (
            ["--rate", "10", "--protocol", "http", "--target", "127.0.0.1:9", "--server-max-requests", "2"], 64,
            "twload: error: --server-max-requests: applies to the built-in server; an external --target keeps its "
                + "connections alive as it is configured, so leave it out with --target"
        ),
        (
            ["--rate", "10", "--protocol", "http", "--server-keepalive-timeout", "2h"], 64,
            "twload: error: --server-keepalive-timeout: must be at most 1h (got '2h')"
        ),
        (["--rate", "10", "--close", "both"], 64, "twload: error: --close: expected client|server (got 'both')"),
        (
            ["--rate", "10", "--duration", "soon"], 64,
            "twload: error: --duration: expected a duration such as 30s, 500ms or 2m (got 'soon')"
        ),
        (["--rate", "10", "--duration", "0.5ms"], 64, "twload: error: --duration: must be at least 1ms (got '0.5ms')"),
        (
            ["--rate", "10", "--duration", "400d"], 64,
            "twload: error: --duration: expected a duration such as 30s, 500ms or 2m (got '400d')"
        ),
        (
            ["--rate", "10", "--threads", "0"], 64,
            "twload: error: --threads: expected a whole number from 1 to 256 (got '0')"
        ),
        (
            ["--rate", "10", "--threads", "300"], 64,
            "twload: error: --threads: expected a whole number from 1 to 256 (got '300')"
        ),
        (
            ["--rate", "10", "--threads", "x"], 64,
            "twload: error: --threads: expected a whole number from 1 to 256 (got 'x')"
        ),
        (
            ["--rate", "10", "--max-open", "0"], 64,
            "twload: error: --max-open: expected a whole number from 1 to 10000000 (got '0')"
        ),
        (["--duration", "1s"], 64, "twload: error: --rate: is required (connections per second)"),
        (["--rate", "10", "--no-such-option"], 64, "twload: error: Unknown option '--no-such-option'"),
        (["--rate", "10", "--interval", "5ms"], 64, "twload: error: --interval: must be at least 10ms (got '5ms')"),
        (["--rate", "10", "--csv"], 64, "twload: error: Missing value for '--csv <csv>'"),
        (["--rate", "10", "--protocol", "udp"], 64, "twload: error: --protocol: expected tcp|http (got 'udp')"),
        (
            ["--rate", "10", "--protocol", "http", "--send", "x"], 64,
            "twload: error: --send: applies to --protocol tcp only; --protocol http sends a GET"
        ),
        (["--rate", "10", "--path", "abc"], 64, "twload: error: --path: must start with / (got 'abc')"),
        (
            ["--rate", "10", "--connect-timeout", "0"], 64,
            "twload: error: --connect-timeout: must be at least 1ms (got '0')"
        ),
        (
            ["--rate", "10", "--timeout", "x"], 64,
            "twload: error: --timeout: expected a duration such as 30s, 500ms or 2m (got 'x')"
        ),
        (
            ["--rate", "10", "--port-binding", "maybe"], 64,
            "twload: error: --port-binding: expected auto|range|bind (got 'maybe')"
        ),
        (
            ["--rate", "10", "--threads", "2", "--source-ports", "40000-40000", "--port-binding", "bind"], 64,
            "twload: error: --source-ports: needs at least one port per thread with --port-binding bind"
        ),
        (
            ["--rate", "10", "--fail-on", "nonsense"], 64,
            "twload: error: --fail-on: unknown metric 'nonsense' at column 1 in 'nonsense'; known: achieved_rate, active_closes, attempted, collapsed_rate, completed, connect_call_max_us, connect_call_p50_us, connect_call_p99_us, connect_max_us, connect_p50_us, connect_p99_us, connect_timeouts, ct_chainlength, ct_clashres, ct_delete, ct_drop, ct_early_drop, ct_expect_create, ct_expect_delete, ct_expect_new, ct_found, ct_icmp_error, ct_ignore, ct_insert, ct_insert_failed, ct_invalid, ct_new, ct_search_restart, duration_s, eaddrinuse, eaddrnotavail, econnrefused, econnreset, ehostunreach, emfile, enetunreach, established, established_after_slow, established_before_slow, etimedout, exchange_timeouts, failed, first_connect_timeout_s, first_eaddrnotavail_s, first_slow_connect_s, http_2xx, http_3xx, http_4xx, http_5xx, lag_max_us, lag_p99_us, late_skipped, listen_drops, listen_overflows, missed, not_started, other_errors, passive_closes, peak_backlog, peak_ct_count, peak_nat_ports_used, peak_open, peak_tw_client, peak_tw_client_own, peak_tw_server, peak_tw_server_own, peak_tw_total, predicted_collapsed_rate, predicted_first_eaddrnotavail_s, predicted_nat_exhaustion_s, predicted_slow_connect_s, predicted_steady_tw_client, predicted_steady_tw_server, predicted_sustainable_rate, protocol_errors, rate, requests, response_max_us, response_p50_us, response_p99_us, responses, server_accepted, server_active_closes, server_passive_closes, server_resets, syn_retrans, target, ttfb_max_us, ttfb_p50_us, ttfb_p99_us, tw_overflow, tw_recycled, tw_total_at_start, unexpected_status, unfinished"
        ),
        (
            ["--rate", "10", "--fail-on", "rate >"], 64,
            "twload: error: --fail-on: expected a number, metric or '(' at the end of 'rate >'"
        ),
        (
            ["--rate", "10", "--fail-on", "established = 3"], 64,
            "twload: error: --fail-on: unexpected '=' at column 13 in 'established = 3'; comparisons are ==, !=, <, <=, >, >="
        ),
        (
            ["--rate", "10", "--profile", "/nonexistent.yaml"], 64,
            "twload: error: /nonexistent.yaml: cannot read: No such file or directory"
        ),
        (["check", "--rate", "0"], 64, "twload: error: --rate: must be greater than 0 (got '0')"),
        (["check", "--duration", "1s"], 64, "twload: error: --rate: is required (connections per second)"),
        (["lab", "--rate", "0"], 64, "twload: error: --rate: must be greater than 0 (got '0')"),
        (["lab", "/nonexistent.yaml"], 64, "twload: error: /nonexistent.yaml: cannot read: No such file or directory"),
        (
            ["lab", "--sysctl", "kernel.foo=1", "--rate", "1"], 64,
            "twload: error: --sysctl: only network sysctls (net.*) can be set, and only inside the lab's namespace (got 'kernel.foo')"
        ),
        (
            ["lab", "--sysctl", "novalue", "--rate", "1"], 64,
            "twload: error: --sysctl: expected KEY=VALUE such as net.ipv4.tcp_tw_reuse=1 (got 'novalue')"
        ),
        (["serve", "--listen", "127.0.0.1:99999"], 64, "twload: error: --listen: port must be 0-65535 (got '99999')"),
        (
            ["serve", "--listen", "127.0.0.1:0", "--close", "both"], 64,
            "twload: error: --close: expected client|server (got 'both')"
        ),
        (
            ["serve", "--listen", "127.0.0.1:0", "--linger", "x"], 64,
            "twload: error: --linger: expected off, 0 or a number of seconds up to 3600 (got 'x')"
        ),
        (
            ["serve", "--listen", "127.0.0.1:0", "--protocol", "x"], 64,
            "twload: error: --protocol: expected tcp|http (got 'x')"
        ),
        (
            ["serve", "--listen", "127.0.0.1:0", "--duration", "x"], 64,
            "twload: error: --duration: expected a duration such as 30s, 500ms or 2m (got 'x')"
        ),
        (
            ["serve", "--listen", "127.0.0.1:0", "--max-requests", "2"], 64,
            "twload: error: --max-requests: applies to --protocol http only (tcp replies once per connection)"
        ),
        (
            ["serve", "--listen", "127.0.0.1:0", "--protocol", "http", "--keepalive-timeout", "0"], 64,
            "twload: error: --keepalive-timeout: must be at least 1ms (got '0')"
        ),
        (["serve"], 64, "twload: error: Missing expected argument '--listen <listen>'"),
        (["watch", "--port", "0"], 64, "twload: error: --port: port must be 1-65535 (got '0')"),
        (["watch", "--port", "x"], 64, "twload: error: --port: port must be 1-65535 (got 'x')"),
        (["watch", "--target", "x"], 64, "twload: error: --target: expected HOST:PORT or [IPv6]:PORT (got 'x')"),
        (["watch", "--interval", "1ms"], 64, "twload: error: --interval: must be at least 10ms (got '1ms')"),
        (
            ["watch", "--duration", "x"], 64,
            "twload: error: --duration: expected a duration such as 30s, 500ms or 2m (got 'x')"
        ),
        (
            ["--rate", "10", "--duration", "1s", "--csv", "/nonexistent-dir/x.csv"], 73,
            "twload: error: --csv: cannot create '/nonexistent-dir/x.csv': No such file or directory"
        ),
        (["run", "--rate"], 64, "twload: error: Missing value for '--rate <rate>'"),
        (["run", "--rate", "10", "--rate"], 64, "twload: error: Missing value for '--rate <rate>'"),
        (["bogus-subcommand"], 64, "twload: error: Unexpected argument 'bogus-subcommand'"),
        (
            ["--rate", "10", "--target", "127.0.0.1:80", "--source-addr", "127.0.0.1", "--source-addr", "::1"], 64,
            "twload: error: --source-addr: ::1 is not the same address family as the target"
        ),
        (["--rate", "10", "--csv", ""], 64, "twload: error: --csv: expected a file path or - (got '')"),
        (
            ["--rate", "10", "--fail-on", "(rate"], 64,
            "twload: error: --fail-on: missing ')' for the '(' at column 1 in '(rate'"
        ),
        (
            ["--rate", "10", "--fail-on", "rate > 1 > 2"], 64,
            "twload: error: --fail-on: only one comparison is allowed; found a second '>' at column 10 in 'rate > 1 > 2'"
        ),
        (["--rate", "10", "--target", "[::1]:0"], 64, "twload: error: --target: port must be 1-65535 (got '0')"),
        (["--rate", "10", "--target", ":80"], 64, "twload: error: --target: missing host in ':80'"),
        (
            ["--rate", "10", "--send", "x", "--protocol", "http"], 64,
            "twload: error: --send: applies to --protocol tcp only; --protocol http sends a GET"
        ),
        (
            ["--rate", "10", "--send", "a\\qb"], 64,
            "twload: error: --send: unknown escape '\\q' at character 2; use \\r \\n \\t \\0 \\\\ or \\xHH"
        ),
        (
            ["--rate", "10", "--protocol", "http", "--path", "/a\r\nX-Evil: 1"], 64,
            "twload: error: --path: byte 0x0D at character 3 is not allowed in a request path; percent-encode it (%0D)"
        ),
        (
            ["--rate", "10", "--duration", "1s", "--source-addr", "192.0.2.1"], 64,
            "twload: error: --source-addr: 192.0.2.1 is not an address of any interface here, so bind() to it fails "
                + "with EADDRNOTAVAIL; add it (e.g. ip addr add 192.0.2.1 dev lo) or choose another"
        ),
        (
            ["lab", "--target", "127.0.0.1:80", "--rate", "1", "--duration", "10ms"], 64,
            "twload: error: --target: a lab runs against its built-in server in a namespace of its own, where no "
                + "other server listens; leave --target out, or use twload run --target for an external server"
        ),
        (
            ["lab", "--sysctl", "net.ipv4.tcp_tw_reuse=5", "--rate", "1"], 64,
            "twload: error: --sysctl net.ipv4.tcp_tw_reuse: expected 0, 1 or 2 (got '5')"
        ),
        (
            ["lab", "--sysctl", "net.ipv4.ip_local_port_range=40099 40000", "--rate", "1"], 64,
            "twload: error: --sysctl net.ipv4.ip_local_port_range: expected two ports from 1 to 65535, low first "
                + "(got '40099 40000')"
        ),
        (
            ["lab", "--sysctl", "net.ipv4.no_such_setting=1", "--rate", "1"], 64,
            "twload: error: --sysctl net.ipv4.no_such_setting: this kernel has no such setting "
                + "(no /proc/sys/net/ipv4/no_such_setting)"
        ),
        (
            ["check", "--profile", "/nonexistent.yaml"], 64,
            "twload: error: /nonexistent.yaml: cannot read: No such file or directory"
        ),
    ]

    @Test(arguments: 0..<cases.count)
    func badInputPrintsTheSameLineAndStatusAsBefore(index: Int) throws {
        let (arguments, status, stderr) = Self.cases[index]
        let out = try Harness.twload(arguments, timeout: 20)
        #expect(out.status == status, "\(arguments)")
        #expect(out.stderr == stderr + "\n", "\(arguments)")
        #expect(out.stdout.isEmpty, "\(arguments)")
    }
}
