"""Huge, binary and bomb-like input gets a precise message, fast, never a hang or a crash."""

from __future__ import annotations

import base64
import contextlib
import gzip

import pytest

from idpilot.script_analysis import ScriptBombError, ScriptInputError, analyse_bytes
from idpilot.script_analysis.peel import MAX_PASSES
from idpilot.script_analysis.source import MAX_INPUT_BYTES


def test_an_input_over_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(ScriptInputError, match=r"is 1,048,577 bytes.*at most 1,048,576"):
        analyse_bytes(b"a" * (MAX_INPUT_BYTES + 1), name="big.ps1")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"MZ\x90\x00\x03" + bytes(200), "a Windows executable"),
        (b"PK\x03\x04" + bytes(100), "a ZIP archive"),
        (b"\x7fELF" + bytes(100), "an ELF executable"),
        # mtime=0: the same bytes (and test id) in every process; pytest-xdist's workers must
        # collect the same tests
        (gzip.compress(b"Write-Host hi", mtime=0), "a gzip file"),
        (bytes(range(256)) * 8, "binary data"),
    ],
)
def test_binary_input_is_named_for_what_it_is(data: bytes, words: str) -> None:
    with pytest.raises(ScriptInputError, match=words):
        analyse_bytes(data, name="sample.bin")


def test_empty_input_is_refused() -> None:
    with pytest.raises(ScriptInputError, match="empty"):
        analyse_bytes(b"  \n\t ", name="-")


def test_utf16_input_with_a_byte_order_mark_is_read() -> None:
    analysis = analyse_bytes("Write-Host 'hi'".encode("utf-16"), name="a.ps1")
    assert analysis.decoded == "Write-Host 'hi'"


def test_a_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = base64.b64encode(gzip.compress(b"A" * (64 * 1024 * 1024))).decode()
    script = (
        "IEX (New-Object IO.StreamReader((New-Object IO.Compression.GzipStream("
        f"[IO.MemoryStream][Convert]::FromBase64String('{bomb}'),"
        "[IO.Compression.CompressionMode]::Decompress)))).ReadToEnd()"
    )
    with pytest.raises(ScriptBombError, match=r"gzip stream expands past 4,194,304 bytes"):
        analyse_bytes(script.encode())


def test_too_many_layers_are_refused_as_a_layering_bomb() -> None:
    count = MAX_PASSES + 20  # each variable is one more pass to peel
    names = [f"$v{i}" for i in range(count)]
    assignments = "\n".join(f"{name} = '{i % 10}'" for i, name in enumerate(names))
    script = f"{assignments}\niex ({' + '.join(names)})"
    with pytest.raises(ScriptBombError, match=r"still encoded after 200 decoding passes"):
        analyse_bytes(script.encode())


def test_an_expansion_bomb_is_refused_with_the_size_it_reached() -> None:
    chunk = "A" * 50_000
    template = "{0}" * 100
    script = f"iex ('{template}' -f '{chunk}')"
    with pytest.raises(
        ScriptBombError,
        match=r"layer 1 \(formatString\) expands the script to 5,000,008 characters",
    ):
        analyse_bytes(script.encode())


@pytest.mark.parametrize(
    "text",
    [
        "'" * 200_000,
        "(" * 200_000,
        "[char]" * 100_000,
        "'a'+" * 100_000 + "'a'",
        "`" * 300_000,
        "http://" + "a." * 200_000,
    ],
    ids=["quotes", "parens", "char", "concat", "backticks", "url"],
)
def test_pathological_text_is_analysed_or_refused_never_crashes(text: str) -> None:
    # Catastrophic backtracking would hang here; speed itself is measured in bench/, not here.
    with contextlib.suppress(ScriptInputError):
        analyse_bytes(text.encode())
