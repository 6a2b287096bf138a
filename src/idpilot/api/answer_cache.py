"""Answers the server already gave, kept per store version: the same question about the same
version of the tenant has the same grounded answer, so it is not worked out again."""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from idpilot.copilot.answer import Answer

CacheKey = tuple[tuple[int, int, int], str]


class AnswerCache:
    """A bounded, thread-safe map from (store version, question) to its offline Answer.

    The store version is the file the store path names and its modification time: an ingest
    publishes a new file, so its answers are new. Only answers to a question asked outside a
    session, planned offline, are kept (a follow-up depends on its session; a model may word
    the same answer differently). A hit is a copy with an answer id of its own.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._answers: OrderedDict[CacheKey, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, store: Path, prompt: str) -> CacheKey | None:
        """The key of `prompt` asked of the store version `store` names now (None: no cache)."""
        if self.entries <= 0:
            return None
        try:
            found = os.stat(store)
        except OSError:
            return None
        return (found.st_dev, found.st_ino, found.st_mtime_ns), " ".join(prompt.split())

    def get(self, key: CacheKey | None) -> Answer | None:
        """A fresh copy of the kept answer, or None."""
        if key is None:
            return None
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                return None
            self._answers.move_to_end(key)
        return answer.model_copy(deep=True, update={"answer_id": uuid.uuid4().hex})

    def put(self, key: CacheKey | None, answer: Answer) -> None:
        """Keep `answer` under `key`, forgetting the least recently used beyond the bound."""
        if key is None:
            return
        with self._lock:
            self._answers[key] = answer.model_copy(deep=True)
            self._answers.move_to_end(key)
            while len(self._answers) > self.entries:
                self._answers.popitem(last=False)
