"""A synthetic seed at any scale: realistic names, link fan-out and quotes, deterministic per
random seed.

The result is a `tui.data.seed.Seed` of plain dict records, exactly what `load_seed` returns for
real data, so the benchmark's database is written by the same code (`build.SeedWriter`,
`build.write_database`) as the bundled one. Every quote is a sentence of its article's body.

Shape, for `scale` entities across all kinds: about 10% articles (each reporting about nine
entities), 24% organizations, 25% people, 10% meetings, 25% commitments, 5% indicators and 1%
places. A few words are very common on purpose ("Kazakhstan" is in most quotes, "agreement" in
most commitment names), a few are rare ("Zhanaozen"), and one organization, the hub, is a party
to up to 10,000 commitments.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from typing import Any

from tui.data.seed import Article, Seed

HUB_LINKS = 10_000
HUB_ID = "kazakh-invest-national-company"
HUB_NAME = "Kazakh Invest National Company"
RARE_WORD = "Zhanaozen"  # in a handful of names only

SHARES = (  # kind, share of the scale
    ("place", 0.01), ("article", 0.10), ("organization", 0.24), ("person", 0.25),
    ("meeting", 0.10), ("indicator", 0.05), ("commitment", 0.25),
)  # fmt: skip

COUNTRIES = (
    "Kazakhstan", "China", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Russia",
    "Mongolia", "Azerbaijan", "Georgia", "Turkey", "Iran", "Pakistan", "India", "Korea",
    "Japan", "Germany", "France", "Italy", "Netherlands", "Austria", "Poland", "Hungary",
    "United Arab Emirates", "Qatar", "Saudi Arabia", "Egypt", "Singapore", "Malaysia",
    "Indonesia", "Vietnam", "Thailand", "Belarus", "Armenia", "Finland", "Sweden",
)  # fmt: skip
CITY_ROOTS = (
    "Astana", "Almaty", "Shymkent", "Aktobe", "Karaganda", "Taraz", "Pavlodar", "Oskemen",
    "Semey", "Atyrau", "Kostanay", "Kyzylorda", "Oral", "Petropavl", "Aktau", "Temirtau",
    "Turkistan", "Ekibastuz", "Zhezkazgan", "Balkhash", "Khorgos", "Urumqi", "Xian", "Lanzhou",
    "Chengdu", "Wuhan", "Harbin", "Tianjin", "Qingdao", "Xiamen", "Kashgar", "Korla", "Yining",
    "Baotou", "Hohhot", "Zhengzhou", "Jinan", "Hefei", "Nanning", "Kunming",
)  # fmt: skip
REGION_WORDS = ("North", "South", "East", "West", "Central", "Upper", "Lower", "Greater")
ROOTS = (
    "Altyn", "Samruk", "Baiterek", "Zhongyuan", "Tianshan", "Aral", "Caspian", "Kokshe", "Sary",
    "Ertis", "Zhetysu", "Huaxin", "Sinoma", "Qazaq", "Nur", "Steppe", "Silk Road", "Great Wall",
    "Jade", "Golden Horde", "Tengri", "Orda", "Irtysh", "Ili", "Alatau", "Burabay", "Khan Tengri",
    "Kazyna", "Beineu", "Tulpar", "Sunkar", "Arman", "Dostyk", "Bereke", "Yntymak", "Shanyrak",
    "Zhasyl", "Kok Tobe", "Medeu", "Charyn", "Balkhash", "Ulytau", "Mangystau", "Turan", "Sayram",
    "Huanghe", "Changjiang", "Kunlun", "Taihang", "Qilian", "Hengshan", "Lushan", "Emei",
    "Panda", "Dragon", "Phoenix", "Lotus", "Pioneer", "Horizon", "Eurasia", "Meridian", "Polar",
    "Atlas", "Vector", "Summit", "Crescent", "Orion", "Zenith", "Vertex", "Harmony", "Unity",
)  # fmt: skip
SECTORS = (
    "Energy", "Mining", "Logistics", "Petrochemical", "Solar", "Wind", "Copper", "Agro", "Rail",
    "Cement", "Steel", "Grain", "Gas", "Oil", "Power", "Water", "Chemical", "Construction",
    "Engineering", "Telecom", "Digital", "Textile", "Auto", "Machinery", "Metals", "Uranium",
    "Gold", "Fertilizer", "Pharma", "Food", "Dairy", "Meat", "Timber", "Glass", "Battery",
    "Hydrogen", "Aviation", "Shipping", "Tourism", "Finance",
)  # fmt: skip
SUFFIXES = (
    "Group", "Holding", "LLP", "JSC", "Corporation", "Company", "Co. Ltd", "Industries",
    "Partners", "International", "Development", "Investment",
)  # fmt: skip
BANK_WORDS = ("Bank", "Development Bank", "Investment Fund", "Capital")
GIVEN = (
    "Kassym", "Yerlan", "Askar", "Bakhyt", "Nurlan", "Serik", "Marat", "Daniyar", "Zhomart",
    "Aidos", "Timur", "Olzhas", "Berik", "Kanat", "Almas", "Aigerim", "Dinara", "Gulnara",
    "Saule", "Aliya", "Madina", "Zarina", "Asel", "Kamila", "Li", "Wang", "Zhang", "Liu", "Chen",
    "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "Anna",
    "Mikhail", "Dmitry", "Elena", "Olga", "Sergey", "Ivan", "Hans", "Pierre", "Marco",
)  # fmt: skip
MIDDLE = ("Wei", "Jun", "Hong", "Ming", "Xin", "Hua", "Jian", "Ping", "Yong", "Lei", "")
FAMILY = (
    "Tokayev", "Nazarbayev", "Sultanov", "Abenov", "Zhaksybekov", "Nurpeisov", "Kuanyshev",
    "Mamin", "Smailov", "Bektenov", "Zhumangarin", "Skliar", "Kenzhebekov", "Akhmetov",
    "Iskakov", "Omarov", "Ibrayev", "Tasmagambetov", "Dzhaksybekov", "Kulibayev", "Utemuratov",
    "Hexin", "Dongming", "Jianhua", "Xiaoping", "Guoqiang", "Haitao", "Wenbo", "Zhiqiang",
    "Petrov", "Ivanov", "Smirnov", "Volkov", "Muller", "Schmidt", "Rossi", "Dubois", "Kim",
    "Park", "Tanaka", "Sato",
)  # fmt: skip
ROLES = (
    "Chairman", "Chief Executive", "Deputy Chairman", "Minister", "Vice Minister",
    "Managing Director", "President", "Ambassador", "Governor", "Director General",
)  # fmt: skip
TOPICS = ("energy transition", "transport corridors", "grain exports", "digital trade",
          "critical minerals", "water management", "industrial parks", "tourism")  # fmt: skip
UNITS = (("MW", "capacity"), ("tonnes", "output"), ("km", "length"), ("jobs", "jobs"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

_SLUG = re.compile(r"[^a-z0-9]+")

Progress = Callable[[str, int, int], None]


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def plan(scale: int) -> dict[str, int]:
    """How many entities of each kind make up `scale` (at least a few of each)."""
    counts = {kind: max(3, int(scale * share)) for kind, share in SHARES}
    counts["place"] = max(counts["place"], 12)
    counts["commitment"] = max(3, counts["commitment"] + scale - sum(counts.values()))
    return counts


class _Corpus:
    def __init__(self, scale: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counts = plan(scale)
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.sentences: list[list[str]] = [[] for _ in range(self.counts["article"])]
        self.ids: dict[str, list[str]] = {}
        self.names: dict[str, list[str]] = {}
        self.next_article = 0

    # --- quotes ---------------------------------------------------------------------------------

    def source(self, sentence: str) -> list[dict[str, Any]]:
        """Place `sentence` in the next article (round robin) and cite it."""
        index = self.next_article
        self.next_article = (index + 1) % len(self.sentences)
        self.sentences[index].append(sentence)
        return [{"article": f"a{index}", "quote": sentence}]

    def record(self, kind: str, index: int, name: str, **fields: Any) -> dict[str, Any]:
        slug = f"{slugify(name)[:48].strip('-')}-{index}"
        self.ids[kind].append(slug)
        self.names[kind].append(name)
        return {"id": slug, "name": name, **{k: v for k, v in fields.items() if v is not None}}

    def pick(self, kind: str) -> tuple[str, str]:
        i = self.rng.randrange(len(self.ids[kind]))
        return self.ids[kind][i], self.names[kind][i]

    def date(self) -> str:
        r = self.rng
        return f"{r.randint(2015, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    # --- kinds ----------------------------------------------------------------------------------

    def places(self) -> None:
        kind, out = "place", []
        self.ids[kind], self.names[kind] = [], []
        n = self.counts[kind]
        countries = min(len(COUNTRIES), max(2, n // 6))
        for i in range(n):
            if i < countries:
                name, fields = COUNTRIES[i], {"place_type": "country"}
            else:
                root = CITY_ROOTS[i % len(CITY_ROOTS)]
                if self.rng.random() < 0.3:
                    name = f"{self.rng.choice(REGION_WORDS)} {root} Region"
                    fields = {"place_type": "region", "within": self.ids[kind][0]}
                else:
                    name = root
                    if i >= countries + len(CITY_ROOTS):
                        name = f"{REGION_WORDS[(i // len(CITY_ROOTS)) % len(REGION_WORDS)]} {root}"
                    country = self.ids[kind][self.rng.randrange(min(2, countries))]
                    fields = {"place_type": "city", "within": country}
            quote = f"{name} has become a hub for investment between Kazakhstan and its partners."
            out.append(self.record(kind, i, name, sources=self.source(quote), **fields))
        self.records[kind] = out
        self.countries = self.ids[kind][:countries]

    def organizations(self) -> None:
        kind, out, r = "organization", [], self.rng
        self.ids[kind], self.names[kind] = [], []
        for i in range(self.counts[kind]):
            if i == 0:
                name, org_type = HUB_NAME, "state_company"
            else:
                root, sector = r.choice(ROOTS), r.choice(SECTORS)
                if i % 97 == 5 and i < 2_000:
                    root = RARE_WORD
                if r.random() < 0.06:
                    name, org_type = f"{root} {r.choice(BANK_WORDS)}", "bank"
                else:
                    name = f"{root} {sector} {r.choice(SUFFIXES)}"
                    org_type = r.choice(("company", "company", "company", "state_company"))
            country = self.countries[0 if r.random() < 0.5 else r.randrange(len(self.countries))]
            quote = (
                f"{name} said it would expand its work in Kazakhstan, "
                f"a representative told reporters."
            )
            fields: dict[str, Any] = {"org_type": org_type, "country": country}
            if r.random() < 0.1:
                fields["aliases"] = ["".join(w[0] for w in name.split() if w[0].isupper())]
            record = self.record(kind, i, name, sources=self.source(quote), **fields)
            if i == 0:
                record["id"] = self.ids[kind][0] = HUB_ID
            out.append(record)
        self.records[kind] = out

    def people(self) -> None:
        kind, out, r = "person", [], self.rng
        self.ids[kind], self.names[kind] = [], []
        for i in range(self.counts[kind]):
            middle = r.choice(MIDDLE)
            name = " ".join(p for p in (r.choice(GIVEN), middle, r.choice(FAMILY)) if p)
            org_id, org_name = self.pick("organization")
            role = r.choice(ROLES)
            quote = f"{role} {name} of {org_name} took part in the talks in Kazakhstan."
            sources = self.source(quote)
            out.append(
                self.record(
                    kind,
                    i,
                    name,
                    country=self.countries[r.randrange(len(self.countries))],
                    sources=sources,
                    positions=[{"organization": org_id, "role": role, "sources": sources}],
                )
            )
        self.records[kind] = out

    def meetings(self) -> None:
        kind, out, r = "meeting", [], self.rng
        self.ids[kind], self.names[kind] = [], []
        for i in range(self.counts[kind]):
            a, b = self.pick("organization"), self.pick("person")
            meeting_type = r.choice(("talks", "roundtable", "bilateral", "state_visit"))
            name = f"{meeting_type.replace('_', ' ').title()} with {a[1]}"
            place = self.ids["place"][r.randrange(len(self.ids["place"]))]
            quote = f"{b[1]} met the management of {a[1]} to discuss {r.choice(TOPICS)}."
            sources = self.source(quote)
            participants = [
                {"entity": f"organization:{a[0]}", "role": "company", "sources": sources},
                {"entity": f"person:{b[0]}", "role": "host", "sources": sources},
            ]
            if r.random() < 0.5:
                c = self.pick("person")
                participants.append(
                    {"entity": f"person:{c[0]}", "role": "delegation", "sources": sources}
                )
            part_of = None
            if i > 10 and r.random() < 0.1:
                part_of = self.ids[kind][r.randrange(i)]
            out.append(
                self.record(
                    kind,
                    i,
                    name,
                    meeting_type=meeting_type,
                    date=self.date(),
                    date_precision="day",
                    place=place,
                    part_of=part_of,
                    topics=r.choice(TOPICS),
                    sources=sources,
                    participants=participants,
                )
            )
        self.records[kind] = out

    def commitments(self) -> None:
        kind, out, r = "commitment", [], self.rng
        self.ids[kind], self.names[kind] = [], []
        hub_every = max(1, self.counts[kind] // HUB_LINKS)
        for i in range(self.counts[kind]):
            a, b = self.pick("organization"), self.pick("organization")
            sector = r.choice(SECTORS)
            category = r.choice(("agreement", "agreement", "project", "supply_agreement"))
            place_id, place_name = self.pick("place")
            name = f"{sector} agreement between {a[1]} and {b[1]}"
            amount = r.choice((None, r.randint(1, 900) * 1_000_000))
            money = f" worth ${amount / 1e6:,.0f} million" if amount else ""
            quote = (
                f"{a[1]} and {b[1]} signed an agreement{money} on {sector.lower()} in {place_name}."
            )
            sources = self.source(quote)
            parties = [
                {"entity": f"organization:{a[0]}", "role": "signatory", "sources": sources},
                {"entity": f"organization:{b[0]}", "role": "signatory", "sources": sources},
            ]
            if i % hub_every == 0 and i // hub_every < HUB_LINKS and a[0] != HUB_ID != b[0]:
                parties.append({"entity": f"organization:{HUB_ID}", "role": "co-investor",
                                "sources": sources})  # fmt: skip
            unit, _ = r.choice(UNITS)
            out.append(
                self.record(
                    kind,
                    i,
                    name,
                    category=category,
                    status=r.choice(("signed", "agreed", "planned", "launched", "under_way")),
                    sector=sector.lower(),
                    amount=amount,
                    currency="USD" if amount else None,
                    capacity=r.randint(10, 2000) if unit == "MW" else None,
                    capacity_unit="MW" if unit == "MW" else None,
                    date=self.date(),
                    date_precision="day",
                    announced_at=self.pick("meeting")[0] if r.random() < 0.3 else None,
                    sources=sources,
                    parties=parties,
                    places=[{"place": place_id, "role": "location", "sources": sources}],
                )
            )
        self.records[kind] = out

    def indicators(self) -> None:
        kind, out, r = "indicator", [], self.rng
        self.ids[kind], self.names[kind] = [], []
        for i in range(self.counts[kind]):
            subject_id, subject_name = self.pick("organization")
            unit, metric = r.choice(UNITS)
            value = r.randint(1, 5000)
            year = r.randint(2015, 2025)
            name = f"{metric.title()} of {subject_name} in {year}"
            quote = f"The {metric} of {subject_name} reached {value} {unit} in {year}."
            out.append(
                self.record(
                    kind,
                    i,
                    name,
                    metric=metric,
                    value=value,
                    unit=unit,
                    period=str(year),
                    subject=f"organization:{subject_id}",
                    counterpart=f"place:{self.countries[0]}",
                    sources=self.source(quote),
                )
            )
        self.records[kind] = out

    def articles(self) -> dict[str, Article]:
        r, articles = self.rng, {}
        datelines = CITY_ROOTS
        for index, sentences in enumerate(self.sentences):
            dateline = datelines[index % len(datelines)].upper()
            month = MONTHS[index % 12]
            lead = f"{dateline}, {month} {1 + index % 28} – Investment news from Kazakhstan."
            body = "\n\n".join([lead, *sentences]) + "\n"
            year = 2015 + index % 11
            title = (
                f"{r.choice(SECTORS)} investment talks in {datelines[index % len(datelines)]}"
                if index % 3 else None
            )  # fmt: skip
            meta: dict[str, Any] = {
                "id": f"a{index}",
                "file": f"articles/a{index}.txt",
                "date": f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
                "date_precision": "day",
                "dateline": dateline.title(),
            }
            if title:
                meta["title"] = title
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
            articles[meta["id"]] = Article(meta["id"], meta["file"], body, digest, meta)
        return articles


def generate(scale: int, seed: int = 1, progress: Progress | None = None) -> Seed:
    """A valid seed of about `scale` entities (articles included)."""
    corpus = _Corpus(scale, seed)
    steps = (
        ("place", corpus.places), ("organization", corpus.organizations),
        ("person", corpus.people), ("meeting", corpus.meetings),
        ("commitment", corpus.commitments), ("indicator", corpus.indicators),
    )  # fmt: skip
    for done, (kind, step) in enumerate(steps):
        if progress:
            progress(f"generating {kind}s", done, len(steps))
        step()
    result = Seed(articles=corpus.articles(), records=corpus.records)
    if progress:
        progress("generating articles", len(steps), len(steps))
    return result
