/// The HTML form of a plot: the SVG inline, a little CSS, and a few lines of script that move a cursor
/// across the panels and read the time under the mouse. Nothing is fetched: it opens offline.
enum HTMLPage {
    /// Records script errors on the root element (`data-errors`), so a test can tell a page whose script
    /// failed; then follows the mouse with the cursor line and the readout.
    static let script = """
        "use strict";
        window.addEventListener("error", function () {
          var d = document.documentElement; d.dataset.errors = String(Number(d.dataset.errors || 0) + 1);
        });
        (function () {
          var svg = document.querySelector("svg"), cursor = document.getElementById("cursor");
          var out = document.getElementById("readout");
          if (!svg || !cursor || !out) { return; }
          var x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1), t1 = Number(svg.dataset.t1);
          svg.addEventListener("mousemove", function (e) {
            var p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
            var q = p.matrixTransform(svg.getScreenCTM().inverse());
            if (q.x < x0 || q.x > x1) { cursor.style.visibility = "hidden"; return; }
            cursor.setAttribute("x1", q.x); cursor.setAttribute("x2", q.x);
            cursor.style.visibility = "visible";
            out.textContent = "elapsed " + ((q.x - x0) / (x1 - x0) * t1).toFixed(2) + " s";
          });
          document.documentElement.dataset.panels = String(svg.querySelectorAll("g.panel").length);
        })();
        """

    static func wrap(_ svg: String, title: String) -> String {
        let t = SVGWriter.escape(title)
        return """
            <!DOCTYPE html>
            <html lang="en" data-errors="0">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(t)</title>
            <style>
            body{margin:0;padding:8px;background:#f4f4f4;font-family:"DejaVu Sans",Helvetica,Arial,sans-serif}
            main{max-width:1000px}
            main svg{display:block;width:100%;height:auto;background:#fff}
            #readout{font-size:12px;color:#333;min-height:1.2em;margin:4px 0}
            </style>
            </head>
            <body>
            <p id="readout">Move the mouse over a panel to read the time.</p>
            <main>
            \(svg)</main>
            <script>
            \(script)
            </script>
            </body>
            </html>

            """
    }
}
