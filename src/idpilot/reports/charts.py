"""Charts drawn by matplotlib (Agg, no display) from a report's chart specs, as SVG or PNG."""

from __future__ import annotations

import io

from idpilot.copilot.inert import inert_text
from idpilot.reports.model import ChartSpec

_COLOURS = {"high": "#c0392b", "medium": "#e67e22", "low": "#f1c40f"}
_DPI = 120


def draw(chart: ChartSpec, image_format: str) -> bytes:
    """The chart as `svg` or `png` bytes; tenant text is drawn as plain text, never as math."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [inert_text(label) for label in chart.labels]
    with matplotlib.rc_context({"text.parse_math": False, "svg.fonttype": "none"}):
        figure, axes = pyplot.subplots(figsize=(7, 3.2), dpi=_DPI)
        try:
            if chart.style == "barh":
                values = next(iter(chart.series.values()))
                bars = axes.barh(labels, values, color="#2e86c1")
                axes.bar_label(bars, fmt="%g", padding=3, fontsize=8)
                axes.margins(x=0.12)
                axes.invert_yaxis()
            elif chart.style == "line":
                for name, values in chart.series.items():
                    axes.plot(labels, values, marker="o", label=name, color=_COLOURS.get(name))
                axes.tick_params(axis="x", labelrotation=45, labelsize=7)
                if len(chart.series) > 1:
                    axes.legend()
            else:
                values = next(iter(chart.series.values()))
                bars = axes.bar(labels, values, color="#2e86c1")
                axes.bar_label(bars, fmt="%g", padding=3, fontsize=8)
            axes.set_title(inert_text(chart.title))
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format=image_format)
            return buffer.getvalue()
        finally:
            pyplot.close(figure)
