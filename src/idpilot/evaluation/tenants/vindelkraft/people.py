"""Vindelkraft's people: six sites in six countries, local names with their diacritics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import (
    CAPTURED,
    DOMAIN,
    INITIAL_DOMAIN,
    Record,
    Tenant,
    ascii_name,
    iso,
)

SKU_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
SKU_E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
SKU_F3 = "66b55226-6b4f-492c-910c-a3b7a3c9d993"


@dataclass(frozen=True)
class Site:
    """An office: city in its own language, country, ISO code and the people there."""

    city: str
    country: str
    code: str
    office: str
    size: int
    departments: tuple[str, ...]
    given_female: tuple[str, ...]
    given_male: tuple[str, ...]
    surnames: tuple[str, ...]
    home_prefix: str
    latitude: float
    longitude: float


SITES: tuple[Site, ...] = (
    Site(
        "Malmö",
        "Sweden",
        "SE",
        "Malmö HQ, Hamnplan 4",
        64,
        ("Finance & Controlling", "People & Culture", "IT Operations", "Legal", "Sales"),
        ("Åsa", "Märta", "Linnéa", "Elin", "Sofie", "Maja"),
        ("Göran", "Håkan", "Sören", "Olle", "Mattias", "Jöns"),
        ("Ekström", "Sjögren", "Åberg", "Öberg", "Löfgren", "Hällström", "Bergström", "Fält"),
        "81.224",
        55.605,
        13.0038,
    ),
    Site(
        "München",
        "Germany",
        "DE",
        "München, Werk Freimann",
        52,
        ("Turbine Engineering", "Procurement"),
        ("Käthe", "Lena", "Anneliese", "Jördis", "Mareike", "Sünje"),
        ("Jürgen", "Günter", "Uwe", "Tobias", "Maximilian", "Jörn"),
        ("Müller", "Schäfer", "Weiß", "Groß", "Böhm", "Krüger", "Schröder", "Hoffmann"),
        "84.150",
        48.1351,
        11.582,
    ),
    Site(
        "Kraków",
        "Poland",
        "PL",
        "Kraków, ul. Zabłocie 23",
        48,
        ("Shared Services", "IT Operations"),
        ("Małgorzata", "Agata", "Bożena", "Ewa", "Jadwiga", "Dorota"),
        ("Wojciech", "Paweł", "Grzegorz", "Michał", "Bartłomiej", "Jarosław"),
        (
            "Woźniak",
            "Wójcik",
            "Kowalczyk",
            "Jabłoński",
            "Szymański",
            "Lewandowski",
            "Kamiński",
            "Król",
        ),
        "83.24",
        50.0647,
        19.945,
    ),
    Site(
        "São Paulo",
        "Brazil",
        "BR",
        "São Paulo, Av. Paulista 1842",
        30,
        ("Sales", "Field Service"),
        ("Letícia", "Inês", "Conceição", "Luíza", "Ana", "Sônia"),
        ("João", "Antônio", "Vinícius", "Luís", "Gonçalo", "Otávio"),
        ("Araújo", "Magalhães", "Simões", "Brandão", "Falcão", "Assunção", "Lopes"),
        "177.95",
        -23.5505,
        -46.6333,
    ),
    Site(
        "Bergen",
        "Norway",
        "NO",
        "Bergen, Sandviksbodene 7",
        28,
        ("Field Service", "Offshore Operations"),
        ("Solveig", "Åse", "Kjersti", "Sigrid", "Ragnhild", "Tone"),
        ("Øystein", "Håvard", "Bjørnar", "Tor", "Sindre", "Ørjan"),
        ("Bjørnstad", "Sæther", "Løvås", "Grønvold", "Hægeland", "Ødegård", "Fjellstad"),
        "84.212",
        60.3913,
        5.3221,
    ),
    Site(
        "Valencia",
        "Spain",
        "ES",
        "Valencia, Moll de la Duana",
        24,
        ("Blade Manufacturing",),
        ("María", "Begoña", "Sofía", "Lucía", "Nerea", "Ainhoa"),
        ("José", "Álvaro", "Íñigo", "Raúl", "Andrés", "Jesús"),
        ("Núñez", "Muñoz", "Peña", "García", "Gómez", "Sánchez", "Martínez"),
        "88.12",
        39.4699,
        -0.3763,
    ),
)

SITE_BY_CITY = {site.city: site for site in SITES}
TITLES = {
    "Finance & Controlling": ("Controller", "Financial Analyst", "Head of Controlling"),
    "People & Culture": ("HR Business Partner", "Payroll Specialist", "Recruiter"),
    "IT Operations": ("Systems Engineer", "Service Desk Analyst", "Network Engineer"),
    "Legal": ("Legal Counsel", "Paralegal"),
    "Sales": ("Account Manager", "Sales Engineer", "Key Account Director"),
    "Turbine Engineering": ("Design Engineer", "Simulation Engineer", "Lead Engineer"),
    "Procurement": ("Buyer", "Category Manager"),
    "Shared Services": ("Accountant", "Accounts Payable Clerk", "Team Lead AP"),
    "Field Service": ("Service Technician", "Field Coordinator"),
    "Offshore Operations": ("Offshore Technician", "Marine Coordinator", "Site Manager"),
    "Blade Manufacturing": ("Production Operator", "Quality Inspector", "Shift Lead"),
}
ascii_fold = ascii_name


def feminine(surname: str, given_female: bool) -> str:
    """Polish surnames take the feminine ending for women (Wiśniewski -> Wiśniewska)."""
    if given_female and surname.endswith("ski"):
        return surname[:-1] + "a"
    return surname


def make_user(
    tenant: Tenant,
    given: str,
    surname: str,
    site: Site,
    department: str,
    title: str,
    created: datetime,
    *,
    sku: str = SKU_E3,
    enabled: bool = True,
) -> Record:
    """A member user as Graph returns it with signInActivity and manager expanded."""
    taken = {u["userPrincipalName"] for u in tenant.records("users")}
    base = f"{ascii_fold(given)}.{ascii_fold(surname)}".lower().replace(" ", "")
    upn = f"{base}@{DOMAIN}"
    counter = 2
    while upn in taken:
        upn = f"{base}{counter}@{DOMAIN}"
        counter += 1
    user: Record = {
        "id": tenant.new_id(),
        "displayName": f"{given} {surname}",
        "givenName": given,
        "surname": surname,
        "userPrincipalName": upn,
        "mail": upn,
        "jobTitle": title,
        "department": department,
        "officeLocation": site.office,
        "city": site.city,
        "country": site.country,
        "usageLocation": site.code,
        "companyName": "Vindelkraft AB",
        "employeeId": f"VK{tenant.rng.randrange(10000, 99999)}",
        "preferredLanguage": {
            "SE": "sv-SE",
            "DE": "de-DE",
            "PL": "pl-PL",
            "BR": "pt-BR",
            "NO": "nb-NO",
            "ES": "es-ES",
        }[site.code],
        "accountEnabled": enabled,
        "userType": "Member",
        "createdDateTime": iso(created),
        "onPremisesSyncEnabled": None,
        "assignedLicenses": [{"disabledPlans": [], "skuId": sku}],
        "businessPhones": [],
        "mobilePhone": None,
    }
    return tenant.add("users", user)


def make_guest(tenant: Tenant, given: str, surname: str, company: str, mail: str) -> Record:
    """A B2B guest as Graph returns it (#EXT# UPN, externalUserState)."""
    upn = mail.replace("@", "_") + f"#EXT#@{INITIAL_DOMAIN}"
    created = CAPTURED - timedelta(days=tenant.rng.randrange(60, 400))
    guest: Record = {
        "id": tenant.new_id(),
        "displayName": f"{given} {surname} ({company})",
        "givenName": given,
        "surname": surname,
        "userPrincipalName": upn,
        "mail": mail,
        "companyName": company,
        "accountEnabled": True,
        "userType": "Guest",
        "createdDateTime": iso(created),
        "externalUserState": "Accepted",
        "identities": [
            {"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": None}
        ],
        "assignedLicenses": [],
        "businessPhones": [],
    }
    return tenant.add("users", guest)


def expanded(user: Record) -> Record:
    """The directoryObject form of a user inside `$expand` (members, owners, manager)."""
    return {
        "@odata.type": "#microsoft.graph.user",
        "id": user["id"],
        "displayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
    }
