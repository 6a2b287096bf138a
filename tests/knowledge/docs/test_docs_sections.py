"""Splitting a Learn markdown page into sections: titles, headings, URLs, plain text."""

from __future__ import annotations

from idpilot.knowledge.docs.sections import anchor, page_url, split_page

PAGE = """---
title: Manage emergency access admin accounts
ms.date: 02/10/2025
---

# Manage emergency access accounts in Microsoft Entra ID

Create two or more *emergency access accounts* in your [organization](overview.md).

:::image type="content" source="./media/x.png" alt-text="Screenshot.":::

## Why use an emergency access account?

> [!NOTE]
> Accounts are **cloud-only** and use the \\*.onmicrosoft.com domain.

```powershell
Get-MgUser -UserId break-glass@contoso.com
```

### Licence table

| Report | Free | P1 |
| :-- | :-- | :-- |
| Sign-ins | Seven days | 30 days |
"""


def test_a_page_path_becomes_its_learn_address() -> None:
    assert page_url("docs/identity/conditional-access/location-condition.md") == (
        "https://learn.microsoft.com/entra/identity/conditional-access/location-condition"
    )


def test_a_heading_becomes_learns_anchor() -> None:
    assert anchor("Why use an emergency access account?") == "why-use-an-emergency-access-account"
    assert anchor("Countries/regions") == "countriesregions"


def test_sections_follow_headings_with_plain_text_and_urls() -> None:
    sections = split_page("docs/identity/x/emergency.md", "abc123", PAGE)
    assert [s.heading for s in sections] == [
        "Manage emergency access admin accounts",
        "Why use an emergency access account?",
        "Licence table",
    ]
    first, why, table = sections
    assert first.url == "https://learn.microsoft.com/entra/identity/x/emergency"
    assert first.text == "Create two or more emergency access accounts in your organization."
    assert why.url.endswith("#why-use-an-emergency-access-account")
    assert "cloud-only" in why.text and "*.onmicrosoft.com" in why.text
    assert "Get-MgUser" not in why.text and "[!NOTE]" not in why.text
    assert table.text == "Report: Sign-ins; Free: Seven days; P1: 30 days."
    assert {s.commit for s in sections} == {"abc123"}
    assert {s.title for s in sections} == {"Manage emergency access admin accounts"}
