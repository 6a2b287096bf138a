"""The evaluation sets `idpilot eval` runs, and how each is prepared and scored.

- `contoso`: the shipped cases on the given store (the demo tenant) with its scenarios.json.
- `contoso-fresh`: questions on the same store written by a helper who never read the planner
  or the shipped cases, before idpilot was tuned on them (`fresh/contoso.yaml`).
- `contoso-fresh2`: a second fresh set on the same store, written the same way by another helper
  who read no other question file (`fresh/contoso2.yaml`).
- `contoso-fresh3`: a third fresh set on the same store, written the same way by a third helper
  (`fresh/contoso3.yaml`).
- `contoso-fresh4`: a fourth fresh set on the same store, written the same way by a fourth helper,
  with follow-ups and the voices of helpdesk, managers, auditors and security leads
  (`fresh/contoso4.yaml`).
- `contoso-fresh5`: a fifth fresh set on the same store, written the same way by a fifth helper:
  pasted tickets, rambling and terse admins, a compliance officer, times dated by events, apps
  named by what they do, asks for one field, follow-ups (`fresh/contoso5.yaml`).
- `contoso-fresh6`: a sixth fresh set on the same store, written the same way by a sixth helper:
  a help-desk agent on the phone, a manager's bullet points, a compliance officer's evidence
  periods, a new admin describing what they cannot name, false premises (`fresh/contoso6.yaml`).
- `contoso-fresh7`: a seventh fresh set on the same store, written the same way by a seventh
  helper: an MSP engineer, a SOC analyst pivoting from alerts, a compliance officer in business
  terms, line managers, an Intune admin, several constraints at once, objects named as the
  portal shows them (`fresh/contoso7.yaml`).
- `contoso-fresh8`: an eighth fresh set on the same store, written the same way by an eighth
  helper: shift handover notes, a new CISO's rankings, an HR partner's joiners and leavers, app
  owners who know only their app, clock times, the asker's own hypothesis, thresholds and
  rankings, three-turn follow-ups (`fresh/contoso8.yaml`).
- `contoso-fresh9`: a ninth fresh set on the same store, written the same way by a ninth
  helper: an identity engineer's field names, service owners, an incident commander, a DPO,
  people named by relationship, several constraints with a negation, one exact figure, and
  follow-ups that change one thing (`fresh/contoso9.yaml`).
- `contoso-fresh10`: a tenth fresh set on the same store, written the same way by a tenth
  helper: an on-premises AD admin's words, an analyst's shorthand, "why" questions about a
  state, comparisons over time, next steps, British, Indian and Australian office English, two
  questions in one, follow-ups that point back (`fresh/contoso10.yaml`).
- `contoso-fresh11`: an eleventh fresh set on the same store, written the same way by an
  eleventh helper after session 12's first changes: fast lowercase chat, urgent escalations,
  rows pasted from portal exports, hypotheses to confirm or refute, last-N and top-N, AWS,
  Google Workspace and Okta words, policies by their effect on users, follow-ups that correct
  the last question (`fresh/contoso11.yaml`).
- `contoso-fresh12`: a twelfth fresh set on the same store, written the same way by a twelfth
  helper in session 13: counts whose number is the answer, yes/no verdicts with evidence,
  comparisons of two periods, people or groups, questions about absence, the wrong word for
  the thing, two conditions at once, two questions in one, requests relayed from someone else
  (`fresh/contoso12.yaml`).
- `contoso-fresh13`: a thirteenth fresh set on the same store, written the same way by a
  thirteenth helper after session 13's first changes: an Intune admin's devices, "why not"
  questions, thresholds as conditions, alert and incident text pasted, a few words of another
  language, a new admin asking where things are, times relative to events, what happened and
  what next in one breath (`fresh/contoso13.yaml`).
- `contoso-fresh14`: a fourteenth fresh set on the same store, written the same way by a
  fourteenth helper in session 14: dates in every format admins type, false premises, people
  scoped by their attributes, one field only, several people or objects in one question,
  urgent escalations with noise, an on-premises AD admin's words, non-technical stakeholders
  (`fresh/contoso14.yaml`).
- `contoso-fresh15`: a fifteenth fresh set on the same store, written the same way by a
  fifteenth helper after session 14's changes: Graph and PowerShell speak, output formats,
  stacked scope limits, a security architect's questions of purpose, trends and baselines,
  abbreviations, recommendations grounded in the data, three-turn chains
  (`fresh/contoso15.yaml`).
- `vindelkraft-dev` / `vindelkraft-test`: the second tenant's questions, one half each, on its
  own generated store (cached beside the given store).
- `vindelkraft-fresh`: a further set of questions on the second tenant, written by a helper who
  never read the planner, before idpilot was tuned on it (not split, not to be tuned on).
- `vindelkraft-fresh2`: a second fresh set on the second tenant, written the same way by another
  helper, to measure again how idpilot understands questions it has never seen.
- `vindelkraft-fresh3`: a third fresh set on the second tenant, written the same way by a third
  helper who read no other question file (`cases/fresh3.yaml`).
- `vindelkraft-fresh4`: a fourth fresh set on the second tenant, written the same way by a fourth
  helper, in managers' and auditors' words (`cases/fresh4.yaml`).
- `vindelkraft-fresh5`: a fifth fresh set on the second tenant, written the same way by a fifth
  helper: helpdesk tickets, Teams chat, a CISO and an auditor (`cases/fresh5.yaml`).
- `vindelkraft-fresh6`: a sixth fresh set on the second tenant, written the same way by a sixth
  helper: phone typing, two conditions, superlatives, objects named by what they do, mixed
  languages and dates written as dates (`cases/fresh6.yaml`).
- `vindelkraft-fresh7`: a seventh fresh set on the second tenant, written the same way by a
  seventh helper: on call at night, quoted users, an auditor's date ranges, a CISO's yes/no,
  wrong product names, people named by role and exceptions (`cases/fresh7.yaml`).
- `vindelkraft-fresh8`: an eighth fresh set on the second tenant, written the same way by an
  eighth helper: incident timelines, a consultant's numbered asks, a manager's request relayed,
  the portal's blade names, implicit follow-ups, teams by name and abbreviations
  (`cases/fresh8.yaml`).
- `vindelkraft-fresh9`: a ninth fresh set on the second tenant, written the same way by a ninth
  helper: help-desk tickets in the user's words, an auditor's evidence requests, a non-native
  speaker, a junior admin's own words, a CISO's one number, phone typing, negations,
  comparisons and the portal's ids (`cases/fresh9.yaml`).
- `vindelkraft-fresh10`: a tenth fresh set on the second tenant, written the same way by a tenth
  helper: a Nordic admin's week numbers and dates, a security architect, an ISO 27001 / NIS2
  auditor's controls, an ops lead's automation accounts, site managers and device platforms,
  the asker's own hypothesis, comparisons, three-turn follow-ups (`cases/fresh10.yaml`).
- `vindelkraft-fresh11`: an eleventh fresh set on the second tenant, written the same way by an
  eleventh helper: a works-council representative, a site IT coordinator, a penetration tester,
  a finance controller, a new IT manager's one-change follow-ups, people named by role or
  relationship, several constraints with negations, one exact figure (`cases/fresh11.yaml`).
- `vindelkraft-fresh12`: a twelfth fresh set on the second tenant, written the same way by a
  twelfth helper: an on-premises AD admin's words, an HR business partner's joiners, movers and
  leavers, a security analyst's shorthand, "why" questions about a state, comparisons over
  time, a site manager's shifts and shared devices, two questions in one, follow-ups that point
  back (`cases/fresh12.yaml`).
- `vindelkraft-fresh13`: a thirteenth fresh set on the second tenant, written the same way by a
  thirteenth helper after session 12's first changes: fast lowercase chat, urgent escalations,
  rows pasted from portal exports, hypotheses to confirm or refute, last-N and top-N, AWS,
  Google Workspace and Okta words, policies by their effect on users, follow-ups that correct
  the last question (`cases/fresh13.yaml`).
- `vindelkraft-fresh14`: a fourteenth fresh set on the second tenant, written the same way by a
  fourteenth helper in session 13, in the voices of `contoso-fresh12` (`cases/fresh14.yaml`).
- `vindelkraft-fresh15`: a fifteenth fresh set on the second tenant, written the same way by a
  fifteenth helper after session 13's first changes, in the voices of `contoso-fresh13`
  (`cases/fresh15.yaml`).
- `vindelkraft-fresh16`: a sixteenth fresh set on the second tenant, written the same way by a
  sixteenth helper in session 14, in the voices of `contoso-fresh14` (`cases/fresh16.yaml`).
- `vindelkraft-fresh17`: a seventeenth fresh set on the second tenant, written the same way by
  a seventeenth helper after session 14's changes, in the voices of `contoso-fresh15`
  (`cases/fresh17.yaml`).
- `phrasings-contoso` / `phrasings-vindelkraft`: the shared phrasing corpus instantiated on the
  given store and on the second tenant, scored by intent accuracy.
- `redteam`: hostile prompts and poisoned records (`redteam/cases.yaml`) on a poisoned copy of
  the given store, offline and with the scripted hostile model, and through the API (with a
  model: through that model, its agent loop and its rewording); its figure is the violations
  found (the target is 0).
- `nl2kql-dev` / `nl2kql-test`: requests for KQL on the demo tenant (`nl2kql_pairs/pairs.yaml`),
  one half each, scored by execution accuracy against hand-written reference queries, the
  kinds the builder covers apart from the questions it should refuse (`nl2kql`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from idpilot.errors import IdpilotError
from idpilot.evaluation import fresh
from idpilot.evaluation.cases import EvalCase, default_case_files, load_cases
from idpilot.evaluation.nl2kql import KQL_TARGET, KqlEvalReport, load_pairs, run_nl2kql
from idpilot.evaluation.phrasings import PhrasingReport, load_corpus, run_phrasings
from idpilot.evaluation.redteam.cases import load_redteam_cases
from idpilot.evaluation.redteam.runner import RedTeamReport, run_redteam
from idpilot.evaluation.runner import EvalReport, load_answer_key, run_evaluation
from idpilot.evaluation.second_tenant import BuiltTenant, cache_dir_for, ensure_second_tenant
from idpilot.evaluation.tenants import vindelkraft
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.llm.client import ChatModel

CONTOSO = "contoso"
CONTOSO_FRESH = "contoso-fresh"
CONTOSO_FRESH2 = "contoso-fresh2"
CONTOSO_FRESH3 = "contoso-fresh3"
CONTOSO_FRESH4 = "contoso-fresh4"
CONTOSO_FRESH5 = "contoso-fresh5"
CONTOSO_FRESH6 = "contoso-fresh6"
CONTOSO_FRESH7 = "contoso-fresh7"
CONTOSO_FRESH8 = "contoso-fresh8"
CONTOSO_FRESH9 = "contoso-fresh9"
CONTOSO_FRESH10 = "contoso-fresh10"
CONTOSO_FRESH11 = "contoso-fresh11"
CONTOSO_FRESH12 = "contoso-fresh12"
CONTOSO_FRESH13 = "contoso-fresh13"
CONTOSO_FRESH14 = "contoso-fresh14"
CONTOSO_FRESH15 = "contoso-fresh15"
SECOND_DEV = "vindelkraft-dev"
SECOND_TEST = "vindelkraft-test"
SECOND_FRESH = "vindelkraft-fresh"
SECOND_FRESH2 = "vindelkraft-fresh2"
SECOND_FRESH3 = "vindelkraft-fresh3"
SECOND_FRESH4 = "vindelkraft-fresh4"
SECOND_FRESH5 = "vindelkraft-fresh5"
SECOND_FRESH6 = "vindelkraft-fresh6"
SECOND_FRESH7 = "vindelkraft-fresh7"
SECOND_FRESH8 = "vindelkraft-fresh8"
SECOND_FRESH9 = "vindelkraft-fresh9"
SECOND_FRESH10 = "vindelkraft-fresh10"
SECOND_FRESH11 = "vindelkraft-fresh11"
SECOND_FRESH12 = "vindelkraft-fresh12"
SECOND_FRESH13 = "vindelkraft-fresh13"
SECOND_FRESH14 = "vindelkraft-fresh14"
SECOND_FRESH15 = "vindelkraft-fresh15"
SECOND_FRESH16 = "vindelkraft-fresh16"
SECOND_FRESH17 = "vindelkraft-fresh17"
PHRASINGS_CONTOSO = "phrasings-contoso"
PHRASINGS_SECOND = "phrasings-vindelkraft"
REDTEAM = "redteam"
NL2KQL_DEV = "nl2kql-dev"
NL2KQL_TEST = "nl2kql-test"
NL2KQL_HALVES = {NL2KQL_DEV: "dev", NL2KQL_TEST: "test"}
SET_NAMES = (
    CONTOSO,
    CONTOSO_FRESH,
    CONTOSO_FRESH2,
    CONTOSO_FRESH3,
    CONTOSO_FRESH4,
    CONTOSO_FRESH5,
    CONTOSO_FRESH6,
    CONTOSO_FRESH7,
    CONTOSO_FRESH8,
    CONTOSO_FRESH9,
    CONTOSO_FRESH10,
    CONTOSO_FRESH11,
    CONTOSO_FRESH12,
    CONTOSO_FRESH13,
    CONTOSO_FRESH14,
    CONTOSO_FRESH15,
    SECOND_DEV,
    SECOND_TEST,
    SECOND_FRESH,
    SECOND_FRESH2,
    SECOND_FRESH3,
    SECOND_FRESH4,
    SECOND_FRESH5,
    SECOND_FRESH6,
    SECOND_FRESH7,
    SECOND_FRESH8,
    SECOND_FRESH9,
    SECOND_FRESH10,
    SECOND_FRESH11,
    SECOND_FRESH12,
    SECOND_FRESH13,
    SECOND_FRESH14,
    SECOND_FRESH15,
    SECOND_FRESH16,
    SECOND_FRESH17,
    PHRASINGS_CONTOSO,
    PHRASINGS_SECOND,
    REDTEAM,
    NL2KQL_DEV,
    NL2KQL_TEST,
)
SECOND_TENANT_FILES = {
    SECOND_DEV: "dev",
    SECOND_TEST: "test",
    SECOND_FRESH: "fresh",
    SECOND_FRESH2: "fresh2",
    SECOND_FRESH3: "fresh3",
    SECOND_FRESH4: "fresh4",
    SECOND_FRESH5: "fresh5",
    SECOND_FRESH6: "fresh6",
    SECOND_FRESH7: "fresh7",
    SECOND_FRESH8: "fresh8",
    SECOND_FRESH9: "fresh9",
    SECOND_FRESH10: "fresh10",
    SECOND_FRESH11: "fresh11",
    SECOND_FRESH12: "fresh12",
    SECOND_FRESH13: "fresh13",
    SECOND_FRESH14: "fresh14",
    SECOND_FRESH15: "fresh15",
    SECOND_FRESH16: "fresh16",
    SECOND_FRESH17: "fresh17",
}
"""The question file (cases/<name>.yaml) of each set asked on the second tenant."""
TARGET_ACCURACY = 0.95


CONTOSO_FRESH_FILES = {
    CONTOSO_FRESH: "contoso",
    CONTOSO_FRESH2: "contoso2",
    CONTOSO_FRESH3: "contoso3",
    CONTOSO_FRESH4: "contoso4",
    CONTOSO_FRESH5: "contoso5",
    CONTOSO_FRESH6: "contoso6",
    CONTOSO_FRESH7: "contoso7",
    CONTOSO_FRESH8: "contoso8",
    CONTOSO_FRESH9: "contoso9",
    CONTOSO_FRESH10: "contoso10",
    CONTOSO_FRESH11: "contoso11",
    CONTOSO_FRESH12: "contoso12",
    CONTOSO_FRESH13: "contoso13",
    CONTOSO_FRESH14: "contoso14",
    CONTOSO_FRESH15: "contoso15",
}
"""The question file (fresh/<name>.yaml) of each fresh set asked on the demo tenant."""


def contoso_fresh_case_file(name: str = CONTOSO_FRESH) -> Path:
    """A fresh question file of the demo tenant (`contoso-fresh` unless another set is named)."""
    return Path(str(resources.files(fresh) / f"{CONTOSO_FRESH_FILES[name]}.yaml"))


def contoso_fresh_cases(name: str = CONTOSO_FRESH) -> list[EvalCase]:
    """A fresh set's questions on the demo tenant, each tagged with its file as the source."""
    return load_cases([contoso_fresh_case_file(name)])


