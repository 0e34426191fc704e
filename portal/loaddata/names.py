"""Plausible organization names, places and statement texts, drawn from a seeded generator so the
same arguments give the same data. Names follow the languages civil society writes them in
(English, Spanish, French, Portuguese) and never repeat once folded."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..places import REGIONS

# Countries weighted by how often their organizations sign migration statements, with the
# language their names are usually written in and a few cities.
COUNTRIES: tuple[tuple[str, int, str, tuple[str, ...]], ...] = (
    ("MX", 9, "es", ("Tijuana", "Ciudad Juárez", "Tapachula", "Oaxaca", "Monterrey")),
    ("GT", 5, "es", ("Quetzaltenango", "Huehuetenango", "Ciudad de Guatemala")),
    ("HN", 4, "es", ("Tegucigalpa", "San Pedro Sula")),
    ("SV", 3, "es", ("San Salvador", "Santa Ana")),
    ("CO", 4, "es", ("Bogotá", "Cúcuta", "Medellín")),
    ("AR", 3, "es", ("Buenos Aires", "Rosario")),
    ("CL", 2, "es", ("Santiago", "Antofagasta")),
    ("EC", 2, "es", ("Quito", "Guayaquil")),
    ("BR", 4, "pt", ("São Paulo", "Manaus", "Boa Vista")),
    ("US", 8, "en", ("New York", "Los Angeles", "Chicago", "El Paso", "Houston")),
    ("CA", 3, "en", ("Toronto", "Montreal", "Vancouver")),
    ("GB", 4, "en", ("London", "Manchester", "Glasgow")),
    ("IE", 2, "en", ("Dublin", "Cork")),
    ("DE", 4, "en", ("Berlin", "Hamburg", "Munich")),
    ("NL", 2, "en", ("Amsterdam", "Rotterdam")),
    ("SE", 2, "en", ("Stockholm", "Malmö")),
    ("CH", 3, "fr", ("Genève", "Lausanne")),
    ("FR", 4, "fr", ("Paris", "Marseille", "Lyon", "Calais")),
    ("BE", 3, "fr", ("Bruxelles", "Liège")),
    ("ES", 3, "es", ("Madrid", "Barcelona", "Almería")),
    ("IT", 3, "en", ("Rome", "Palermo", "Milan")),
    ("PH", 7, "en", ("Manila", "Quezon City", "Cebu", "Davao")),
    ("ID", 4, "en", ("Jakarta", "Surabaya", "Medan")),
    ("IN", 5, "en", ("New Delhi", "Mumbai", "Kerala", "Chennai")),
    ("NP", 4, "en", ("Kathmandu", "Pokhara")),
    ("BD", 4, "en", ("Dhaka", "Chittagong", "Sylhet")),
    ("LK", 2, "en", ("Colombo", "Kandy")),
    ("PK", 2, "en", ("Lahore", "Karachi")),
    ("TH", 2, "en", ("Bangkok", "Chiang Mai", "Mae Sot")),
    ("MY", 2, "en", ("Kuala Lumpur", "Penang")),
    ("KE", 5, "en", ("Nairobi", "Mombasa", "Kisumu")),
    ("UG", 3, "en", ("Kampala", "Gulu")),
    ("ET", 2, "en", ("Addis Ababa",)),
    ("NG", 4, "en", ("Lagos", "Abuja", "Benin City")),
    ("GH", 3, "en", ("Accra", "Kumasi")),
    ("ZA", 4, "en", ("Johannesburg", "Cape Town", "Durban")),
    ("ZW", 2, "en", ("Harare", "Bulawayo")),
    ("SN", 4, "fr", ("Dakar", "Saint-Louis", "Ziguinchor")),
    ("ML", 3, "fr", ("Bamako", "Kayes")),
    ("CI", 2, "fr", ("Abidjan", "Bouaké")),
    ("CM", 2, "fr", ("Yaoundé", "Douala")),
    ("MA", 3, "fr", ("Rabat", "Oujda", "Tanger")),
    ("TN", 2, "fr", ("Tunis", "Sfax")),
    ("LB", 3, "en", ("Beirut", "Tripoli")),
    ("JO", 2, "en", ("Amman", "Irbid")),
    ("TR", 2, "en", ("Istanbul", "Gaziantep")),
    ("AU", 2, "en", ("Sydney", "Melbourne")),
    ("JP", 1, "en", ("Tokyo", "Osaka")),
    ("KR", 1, "en", ("Seoul", "Busan")),
)
KINDS = (
    ("ngo", 50),
    ("migrant_led", 14),
    ("network", 10),
    ("trade_union", 9),
    ("faith_based", 8),
    ("academic", 5),
    ("local_authority", 2),
    ("other", 2),
)

_EN_WHO = (
    "Migrant Workers",
    "Migrants",
    "Refugees and Migrants",
    "Domestic Workers",
    "Women Migrants",
    "Migrant Families",
    "Returnees",
    "Seafarers",
    "Diaspora",
    "Migrant Youth",
    "Children on the Move",
    "Undocumented People",
)
_EN_FRONT = (
    "Alliance",
    "Network",
    "Centre",
    "Forum",
    "Coalition",
    "Council",
    "Association",
    "Union",
    "Initiative",
    "Foundation",
    "Institute",
    "Collective",
    "Federation",
    "Legal Aid Clinic",
    "Solidarity Committee",
)
_EN_CAUSE = (
    "Rights",
    "Justice",
    "Dignity",
    "Protection",
    "Inclusion",
    "Legal Aid",
    "Human Rights",
    "Decent Work",
    "Safe Migration",
    "Welcome",
    "Integration",
)
_ES_FRONT = (
    "Red",
    "Asociación",
    "Centro",
    "Colectivo",
    "Coalición",
    "Fundación",
    "Foro",
    "Casa",
    "Movimiento",
    "Pastoral",
    "Observatorio",
    "Comité",
)
_ES_WHO = (
    "Personas Migrantes",
    "Mujeres Migrantes",
    "Trabajadores Migrantes",
    "Familias Migrantes",
    "Personas Refugiadas",
    "Jornaleros",
    "Juventudes Migrantes",
    "Personas Deportadas",
)
_ES_CAUSE = (
    "Derechos Humanos",
    "Dignidad",
    "Justicia",
    "Hospitalidad",
    "Acompañamiento",
    "Defensa Legal",
    "Protección",
)
_FR_FRONT = (
    "Association",
    "Réseau",
    "Collectif",
    "Centre",
    "Comité",
    "Coordination",
    "Fédération",
    "Maison",
    "Observatoire",
    "Plateforme",
)
_FR_WHO = (
    "Travailleurs Migrants",
    "Personnes Migrantes",
    "Femmes Migrantes",
    "Migrants de Retour",
    "Familles de Migrants",
    "Jeunes Migrants",
    "Exilés",
)
_FR_CAUSE = ("Droits Humains", "Dignité", "Solidarité", "Accueil", "Justice", "Protection")
_PT_FRONT = ("Rede", "Associação", "Centro", "Coletivo", "Fórum", "Missão", "Instituto")
_PT_WHO = ("Pessoas Migrantes", "Mulheres Migrantes", "Trabalhadores Migrantes", "Refugiados")
_PT_CAUSE = ("Direitos Humanos", "Dignidade", "Acolhida", "Justiça")
_INTL_FRONT = ("Global", "International", "World", "Transnational")
_REGIONAL_FRONT = (
    "Regional",
    "Pan-African",
    "Asia Pacific",
    "Inter-American",
    "Euro-Mediterranean",
)
_ACRONYM_SKIP = {"of", "and", "for", "the", "de", "des", "du", "la", "las", "los", "le", "les",
                 "do", "da", "dos", "das", "pour", "por", "para", "y", "et", "e", "on"}  # fmt: skip


@dataclass(frozen=True)
class OrgSpec:
    name: str
    acronym: str | None
    country: str  # an ISO code, a region, or "International": what the forms accept
    kind: str
    website: str


def _english(rng: random.Random, where: str) -> str:
    pattern = rng.randrange(5)
    who, front, cause = rng.choice(_EN_WHO), rng.choice(_EN_FRONT), rng.choice(_EN_CAUSE)
    if pattern == 0:
        return f"{who} {front} {where}"
    if pattern == 1:
        return f"{where} {front} for {who}"
    if pattern == 2:
        return f"{front} for {cause} of {who}, {where}"
    if pattern == 3:
        return f"{where} {cause} {front}"
    return f"{front} of {who} in {where}"


def _romance(rng: random.Random, where: str, fronts, whos, causes, of: str, for_: str) -> str:
    front, who, cause = rng.choice(fronts), rng.choice(whos), rng.choice(causes)
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"{front} {of} {who} {of} {where}"
    if pattern == 1:
        return f"{front} {for_} {cause} {of} {who}, {where}"
    return f"{front} {cause} {where}"


def _name(rng: random.Random, language: str, where: str) -> str:
    if language == "es":
        return _romance(rng, where, _ES_FRONT, _ES_WHO, _ES_CAUSE, "de", "por la")
    if language == "fr":
        return _romance(rng, where, _FR_FRONT, _FR_WHO, _FR_CAUSE, "des", "pour la")
    if language == "pt":
        return _romance(rng, where, _PT_FRONT, _PT_WHO, _PT_CAUSE, "de", "pela")
    return _english(rng, where)


def _acronym(name: str) -> str | None:
    letters = "".join(w[0] for w in re.findall(r"[\w’'-]+", name) if w.lower() not in _ACRONYM_SKIP)
    return letters.upper()[:12] if 2 <= len(letters) <= 12 else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]


def organizations(count: int, rng: random.Random) -> list[OrgSpec]:
    """`count` organizations with distinct names: national ones in proportion to COUNTRIES,
    about 8% regional and 6% international."""
    weights = [w for _, w, _, _ in COUNTRIES]
    kinds, kind_weights = zip(*KINDS, strict=True)
    seen: set[str] = set()
    specs: list[OrgSpec] = []
    while len(specs) < count:
        roll = rng.random()
        if roll < 0.06:
            country, language = "International", "en"
            name = f"{rng.choice(_INTL_FRONT)} {rng.choice(_EN_FRONT)} for {rng.choice(_EN_WHO)}"
        elif roll < 0.14:
            country, language = rng.choice(REGIONS), "en"
            name = f"{rng.choice(_REGIONAL_FRONT)} {_english(rng, country)}"
        else:
            code, _, language, cities = rng.choices(COUNTRIES, weights)[0]
            country = code
            name = _name(rng, language, rng.choice(cities))
        if len(name) > 200 or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        kind = rng.choices(kinds, kind_weights)[0]
        if kind == "network" and "Network" not in name and language == "en":
            kind = "ngo"
        website = f"https://{_slug(name)}.example.org"
        specs.append(OrgSpec(name, _acronym(name), country, kind, website))
    return specs


# -- statement texts ----------------------------------------------------------------------------

TOPICS = (
    "Firewalls between Services and Immigration Enforcement", "Ending Child Immigration Detention",
    "Fair Recruitment and Decent Work", "Regular Pathways for Climate-Displaced People",
    "Access to Justice for Migrant Workers", "Family Reunification", "Search and Rescue at Sea",
    "Portability of Social Protection", "Women Migrant Domestic Workers",
    "Return and Reintegration", "Data, Evidence and Privacy", "Xenophobia and Hate Speech",
    "Remittances and Financial Inclusion",
    "Consular Protection", "Alternatives to Detention", "Missing Migrants and Their Families",
    "Health Care for All Migrants", "Education for Children on the Move", "Labour Inspection",
    "Follow-up and Review with Civil Society", "Local Authorities and Inclusion",
    "Trafficking and Smuggling", "Statelessness", "Youth and Migration",
)  # fmt: skip
FRAMES = (
    "Civil Society Statement on {topic}", "Joint Statement: {topic}",
    "Recommendations on {topic}", "{topic}: Proposals to the Co-facilitators",
    "Position Paper on {topic}", "Input to the Negotiations on {topic}",
)  # fmt: skip


def _paragraphs(model_body: str) -> tuple[list[str], list[str]]:
    """The model statement's headings and prose paragraphs (lists and notes left out)."""
    headings, prose = [], []
    for block in re.split(r"\n\s*\n", model_body):
        block = block.strip()
        if block.startswith("#"):
            headings.append(block.lstrip("#").strip())
        elif block and not block.startswith(("-", "*", "[^", ":::", ">", "|")) and len(block) > 200:
            prose.append(re.sub(r"\[\^[^\]]+\]", "", block))
    return headings, prose


def statement_text(rng: random.Random, model_body: str, number: int) -> tuple[str, str]:
    """A title and a body of three to six sections drawn from the model statement, with a
    bullet list and a footnote, about the length of a real statement (1,000–2,500 words)."""
    headings, prose = _paragraphs(model_body)
    topic = rng.choice(TOPICS)
    title = rng.choice(FRAMES).format(topic=topic) + f" ({number})"
    parts = [rng.choice(prose)]
    for _ in range(rng.randint(3, 6)):
        parts.append(f"## {rng.choice(headings)}")
        parts.extend(rng.sample(prose, rng.randint(2, 4)))
    parts.append("\n".join(f"- {rng.choice(prose).split('. ')[0].strip()}." for _ in range(4)))
    parts[1] += "[^1]"
    parts.append(f"[^1]: See the civil-society recommendations on {topic.lower()}, 2018.")
    return title, "\n\n".join(parts) + "\n"
