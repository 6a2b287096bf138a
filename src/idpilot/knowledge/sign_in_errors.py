"""Sign-in error codes (AADSTS): Microsoft's published table joined with idpilot's own guidance."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from idpilot.knowledge import _text_search
from idpilot.knowledge._published_table import PublishedRow, read_published_rows
from idpilot.knowledge._yaml_lines import load_records
from idpilot.knowledge.errors import KnowledgeFileError

SUCCESS_CODE = 0
ERROR_PREFIX = "AADSTS"
_CODE_TEXT = re.compile(r"^(?:aadsts)?(\d+)$", re.IGNORECASE)
_INTERRUPT_NAME_SUFFIX = "Interrupt"

CodeLike = int | str


class ErrorCategory(StrEnum):
    """What area of Entra ID a sign-in error belongs to."""

    credentials = "credentials"
    mfa = "mfa"
    conditional_access = "conditionalAccess"
    device = "device"
    account = "account"
    application = "application"
    consent = "consent"
    token = "token"
    federation = "federation"
    network = "network"
    interrupt = "interrupt"
    service = "service"


class WhoFixes(StrEnum):
    """Who can act on a sign-in error."""

    user = "user"
    admin = "admin"
    app_owner = "appOwner"
    microsoft = "microsoft"


class SeverityHint(StrEnum):
    """How much attention a code deserves when it shows up in the logs."""

    info = "info"  # a normal step; no action
    low = "low"  # one user, self-healing or simple fix
    medium = "medium"  # blocks work, needs an admin
    high = "high"  # possible compromise or a tenant-wide outage


class EntrySource(StrEnum):
    """Where the fact that a code exists comes from."""

    microsoft = "microsoft"  # Microsoft's published table
    idpilot = "idpilot"  # not in the table; known to idpilot


class CuratedEntry(BaseModel):
    """One entry of `sign_in_errors.yaml`: idpilot's own explanation of a code."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    code: int = Field(ge=0)
    title: str = Field(min_length=3)
    category: ErrorCategory
    cause: str = Field(min_length=10)
    who_fixes: tuple[WhoFixes, ...] = Field(min_length=1)
    fix: tuple[str, ...] = Field(min_length=1)
    is_interrupt: bool
    severity_hint: SeverityHint
    related: tuple[int, ...] = ()
    source: EntrySource = EntrySource.microsoft


class ErrorCode(BaseModel):
    """One AADSTS code: the published facts, plus idpilot's guidance when curated."""

    model_config = ConfigDict(frozen=True)

    code: int
    error: str
    source: EntrySource = EntrySource.microsoft
    name: str | None = None
    aliases: tuple[str, ...] = ()
    published_message: str | None = None
    """Microsoft's message cut at its first sentence, quoted as published; None if unpublished."""
    curated: CuratedEntry | None = None

    @property
    def is_curated(self) -> bool:
        """True when idpilot has its own guidance for this code."""
        return self.curated is not None

    @property
    def is_interrupt(self) -> bool:
        """Curated flag; otherwise Microsoft's naming convention (`...Interrupt`)."""
        if self.curated is not None:
            return self.curated.is_interrupt
        return any(label.endswith(_INTERRUPT_NAME_SUFFIX) for label in self.aliases)

    @property
    def title(self) -> str:
        """Curated title, else the published name, else the error string."""
        if self.curated is not None:
            return self.curated.title
        return self.name or self.error


class Explanation(BaseModel):
    """What a code means and what to do, ready for a renderer; `found=False` for unknown codes."""

    model_config = ConfigDict(frozen=True)

    query: str
    code: int | None
    error: str | None
    found: bool
    curated: bool
    title: str
    cause: str
    who_fixes: tuple[WhoFixes, ...] = ()
    fix: tuple[str, ...] = ()
    is_interrupt: bool = False
    category: ErrorCategory | None = None
    severity_hint: SeverityHint | None = None
    related: tuple[int, ...] = ()
    published_message: str | None = None