def second_tenant_case_file(half: str) -> Path:
    """A question file of the second tenant: "dev", "test" or a fresh set ("fresh" to "fresh17")."""
    return Path(str(resources.files(vindelkraft) / "cases" / f"{half}.yaml"))


def second_tenant_cases(half: str) -> list[EvalCase]:
    """The questions of one file, each tagged with the file as its source."""
    return load_cases([second_tenant_case_file(half)])


@dataclass
class SetResult:
    """One set's report, or why it was skipped."""

    name: str
    cases: EvalReport | None = None
    phrasings: PhrasingReport | None = None
    redteam: RedTeamReport | None = None
    kql: KqlEvalReport | None = None
    skipped: str | None = None

    @property
    def accuracy(self) -> float:
        """Case accuracy, intent accuracy, or execution accuracy of the covered KQL kinds."""
        if self.kql is not None:
            return self.kql.accuracy
        if self.cases is not None:
            return self.cases.accuracy
        return self.phrasings.accuracy if self.phrasings is not None else 0.0

    @property
    def meets_target(self) -> bool:
        """At or above the acceptance bar, with no hallucination (skipped sets pass)."""
        if self.skipped:
            return True
        if self.redteam is not None:
            return self.redteam.violations == 0
        if self.kql is not None:
            return self.kql.accuracy >= KQL_TARGET
        hallucinated = self.cases.hallucinated if self.cases is not None else 0
        return self.accuracy >= TARGET_ACCURACY and not hallucinated


