"""Charts are drawn from their spec; tenant text in labels is drawn as text, never as math."""

from __future__ import annotations

from idpilot.reports.charts import draw
from idpilot.reports.model import ChartSpec


def _chart(labels: list[str], style: str = "barh") -> ChartSpec:
    return ChartSpec(
        id="c", title="$\\notacommand{", style=style, labels=labels,
        series={"count": [1.0] * len(labels)}, ref="reportFigure:c", caption="",
    )  # fmt: skip


def test_svg_and_png() -> None:
    assert draw(_chart(["a", "b"]), "svg").startswith(b"<?xml")
    assert draw(_chart(["a", "b"], "line"), "png").startswith(b"\x89PNG")


def test_dollar_signs_in_tenant_text_are_not_math() -> None:
    svg = draw(_chart(["$\\frac{1", "Policy \u202eevil"]), "svg").decode()
    assert "\\frac{1" in svg
    assert "\u202e" not in svg
