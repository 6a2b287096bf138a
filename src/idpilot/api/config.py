"""What a server is configured with: its store, its app state, its limits and its clock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from idpilot.api.answer_cache import AnswerCache
from idpilot.settings import get_int, get_setting
from idpilot.state.paths import state_path
from idpilot.store.app_state import AppState, open_app_state
from idpilot.store.published import PublishedStore

if TYPE_CHECKING:
    from idpilot.api.entra.verify import EntraSignIn


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServerConfig:
    """One server's configuration (read from the settings by `from_settings`)."""

    store: Path
    state: Path
    quota_units_per_day: int = 500
    max_body_bytes: int = 65_536
    max_prompt_chars: int = 4_000
    cors_origins: tuple[str, ...] = ()
    use_model: bool = True
    """Plan with the configured LLM, if any (False: offline, as `--offline`)."""
    clock: Callable[[], datetime] = field(default=utc_now)
    answers: AnswerCache = field(default_factory=lambda: AnswerCache(0))
    """Answers given per store version, for repeated questions (`answer_cache`)."""
    entra: EntraSignIn | None = None
    """Entra ID sign-in (`IDPILOT_ENTRA_TENANT_ID`), None when off: idpilot tokens only."""
    tenant: PublishedStore = field(init=False, repr=False, compare=False)
    """The tenant store, each published version opened once and read by every request."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tenant", PublishedStore(self.store))

    def app_state(self) -> AbstractContextManager[AppState]:
        """The app state for one use, kept open briefly between requests."""
        return open_app_state(self.state, keep_warm=True)

    @classmethod
    def from_settings(cls, store: Path, *, use_model: bool = True) -> ServerConfig:
        """The configuration the settings give for the tenant store at `store`."""
        from idpilot.api.entra.verify import EntraSignIn

        origins = tuple(o.strip() for o in get_setting("cors_origins").split(",") if o.strip())
        return cls(
            store=store,
            state=state_path(store),
            quota_units_per_day=get_int("quota_units_per_day"),
            max_body_bytes=get_int("max_body_bytes"),
            max_prompt_chars=get_int("max_prompt_chars"),
            cors_origins=origins,
            use_model=use_model,
            answers=AnswerCache(get_int("answer_cache_entries")),
            entra=EntraSignIn.from_settings(),
        )
