"""Microsoft products admins name by the product, and the first-party apps that sign-ins and
Conditional Access record for them.

"Outlook" is not an object's display name in any tenant: its sign-ins are to "Office 365
Exchange Online" (or from "Outlook Mobile"). Each product word maps to Microsoft's published
first-party application ids, most likely first; a tenant's own service principal of the first
id it holds is the app meant. Sources: Microsoft Learn, "Application IDs of commonly used
Microsoft applications" and "Conditional Access: Target resources" (the Office 365 app group).
"""

from __future__ import annotations

EXCHANGE_ONLINE = "00000002-0000-0ff1-ce00-000000000000"
OUTLOOK_MOBILE = "27922004-5251-4030-b22d-91ecd9a37ea4"
SHAREPOINT_ONLINE = "00000003-0000-0ff1-ce00-000000000000"
ONEDRIVE_SYNC = "ab9b8c07-8f02-4f72-87fa-80105867a763"
AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
AZURE_POWERSHELL = "1950a258-227b-4e31-a9cf-717495945fc2"
GRAPH_POWERSHELL = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
OFFICE_HOME = "4765445b-32c6-49b0-83e6-1d93765276ca"
MICROSOFT_OFFICE = "d3590ed6-52b3-4102-aeff-aad2292ab01c"

PRODUCT_APPS: dict[str, tuple[str, ...]] = {
    "outlook": (EXCHANGE_ONLINE, OUTLOOK_MOBILE),
    "outlook web": (EXCHANGE_ONLINE,),
    "outlook on the web": (EXCHANGE_ONLINE,),
    "owa": (EXCHANGE_ONLINE,),
    "exchange": (EXCHANGE_ONLINE,),
    "exchange online": (EXCHANGE_ONLINE,),
    "outlook mobile": (OUTLOOK_MOBILE, EXCHANGE_ONLINE),
    "onedrive": (SHAREPOINT_ONLINE, ONEDRIVE_SYNC),
    "one drive": (SHAREPOINT_ONLINE, ONEDRIVE_SYNC),
    "sharepoint": (SHAREPOINT_ONLINE,),
    "sharepoint online": (SHAREPOINT_ONLINE,),
    "azure cli": (AZURE_CLI,),
    "az cli": (AZURE_CLI,),
    "azure powershell": (AZURE_POWERSHELL,),
    "az powershell": (AZURE_POWERSHELL,),
    "graph powershell": (GRAPH_POWERSHELL,),
    "mggraph": (GRAPH_POWERSHELL,),
    "office.com": (OFFICE_HOME, MICROSOFT_OFFICE),
    "office portal": (OFFICE_HOME, MICROSOFT_OFFICE),
    "m365 portal": (OFFICE_HOME, MICROSOFT_OFFICE),
    "microsoft 365 portal": (OFFICE_HOME, MICROSOFT_OFFICE),
}
"""Product words (lower case) -> first-party application ids, the likeliest first."""


def product_app_ids(phrase: str) -> tuple[str, ...]:
    """The first-party app ids a product word names ("outlook"), or () for other words."""
    return PRODUCT_APPS.get(phrase.strip().lower(), ())
