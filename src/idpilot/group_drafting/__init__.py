"""Groups drafted from a description: a definition with its dynamic rule evaluated against the
users, the tenant's naming and guest settings applied, and the risks of each choice; never
created."""

from idpilot.group_drafting.description import GroupDescription, read_group_description
from idpilot.group_drafting.draft import DraftedGroup, draft_group

__all__ = ["DraftedGroup", "GroupDescription", "draft_group", "read_group_description"]
