"""The system Chromium driven by Playwright: where it is, how it is launched, and a signed-in
page that records every console error (a CSP violation is one) and script error."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent.parent / "artifacts"
VIEWPORT = {"width": 1366, "height": 850}
"""A laptop screen."""
WAIT_MS = 30_000


def chromium_path() -> str:
    """The system Chromium (IDPILOT_CHROMIUM, else `chromium` on the PATH); a missing browser
    fails the browser tests with what to do, never skips them."""
    named = os.environ.get("IDPILOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(named).exists():
        pytest.fail(
            f"Chromium is not installed (looked for {named}): the browser tests need it. "
            "Run `make test` (it installs the Debian package `chromium`), or "
            "`sudo apt-get install -y chromium`, or set IDPILOT_CHROMIUM to a Chromium binary.",
            pytrace=False,
        )
    return named


@dataclass
class Problems:
    """What the browser reported while a test ran: console errors and uncaught exceptions."""

    messages: list[str] = field(default_factory=list)

    def console(self, message: object) -> None:
        """Keep console errors (CSP violations and failed loads are reported as errors)."""
        if getattr(message, "type", "") == "error":
            self.messages.append(f"console: {getattr(message, 'text', message)}")

    def exception(self, error: object) -> None:
        """Keep an uncaught exception of a script."""
        self.messages.append(f"exception: {error}")


def screenshot(page: object, name: str) -> Path:
    """Save a screenshot of the page into tests/artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)  # type: ignore[attr-defined]
    return path
