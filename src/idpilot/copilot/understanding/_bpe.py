"""The embedding model's tokenizer in pure Python: byte-pair encoding as `tokenizers` does it.

The model ships a Llama-style `tokenizer.json`: its special tokens are split out of the text
first, each remaining piece is normalized (a `▁` put before it, every space made a `▁`) and
byte-pair encoded as one word (no pre-tokenizer), a character outside the vocabulary falling
back to its UTF-8 bytes' tokens. `tokenizers` builds its 61,000 merges from that JSON on every
start, a third of what a cold ask spends before it reads the store; a prompt needs a few dozen
of them. So the merges and the single-character vocabulary are kept as sorted arrays
(`BpeTables`, built once from the JSON and shipped beside the intent index) and looked up by
binary search. The merge loop is the one `tokenizers` runs (lowest merge rank first, leftmost
on ties, a queued pair dropped once a merge changed it), so the ids are the same: a test
compares them with `tokenizers` on every prompt and exemplar idpilot knows.
"""

from __future__ import annotations

import heapq
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SPACE_MARK = "▁"
"""What the normalizer puts before each piece and in place of every space."""
_EXPECTED_NORMALIZER = {
    "type": "Sequence",
    "normalizers": [
        {"type": "Prepend", "prepend": SPACE_MARK},
        {"type": "Replace", "pattern": {"String": " "}, "content": SPACE_MARK},
    ],
}
_NO_EXTRAS = {"dropout": None, "continuing_subword_prefix": None, "end_of_word_suffix": None}


class UnsupportedTokenizer(ValueError):
    """A tokenizer.json whose pipeline this encoder does not reproduce."""