@dataclass
class EvalInputs:
    """Where the sets read from."""

    store_path: Path
    answer_key_path: Path
    phrasings_path: Path
    only: str | None = None
    model: ChatModel | None = None
    """Answer with this model (the agent loop); None answers offline."""
    limit: int | None = None
    """Ask only the first `limit` cases of each case set (a model on a CPU is slow)."""
    kql_always: bool = False
    """With a model, let it write every query of the NL-to-KQL sets, not only those the
    offline builder cannot express (to measure both ways on the dev half)."""


def run_sets(names: list[str], inputs: EvalInputs) -> list[SetResult]:
    """Run the named sets in order; a set whose inputs are absent is skipped with the reason."""
    unknown = [n for n in names if n not in SET_NAMES]
    if unknown:
        raise IdpilotError(f"unknown set {unknown[0]!r}; choose from {', '.join(SET_NAMES)}")
    second: BuiltTenant | None = None
    results: list[SetResult] = []
    for name in names:
        if (name in SECOND_TENANT_FILES or name == PHRASINGS_SECOND) and second is None:
            second = ensure_second_tenant(cache_dir_for(inputs.store_path))
        results.append(_run_one(name, inputs, second))
    return results


def _filter(cases: list[EvalCase], inputs: EvalInputs) -> list[EvalCase]:
    only = inputs.only
    kept = [c for c in cases if only in c.id] if only else cases
    return kept[: inputs.limit] if inputs.limit is not None else kept


