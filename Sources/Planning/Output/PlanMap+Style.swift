import Logistics
import RuralPostCore

extension PlanMap {
    /// Inline stylesheet. System font stacks only (no web fonts: the page must work offline),
    /// and a print block that keeps route colours and avoids splitting a route's table.
    static let style = """

    :root { --ink: #1d2330; --muted: #5b6473; --rule: #d8dce3; --warn: #b3261e; }
    * { box-sizing: border-box; }
    body { font: 14px/1.4 -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
           "Microsoft YaHei", sans-serif; color: var(--ink); margin: 24px; background: #fff; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 28px 0 8px; }
    .code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px;
            color: var(--muted); }
    .depot { margin: 0 0 12px; }
    .totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 16px; }
    .totals div { border: 1px solid var(--rule); border-radius: 6px; padding: 6px 12px;
                  min-width: 110px; }
    .totals dt { font-size: 11px; color: var(--muted); text-transform: uppercase; }
    .totals dd { margin: 0; font-size: 20px; font-weight: 600; }
    .totals .warn dd { color: var(--warn); }
    .mapbox { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    /* The map may shrink (aspect kept by its viewBox) so the legend stays beside it on a
       laptop screen instead of dropping below the fold. */
    svg.map { border: 1px solid var(--rule); border-radius: 6px; background: #fbfbf8;
              flex: 1 1 640px; min-width: 0; max-width: 100%; height: auto; }
    svg.map .rt polyline { fill: none; stroke-width: 3; stroke-linejoin: round;
                           stroke-linecap: round; stroke-opacity: .85; }
    svg.map .stop { stroke: #fff; stroke-width: 1.5; }
    svg.map .seq { font: 700 10px sans-serif; fill: #fff; text-anchor: middle;
                   dominant-baseline: central; pointer-events: none; }
    svg.map .cross { stroke: #8a8f98; stroke-width: 3; stroke-linecap: round; }
    svg.map .xhit { fill: transparent; }
    svg.map .depotmark { fill: #111; stroke: #fff; stroke-width: 2; }
    svg.map .scale line { stroke: #333; stroke-width: 2; }
    svg.map .scale text, svg.map .note { font: 11px sans-serif; fill: #333; }
    /* Dim the other routes only while one route is hovered; :has keeps the map untouched
       when the pointer merely crosses empty paper. */
    svg.map:has(.rt:hover) .rt:not(:hover) { opacity: .3; }
    svg.map .rt:hover polyline { stroke-width: 5; }
    .legend { flex: 0 1 230px; min-width: 200px; font-size: 13px; }
    .legend a { color: inherit; }
    .legend h2 { margin-top: 0; }
    .legend ul { list-style: none; padding: 0; margin: 0 0 12px; }
    .legend li { display: flex; align-items: flex-start; gap: 8px; margin: 3px 0; }
    .legend svg { flex: none; }
    .hint { font-size: 12px; color: var(--muted); }
    .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
              vertical-align: -2px; }
    table { border-collapse: collapse; width: 100%; max-width: 1300px; margin: 0 0 8px; }
    caption { text-align: left; padding: 6px 0; font-size: 15px; }
    caption .facts { display: block; font-size: 13px; color: var(--muted); }
    th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left;
             vertical-align: top; }
    th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f4f5f7; }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
    tr.depotrow td { color: var(--muted); font-style: italic; }
    .over { color: var(--warn); font-weight: 600; }
    .empty { color: var(--muted); font-style: italic; }
    section.route { margin-top: 24px; }
    footer { margin-top: 24px; font-size: 11px; color: var(--muted); }
    @media print {
      body { margin: 10mm; font-size: 11px; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      .mapbox { display: block; }
      svg.map { width: 100%; border: none; }
      .legend { max-width: none; }
      .hint { display: none; }
      section.route, .legend { break-inside: avoid; page-break-inside: avoid; }
      th { background: #eee; }
    }

    """
}
