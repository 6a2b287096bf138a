"""The way a prompt travels: guard, planner, skills, composer, grounding check, Answer."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from idpilot.copilot.answer import Answer, AnswerStatus, SkillCall, as_published
from idpilot.copilot.composer import (
    CitationBook,
    compose,
    compose_template,
    escape_markdown,
    use_skill_templates,
)
from idpilot.copilot.grounding import GroundingError, ungrounded_entities
from idpilot.copilot.guard import check_prompt
from idpilot.copilot.planner import SLOT_KINDS, Plan, PlannedCall, plan_offline
from idpilot.copilot.progress import Planned, SkillRan, planned
from idpilot.copilot.session import Session, Turn
from idpilot.copilot.understanding.capabilities import (
    NOT_YET,
    capabilities,
    describe_readings,
)
from idpilot.model.records import Record
from idpilot.settings import get_flag, get_setting
from idpilot.skills import SkillRegistry, SkillResult, default_registry
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality

if TYPE_CHECKING:  # the LLM client, planner and phrasing load only when a model is set
    from idpilot.llm.client import ChatModel

OUT_OF_SCOPE_SUGGESTIONS = (
    "Tell me about <user>",
    "Who are the members and owners of <group>?",
    "Why did <user> fail to sign in today?",
)


_SUBJECT_KINDS = ("user", "group", "servicePrincipal", "conditionalAccessPolicy")


def answer_evidence(results: list[SkillResult], cited: set[tuple[str, str]]) -> list[Record]:
    """An answer's evidence as published: the cited records, then the candidates offered for a
    name (with their detail among the fields, where a reader of the JSON finds it)."""
    items = [
        as_published(r) for result in results for r in result.evidence if (r.kind, r.id) in cited
    ]
    items += [
        Record(kind=c.kind, id=c.id, label=c.label, fields={"detail": c.detail})
        for result in results
        for c in result.candidates
    ]
    return items


def _turn(prompt: str, plan: Plan, answer: Answer, registry: SkillRegistry) -> Turn:
    """What a session remembers of an answered prompt: its skill and the objects it was about
    (the objects its skill was asked about, whatever kind of record the answer cites them by:
    a risk summary cites a user's riskyUser record, not the user)."""
    call = plan.calls[0] if plan.calls else None
    labels = {e.id: e.label for e in answer.evidence}
    own_kind = [e for e in answer.evidence if e.kind in _SUBJECT_KINDS]
    labels.update({e.id: e.label for e in own_kind})  # names it best
    subjects = []
    if call is not None and call.skill in registry:
        for name, slot_kind in registry.get(call.skill).slots().items():
            kind = SLOT_KINDS.get(slot_kind)
            value = str(call.params.get(name) or "")
            if kind in _SUBJECT_KINDS and value in labels:
                subjects.append(
                    EntityMatch(
                        kind=kind, id=value, label=labels[value], phrase="", quality=MatchQuality.id
                    )
                )
    return Turn(
        prompt=prompt,
        skill=call.skill if call else None,
        params=dict(call.params) if call else {},
        subjects=subjects,
        status=answer.status.value,
    )


@dataclass
class Copilot:
    """Answers prompts about the tenant in one store."""

    store: Store
    registry: SkillRegistry = field(default_factory=default_registry)
    max_prompt_chars: int = field(default_factory=lambda: int(get_setting("max_prompt_chars")))
    model: ChatModel | None = None
    """An LLM that plans (and, with `phrase`, rewords); None answers fully offline."""
    phrase: bool = field(default_factory=lambda: get_flag("llm_phrase"))
    observer: Callable[[Planned | SkillRan], None] | None = None
    """Told of the plan once the prompt is understood and of each skill once it has run (the
    API streams these before the Answer)."""

    def ask(self, prompt: str, session: Session | None = None) -> Answer:
        """Answer one prompt with cited evidence (PromptError when the prompt is refused).

        With a session, follow-ups may point back at what earlier turns were about.
        """
        started = time.perf_counter()
        text = check_prompt(prompt, self.max_prompt_chars)
        plan = self._plan(text, session)
        self._tell(planned(plan))
        answer = self._answer(text, plan)
        if self.model is not None:
            answer = self._with_model(self.model, plan, answer)
        answer.session_id = session.id if session else uuid.uuid4().hex
        answer.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        if session is not None:
            session.remember(_turn(text, plan, answer, self.registry))
        return answer

    def answer_skill(self, skill: str, params: dict[str, Any], prompt: str) -> Answer:
        """Run one skill with the given parameters and compose its cited, grounded Answer
        (the API's what-if, posture and risky-user routes; `prompt` says what was asked)."""
        started = time.perf_counter()
        answer = self._run(prompt, Plan(calls=[PlannedCall(skill=skill, params=params)]))
        answer.session_id = uuid.uuid4().hex
        answer.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def _tell(self, step: Planned | SkillRan) -> None:
        if self.observer is not None:
            self.observer(step)

    def _plan(self, prompt: str, session: Session | None) -> Plan:
        anchor = self.store.captured_at()
        if self.model is None:
            return plan_offline(self.store, self.registry, prompt, anchor, session)
        from idpilot.copilot.planner_llm import plan_with_model

        return plan_with_model(self.model, self.store, self.registry, prompt, anchor, session)

    def _with_model(self, model: ChatModel, plan: Plan, answer: Answer) -> Answer:
        """What planning with a model adds: why it planned offline, and the model's rewording."""
        from idpilot.copilot.phrasing import add_limit, rephrase
        from idpilot.copilot.planner_llm import ModelPlan

        if isinstance(plan, ModelPlan) and plan.fallback:
            answer.limits = add_limit(answer.limits, f"planned offline: {plan.fallback}")
        if isinstance(plan, ModelPlan) and plan.disagreement:
            answer.limits = add_limit(answer.limits, plan.disagreement)
        if self.phrase and answer.status is AnswerStatus.ok:
            answer = rephrase(model, self.store, answer)
        return answer

    def _answer(self, prompt: str, plan: Plan) -> Answer:
        if plan.out_of_scope:
            body = compose_template("_out_of_scope", suggestions=OUT_OF_SCOPE_SUGGESTIONS)
            return Answer(
                prompt=prompt,
                status=AnswerStatus.out_of_scope,
                answer=body,
                limits="out of scope: idpilot answers questions about this Entra ID tenant",
                session_id="",
            )
        if plan.help or plan.clarify or plan.not_yet:
            return self._about_idpilot(prompt, plan)
        if plan.missing:
            body = compose_template("_missing_slot", kind=plan.missing, name=plan.unresolved_name)
            return Answer(
                prompt=prompt,
                status=AnswerStatus.missing
                if plan.unresolved_name is None
                else AnswerStatus.not_found,
                answer=body,
                skills=[SkillCall(name=c.skill, params=c.params) for c in plan.calls],
                session_id="",
            )
        return self._run(prompt, plan)

    def _about_idpilot(self, prompt: str, plan: Plan) -> Answer:
        """An answer no skill gives: what idpilot can do, which reading was meant, not yet."""
        if plan.help:
            body = compose_template("_help", capabilities=capabilities(self.registry))
            return Answer(prompt=prompt, answer=body, session_id="")
        readings = plan.request.readings if plan.request else []
        if plan.clarify:
            options = [r for r in describe_readings(self.registry, readings) if r is not None]
            body = compose_template("_clarify", readings=options)
            return Answer(
                prompt=prompt,
                status=AnswerStatus.ambiguous,
                answer=body,
                followups=[o.example for o in options if o.example],
                limits="unsure what was asked: the best readings were too close to call",
                session_id="",
            )
        not_yet = plan.not_yet or ""
        alternatives = [r for r in describe_readings(self.registry, readings[1:]) if r is not None]
        body = compose_template("_not_yet", capability=NOT_YET[not_yet], alternatives=alternatives)
        return Answer(
            prompt=prompt,
            status=AnswerStatus.out_of_scope,
            answer=body,
            limits=f"not yet: idpilot cannot {NOT_YET[not_yet]} yet",
            session_id="",
        )

    def _run(self, prompt: str, plan: Plan) -> Answer:
        """Run the planned skills and compose their results into one cited answer."""
        results: list[SkillResult] = []
        calls = []
        for call in plan.calls:
            skill = self.registry.get(call.skill)
            if skill.template_package:
                use_skill_templates(skill.template_package)
            results.append(skill.run(self.store, call.params))
            calls.append(SkillCall(name=call.skill, params=call.params))
            self._tell(SkillRan.of(call.skill, results[-1]))
        evidence = [record for result in results for record in result.evidence]
        book = CitationBook(evidence)
        body = "\n".join(compose(result, book, window=plan.window) for result in results)
        items = answer_evidence(results, book.cited())
        if plan.unapplied:
            body = compose_template("_unapplied", conditions=plan.unapplied) + "\n" + body
        missing = ungrounded_entities(self.store, body, items, prompt)
        if missing:
            raise GroundingError(f"answer names entities absent from its evidence: {missing}")
        statuses = [r.status for r in results if r.status != "ok"]
        return Answer(
            prompt=prompt,
            status=AnswerStatus(statuses[0].value) if statuses else AnswerStatus.ok,
            answer=body,
            citations=book.citations(),
            evidence=items,
            skills=calls,
            next_steps=[escape_markdown(s.action) for result in results for s in result.next_steps],
            followups=[escape_markdown(f) for result in results for f in result.followups],
            kql=next((r.kql for r in results if r.kql), None),
            limits="not applied: " + "; ".join(plan.unapplied) if plan.unapplied else None,
            session_id="",
        )