@dataclass(frozen=True)
class BpeTables:
    """What encoding needs from the tokenizer, as integer arrays (sorted for search).

    `merge_keys[k]` is `left * vocab_size + right` of a merge, `merge_ranks[k]` its position in
    the tokenizer's list (lower merges first) and `merge_ids[k]` the token it makes.
    """

    vocab_size: int
    chars: np.ndarray
    """Code points of the single-character tokens, sorted; their ids in `char_ids`."""
    char_ids: np.ndarray
    byte_ids: np.ndarray
    """The id of the `<0xNN>` token of each byte value, -1 where the vocabulary lacks one."""
    merge_keys: np.ndarray
    merge_ranks: np.ndarray
    merge_ids: np.ndarray
    specials: dict[str, int]
    """Added tokens matched in the raw text (`<s>`...), and their ids."""
    unknown_id: int
    fuse_unknown: bool

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays, by name, as a tensor file stores them (wider types first: aligned)."""
        names = sorted(_ARRAYS, key=lambda name: -getattr(self, name).dtype.itemsize)
        return {name: getattr(self, name) for name in names}

    def metadata(self) -> dict[str, str]:
        """The scalars, as strings, as a tensor file stores them."""
        return {
            "vocab_size": str(self.vocab_size),
            "specials": json.dumps(self.specials, ensure_ascii=False, sort_keys=True),
            "unknown_id": str(self.unknown_id),
            "fuse_unknown": json.dumps(self.fuse_unknown),
        }

    @classmethod
    def stored(cls, arrays: dict[str, np.ndarray], metadata: dict[str, str]) -> BpeTables:
        """The tables from what `arrays` and `metadata` gave a tensor file."""
        return cls(
            vocab_size=int(metadata["vocab_size"]),
            specials={str(k): int(v) for k, v in json.loads(metadata["specials"]).items()},
            unknown_id=int(metadata["unknown_id"]),
            fuse_unknown=bool(json.loads(metadata["fuse_unknown"])),
            **{name: arrays[name] for name in _ARRAYS},
        )


_ARRAYS = ("chars", "char_ids", "byte_ids", "merge_keys", "merge_ranks", "merge_ids")


def tables_from_tokenizer_json(path: Path) -> BpeTables:
    """The tables of a `tokenizer.json` whose pipeline this encoder reproduces (else raise)."""
    config = json.loads(path.read_text(encoding="utf-8"))
    model = config.get("model") or {}
    if (
        config.get("normalizer") != _EXPECTED_NORMALIZER
        or config.get("pre_tokenizer") is not None
        or model.get("type") != "BPE"
        or any(model.get(key) != value for key, value in _NO_EXTRAS.items())
        or model.get("ignore_merges", False)
        or not model.get("byte_fallback", False)
    ):
        raise UnsupportedTokenizer(f"{path}: not the Llama-style byte-fallback BPE expected")
    vocab: dict[str, int] = model["vocab"]
    size = max(vocab.values()) + 1
    singles = sorted((ord(token), i) for token, i in vocab.items() if len(token) == 1)
    merges: dict[int, tuple[int, int]] = {}  # a later duplicate wins, as in a map built in order
    for rank, merge in enumerate(model["merges"]):
        left, right = merge.split(" ") if isinstance(merge, str) else merge
        merges[vocab[left] * size + vocab[right]] = (rank, vocab[left + right])
    keys = sorted(merges)
    integer = np.int32 if size * size <= np.iinfo(np.int32).max else np.int64
    return BpeTables(
        vocab_size=size,
        chars=np.array([c for c, _ in singles], dtype=np.int32),
        char_ids=np.array([i for _, i in singles], dtype=integer),
        byte_ids=np.array([vocab.get(f"<0x{b:02X}>", -1) for b in range(256)], dtype=integer),
        merge_keys=np.array(keys, dtype=integer),
        merge_ranks=np.array([merges[k][0] for k in keys], dtype=integer),
        merge_ids=np.array([merges[k][1] for k in keys], dtype=integer),
        specials=_specials(config),
        unknown_id=vocab[model["unk_token"]],
        fuse_unknown=bool(model.get("fuse_unk", False)),
    )


def _specials(config: dict[str, Any]) -> dict[str, int]:
    """Added tokens, which `tokenizers` finds in the raw text before anything else."""
    found = {}
    for token in config.get("added_tokens") or []:
        if any(token.get(flag) for flag in ("normalized", "single_word", "lstrip", "rstrip")):
            raise UnsupportedTokenizer(f"added token {token.get('content')!r} is not plain")
        found[str(token["content"])] = int(token["id"])
    return found


class BpeEncoder:
    """Token ids of a text, from `BpeTables`."""

    def __init__(self, tables: BpeTables) -> None:
        self._tables = tables
        self._char_ids = dict(zip(tables.chars.tolist(), tables.char_ids.tolist(), strict=True))
        self._byte_ids = tables.byte_ids.tolist()
        self._merges: dict[tuple[int, int], tuple[int, int] | None] = {}
        names = sorted(tables.specials, key=lambda token: (-len(token), token))
        self._special = re.compile("|".join(map(re.escape, names))) if names else None

    def encode(self, text: str) -> list[int]:
        """The ids `tokenizers` gives `text` (without the special tokens it would add)."""
        ids: list[int] = []
        start = 0
        for match in self._special.finditer(text) if self._special else ():
            ids += self._word(text[start : match.start()])
            ids.append(self._tables.specials[match.group(0)])
            start = match.end()
        ids += self._word(text[start:])
        return ids

    def _word(self, piece: str) -> list[int]:
        if not piece:
            return []
        symbols = self._symbols(SPACE_MARK + piece.replace(" ", SPACE_MARK))
        return _merge_all(symbols, self._merge)

    def _symbols(self, word: str) -> list[int]:
        """One id per character, or per byte of a character outside the vocabulary; the
        unknown token (for a byte the vocabulary lacks too) is placed as `tokenizers` does."""
        tables = self._tables
        symbols: list[int] = []
        unknown = False  # an unknown token is waiting to be placed
        for character in word:
            known = self._char_ids.get(ord(character))
            if known is not None:
                if unknown:
                    symbols.append(tables.unknown_id)
                    unknown = False
                symbols.append(known)
                continue
            fallback = [self._byte_ids[b] for b in character.encode("utf-8")]
            if all(i >= 0 for i in fallback):
                symbols += fallback
            elif unknown and not tables.fuse_unknown:
                symbols.append(tables.unknown_id)
            else:
                unknown = True
        if unknown:
            symbols.append(tables.unknown_id)
        return symbols

    def _merge(self, left: int, right: int) -> tuple[int, int] | None:
        """(rank, new id) of the merge of two tokens, or None when they do not merge."""
        pair = (left, right)
        if pair not in self._merges:
            tables = self._tables
            key = left * tables.vocab_size + right
            at = int(np.searchsorted(tables.merge_keys, key))
            found = at < len(tables.merge_keys) and int(tables.merge_keys[at]) == key
            self._merges[pair] = (
                (int(tables.merge_ranks[at]), int(tables.merge_ids[at])) if found else None
            )
        return self._merges[pair]


def _merge_all(symbols: list[int], merge: Any) -> list[int]:
    """Apply merges to a word's symbols as `tokenizers`' `Word::merge_all` does: a queue of
    (rank, position, new id), lowest first; an entry whose pair no longer makes that id is
    dropped; each merge queues the new pairs with its neighbours."""
    count = len(symbols)
    ids = list(symbols)
    previous = list(range(-1, count - 1))
    following = list(range(1, count + 1))
    alive = [True] * count
    queue = []
    for position in range(count - 1):
        found = merge(ids[position], ids[position + 1])
        if found is not None:
            queue.append((found[0], position, found[1]))
    heapq.heapify(queue)
    while queue:
        _, position, new_id = heapq.heappop(queue)
        if not alive[position] or following[position] >= count:
            continue
        right = following[position]
        current = merge(ids[position], ids[right])
        if current is None or current[1] != new_id:
            continue
        ids[position] = new_id
        alive[right] = False
        following[position] = following[right]
        if following[right] < count:
            previous[following[right]] = position
        if previous[position] >= 0:
            found = merge(ids[previous[position]], new_id)
            if found is not None:
                heapq.heappush(queue, (found[0], previous[position], found[1]))
        if following[position] < count:
            found = merge(new_id, ids[following[position]])
            if found is not None:
                heapq.heappush(queue, (found[0], position, found[1]))
    return [ids[i] for i in range(count) if alive[i]]
