"""Every published example of one of our collections reads into its model and back unchanged."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from idpilot.conditional_access import parse_policy
from idpilot.model import Collection, ConditionalAccessPolicy, parse_record, record_model
from tests.model.examples import HAND_WRITTEN, reference_examples

REFERENCE = reference_examples()


def test_every_collection_has_a_model_and_an_example() -> None:
    covered = {collection for _, collection, _ in REFERENCE} | set(HAND_WRITTEN)
    assert covered == set(Collection)
    for collection in Collection:
        assert record_model(collection).__name__


@pytest.mark.parametrize(
    ("collection", "example"),
    [(collection, item) for _, collection, item in REFERENCE]
    + [(collection, item) for collection, item in HAND_WRITTEN.items()],
    ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(REFERENCE)]
    + [collection.value for collection in HAND_WRITTEN],
)
def test_example_validates_and_round_trips_by_alias(
    collection: Collection, example: dict[str, Any]
) -> None:
    record = parse_record(collection, example)
    assert isinstance(record, record_model(collection))
    assert record.model_dump(by_alias=True, exclude_unset=True) == example
    assert orjson.loads(record.model_dump_json(by_alias=True, exclude_unset=True)) == example


def test_record_model_accepts_the_collection_name() -> None:
    assert record_model("conditionalAccessPolicies") is ConditionalAccessPolicy


def test_the_conditional_access_engine_parses_a_dumped_policy() -> None:
    example = next(
        item for name, _, item in REFERENCE if name == "conditionalAccessPolicy.get.json"
    )
    record = parse_record(Collection.conditional_access_policies, example)
    policy = parse_policy(record.model_dump(by_alias=True, exclude_unset=True))
    assert policy.id == record.id
    assert record.conditions is not None
    assert record.conditions["users"]["includeUsers"] == ["a702a13d-a437-4a07-8a7e-8c052de62dfd"]