def parse_code(value: CodeLike) -> int | None:
    """The integer code for 50053, "50053", "AADSTS50053" or "aadsts50053"; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    match = _CODE_TEXT.match(value.strip())
    return int(match.group(1)) if match else None


def _build_codes(
    rows: list[PublishedRow], entries: list[tuple[CuratedEntry, int]], yaml_path: Path
) -> dict[int, ErrorCode]:
    """Join published rows with curated entries; curated-only codes must say `source: idpilot`."""
    codes: dict[int, ErrorCode] = {}
    for row in rows:
        codes[row.code] = ErrorCode(
            code=row.code,
            error=row.error,
            name=row.name or None,
            aliases=row.labels,
            published_message=row.first_sentence or None,
        )
    curated_lines: dict[int, int] = {}
    for entry, line in entries:
        if entry.code in curated_lines:
            raise KnowledgeFileError(
                yaml_path,
                line,
                f"code {entry.code} already curated on line {curated_lines[entry.code]}",
            )
        curated_lines[entry.code] = line
        published = codes.get(entry.code)
        if published is None and entry.source is not EntrySource.idpilot:
            raise KnowledgeFileError(
                yaml_path,
                line,
                f"code {entry.code} is not in the published table; mark it `source: idpilot`",
            )
        if published is not None and entry.source is EntrySource.idpilot:
            raise KnowledgeFileError(
                yaml_path,
                line,
                f"code {entry.code} is in the published table; drop `source: idpilot`",
            )
        base = published or ErrorCode(
            code=entry.code, error=f"{ERROR_PREFIX}{entry.code}", source=EntrySource.idpilot
        )
        codes[entry.code] = base.model_copy(update={"curated": entry})
    return codes


class ErrorCatalog:
    """Every known AADSTS code, looked up by code, by name or by words."""

    def __init__(self, codes: dict[int, ErrorCode]) -> None:
        self._codes = dict(sorted(codes.items()))
        self._by_name = {
            label.casefold(): entry for entry in self._codes.values() for label in entry.aliases
        }

    @classmethod
    def from_files(cls, table_csv: Path, curated_yaml: Path) -> ErrorCatalog:
        """Load Microsoft's CSV and idpilot's YAML; malformed files raise KnowledgeFileError."""
        rows = read_published_rows(table_csv)
        entries = load_records(curated_yaml, "entries", CuratedEntry)
        return cls(_build_codes(rows, entries, curated_yaml))

    def __len__(self) -> int:
        """Number of codes, published and idpilot-only."""
        return len(self._codes)

    def __iter__(self) -> Iterator[ErrorCode]:
        """Every code, in code order."""
        return iter(self._codes.values())

    def __contains__(self, code: object) -> bool:
        """True for a known code in any accepted spelling."""
        return isinstance(code, int | str) and self.get(code) is not None

    @property
    def curated(self) -> list[ErrorCode]:
        """The codes idpilot has its own guidance for, in code order."""
        return [entry for entry in self._codes.values() if entry.is_curated]

    @property
    def published(self) -> list[ErrorCode]:
        """The codes of Microsoft's published table, in code order."""
        return [e for e in self._codes.values() if e.source is EntrySource.microsoft]

    def get(self, code: CodeLike) -> ErrorCode | None:
        """The entry for a code in any accepted spelling, or None when unknown."""
        number = parse_code(code)
        return None if number is None else self._codes.get(number)

    def by_name(self, name: str) -> ErrorCode | None:
        """The entry whose published name (or `Name - ` label) is `name`, case-insensitive."""
        return self._by_name.get(name.strip().casefold())

    def search(self, text: str, limit: int | None = None) -> list[ErrorCode]:
        """Entries matching words of `text` in name, title, cause or message, best first."""
        exact = self.get(text)
        query_words = _text_search.words(text)
        ranked: list[tuple[tuple[int, int], ErrorCode]] = []
        for entry in self._codes.values():
            key = _text_search.score(query_words, _search_fields(entry))
            if key[0] > 0 and entry is not exact:
                ranked.append((key, entry))
        # Ties go to the shorter (more specific) title, then to the lower code.
        ranked.sort(
            key=lambda item: (
                -item[0][0],
                -item[0][1],
                len(_text_search.words(item[1].title)),
                item[1].code,
            )
        )
        results = ([exact] if exact is not None else []) + [entry for _, entry in ranked]
        return results[:limit] if limit is not None else results

    def is_interrupt(self, code: CodeLike) -> bool:
        """True when the code is a normal step of a sign-in that can still succeed."""
        entry = self.get(code)
        return entry is not None and entry.is_interrupt

    def is_success(self, code: CodeLike) -> bool:
        """True for error code 0 (the sign-in succeeded)."""
        return parse_code(code) == SUCCESS_CODE

    def explain(self, code: CodeLike) -> Explanation:
        """What the code means and who fixes it; unknown codes get a `found=False` explanation."""
        query = str(code)
        number = parse_code(code)
        if number == SUCCESS_CODE:
            return Explanation(
                query=query,
                code=0,
                error=None,
                found=True,
                curated=True,
                title="Success",
                cause="The sign-in succeeded; error code 0 means no error.",
                severity_hint=SeverityHint.info,
            )
        entry = self.get(code)
        if entry is None:
            shown = f"{ERROR_PREFIX}{number}" if number is not None else repr(query)
            return Explanation(
                query=query,
                code=number,
                error=shown if number is not None else None,
                found=False,
                curated=False,
                title="Unknown sign-in error code",
                cause=f"{shown} is not in idpilot's error catalog (Microsoft's published table "
                "plus idpilot's curated codes); look it up by its message in the sign-in log.",
            )
        curated = entry.curated
        if curated is None:
            return Explanation(
                query=query,
                code=entry.code,
                error=entry.error,
                found=True,
                curated=False,
                title=entry.title,
                cause=entry.published_message
                or f"Microsoft publishes only the name {entry.title} for this code.",
                is_interrupt=entry.is_interrupt,
                published_message=entry.published_message,
            )
        return Explanation(
            query=query,
            code=entry.code,
            error=entry.error,
            found=True,
            curated=True,
            title=curated.title,
            cause=curated.cause,
            who_fixes=curated.who_fixes,
            fix=curated.fix,
            is_interrupt=curated.is_interrupt,
            category=curated.category,
            severity_hint=curated.severity_hint,
            related=curated.related,
            published_message=entry.published_message,
        )


def _search_fields(entry: ErrorCode) -> list[tuple[str, int]]:
    """The texts search looks at, with their weights: names and titles count most."""
    fields = [(" ".join(entry.aliases), 3), (entry.published_message or "", 1)]
    if entry.curated is not None:
        fields += [(entry.curated.title, 3), (entry.curated.cause, 2)]
    return fields


def _data_file(name: str) -> Path:
    """Path of a file shipped in `idpilot/knowledge/data`."""
    return Path(str(resources.files("idpilot.knowledge").joinpath("data", name)))


@cache
def default_catalog() -> ErrorCatalog:
    """The catalog built from the package's data files, loaded once per process."""
    return ErrorCatalog.from_files(
        _data_file("aadsts_codes.csv"), _data_file("sign_in_errors.yaml")
    )


def interrupt_followed_by_success(
    codes_in_order: Sequence[CodeLike], catalog: ErrorCatalog | None = None
) -> bool:
    """True when one attempt's codes are one or more interrupts and then a final success (0)."""
    catalog = catalog or default_catalog()
    if len(codes_in_order) < 2 or not catalog.is_success(codes_in_order[-1]):
        return False
    return all(catalog.is_interrupt(code) for code in codes_in_order[:-1])
