import OTelSDK
import Tracing

/// The waterfall as a page of its own, for a browser.
extension TraceWaterfall {
    /// The waterfalls as a self-contained HTML page (well-formed XHTML, inline style, no
    /// scripts or network resources). Each span row carries `data-span-id`, and its
    /// attributes as a tooltip; the log records made in a span follow its row (`class="log"`).
    /// - Parameter title: the page title; default "Traces".
    public func html(title: String = "Traces") -> String {
        var page = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <title>\(Self.escaped(title))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2937; background: #ffffff; }
            h1 { font-size: 20px; }
            h2 { font: 600 15px ui-monospace, monospace; margin: 28px 0 8px; }
            .row { display: flex; align-items: center; height: 30px; border-bottom: 1px solid #e5e7eb; }
            .label { box-sizing: border-box; width: 320px; flex: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .kind { font-size: 11px; color: #6b7280; margin-left: 6px; }
            .track { position: relative; flex: 1; height: 18px; background: #f3f4f6; }
            .bar { position: absolute; top: 0; height: 18px; min-width: 3px; border-radius: 3px; }
            .producer { background: #2563eb; }
            .consumer { background: #16a34a; }
            .server, .client, .internal { background: #9333ea; }
            .error { outline: 2px solid #dc2626; }
            .duration { width: 96px; flex: none; text-align: right; font-family: ui-monospace, monospace; }
            .log { font: 12px ui-monospace, monospace; color: #374151; height: 22px; line-height: 22px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            .severity { font-weight: 600; margin-right: 6px; }
            .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
            </style>
            </head>
            <body>
            <h1>\(Self.escaped(title))</h1>
            <p class="legend"><span class="producer"></span>producer<span class="consumer"></span>consumer<span class="internal"></span>other</p>

            """
        for trace in traces {
            let total = Double(max(trace.durationNanoseconds, 1))
            page +=
                "<h2>trace \(trace.traceID.hexString) · \(trace.rows.count) spans · \(Self.milliseconds(trace.durationNanoseconds))</h2>\n"
            page += "<div class=\"trace\" data-trace-id=\"\(trace.traceID.hexString)\">\n"
            for row in trace.rows {
                let span = row.span
                let left = Double(span.startTimeUnixNano - trace.startUnixNano) / total * 100
                let width = Double(span.durationNanoseconds) / total * 100
                let kind = Self.kindName(span.kind).lowercased()
                let error = span.status?.code == .error ? " error" : ""
                var tooltip = ""
                span.forEachAttribute { key, value in tooltip += "\(key) = \(value)\n" }
                page +=
                    "<div class=\"row\" data-span-id=\"\(span.context.spanID.hexString)\" title=\"\(Self.escaped(tooltip))\">"
                page += "<div class=\"label\" style=\"padding-left: \(row.depth * 18)px\">\(Self.escaped(span.name))"
                page += "<span class=\"kind\">\(Self.kindName(span.kind))</span></div>"
                page +=
                    "<div class=\"track\"><div class=\"bar \(kind)\(error)\" style=\"left: \(Self.percent(left)); width: \(Self.percent(width))\"></div></div>"
                page += "<div class=\"duration\">\(Self.milliseconds(span.durationNanoseconds))</div></div>\n"
                for record in row.logRecords {
                    page += "<div class=\"log\" style=\"padding-left: \(row.depth * 18 + 18)px\">"
                    page += "<span class=\"severity\">\(Self.escaped(record.severity.text.uppercased()))</span>"
                    page += "\(Self.escaped(record.body?.description ?? ""))</div>\n"
                }
            }
            page += "</div>\n"
        }
        return page + "</body>\n</html>\n"
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n": result += "&#10;"
            default: result.append(character)
            }
        }
        return result
    }
}
