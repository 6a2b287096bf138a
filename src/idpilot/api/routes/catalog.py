"""What idpilot offers and who is asking: `GET /api/skills`, `/api/prompts`, `/api/me`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.models import Me, PromptInfo, SkillInfo
from idpilot.copilot.builtin_prompts import BUILTIN_PROMPTS
from idpilot.skills import default_registry
from idpilot.state.roles import Role

router = APIRouter(tags=["catalog"])
Reader = Annotated[Caller, Depends(access(Role.reader))]


@router.get("/api/skills", openapi_extra=route_access(Role.reader))
def skills(caller: Reader) -> list[SkillInfo]:
    """Every skill: what it answers and the JSON schema of its typed inputs."""
    return [
        SkillInfo(
            name=skill.name,
            description=skill.description,
            inputs=skill.input_model.model_json_schema(),
        )
        for skill in default_registry().all()
    ]


@router.get("/api/prompts", openapi_extra=route_access(Role.reader))
def prompts(caller: Reader) -> list[PromptInfo]:
    """The built-in prompts, with the placeholders a client fills before asking."""
    return [
        PromptInfo(id=p.id, title=p.title, prompt=p.prompt, skill=p.skill, inputs=p.inputs)
        for p in BUILTIN_PROMPTS
    ]


@router.get("/api/me", openapi_extra=route_access(Role.reader))
def me(request: Request, caller: Reader) -> Me:
    """The caller's user, role and token, and today's use of the daily quota."""
    config = config_of(request)
    with config.app_state() as state:
        used = state.units_used(caller.user, config.clock().date())
    return Me(
        user=caller.user,
        role=caller.role,
        token_id=caller.token_id,
        units_used_today=used,
        units_per_day=config.quota_units_per_day,
    )
