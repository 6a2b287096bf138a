"""The PDF of each report kind renders, and its pages rendered to PNG show the charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.reports import Audience, ReportFormat, ReportKind
from idpilot.reports.document import charts_of, render

pdfium = pytest.importorskip("pypdfium2")
pdfium_raw = pytest.importorskip("pypdfium2.raw")

ARTIFACTS = Path(__file__).parents[1] / "artifacts"


@pytest.mark.slow
@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("kind", list(ReportKind))
def test_pdf_pages_show_the_charts(
    reports: dict, kind: ReportKind, audience: Audience, tmp_path: Path
) -> None:
    answer = reports[(kind, audience)]
    out = tmp_path / "report.pdf"
    render(answer, ReportFormat.pdf, out)
    assert out.read_bytes().startswith(b"%PDF")
    document = pdfium.PdfDocument(out)
    drawn = 0
    for index in range(len(document)):
        page = document[index]
        images = [o for o in page.get_objects() if o.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE]
        if not images:
            continue
        scale = 2
        rendered = page.render(scale=scale).to_pil()
        picture = rendered.convert("L")
        height = page.get_height()
        for image in images:
            left, bottom, right, top = image.get_bounds()
            box = (
                int(left * scale),
                int((height - top) * scale),
                int(right * scale),
                int((height - bottom) * scale),
            )
            region = picture.crop(box)
            dark = sum(region.histogram()[:200])
            assert dark > region.width * region.height * 0.01, (kind, audience, index)
            drawn += 1
        if kind is ReportKind.posture and audience is Audience.ciso:
            ARTIFACTS.mkdir(exist_ok=True)
            rendered.save(ARTIFACTS / f"report-{kind.value}-page{index + 1}.png")
    assert drawn == len(charts_of(answer))
