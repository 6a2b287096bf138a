"""Friendly names of well-known Microsoft licence SKUs, by skuId (as in `assignedLicenses`)."""

from __future__ import annotations

import re

# skuId -> product name, from Microsoft's published "product names and service plan
# identifiers for licensing" list (only SKUs we are sure of).
_SKU_NAMES: dict[str, str] = {
    "05e9a617-0261-4cee-bb44-138d3ef5d965": "Microsoft 365 E3",
    "06ebc4ee-1bb5-47dd-8120-11324bc54e06": "Microsoft 365 E5",
    "6fd2c87f-b296-42f0-b197-1e91e994b900": "Office 365 E3",
    "c7df2760-2c81-4ef7-b578-5b5392b571df": "Office 365 E5",
    "18181a46-0d4e-45cd-891e-60aabd171b4e": "Office 365 E1",
    "66b55226-6b4f-492c-910c-a3b7a3c9d993": "Microsoft 365 F3",
    "f245ecc8-75af-4f8e-b61f-27d8114de5f3": "Microsoft 365 Business Standard",
    "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46": "Microsoft 365 Business Premium",
    "078d2b04-f1bd-4111-bbd4-b4b1b354cef4": "Microsoft Entra ID P1",
    "84a661c4-e949-4bd2-a560-ed7766fcaf2b": "Microsoft Entra ID P2",
    "efccb6f7-5641-4e0e-bd10-b4976e1bf68e": "Enterprise Mobility + Security E3",
    "b05e124f-c7cc-45a0-a6aa-8cf78c946968": "Enterprise Mobility + Security E5",
    "4b585984-651b-448a-9e53-3b10f069cf7f": "Microsoft 365 F1",
    "1f2f344a-700d-42c9-9427-5cea1d5d7ba6": "Microsoft Stream",
    "f30db892-07e9-47e9-837c-80727f46fd3d": "Microsoft Power Automate Free",
    "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235": "Power BI (free)",
    "f8a1db68-be16-40ed-86d5-cb42ce701560": "Power BI Pro",
    "4ef96642-f096-40de-a3e9-d83fb2f90211": "Microsoft Defender for Office 365 (Plan 1)",
    "3dd6cf57-d688-4eed-ba52-9e40b5468c3e": "Microsoft Defender for Office 365 (Plan 2)",
    "710779e8-3d4a-4c88-adb9-386c958d1fdf": "Microsoft Teams Exploratory",
}


def licence_name(sku_id: str) -> str | None:
    """The product name of a skuId, or None when idpilot does not know it."""
    return _SKU_NAMES.get(sku_id.lower())


_EDITION = re.compile(r"\b([EFP][1-5])\b")
"""An edition said on its own: "E5", "E3", "F3", "P2"."""


def licences_said(text: str) -> list[str]:
    """skuIds of the licences a text names: a product name, or an edition ("E5") standing for
    every known product of that edition (Microsoft 365 E5, Office 365 E5, EMS E5)."""
    lowered = text.lower()
    named = [sku for sku, name in _SKU_NAMES.items() if name.lower() in lowered]
    if named:
        return named
    editions = {m.group(1).upper() for m in _EDITION.finditer(text)}
    return [sku for sku, name in _SKU_NAMES.items() if name.rsplit(" ", 1)[-1] in editions]
