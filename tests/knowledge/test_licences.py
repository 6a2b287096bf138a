"""Licences named in words: a product name, or an edition standing for its products."""

from idpilot.knowledge.licences import licence_name, licences_said


def test_a_product_name_is_that_product() -> None:
    assert [licence_name(s) for s in licences_said("users with Microsoft 365 E5")] == [
        "Microsoft 365 E5"
    ]


def test_an_edition_is_every_known_product_of_it() -> None:
    names = {licence_name(s) for s in licences_said("who has an E5 licence?")}
    assert names == {"Microsoft 365 E5", "Office 365 E5", "Enterprise Mobility + Security E5"}


def test_no_licence_said() -> None:
    assert licences_said("who signed in from Spain yesterday?") == []
