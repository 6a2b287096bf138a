"""Each layer kind, peeled alone: the plain text comes back and the layer is named."""

from __future__ import annotations

import base64
import gzip

import pytest

from idpilot.script_analysis.model import Language, LayerKind
from idpilot.script_analysis.peel import peel

PLAIN = "Write-Host 'hi'"
UTF16 = base64.b64encode(PLAIN.encode("utf-16-le")).decode()
GZIP = base64.b64encode(gzip.compress(PLAIN.encode(), mtime=0)).decode()


@pytest.mark.parametrize(
    ("wrapped", "kind"),
    [
        (f"powershell.exe -NoP -W Hidden -EncodedCommand {UTF16}", LayerKind.encoded_command),
        (f"pwsh -ec {UTF16}", LayerKind.encoded_command),
        (f"cmd /c p^o^w^e^r^s^h^e^l^l /enc {UTF16}", LayerKind.encoded_command),
        (
            f"iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('{UTF16}')))",
            LayerKind.base64,
        ),
        (
            "IEX (New-Object IO.StreamReader((New-Object IO.Compression.GzipStream("
            f"[IO.MemoryStream][Convert]::FromBase64String('{GZIP}'),"
            "[IO.Compression.CompressionMode]::Decompress)))).ReadToEnd()",
            LayerKind.compressed,
        ),
        (
            "iex ([string]::Join('', [char[]](" + ",".join(str(ord(c)) for c in PLAIN) + ")))",
            LayerKind.char_codes,
        ),
        ("iex ('{1}{0}' -f ' ''hi''','Write-Host')", LayerKind.format_string),
        ("iex (-join ('''ih'' tsoH-etirW')[-1..-15])", LayerKind.reversal),
        (
            "$r = '''ih'' tsoH-etirW'.ToCharArray(); [array]::Reverse($r); iex (-join $r)",
            LayerKind.reversal,
        ),
        ("iex ('W~#ite-Host ''hi'''.Replace('~#','r'))", LayerKind.replace),
        ("I`nv`oke-Exp`ression ('Write-Host ''hi''')", LayerKind.backtick_escapes),
        ("&($env:ComSpec[4,15,25]-join'') ('Write-Host ''hi''')", LayerKind.invoke_expression),
        ("$p = 'Write-Host ''hi'''\nInvoke-Expression $p", LayerKind.variable),
    ],
)
def test_a_powershell_layer_is_peeled_back_to_the_plain_script(
    wrapped: str, kind: LayerKind
) -> None:
    peeled = peel(wrapped)
    assert peeled.text.strip() == PLAIN
    assert kind in [layer.kind for layer in peeled.layers]


@pytest.mark.parametrize(
    ("wrapped", "language", "plain"),
    [
        ("echo ZWNobyBoaQ== | base64 -d | bash", Language.bash, "echo hi"),
        ("eval $'\\x65\\x63\\x68\\x6f\\x20\\x68\\x69'", Language.bash, "echo hi"),
        ("echo 'ih ohce' | rev | sh", Language.bash, "echo hi"),
        ("eval(atob('YWxlcnQoMSk='));", Language.javascript, "alert(1)"),
        (
            "eval(String.fromCharCode(97,108,101,114,116,40,49,41));",
            Language.javascript,
            "alert(1)",
        ),
        ("eval(')1(trela'.split('').reverse().join(''));", Language.javascript, "alert(1)"),
        ('Execute StrReverse(")1(xoBgsM")', Language.vbscript, "MsgBox(1)"),
        ("Execute Chr(77) & Chr(115) & Chr(103)", Language.vbscript, "Msg"),
        ("@echo off\nset a=cert\nset b=util\n%a%%b% -f", Language.cmd, "@echo off\ncertutil -f"),
        ("c^e^r^t^u^t^i^l -f", Language.cmd, "certutil -f"),
    ],
)
def test_other_languages_layers_are_peeled(wrapped: str, language: Language, plain: str) -> None:
    assert peel(wrapped, hint=language).text.strip() == plain


def test_a_plain_script_has_no_layer_and_keeps_its_text() -> None:
    script = "$users = Get-MgUser -All\n$users | Export-Csv 'C:\\r.csv'  # 'quoted' + 'comment'"
    peeled = peel(script)
    assert peeled.layers == [] and peeled.text == script


def test_a_literal_inside_another_literal_is_not_taken_for_code() -> None:
    script = "Write-Host \"it's 'a' + 'b' and iex 'x'\""
    assert peel(script).text == script
