"""The kind of people a what-if is asked about when it names no one ("someone in Finance", "a
contractor", "a guest from Adatum", "an admin", "a new starter"): the `population` input of
`ca_whatif`. Every part given must hold; the skill finds the users who fit."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator


class Population(BaseModel):
    """A described population: the tenant's users who fit every part given."""

    department: str | None = Field(None, description="A department the tenant's users record.")
    group: str | None = Field(None, description="A group (id or name): its members, transitively.")
    user_type: Literal["Guest", "Member"] | None = Field(None, description="The userType.")
    company: str | None = Field(None, description="The companyName (an outside company).")
    described: str | None = Field(
        None,
        description="A word the users' job title, company name or employee type holds "
        "('contractor'), when no group is named after it.",
    )
    admins: bool = Field(
        False, description="Holders of a privileged directory role, active or eligible."
    )
    new_days: int | None = Field(
        None, ge=1, description="Created in the snapshot's last this many days (a new starter)."
    )
    said: str | None = Field(None, description="The words the question used ('a contractor').")

    @model_validator(mode="after")
    def _described_somehow(self) -> Population:
        """A population with no part would be everyone: that is `someone`, not a population."""
        parts = (self.department, self.group, self.user_type, self.company, self.described)
        if not (any(p is not None for p in parts) or self.admins or self.new_days):
            raise ValueError("a population needs at least one part (department, group, ...)")
        return self
