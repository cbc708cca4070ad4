import Foundation
import Testing

/// `twload plot`'s output in a real browser: Debian's Chromium, headless. For a real short run and the committed
/// collapse run, both the HTML and the SVG load without console errors, show their four panels, and give a screenshot that is not one
/// colour. The screenshots stay in `.build/plot-screenshots/` for a developer to look at.
struct PlotBrowserTests {
    static let chromium = Harness.which("chromium")
    static let screenshots = PlotCommandTests.root.appendingPathComponent(".build/plot-screenshots")

    /// Chromium, bounded, with a profile of its own. GNU `timeout` runs it in a process group of its own and
    /// kills the whole group (browser, zygote, renderers) after 60 s, then SIGKILL 5 s later; Harness.run
    /// kills `timeout` itself by its PID should even that hang. Status 124 means Chromium hung.
    static func chromium(_ arguments: [String], profile: URL) throws -> Harness.Output {
        let out = try Harness.run(
            "/usr/bin/timeout",
            [
                "-k", "5", "60", chromium ?? "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--hide-scrollbars", "--user-data-dir=\(profile.path)", "--enable-logging=stderr",
                "--v=0",
            ] + arguments, timeout: 90)
        #expect(out.status != 124, "chromium hung for 60 s and was killed")
        return out
    }

    /// Console messages (errors, uncaught exceptions, warnings) Chromium logged for the page.
    static func consoleLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    }

    /// The runs plotted: a fresh short run, and the committed 60 s collapse run with its summary (predicted
    /// and measured markers).
    static let runs = ["short-run", "collapse"]

    @Test(arguments: runs, ["html", "svg"])
    func plotOpensInHeadlessChromiumWithoutErrorsWithFourPanelsAndAPicture(run: String, format: String) throws {
        guard let chromium = Self.chromium else {
            print("skipped the browser test: no chromium on PATH (Debian package chromium; .ci/run installs it)")
            return
        }
        _ = chromium
        let dir = try PlotCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = PlotCommandTests.root.appendingPathComponent("docs")
        let inputs =
            run == "collapse"
            ? [
                docs.appendingPathComponent("collapse.csv").path, "--summary",
                docs.appendingPathComponent("collapse.json").path,
            ]
            : [try PlotCommandTests.shortRun(in: dir)]
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let page = Self.screenshots.appendingPathComponent("\(run).\(format)")
        let plot = try Harness.twload(["plot"] + inputs + ["-o", page.path], timeout: 30)
        #expect(plot.status == 0, "\(plot.stderr)")

        // 1. No console errors, and the browser's own DOM has the four panels (the page's script counts them
        // for HTML and records any script error).
        let dom = try Self.chromium(["--dump-dom", page.absoluteString], profile: dir.appendingPathComponent("p1"))
        #expect(dom.status == 0, "chromium --dump-dom: \(dom.stderr.suffix(2000))")
        #expect(Self.consoleLines(dom.stderr).isEmpty, "\(Self.consoleLines(dom.stderr))")
        #expect(!dom.stdout.contains("parsererror"), "the browser could not parse the \(format)")
        #expect(dom.stdout.components(separatedBy: "<g class=\"panel\"").count - 1 == 4, "\(dom.stdout.prefix(500))")
        if format == "html" {
            #expect(dom.stdout.contains("data-errors=\"0\""))
            #expect(dom.stdout.contains("data-panels=\"4\""), "the page's script saw four panels")
        }

        // 2. A screenshot that is the expected size and not one colour.
        let png = Self.screenshots.appendingPathComponent("\(run)-\(format).png")
        try? FileManager.default.removeItem(at: png)
        let shot = try Self.chromium(
            ["--screenshot=\(png.path)", "--window-size=1040,1100", page.absoluteString],
            profile: dir.appendingPathComponent("p2"))
        #expect(shot.status == 0, "chromium --screenshot: \(shot.stderr.suffix(2000))")
        #expect(Self.consoleLines(shot.stderr).isEmpty, "\(Self.consoleLines(shot.stderr))")
        let data = try Data(contentsOf: png)
        let size = try #require(PNGCheck.size(data), "not a PNG: \(png.path)")
        #expect(size.width == 1040 && size.height == 1100, "\(size)")
        if let colours = try PNGCheck.distinctColours(png.path) {
            #expect(colours > 4, "a blank screenshot: \(colours) colours")
        } else {
            print("skipped the colour check: no python3 to decode \(png.path)")
        }
        print("plot screenshot: \(png.path)")
    }
}

/// Just enough PNG reading to tell a picture from a blank page.
enum PNGCheck {
    /// Width and height from the IHDR chunk, or nil when `data` is not a PNG.
    static func size(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    /// How many distinct pixel colours the PNG has (at most 1000 counted), decoded by python3's zlib; nil when
    /// python3 is not installed. Handles 8-bit RGB and RGBA, which is what Chromium writes.
    static func distinctColours(_ path: String) throws -> Int? {
        guard let python = Harness.which("python3") else { return nil }
        let script = """
            import struct, sys, zlib
            d = open(sys.argv[1], 'rb').read()
            pos, idat, w, h, ct = 8, b'', 0, 0, 0
            while pos < len(d):
                n, kind = struct.unpack('>I4s', d[pos:pos + 8]); body = d[pos + 8:pos + 8 + n]; pos += 12 + n
                if kind == b'IHDR': w, h, bits, ct = struct.unpack('>IIBB', body[:10])
                if kind == b'IDAT': idat += body
            bpp = {2: 3, 6: 4}[ct]; raw = zlib.decompress(idat); stride = w * bpp
            prev, seen, i = bytearray(stride), set(), 0
            for y in range(h):
                f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                prev = line
                if y % 7 == 0 and len(seen) < 1000:
                    seen.update(bytes(line[k:k + bpp]) for k in range(0, stride, bpp * 3))
            print(len(seen))
            """
        let out = try Harness.run(python, ["-c", script, path], timeout: 60)
        return Int(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
