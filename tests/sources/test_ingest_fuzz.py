"""Malformed snapshots, generated and hand-made: a clear SnapshotError and an unchanged store.

Whatever bytes a snapshot file holds, ingest either succeeds or raises SnapshotError naming the
file; any other exception (DuckDB's, a RecursionError, a UnicodeDecodeError) fails the test.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import GRAPH_EXAMPLES
from tests.sources.test_ingest import fingerprint

FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID_USERS = (GRAPH_EXAMPLES / "user.list.json").read_bytes()
VALID_LINES = b"".join(
    json.dumps(user).encode() + b"\n" for user in json.loads(VALID_USERS)["value"]
)
NAMES = ["users.json", "users.jsonl", "users.json.gz", "users.jsonl.gz", "groups.json"]


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store that already holds records, so 'unchanged' means something (shared: every
    example compares the store before and after itself)."""
    folder = tmp_path_factory.mktemp("fuzz") / "baseline"
    folder.mkdir()
    (folder / "groups.json").write_text(json.dumps([{"id": "g1", "displayName": "Base"}]))
    store = Store.open(folder.parent / "store.duckdb")
    ingest_folder(store, folder)
    yield store
    store.close()


def ingest_bytes(store: Store, name: str, content: bytes) -> None:
    """Ingest one file; it must succeed, or fail as a SnapshotError leaving the store as it was."""
    before = fingerprint(store)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / name).write_bytes(content)
        try:
            ingest_folder(store, folder)
        except SnapshotError as error:
            assert error.path.parent == folder, error
            assert str(error).strip(), "an error with no message"
            assert fingerprint(store) == before
        # Anything else propagates and fails the test with its traceback.


def _mutate(data: bytes, mutations: list[tuple[int, int, bytes]]) -> bytes:
    for kind, position, chunk in mutations:
        at = position % (len(data) + 1)
        if kind == 0:  # cut the file here
            data = data[:at]
        elif kind == 1:  # insert bytes
            data = data[:at] + chunk + data[at:]
        elif kind == 2:  # delete a stretch
            data = data[:at] + data[at + len(chunk) + 1 :]
        else:  # overwrite
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


MUTATIONS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
    min_size=1,
    max_size=4,
)
SYNTAX_BYTES = st.lists(st.sampled_from([*b'{}[]:,"\\ \n0-.eE', 0, 0xFF, 0xC3]))


@FUZZ
@given(mutations=MUTATIONS)
def test_mutated_list_responses(filled_store: Store, mutations: list) -> None:
    ingest_bytes(filled_store, "users.json", _mutate(VALID_USERS, mutations))


@FUZZ
@given(mutations=MUTATIONS)
def test_mutated_json_lines(filled_store: Store, mutations: list) -> None:
    ingest_bytes(filled_store, "users.jsonl", _mutate(VALID_LINES, mutations))


@FUZZ
@given(mutations=MUTATIONS, compress_first=st.booleans())
def test_mutated_gzip_files(filled_store: Store, mutations: list, compress_first: bool) -> None:
    if compress_first:  # damage the compressed stream
        content = _mutate(gzip.compress(VALID_USERS), mutations)
    else:  # compress damaged JSON
        content = gzip.compress(_mutate(VALID_USERS, mutations))
    ingest_bytes(filled_store, "users.json.gz", content)


@FUZZ
@given(name=st.sampled_from(NAMES), tokens=SYNTAX_BYTES)
def test_arbitrary_syntax(filled_store: Store, name: str, tokens: list[int]) -> None:
    ingest_bytes(filled_store, name, bytes(tokens))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@FUZZ
@given(name=st.sampled_from(["users.json", "groups.json", "signIns.json"]), value=JSON_VALUES)
def test_well_formed_json_of_any_shape(filled_store: Store, name: str, value: object) -> None:
    ingest_bytes(filled_store, name, json.dumps(value).encode())


@FUZZ
@given(
    record=st.dictionaries(
        st.sampled_from(["id", "accountEnabled", "createdDateTime", "displayName", "value"]),
        JSON_VALUES,
        max_size=4,
    )
)
def test_records_with_properties_of_any_type(filled_store: Store, record: dict) -> None:
    ingest_bytes(filled_store, "users.json", json.dumps({"value": [record]}).encode())


CORPUS = {
    "invalid UTF-8": ("users.json", b'[{"id": "u\xff\xfe1"}]'),
    "byte order mark": ("users.json", b'\xef\xbb\xbf[{"id": "u1"}]'),
    "NUL byte": ("users.json", b'[{"id": "u1"}]\x00'),
    "top-level scalar": ("users.json", b"42"),
    "top-level string": ("users.json", b'"users"'),
    "value not a list": ("users.json", b'{"value": 5}'),
    "array of numbers": ("users.json", b"[1, 2, 3]"),
    "null": ("users.json", b"null"),
    "NaN": ("users.json", b'[{"id": "u1", "x": NaN}]'),
    "comment": ("users.json", b'[{"id": "u1"} /* c */]'),
    "single quotes": ("users.json", b"[{'id': 'u1'}]"),
    "unterminated string": ("users.json", b'[{"id": "u1'),
    "control character in string": ("users.json", b'[{"id": "u\x011"}]'),
    "huge number": ("users.json", b'[{"id": "u1", "n": 1' + b"0" * 5000 + b"}]"),
    "lone surrogate escape": ("users.json", b'[{"id": "\\ud800"}]'),
    "garbage gzip": ("users.json.gz", b"\x1f\x8bnot really gzip"),
    "empty gzip header only": ("users.json.gz", gzip.compress(b"")[:10]),
    "JSON Lines with an array per line": ("users.jsonl", b'[{"id": "u1"}]\n[{"id": "u2"}]\n'),
    "JSON Lines with CRLF": ("users.jsonl", b'{"id": "u1"}\r\n{"id": "u2"}\r\n'),
    "JSON Lines with a broken line": ("users.jsonl", b'{"id": "u1"}\n{"id": \n{"id": "u3"}\n'),
    "deep object bomb": ("users.json", b'[{"id": "u1", "x": ' + b'{"a":' * 3000 + b"}" * 3000),
    "deep array bomb, interleaved": ("users.json", b"[[]," * 3000 + b"]" * 3000),
    "id of the wrong type": ("users.json", b'[{"id": 5}]'),
    "wrong typed column": ("users.json", b'[{"id": "u1", "accountEnabled": "yes"}]'),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_corpus_of_broken_files(filled_store: Store, case: str) -> None:
    name, content = CORPUS[case]
    ingest_bytes(filled_store, name, content)
