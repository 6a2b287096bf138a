"""Who works at Vindelkraft: planted personas first, then each site filled with local names."""

from __future__ import annotations

from datetime import timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, INITIAL_DOMAIN, Tenant, at, iso
from idpilot.evaluation.tenants.vindelkraft.people import (
    SITE_BY_CITY,
    SITES,
    SKU_E3,
    SKU_E5,
    SKU_F3,
    TITLES,
    expanded,
    feminine,
    make_guest,
    make_user,
)

# key, given name, surname, city, department, job title, licence
PLANTED: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("zofia", "Zofia", "Wiśniewska", "Kraków", "Shared Services", "Accountant", SKU_E3),
    ("jorg", "Jörg", "Baumann", "München", "Procurement", "Buyer", SKU_E3),
    ("ingrid", "Ingrid", "Haugland", "Bergen", "Offshore Operations", "Site Manager", SKU_E3),
    ("paulo", "Paulo", "Gonçalves", "São Paulo", "Sales", "Key Account Director", SKU_E5),
    ("lukasz", "Łukasz", "Zieliński", "Kraków", "IT Operations", "Systems Engineer", SKU_E5),
    ("bjorn", "Björn", "Lindqvist", "Malmö", "Sales", "Account Manager", SKU_E3),
    ("henrik", "Henrik", "Nyström", "Malmö", "Finance & Controlling", "Controller", SKU_E3),
    ("marta", "Märta", "Sjöholm", "Malmö", "Finance & Controlling", "Financial Analyst", SKU_E3),
    ("sven", "Sven", "Ekdahl", "Malmö", "IT Operations", "Head of IT", SKU_E5),
    (
        "agnieszka",
        "Agnieszka",
        "Wąsowska",
        "Kraków",
        "IT Operations",
        "Service Desk Analyst",
        SKU_E3,
    ),
    ("krzysztof", "Krzysztof", "Dąbrowski", "Kraków", "IT Operations", "Network Engineer", SKU_E5),
    ("soren", "Sören", "Åkesson", "Malmö", "IT Operations", "Security Engineer", SKU_E5),
    ("oystein", "Øystein", "Brekke", "Bergen", "Field Service", "Field Coordinator", SKU_F3),
    ("nuria", "Nuria", "Peñalver", "Valencia", "Blade Manufacturing", "Quality Inspector", SKU_F3),
    ("gunter", "Günter", "Straßer", "München", "Turbine Engineering", "Lead Engineer", SKU_E5),
    ("tobias", "Tobias", "Kühnel", "München", "Turbine Engineering", "Simulation Engineer", SKU_E5),
    ("raul", "Raúl", "Ortuño", "Valencia", "Blade Manufacturing", "Shift Lead", SKU_F3),
    (
        "linnea",
        "Linnéa",
        "Gyllenhök",
        "Malmö",
        "Finance & Controlling",
        "Head of Controlling",
        SKU_E5,
    ),
    (
        "grzegorz",
        "Grzegorz",
        "Kamiński",
        "Kraków",
        "Shared Services",
        "Accounts Payable Clerk",
        SKU_E3,
    ),
    (
        "begona",
        "Begoña",
        "Zárate",
        "Valencia",
        "Blade Manufacturing",
        "Production Operator",
        SKU_F3,
    ),
    ("joao", "João", "Figueirêdo", "São Paulo", "Field Service", "Service Technician", SKU_F3),
    ("kathe", "Käthe", "Vogelsang", "München", "People & Culture", "HR Business Partner", SKU_E3),
    ("new1", "Ørjan", "Tveitå", "Bergen", "Offshore Operations", "Offshore Technician", SKU_F3),
    ("new2", "Bartłomiej", "Sęk", "Kraków", "Shared Services", "Accountant", SKU_E3),
    (
        "new3",
        "Ainhoa",
        "Etxeberría",
        "Valencia",
        "Blade Manufacturing",
        "Quality Inspector",
        SKU_F3,
    ),
)
NEW_HIRE_DAYS = {"new1": 16, "new2": 17, "new3": 18}


