"""The tenant's licences: `subscribedSku` and the service plans each brings."""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.values import Int


class ServicePlanInfo(GraphRecord):
    """`servicePlanInfo`: one service plan of a SKU and whether it is provisioned."""

    service_plan_id: str | None = None
    service_plan_name: str | None = None
    provisioning_status: str | None = None
    applies_to: str | None = None


class SubscribedSku(GraphEntity):
    """Graph `subscribedSku`: a licence the tenant has bought, its units and service plans."""

    account_id: str | None = None
    account_name: str | None = None
    applies_to: str | None = None
    capability_status: str | None = None
    consumed_units: Int = None
    sku_id: str | None = None
    sku_part_number: str | None = None
    prepaid_units: dict[str, Any] | None = None
    service_plans: list[ServicePlanInfo] | None = None
    subscription_ids: list[str] | None = None
