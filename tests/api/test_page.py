"""The page and its static files: open without a token, a strict CSP (no inline script or
style), no inline script or style in the HTML, and scripts that never parse data as HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from idpilot.api.page import STATIC
from tests.api.served import Served

HTML_SINKS = re.compile(
    r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
    r"createContextualFragment|DOMParser"
)


class _Inline(HTMLParser):
    """Collects what the CSP would have to allow: inline scripts, styles, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            if not names.get("src"):
                self.problems.append("inline <script>")
            else:
                self.scripts.append(str(names["src"]))
        if tag == "style":
            self.problems.append("<style>")
        for name in names:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{tag} {name}=")


def test_the_page_is_served_without_a_token_with_a_strict_csp(api: Served) -> None:
    with api.client() as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    found = _Inline()
    found.feed(response.text)
    assert found.problems == []
    assert found.scripts == ["/static/js/main.js"]


def test_every_static_file_is_served_and_the_api_still_needs_a_token(api: Served) -> None:
    files = [p for p in STATIC.rglob("*") if p.is_file()]
    with api.client() as client:
        for path in files:
            url = "/static/" + path.relative_to(STATIC).as_posix()
            response = client.get(url)
            assert response.status_code == 200, url
            if path.suffix == ".js":
                assert "javascript" in response.headers["content-type"], url
        assert client.get("/api/me").status_code == 401
        assert client.get("/static/../served.py").status_code == 404


def test_no_script_parses_text_as_html() -> None:
    for path in STATIC.rglob("*.js"):
        text = path.read_text()
        assert HTML_SINKS.search(text) is None, path.name