def build_population(tenant: Tenant) -> None:
    """Planted personas, staff per site, managers, guests, break-glass and a service account."""
    rng = tenant.rng
    for key, given, surname, city, department, title, sku in PLANTED:
        site = SITE_BY_CITY[city]
        if key in NEW_HIRE_DAYS:
            created = at(NEW_HIRE_DAYS[key], 7, 12)
        else:
            created = CAPTURED - timedelta(days=rng.randrange(200, 2400))
        user = make_user(tenant, given, surname, site, department, title, created, sku=sku)
        tenant.persona(key, user)
    names = {u["displayName"] for u in tenant.records("users")}
    planted_given = {given for _, given, *_ in PLANTED}
    for site in SITES:
        present = sum(1 for u in tenant.records("users") if u.get("city") == site.city)
        while present < site.size:
            female = rng.random() < 0.5
            given = rng.choice(site.given_female if female else site.given_male)
            surname = feminine(rng.choice(site.surnames), female)
            if f"{given} {surname}" in names or given in planted_given:
                continue
            department = rng.choice(site.departments)
            title = rng.choice(TITLES[department])
            sku = SKU_F3 if department in ("Blade Manufacturing", "Field Service") else SKU_E3
            created = CAPTURED - timedelta(days=rng.randrange(90, 3000))
            user = make_user(tenant, given, surname, site, department, title, created, sku=sku)
            names.add(user["displayName"])
            present += 1
    _assign_managers(tenant)
    _guests(tenant)
    _special_accounts(tenant)


def _assign_managers(tenant: Tenant) -> None:
    heads: dict[tuple[str, str], dict[str, object]] = {}
    for user in tenant.records("users"):
        team = (user["city"], user["department"])
        head = heads.setdefault(team, user)
        if head is not user:
            user["manager"] = expanded(head)  # type: ignore[arg-type]


def _guests(tenant: Tenant) -> None:
    martin = make_guest(
        tenant, "Martín", "Ibáñez", "Iberwind Consulting", "martin.ibanez@iberwind.es"
    )
    tenant.persona("martin", martin)
    for given, surname, company, mail in (
        ("Søren", "Kjærgaard", "Nordvind Service", "sk@nordvind-service.dk"),
        ("Anja", "Wüthrich", "Alpgrid Partners", "anja.wuethrich@alpgrid.ch"),
        ("Dagný", "Jónsdóttir", "Orkuráð", "dagny@orkurad.is"),
        ("Pierre-Étienne", "Lefèvre", "Lefèvre Énergie Conseil", "pe.lefevre@lefevre-energie.fr"),
        ("Zuzana", "Dvořáková", "Větrná Servis", "dvorakova@vetrna-servis.cz"),
    ):
        make_guest(tenant, given, surname, company, mail)


def _special_accounts(tenant: Tenant) -> None:
    created = CAPTURED - timedelta(days=1400)
    for number in ("01", "02"):
        account = tenant.add(
            "users",
            {
                "id": tenant.new_id(),
                "displayName": f"Break Glass {number}",
                "userPrincipalName": f"bg-{number}@{INITIAL_DOMAIN}",
                "mail": None,
                "accountEnabled": True,
                "userType": "Member",
                "createdDateTime": iso(created),
                "assignedLicenses": [],
                "businessPhones": [],
            },
        )
        tenant.persona(f"breakglass{number}", account)
    service = tenant.add(
        "users",
        {
            "id": tenant.new_id(),
            "displayName": "SCADA Sync Service",
            "userPrincipalName": "svc-scada-sync@vindelkraft.eu",
            "mail": None,
            "department": "IT Operations",
            "jobTitle": "Service account",
            "accountEnabled": True,
            "userType": "Member",
            "createdDateTime": iso(created),
            "assignedLicenses": [],
            "businessPhones": [],
        },
    )
    tenant.persona("svc_scada", service)
