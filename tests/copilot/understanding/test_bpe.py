"""The pure-Python tokenizer gives the ids `tokenizers` gives; its shipped tables are current."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from tokenizers import Tokenizer

from idpilot.copilot.understanding import tokenizer_tables
from idpilot.copilot.understanding._bpe import (
    BpeEncoder,
    UnsupportedTokenizer,
    tables_from_tokenizer_json,
)
from idpilot.copilot.understanding.build_index import main, tables_are_current
from idpilot.copilot.understanding.embedding import TOKENIZER_FILE, model_folder
from idpilot.evaluation.phrasings import default_corpus_path

REBUILD = "python -m idpilot.copilot.understanding.build_index"
CASES = Path(__file__).parents[3] / "src" / "idpilot" / "evaluation" / "cases"
EXEMPLARS = Path(__file__).parents[3] / "src/idpilot/copilot/understanding/exemplars.yaml"
EDGES = [
    "",
    " ",
    "  two  spaces  ",
    "<s>",
    "a<s>b</s><unk>c",
    "<s><s>",
    "tab\there\nnew line\r\n",
    "日本語 ünïcode Jörg Ñandú İstanbul ǅ ﬁ",
    "emoji 🙂 👩‍💻 and a lone \ud7ff",
    "\u200b\u202e hidden \x00\x01",
    "<0x41> is not a byte token",
    "▁▁ already marked ▁",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "x" * 400,
    "AADSTS50126 at 10.0.0.1/24 on Tue, Nov 16 (UTC+01:00)",
]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _known_texts() -> list[str]:
    files = [EXEMPLARS, *sorted(CASES.glob("*.yaml"))]
    if default_corpus_path().is_file():
        files.append(default_corpus_path())
    return [text for path in files for text in _strings(yaml.safe_load(path.read_text()))]


def _random_texts(count: int) -> list[str]:
    picker = random.Random(9)
    alphabet = [chr(c) for c in [*range(32, 127), *range(0xA0, 0x250), 0x2581, 0x3042]]
    alphabet += ["\U0001f600", "\U0010ffff", "\u4e00", "<s>", "</s>", "  "]
    return [
        "".join(picker.choice(alphabet) for _ in range(picker.randint(0, 40))) for _ in range(count)
    ]


@pytest.fixture(scope="module")
def reference() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_folder() / TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _reference_ids(tokenizer: Tokenizer, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


def test_the_shipped_tables_are_current_with_the_tokenizer() -> None:
    path = tokenizer_tables.tables_path()
    assert tables_are_current(path), f"the tokenizer tables are stale: run `{REBUILD}`"
    shipped, _ = tokenizer_tables.read_tables(path) or (None, None)
    built = tables_from_tokenizer_json(model_folder() / TOKENIZER_FILE)
    assert shipped is not None
    assert shipped.metadata() == built.metadata()
    for name, array in built.arrays().items():
        assert shipped.arrays()[name].tolist() == array.tolist(), name


def test_every_known_prompt_and_exemplar_gets_the_ids_tokenizers_gives(
    reference: Tokenizer,
) -> None:
    texts = _known_texts() + EDGES
    assert len(texts) > 2000  # the exemplar bank and the evaluation cases were read
    encoder = BpeEncoder(tokenizer_tables.tables_for(model_folder() / TOKENIZER_FILE))
    assert [encoder.encode(t) for t in texts] == _reference_ids(reference, texts)


def test_random_text_gets_the_ids_tokenizers_gives(reference: Tokenizer) -> None:
    texts = _random_texts(1500)
    encoder = BpeEncoder(tables_from_tokenizer_json(model_folder() / TOKENIZER_FILE))
    assert [encoder.encode(t) for t in texts] == _reference_ids(reference, texts)


def _small_tokenizer(fuse_unknown: bool) -> dict[str, object]:
    """A tokenizer whose vocabulary lacks most characters and some bytes: the unknown token."""
    vocab = {"<unk>": 0, "<s>": 1, "<0x41>": 2, "<0xC3>": 3, "▁": 4, "a": 5, "b": 6, "c": 7}
    vocab |= {"ab": 8, "▁a": 9, "▁ab": 10, "bc": 11, "abc": 12, "cc": 13}
    merges = ["a b", "▁ a", "▁a b", "b c", "ab c", "c c"]
    plain = {"single_word": False, "lstrip": False, "rstrip": False, "normalized": False}
    return {
        "version": "1.0",
        "added_tokens": [
            {"id": 0, "content": "<unk>", "special": True, **plain},
            {"id": 1, "content": "<s>", "special": True, **plain},
        ],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": "▁"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
            ],
        },
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": None,
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<unk>",
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": fuse_unknown,
            "byte_fallback": True,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }


@pytest.mark.parametrize("fuse_unknown", [True, False])
def test_unknown_characters_and_missing_bytes_as_tokenizers_places_them(
    tmp_path: Path, fuse_unknown: bool
) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(_small_tokenizer(fuse_unknown)))
    reference = Tokenizer.from_file(str(path))
    texts = ["abc", "a bc", "xyz", "axxb", "aÁb", "Ãxc", "A", "abcc<s>cabc", "é", "zé z"]
    texts += ["".join(random.Random(n).choices("abcxÁÃA <s>", k=12)) for n in range(300)]
    encoder = BpeEncoder(tables_from_tokenizer_json(path))
    assert [encoder.encode(t) for t in texts] == _reference_ids(reference, texts)


def test_a_tokenizer_with_another_pipeline_is_refused(tmp_path: Path) -> None:
    config = _small_tokenizer(True)
    config["pre_tokenizer"] = {"type": "Whitespace"}
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(config))
    with pytest.raises(UnsupportedTokenizer):
        tables_from_tokenizer_json(path)


def test_missing_damaged_or_stale_tables_are_built_from_the_tokenizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokenizer = model_folder() / TOKENIZER_FILE
    assert tokenizer_tables.read_tables(tmp_path / "none.safetensors") is None
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00not json")
    assert tokenizer_tables.read_tables(damaged) is None
    stale = tmp_path / "stale.safetensors"
    tables = tables_from_tokenizer_json(tokenizer)
    tokenizer_tables.write_tables(stale, tables, {"format": "1", "tokenizer_size": "1"})
    built: list[Path] = []
    monkeypatch.setattr(
        tokenizer_tables,
        "tables_from_tokenizer_json",
        lambda path: built.append(path) or tables,
    )
    for shipped in (tmp_path / "none.safetensors", damaged, stale):
        monkeypatch.setattr(tokenizer_tables, "tables_path", lambda shipped=shipped: shipped)
        assert tokenizer_tables.tables_for(tokenizer) is tables
    assert built == [tokenizer] * 3
    monkeypatch.setattr(tokenizer_tables, "tables_path", lambda: stale)
    assert not tables_are_current(stale)


def test_the_build_writes_the_same_tables_as_the_shipped_file(tmp_path: Path) -> None:
    index, tables = tmp_path / "index.safetensors", tmp_path / "tables.safetensors"
    assert main(["--out", str(index), "--tables-out", str(tables)]) == 0
    assert tables.read_bytes() == tokenizer_tables.tables_path().read_bytes()
    assert main(["--check", "--out", str(index), "--tables-out", str(tables)]) == 0
    missing = str(tmp_path / "missing.safetensors")
    assert main(["--check", "--out", str(index), "--tables-out", missing]) == 1
