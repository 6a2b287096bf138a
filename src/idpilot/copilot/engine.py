"""The way a prompt travels: guard, planner, skills, composer, grounding check, Answer."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from idpilot.copilot.answer import Answer, AnswerStatus, SkillCall, as_published
from idpilot.copilot.comparison_lead import comparison_lead
from idpilot.copilot.composer import (
    CitationBook,
    compose,
    compose_template,
    escape_markdown,
    use_skill_templates,
)
from idpilot.copilot.data_gaps import say_gaps
from idpilot.copilot.described_candidates import ask_which_described
from idpilot.copilot.grounding import GroundingError, ungrounded_entities
from idpilot.copilot.guard import (
    add_limit,
    check_prompt,
    data_instructions,
    data_note,
    redact_model_text,
    screen_prompt,
    shows_instructions,
)
from idpilot.copilot.planner import SLOT_KINDS, Plan, PlannedCall, plan_offline
from idpilot.copilot.progress import Planned, SkillRan, planned
from idpilot.copilot.session import Session, Turn
from idpilot.copilot.trace import Grounding, Step, Trace, Verdict, result_ids
from idpilot.copilot.understanding.capabilities import (
    NOT_YET,
    Capability,
    capabilities,
    describe_readings,
)
from idpilot.copilot.understanding.prompt_names import maskable
from idpilot.logs.source import remote_logs_note
from idpilot.model.records import Record
from idpilot.settings import get_flag, get_int, get_setting
from idpilot.skills import Skill, SkillFacts, SkillRegistry, SkillResult, default_registry
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality

if TYPE_CHECKING:  # the LLM client, planner, agent and phrasing load only when a model is set
    from pydantic import BaseModel

    from idpilot.llm.client import ChatModel
    from idpilot.llm.metering import MeteredModel

OUT_OF_SCOPE_SUGGESTIONS = (
    "Tell me about <user>",
    "Who are the members and owners of <group>?",
    "Why did <user> fail to sign in today?",
)


_SUBJECT_KINDS = ("user", "group", "servicePrincipal", "conditionalAccessPolicy")
_LISTED_KINDS = {
    **{kind: kind for kind in _SUBJECT_KINDS},
    "riskyUser": "user",
    "riskyServicePrincipal": "servicePrincipal",
}
"""Kinds of cited record that stand for an object a follow-up can pick ("the top one")."""
MAX_LISTED = 20
MAX_LISTED_LINE = 300
"""How much of the line citing a listed object a session keeps."""


def answer_evidence(results: list[SkillResult], cited: set[tuple[str, str]]) -> list[Record]:
    """An answer's evidence as published: the cited records, then the candidates offered for a
    name (with their detail among the fields, where a reader of the JSON finds it)."""
    merged: dict[tuple[str, str], Record] = {}
    for result in results:
        for record in result.evidence:
            key = (record.kind, record.id)
            if key not in cited:
                continue
            if key in merged:  # two skills of a compound answer cite one object: all its fields
                first = merged[key]
                merged[key] = first.model_copy(update={"fields": {**record.fields, **first.fields}})
            else:
                merged[key] = record
    items = [as_published(record) for record in merged.values()]
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
            if kind == "user" and value and value not in labels:
                # A name several users share that the skill settled on one ("only Alice Johnson
                # has failed sign-ins"): the person the answer cites first.
                value = next((c.id for c in answer.citations if c.kind == "user"), value)
            if kind in _SUBJECT_KINDS and value in labels:
                subjects.append(
                    EntityMatch(
                        kind=kind, id=value, label=labels[value], phrase="", quality=MatchQuality.id
                    )
                )
    named = plan.request.entities if plan.request is not None else None
    # The objects the prompt named surely, though no slot of the skill took them ("what did
    # Tobias change on BladeScan?": the app too), after the ones it was asked about.
    taken = {s.id for s in subjects}
    matches = named.matches if named else []
    shared = Counter((m.kind, m.phrase) for m in matches)  # "alice": several people, none sure
    subjects += [
        m.model_copy(update={"phrase": ""})
        for m in matches
        if m.kind in _SUBJECT_KINDS
        and m.id not in taken
        and maskable(m)
        and m.phrase
        and shared[(m.kind, m.phrase)] == 1
    ]
    return Turn(
        prompt=prompt,
        skill=call.skill if call else None,
        params=dict(call.params) if call else {},
        subjects=subjects,
        status=answer.status.value,
        error_codes=list(named.error_codes) if named else [],
        ips=list(named.ips) if named else [],
        listed=_listed(answer),
        answered_ips=_answered_ips(answer),
    )


def _answered_ips(answer: Answer) -> list[str]:
    """The first address the answer speaks of, when the question named none ("did anyone spray
    passwords at us?" then "KQL for every sign-in from that IP": the spraying address)."""
    from idpilot.copilot.understanding._slot_network import find_network

    return find_network(answer.answer).ips[:1]


def _listed(answer: Answer) -> list[EntityMatch]:
    """The users, groups, apps and policies the answer cites, in the order it cites them, each
    with the answer's line that cites it first as its detail (what "the medium one" picks by)."""
    lines = answer.answer.splitlines()
    listed: dict[tuple[str, str], EntityMatch] = {}
    for citation in answer.citations:
        kind = _LISTED_KINDS.get(citation.kind)
        if kind is not None and (kind, citation.id) not in listed:
            mark = f"[{citation.n}]"
            line = next((text for text in lines if mark in text), "")
            listed[kind, citation.id] = EntityMatch(
                kind=kind,
                id=citation.id,
                label=citation.label,
                detail=line[:MAX_LISTED_LINE],
                phrase="",
                quality=MatchQuality.id,
            )
    return list(listed.values())[:MAX_LISTED]


@dataclass
class Copilot:
    """Answers prompts about the tenant in one store."""

    store: Store
    registry: SkillRegistry = field(default_factory=default_registry)
    max_prompt_chars: int = field(default_factory=lambda: int(get_setting("max_prompt_chars")))
    model: ChatModel | None = None
    """An LLM that plans, may call further skills (and, with `phrase`, rewords); None answers
    fully offline."""
    phrase: bool = field(default_factory=lambda: get_flag("llm_phrase"))
    compose: bool = field(default_factory=lambda: get_flag("llm_compose"))
    """The model writes the direct answer and summary above the template's details (checked
    by grounding, one retry); `phrase` rewords the whole answer instead when this is off."""
    max_steps: int = field(default_factory=lambda: get_int("llm_max_steps"))
    """Model turns of the agent loop after the plan's skills ran (0: no loop)."""
    observer: Callable[[Planned | SkillRan], None] | None = None
    """Told of the plan once the prompt is understood and of each skill once it has run (the
    API streams these before the Answer)."""

    def ask(self, prompt: str, session: Session | None = None) -> Answer:
        """Answer one prompt with cited evidence (PromptError when the prompt is refused).

        With a session, follow-ups may point back at what earlier turns were about.
        """
        started = time.perf_counter()
        screened = screen_prompt(check_prompt(prompt, self.max_prompt_chars))
        text = screened.text
        metered = self._metered()
        if screened.only_instructions:  # nothing is left to plan: no model reads it either
            plan = Plan(out_of_scope=True)
        else:
            plan = self._plan(text, session, metered)
        self._tell(planned(plan))
        answer = self._answer(text, plan, metered)
        answer.limits = add_limit(answer.limits, screened.note())
        if metered is not None:
            answer = self._with_model(metered, plan, answer)
        _record_plan(answer.trace, plan, metered)
        if metered is not None:
            redact_model_text(answer)
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

    def _metered(self) -> MeteredModel | None:
        """The model, wrapped to record each call's latency and tokens for this answer."""
        if self.model is None:
            return None
        from idpilot.llm.metering import MeteredModel

        return MeteredModel(self.model)

    def _plan(self, prompt: str, session: Session | None, model: MeteredModel | None) -> Plan:
        anchor = self.store.captured_at()
        if model is None:
            return plan_offline(self.store, self.registry, prompt, anchor, session)
        from idpilot.copilot.planner_llm import plan_with_model

        return plan_with_model(model, self.store, self.registry, prompt, anchor, session)

    def _with_model(self, model: MeteredModel, plan: Plan, answer: Answer) -> Answer:
        """What planning with a model adds: why it planned offline, and the model's rewording."""
        from idpilot.copilot.phrasing import rephrase
        from idpilot.copilot.planner_llm import ModelPlan

        if isinstance(plan, ModelPlan) and plan.fallback:
            answer.limits = add_limit(answer.limits, f"planned offline: {plan.fallback}")
        if isinstance(plan, ModelPlan) and plan.disagreement:
            answer.limits = add_limit(answer.limits, plan.disagreement)
        if answer.trace.stopped:
            answer.limits = add_limit(answer.limits, f"agent stopped: {answer.trace.stopped}")
        rewordable = answer.status is AnswerStatus.ok and not data_instructions(answer.evidence)
        if self.compose and rewordable:  # never over tenant text that reads as instructions
            from idpilot.copilot.model_composer import compose_with_model

            with model.doing("compose"):
                composed, rejected = compose_with_model(model, self.store, answer)
            answer.trace.grounding.rejected += rejected
            answer.trace.grounding.model_text = composed.answer != answer.answer
            answer = composed
        elif self.phrase and rewordable:
            before = answer.limits
            with model.doing("phrase"):
                answer = rephrase(model, self.store, answer)
            if answer.limits != before and answer.limits:  # the rewording was not kept
                note = answer.limits[len(before or "") :].lstrip("; ")
                answer.trace.grounding.rejected.append(note)
        return answer

    def _answer(self, prompt: str, plan: Plan, model: MeteredModel | None = None) -> Answer:
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
        return self._run(prompt, plan, model)

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
                followups=[escape_markdown(o.example) for o in options if o.example],
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

    def _run(self, prompt: str, plan: Plan, model: MeteredModel | None = None) -> Answer:
        """Run the planned skills (and the agent loop's), compose one cited, grounded answer."""
        calls: list[SkillCall] = []
        results: list[SkillResult] = []
        steps: list[Step] = []
        for call in plan.calls:
            started = time.perf_counter()
            result = self._run_skill(self.registry.get(call.skill), call.params, model)
            result = ask_which_described(plan, result)
            ids, count = result_ids(result.evidence)
            steps.append(
                Step(
                    n=len(steps) + 1,
                    tool=call.skill,
                    arguments=call.params,
                    status=result.status.value,
                    result_ids=ids,
                    result_count=count,
                    latency_ms=round((time.perf_counter() - started) * 1000, 1),
                )
            )
            results.append(result)
            calls.append(SkillCall(name=call.skill, params=call.params))
            self._tell(SkillRan.of(call.skill, result))
        trace = Trace(steps=steps, grounding=Grounding(verdict=Verdict.grounded))
        statuses = [r.status for r in results if r.status != "ok"]
        more_calls: list[SkillCall] = []
        more: list[SkillResult] = []
        held_back = model is not None and self.max_steps > 0 and shows_instructions(results)
        if held_back:
            trace.stopped = (
                "the results hold text that reads as instructions: no further model steps"
            )
        if model is not None and not held_back and self._may_loop(model, statuses):
            from idpilot.copilot.agent import run_agent

            agent = run_agent(
                model, self.registry, prompt, list(zip(calls, results, strict=True)),
                self.max_steps, self._run_skill,
            )  # fmt: skip
            trace.steps += agent.steps
            trace.stopped = agent.stopped
            kept = [(c, r) for c, r in zip(agent.calls, agent.results, strict=True) if _usable(r)]
            more_calls, more = [c for c, _ in kept], [r for _, r in kept]
        answer = self._compose(prompt, plan, calls + more_calls, results + more)
        if isinstance(answer, list) and more:
            trace.grounding.rejected.append(
                "the further skills' results: the answer named " + ", ".join(answer)
            )
            answer = self._compose(prompt, plan, calls, results)
        if isinstance(answer, list):
            raise GroundingError(
                "idpilot withheld its answer: it named "
                + ", ".join(answer)
                + ", which its evidence does not hold (a bug in idpilot; please report it)"
            )
        answer.status = AnswerStatus(statuses[0].value) if statuses else AnswerStatus.ok
        answer.trace = trace
        answer.limits = add_limit(answer.limits, data_note(data_instructions(answer.evidence)))
        ran = [self.registry.get(call.name) for call in answer.skills]
        remote = remote_logs_note(any(skill.remote_logs for skill in ran))
        answer.limits = add_limit(answer.limits, remote)
        return say_gaps(self.store, answer, ran)

    def _may_loop(self, model: MeteredModel, statuses: list[object]) -> bool:
        """The agent loop runs when steps are allowed, the plan's skills found their objects
        and the model has not already failed for this answer."""
        settled = all(status == "empty" for status in statuses)
        return self.max_steps > 0 and settled and not any(c.failed for c in model.calls)

    def _run_skill(
        self,
        skill: Skill,
        params: BaseModel | dict[str, object],
        model: MeteredModel | None = None,
    ) -> SkillResult:
        """Run a skill; a planned call with a model runs the skill's model variant."""
        if skill.template_package:
            use_skill_templates(skill.template_package)
        if model is not None:
            return skill.run_with_model(self.store, params, model)
        return skill.run(self.store, params)

    def _compose(
        self, prompt: str, plan: Plan, calls: list[SkillCall], results: list[SkillResult]
    ) -> Answer | list[str]:
        """The answer the results make, or the entities it names absent from its evidence."""
        evidence = [record for result in results for record in result.evidence]
        book = CitationBook(evidence)
        form = plan.request.form.value if plan.request is not None else ""
        body = "\n".join(compose(result, book, window=plan.window, form=form) for result in results)
        if lead := comparison_lead(results, prompt):
            body = lead + "\n\n" + body
        items = answer_evidence(results, book.cited())
        if plan.unapplied:
            body = compose_template("_unapplied", conditions=plan.unapplied) + "\n" + body
        if spellings := _spelled_as(plan, calls, {item.id for item in items}):
            body = compose_template("_spelled_as", spellings=spellings) + "\n" + body
        read_as, others = self._reading(plan)
        if read_as is not None:
            body = compose_template("_read_as", reading=read_as, others=others) + "\n" + body
        missing = ungrounded_entities(self.store, body, items, _handed_over(prompt, results))
        if missing:
            return missing
        return Answer(
            prompt=prompt,
            answer=body,
            citations=book.citations(),
            evidence=items,
            skills=calls,
            next_steps=[escape_markdown(s.action) for result in results for s in result.next_steps],
            followups=[escape_markdown(f) for result in results for f in result.followups]
            + [escape_markdown(o.example) for o in others if o.example],
            kql=next((r.kql for r in results if r.kql), None),
            limits=_limits(plan, read_as),
            session_id="",
        )

    def _reading(self, plan: Plan) -> tuple[Capability | None, list[Capability]]:
        """The reading an unsure plan answers and the other readings, described."""
        if not plan.read_as or plan.request is None:
            return None, []
        described = describe_readings(self.registry, plan.request.readings)
        return described[0], [d for d in described[1:] if d is not None]


def _spelled_as(plan: Plan, calls: list[SkillCall], cited: set[str]) -> list[tuple[str, str]]:
    """(as typed, the object read) for each name the answer is about, and cites, that only a
    close spelling matched ("bartlomiej.sekk@..." read as Bartłomiej Sęk)."""
    if plan.request is None:
        return []
    asked = {str(value) for call in calls for value in call.params.values()}
    return [
        (m.phrase, m.label)
        for m in plan.request.entities.matches
        if m.quality is MatchQuality.fuzzy and m.id in asked & cited and m.phrase
    ]


def _limits(plan: Plan, read_as: Capability | None) -> str | None:
    """What the answer could not do: conditions not applied, a question read one way."""
    said = []
    if plan.unapplied:
        said.append("not applied: " + "; ".join(plan.unapplied))
    if read_as is not None:
        said.append(f"unsure what was asked: answered as {read_as.title.lower()}")
    return "; ".join(said) or None


def _usable(result: SkillResult) -> bool:
    """A further step's result joins the answer when it found what it was asked about."""
    return result.status.value in ("ok", "empty")


def _record_plan(trace: Trace, plan: Plan, model: MeteredModel | None) -> None:
    """Fill the trace's plan, planner and model calls (with their tokens) once answered."""
    trace.plan = [SkillCall(name=c.skill, params=c.params) for c in plan.calls]
    request = plan.request
    trace.intent = request.intent if request is not None else None
    trace.facet = request.facet if request is not None else None
    trace.planner = str(getattr(plan, "planner", "offline"))
    trace.fallback = getattr(plan, "fallback", None)
    if model is None:
        return
    from idpilot.copilot.trace import ModelCallRecord

    trace.model = model.name
    trace.model_calls = [
        ModelCallRecord(
            purpose=call.purpose,
            latency_ms=call.latency_ms,
            prompt_tokens=call.usage.prompt_tokens,
            completion_tokens=call.usage.completion_tokens,
            attempts=call.attempts,
            failed=call.failed,
        )
        for call in model.calls
    ]
    trace.count_tokens()


def _handed_over(prompt: str, results: list[SkillResult]) -> str:
    """The prompt and the text skills made from it alone (a decoded script): what the answer
    may name besides its evidence."""
    made = [
        result.facts.handed_over_text()
        for result in results
        if isinstance(result.facts, SkillFacts)
    ]
    return "\n".join([prompt, *made])