def _run_one(name: str, inputs: EvalInputs, second: BuiltTenant | None) -> SetResult:
    if name == REDTEAM:
        if not inputs.store_path.exists():
            return SetResult(name, skipped=f"no store at {inputs.store_path}")
        return SetResult(name, redteam=_redteam(inputs))
    if name == CONTOSO or name in CONTOSO_FRESH_FILES:
        if not inputs.answer_key_path.exists():
            return SetResult(name, skipped=f"no answer key at {inputs.answer_key_path} "
                             "(the given store is not the demo tenant)")  # fmt: skip
        key = load_answer_key(inputs.answer_key_path)
        shipped = load_cases(default_case_files()) if name == CONTOSO else contoso_fresh_cases(name)
        cases = _filter(shipped, inputs)
        with Store.open(inputs.store_path, read_only=True) as store:
            return SetResult(name, cases=run_evaluation(store, cases, key, inputs.model))
    if name in NL2KQL_HALVES:
        if not inputs.answer_key_path.exists():
            return SetResult(name, skipped=f"no answer key at {inputs.answer_key_path} "
                             "(the pairs are written for the demo tenant)")  # fmt: skip
        pairs = [p for p in load_pairs(half=NL2KQL_HALVES[name]) if not inputs.only
                 or inputs.only in p.id]  # fmt: skip
        pairs = pairs[: inputs.limit] if inputs.limit is not None else pairs
        with Store.open(inputs.store_path, read_only=True) as store:
            return SetResult(name, kql=run_nl2kql(store, pairs, inputs.model,
                                                  always=inputs.kql_always))  # fmt: skip
    if name in (PHRASINGS_CONTOSO, PHRASINGS_SECOND):
        if not inputs.phrasings_path.exists():
            return SetResult(name, skipped=f"no phrasing corpus at {inputs.phrasings_path} "
                             "(pass --phrasings PATH)")  # fmt: skip
        corpus = load_corpus(inputs.phrasings_path)
        path = inputs.store_path if name == PHRASINGS_CONTOSO else _built(second).store_path
        with Store.open(path, read_only=True) as store:
            return SetResult(name, phrasings=run_phrasings(store, corpus, name, inputs.model))
    tenant = _built(second)
    cases = _filter(second_tenant_cases(SECOND_TENANT_FILES[name]), inputs)
    with Store.open(tenant.store_path, read_only=True) as store:
        return SetResult(name, cases=run_evaluation(store, cases, tenant.answer_key, inputs.model))


def _redteam(inputs: EvalInputs) -> RedTeamReport:
    """Offline: the red team offline, with the scripted hostile model and through the API.
    With a model: its cases through that model only (the offline run has the other modes)."""
    every = load_redteam_cases()
    cases = [c for c in every if not inputs.only or inputs.only in c.id][: inputs.limit]
    alone = inputs.model is None
    return run_redteam(inputs.store_path, offline=alone, hostile_model=alone, api=alone,
                       cases=cases, model=inputs.model)  # fmt: skip


def _built(second: BuiltTenant | None) -> BuiltTenant:
    if second is None:  # run_sets builds it before any set that needs it
        raise RuntimeError("second tenant not built")
    return second
