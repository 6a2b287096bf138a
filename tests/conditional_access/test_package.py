"""The package's public names load on first use and are all there."""

from __future__ import annotations

import subprocess
import sys

import pytest

import idpilot.conditional_access as conditional_access


def test_every_public_name_resolves_and_an_unknown_one_is_an_attribute_error() -> None:
    for name in conditional_access.__all__:
        assert getattr(conditional_access, name) is not None
    assert "evaluate" in dir(conditional_access)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = conditional_access.no_such_name


def test_importing_an_enum_does_not_load_the_evaluator() -> None:
    probe = (
        "import sys\n"
        "from idpilot.conditional_access import ClientAppType\n"
        "print('idpilot.conditional_access.evaluator' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
