"""The BODACC insolvency import at scale: a year of notices against the
customers.

    python3 benchmarks/insolvency.py [--customers 10000] [--notices 60000]
                                     [--seed 42] [--rebuild] [--csv FILE]
                                     [--profile DIR]
    python3 benchmarks/insolvency.py --build DB ADDONS LOGFILE     (internal)
    python3 benchmarks/insolvency.py --measure DB ADDONS LOGFILE CSV (internal)

Builds once a template database ``credit_dunning_bench_insolvency_<customers>``
(credit_dunning installed, account and sale with it, no demo data) with
--customers customer companies carrying their SIREN (half of them in the
Company ID as a SIRET, a fifth as a SIREN, a fifth through their French VAT
number, a tenth with no French identifier), an invoice contact for a fifth of
them, 1 to 3 posted invoices for one customer in five, and a second credit
manager. Writes a BODACC "annonces commerciales" CSV export of --notices
records in the portal's shape (30 % collective proceedings, the rest sales,
registrations, deregistrations, changes, filed accounts; 1.5 % naming a
customer: openings, plans, conversions, closures, a few duplicates and a few
unreadable judgments). Then, in a fresh process on a copy of the template,
imports it as a credit manager does (the wizard's create and
``action_import()`` on the base64 file), and imports it again (must change
nothing). Prints the seconds, the figures of each import against those the
generator expects, the peak memory, PASS or FAIL against the 60 s target, and
writes ``benchmarks/results/insolvency_<customers>.json``.

``--profile DIR`` profiles the first import (cProfile ``first_import.prof``
and the queries by their text, ``first_import_queries.txt``; its time is then
longer, and the results go to DIR, not to benchmarks/results) and keeps the
working copy of the database.
"""

import argparse
import base64
import csv
import datetime
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from odoo_env import REPO, addons_path, check_odoo, odoo_env, shell_lib  # noqa: E402

TARGET_SECONDS = 60
BATCH = 1000
MANAGER_LOGIN = "bench_credit_manager"
FILENAME = "annonces-commerciales.csv"

# the columns of the BODACC portal's CSV export of "annonces commerciales"
EXPORT_COLUMNS = [
    "id",
    "publicationavis",
    "publicationavis_facette",
    "parution",
    "dateparution",
    "numeroannonce",
    "typeavis",
    "typeavis_lib",
    "familleavis",
    "familleavis_lib",
    "numerodepartement",
    "departement_nom_officiel",
    "region_code",
    "region_nom_officiel",
    "tribunal",
    "commercant",
    "ville",
    "registre",
    "cp",
    "pdf_parution_subfolder",
    "listepersonnes",
    "listeetablissements",
    "jugement",
    "acte",
    "modificationsgenerales",
    "radiationaurcs",
    "depot",
    "listeprecedentexploitant",
    "listeprecedentproprietaire",
    "divers",
    "url_complete",
]
# family: (label, BODACC edition), with the share of the records not of a
# customer's proceedings
FAMILIES = {
    "collective": ("Procédures collectives", "A"),
    "vente": ("Ventes et cessions", "A"),
    "immatriculation": ("Immatriculations", "A"),
    "creation": ("Créations", "A"),
    "modification": ("Modifications diverses", "B"),
    "radiation": ("Radiations", "B"),
    "dpc": ("Dépôts des comptes", "C"),
}
OTHER_FAMILIES = [
    ("modification", 30),
    ("dpc", 26),
    ("immatriculation", 14),
    ("radiation", 14),
    ("creation", 8),
    ("vente", 8),
]
COLLECTIVE_SHARE = 0.30
CUSTOMER_SHARE = 0.015  # of all the records, naming a customer

# judgments (nature, whether the import can tell the kind of proceedings)
OPENING = {
    "liquidation": "Jugement d'ouverture de liquidation judiciaire",
    "receivership": "Jugement d'ouverture d'une procédure de redressement judiciaire",
    "safeguard": "Jugement d'ouverture d'une procédure de sauvegarde",
}
PLAN = {
    "receivership": "Jugement arrêtant le plan de redressement",
    "safeguard": "Jugement arrêtant le plan de sauvegarde",
}
CONVERSIONS = [
    "Jugement de conversion en liquidation judiciaire",
    "Jugement prononçant la liquidation judiciaire",
]
CLOSURE = "Jugement de clôture pour insuffisance d'actif"
OTHERS = [
    "Jugement modifiant la date de cessation des paiements",
    "Jugement modifiant le plan de redressement",
]
# nature: an opening judgment or a liquidation pronounced opens proceedings the
# import does not know yet; a plan, a closure or another judgment of unknown
# proceedings is only noted on the customer
OPENS = {
    **{nature: True for nature in OPENING.values()},
    **{nature: False for nature in PLAN.values()},
    **{nature: True for nature in CONVERSIONS},
    CLOSURE: False,
    OTHERS[0]: False,
    OTHERS[1]: False,
}
BROKEN_JUGEMENT = [
    "{not json",
    "",
    '{"type": "initial", "famille": "Jugement", "nature": ""}',
    '{"type": "initial", "nature": "Jugement d\'ouverture de liquidation judi',
]
# (department, name, region code, region, city, postcode, court)
PLACES = [
    (
        "69",
        "Rhône",
        "84",
        "Auvergne-Rhône-Alpes",
        "Lyon",
        "69003",
        "Tribunal de commerce de Lyon",
    ),
    (
        "75",
        "Paris",
        "11",
        "Île-de-France",
        "Paris",
        "75011",
        "Tribunal des activités économiques de Paris",
    ),
    (
        "13",
        "Bouches-du-Rhône",
        "93",
        "Provence-Alpes-Côte d'Azur",
        "Marseille",
        "13008",
        "Tribunal de commerce de Marseille",
    ),
    (
        "33",
        "Gironde",
        "75",
        "Nouvelle-Aquitaine",
        "Bordeaux",
        "33000",
        "Tribunal de commerce de Bordeaux",
    ),
    (
        "59",
        "Nord",
        "32",
        "Hauts-de-France",
        "Lille",
        "59000",
        "Tribunal de commerce de Lille Métropole",
    ),
    (
        "44",
        "Loire-Atlantique",
        "52",
        "Pays de la Loire",
        "Nantes",
        "44000",
        "Tribunal de commerce de Nantes",
    ),
    (
        "31",
        "Haute-Garonne",
        "76",
        "Occitanie",
        "Toulouse",
        "31000",
        "Tribunal de commerce de Toulouse",
    ),
    (
        "67",
        "Bas-Rhin",
        "44",
        "Grand Est",
        "Strasbourg",
        "67000",
        "Tribunal judiciaire de Strasbourg",
    ),
]
TRADES = [
    ("GARAGE", "Entretien et réparation de véhicules automobiles légers"),
    ("BOULANGERIE", "Boulangerie, pâtisserie, viennoiserie"),
    ("TRANSPORTS", "Transports routiers de fret interurbains"),
    ("BATIMENT", "Travaux de maçonnerie générale et gros œuvre de bâtiment"),
    ("RESTAURANT", "Restauration traditionnelle"),
    ("CONSEIL", "Conseil pour les affaires et autres conseils de gestion"),
    ("MENUISERIE", "Travaux de menuiserie bois et PVC"),
    ("IMPRIMERIE", "Imprimerie de labeur, façonnage"),
]
SURNAMES = [
    "LEFEVRE",
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRE",
    "MERCIER",
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANCOIS",
]
FORMS = [
    "Société à responsabilité limitée",
    "Société par actions simplifiée",
    "Société par actions simplifiée unipersonnelle",
    "Entreprise unipersonnelle à responsabilité limitée",
]
REPRESENTATIVES = [
    "SELARL MJ Synergie, 87 rue de Sèze 69006 Lyon",
    "SCP BTSG, 15 rue de l'Hôtel de Ville 92200 Neuilly-sur-Seine",
    "SELARL AJ Associés, 4 cours Pierre Puget 13006 Marseille",
    "Maître Dupuy, mandataire judiciaire, 12 rue Judaïque 33000 Bordeaux",
]


def luhn_key(digits):
    """The digit that makes ``digits`` + it pass the Luhn check (SIREN,
    SIRET)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def new_siren(rng, taken):
    while True:
        body = str(rng.randrange(10_000_000, 100_000_000))
        siren = body + luhn_key(body)
        if siren not in taken:
            taken.add(siren)
            return siren


def spaced(siren):
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}"


def customer_identities(count, seed):
    """The customers' names and identifiers, the same for the database and
    the export: {siren, name, registry, vat, place, invoiced}."""
    rng = random.Random(f"{seed}-customers")
    taken = set()
    customers = []
    for index in range(count):
        siren = new_siren(rng, taken)
        trade, _activity = rng.choice(TRADES)
        registry = vat = False
        draw = rng.random()
        if draw < 0.5:  # a SIRET, spaced or not
            nic = f"{rng.randrange(1, 100):04d}"
            siret = siren + nic + luhn_key(siren + nic)
            registry = f"{spaced(siren)} {siret[9:]}" if rng.random() < 0.5 else siret
        elif draw < 0.7:
            registry = spaced(siren) if rng.random() < 0.5 else siren
        elif draw < 0.9:
            vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
        # else: no French identifier (a foreign customer, or not filled in)
        customers.append(
            {
                "siren": siren,
                "name": f"{trade} {rng.choice(SURNAMES)} {index:05d}",
                "registry": registry,
                "vat": vat,
                "place": rng.choice(PLACES),
                "invoiced": index % 5 == 0,
                "contact": rng.random() < 0.2,
            }
        )
    return customers


# ----------------------------------------------------------------------
# The export
# ----------------------------------------------------------------------
class Export:
    """The records of the export and what the import must make of them."""

    def __init__(self, customers, size, seed, today):
        self.rng = random.Random(f"{seed}-notices")
        self.today = today
        self.start = today - timedelta(days=365)
        self.customers = customers
        self.taken = {c["siren"] for c in customers}
        self.records = []
        self.sequence = 0
        self.expected = {
            "read": 0,
            "matched": 0,
            "opened": 0,
            "updated": 0,
            "known": 0,
            "errors": 0,
            "customers_in_proceedings": 0,
            "customer_notices": 0,
            "collective": 0,
        }
        self.generate(size)

    # -- one record --------------------------------------------------
    def record(self, family, siren, name, place, published, **fields):
        rng = self.rng
        label, edition = FAMILIES[family]
        self.sequence += 1
        issue = published.timetuple().tm_yday * 250 // 366 + 1
        notice_id = f"{edition}{published.year}{issue:04d}{self.sequence:06d}"
        dept, dept_name, region, region_name, city, cp, court = place
        trade = name.split()[0]
        activity = dict(TRADES).get(trade, TRADES[0][1])
        person = {
            "personne": {
                "typePersonne": "pm",
                "denomination": name,
                "formeJuridique": rng.choice(FORMS),
                "numeroImmatriculation": {
                    "numeroIdentification": spaced(siren),
                    "codeRCS": "RCS",
                    "nomGreffeImmat": city,
                },
                "adresseSiegeSocial": {
                    "numeroVoie": str(rng.randint(1, 180)),
                    "typeVoie": rng.choice(["rue", "avenue", "boulevard", "route"]),
                    "nomVoie": rng.choice(
                        ["de la République", "Victor Hugo", "Jean Jaurès", "du Port"]
                    ),
                    "codePostal": cp,
                    "ville": city,
                    "pays": "France",
                },
            }
        }
        row = dict.fromkeys(EXPORT_COLUMNS, "")
        row.update(
            {
                "id": notice_id,
                "publicationavis": edition,
                "publicationavis_facette": f"Bodacc {edition}",
                "parution": f"{published.year}{issue:04d}",
                "dateparution": published.isoformat(),
                "numeroannonce": str(self.sequence % 4000 + 1),
                "typeavis": "annonce",
                "typeavis_lib": "Avis initial",
                "familleavis": family,
                "familleavis_lib": label,
                "numerodepartement": dept,
                "departement_nom_officiel": dept_name,
                "region_code": region,
                "region_nom_officiel": region_name,
                "tribunal": court if family == "collective" else f"Greffe de {city}",
                "commercant": name,
                "ville": city,
                "registre": f"{spaced(siren)},{siren}",
                "cp": cp,
                "pdf_parution_subfolder": f"{published.year}/{edition}/{issue}",
                "listepersonnes": json.dumps(person, ensure_ascii=False),
                "url_complete": "https://www.bodacc.fr/pages/annonces-commerciales-"
                f"detail/?q.id=id:{notice_id}",
            }
        )
        if family != "collective":
            row.update(self.other_fields(family, activity, city, published))
        row.update(fields)
        self.records.append(row)
        return row

    def other_fields(self, family, activity, city, published):
        rng = self.rng
        day = (published - timedelta(days=rng.randint(10, 60))).isoformat()
        establishment = json.dumps(
            {
                "etablissement": {
                    "origineFonds": "Création d'un fonds de commerce",
                    "qualiteEtablissement": "Etablissement principal",
                    "activite": activity,
                    "adresse": {"ville": city, "pays": "France"},
                }
            },
            ensure_ascii=False,
        )
        if family in ("immatriculation", "creation"):
            return {
                "listeetablissements": establishment,
                "acte": json.dumps(
                    {
                        "categorieImmatriculation": "Immatriculation d'une personne "
                        "morale (B, C, D) suite à création d'un établissement "
                        "principal",
                        "dateImmatriculation": day,
                        "dateCommencementActivite": day,
                    },
                    ensure_ascii=False,
                ),
            }
        if family == "vente":
            return {
                "listeetablissements": establishment,
                "acte": json.dumps(
                    {
                        "categorieVente": "Achat d'un fonds par une personne morale",
                        "dateCommencementActivite": day,
                        "opposition": "Oppositions dans les dix jours de la dernière "
                        f"en date des publications légales, au fonds vendu à {city}.",
                    },
                    ensure_ascii=False,
                ),
                "listeprecedentproprietaire": json.dumps(
                    {"personne": {"typePersonne": "pp", "nom": rng.choice(SURNAMES)}},
                    ensure_ascii=False,
                ),
            }
        if family == "modification":
            return {
                "modificationsgenerales": json.dumps(
                    {
                        "descriptif": rng.choice(
                            [
                                "Modification survenue sur l'administration.",
                                "Modification survenue sur le capital.",
                                "Transfert du siège social.",
                                "Modification de la dénomination.",
                            ]
                        ),
                        "dateEffet": day,
                    },
                    ensure_ascii=False,
                )
            }
        if family == "radiation":
            return {
                "radiationaurcs": json.dumps(
                    {"radiationPM": "O", "dateCessationActivitePM": day},
                    ensure_ascii=False,
                )
            }
        # dpc: filed accounts
        return {
            "depot": json.dumps(
                {
                    "dateCloture": f"{published.year - 1}-12-31",
                    "typeDepot": "Comptes annuels et rapports",
                    "descriptif": "Les comptes annuels sont accompagnés d'une "
                    "déclaration de confidentialité en application de l'article "
                    "L. 232-25 du code de commerce.",
                },
                ensure_ascii=False,
            )
        }

    def collective(self, siren, name, place, published, nature, judged, **fields):
        details = (
            f"{nature}, désignant mandataire judiciaire "
            f"{self.rng.choice(REPRESENTATIVES)}. Les créances sont à déclarer, "
            "dans les deux mois de la publication au BODACC, auprès du mandataire "
            "judiciaire ou sur le portail électronique prévu par les articles "
            "L. 814-2 et L. 814-13 du code de commerce."
        )
        jugement = json.dumps(
            {
                "type": "initial",
                "famille": nature.split(" d'")[0].split(" de ")[0],
                "nature": nature,
                "date": judged.isoformat(),
                "complementJugement": details,
            },
            ensure_ascii=False,
        )
        fields.setdefault("jugement", jugement)
        return self.record("collective", siren, name, place, published, **fields)

    def published(self, judged):
        return judged + timedelta(days=self.rng.randint(4, 20))

    # -- a customer's proceedings --------------------------------------
    def proceedings(self, customer):
        """The notices of one customer's proceedings published in the year:
        (judged, published, nature) in the order of the judgments."""
        rng = self.rng
        draw = rng.random()
        kind = (
            "liquidation"
            if draw < 0.65
            else "receivership"
            if draw < 0.93
            else "safeguard"
        )
        days = (self.today - self.start).days
        if rng.random() < 0.05:
            # opened before the year: only a later judgment is published in it
            judged = self.start + timedelta(days=rng.randint(0, days - 30))
            nature = PLAN["receivership"] if rng.random() < 0.5 else CLOSURE
            return [(judged, self.published(judged), nature)]
        opened = self.start + timedelta(days=rng.randint(0, days - 25))
        events = [(opened, OPENING[kind])]
        last = opened
        if kind == "receivership":
            draw = rng.random()
            if draw < 0.35:
                last = opened + timedelta(days=rng.randint(30, 180))
                events.append((last, rng.choice(CONVERSIONS)))
                kind = "liquidation"
            elif draw < 0.65:
                last = opened + timedelta(days=rng.randint(150, 300))
                events.append((last, PLAN["receivership"]))
        elif kind == "safeguard" and rng.random() < 0.4:
            last = opened + timedelta(days=rng.randint(120, 300))
            events.append((last, PLAN["safeguard"]))
        if kind == "liquidation" and rng.random() < 0.35:
            events.append((last + timedelta(days=rng.randint(90, 360)), CLOSURE))
        if rng.random() < 0.1:
            events.append(
                (opened + timedelta(days=rng.randint(30, 90)), rng.choice(OTHERS))
            )
        dated = [(judged, self.published(judged), nature) for judged, nature in events]
        return [event for event in sorted(dated) if event[1] <= self.today]

    # -- the whole file ------------------------------------------------
    def generate(self, size):
        rng = self.rng
        expected = self.expected
        identified = [c for c in self.customers if c["registry"] or c["vat"]]
        target = round(size * CUSTOMER_SHARE)
        readable = []  # the customers' collective notices the import reads
        insolvent = set()
        # the customers' proceedings: 92 % of their notices
        candidates = rng.sample(identified, len(identified))
        while candidates and len(readable) < target * 0.92:
            customer = candidates.pop()
            events = self.proceedings(customer)
            if not events:
                continue
            insolvent.add(customer["siren"])
            known = False
            for judged, published, nature in events:
                row = self.collective(
                    customer["siren"],
                    customer["name"],
                    customer["place"],
                    published,
                    nature,
                    judged,
                )
                readable.append(row)
                if known:
                    expected["updated"] += 1
                elif OPENS[nature]:
                    expected["opened"] += 1
                    known = True
                else:
                    expected["updated"] += 1  # a note on the customer only
        expected["customers_in_proceedings"] = len(insolvent)
        # their other notices (changes, filed accounts, sales): not read
        for _ in range(round(target * 0.06)):
            customer = rng.choice(identified)
            family = rng.choice(["modification", "dpc", "vente"])
            self.record(
                family,
                customer["siren"],
                customer["name"],
                customer["place"],
                self.start + timedelta(days=rng.randint(0, 365)),
            )
        # a judgment the export mangled, of a customer in proceedings
        insolvent_customers = [c for c in identified if c["siren"] in insolvent]
        for _ in range(max(3, round(target * 0.01))):
            customer = rng.choice(insolvent_customers)
            self.collective(
                customer["siren"],
                customer["name"],
                customer["place"],
                self.start + timedelta(days=rng.randint(20, 365)),
                OTHERS[0],
                self.start,
                jugement=rng.choice(BROKEN_JUGEMENT),
            )
            expected["errors"] += 1
        # the same notice twice
        for row in rng.sample(
            readable, min(len(readable), max(3, round(target * 0.02)))
        ):
            self.records.append(dict(row))
            expected["known"] += 1
        expected["matched"] = len(readable) + expected["known"]
        expected["customer_notices"] = len(self.records)
        # everybody else's
        collective = sum(r["familleavis"] == "collective" for r in self.records)
        others = size - len(self.records)
        strangers = round(size * COLLECTIVE_SHARE) - collective
        families, weights = zip(*OTHER_FAMILIES, strict=True)
        natures = [
            (OPENING["liquidation"], 45),
            (OPENING["receivership"], 15),
            (OPENING["safeguard"], 3),
            (CLOSURE, 20),
            (CONVERSIONS[0], 5),
            (PLAN["receivership"], 5),
            (PLAN["safeguard"], 2),
            (OTHERS[0], 3),
            (OTHERS[1], 2),
        ]
        nature_list, nature_weights = zip(*natures, strict=True)
        duplicates = max(2, round(others * 0.0005))
        broken = max(2, round(others * 0.001))
        for index in range(others - duplicates):
            siren = new_siren(rng, self.taken)
            trade, _activity = rng.choice(TRADES)
            name = f"{trade} {rng.choice(SURNAMES)}"
            place = rng.choice(PLACES)
            if index < strangers:
                judged = self.start + timedelta(days=rng.randint(0, 350))
                published = min(self.published(judged), self.today)
                nature = rng.choices(nature_list, nature_weights)[0]
                extra = (
                    {"jugement": rng.choice(BROKEN_JUGEMENT)} if index < broken else {}
                )
                self.collective(siren, name, place, published, nature, judged, **extra)
            else:
                family = rng.choices(families, weights)[0]
                published = self.start + timedelta(days=rng.randint(0, 365))
                self.record(family, siren, name, place, published)
        for row in rng.sample(self.records[expected["customer_notices"] :], duplicates):
            self.records.append(dict(row))
        expected["read"] = len(self.records)
        expected["collective"] = sum(
            r["familleavis"] == "collective" for r in self.records
        )
        # the portal's order: the newest first
        self.records.sort(key=lambda r: (r["dateparution"], r["id"]), reverse=True)

    def csv_bytes(self):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(self.records)
        return out.getvalue().encode("utf-8-sig")


# ----------------------------------------------------------------------
# The database (--build, in its own process)
# ----------------------------------------------------------------------
def build(db, addons, logfile, count, seed):
    start = time.time()

    def log(message):
        print(f"[{time.time() - start:7.1f}s] {message}", flush=True)

    customers = customer_identities(count, seed)
    rng = random.Random(f"{seed}-invoices")
    today = datetime.date.today()
    with odoo_env(db, addons, logfile) as env:
        # the data, not its chatter
        env = env(context=dict(env.context, tracking_disable=True))
        company = env.company
        company.write(
            {
                "street": "1 Benchmark Street",
                "zip": "69003",
                "city": "Lyon",
                "email": "credit@bench.example.com",
            }
        )
        # a second credit manager beside the administrator: the one who
        # imports (the proceedings' tasks go to both)
        env["res.users"].create(
            {
                "name": "Credit Manager",
                "login": MANAGER_LOGIN,
                "email": "credit.manager@bench.example.com",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("credit_dunning.group_credit_control_manager").id,
                        ],
                    )
                ],
            }
        )
        france = env.ref("base.fr")
        partners = env["res.partner"]
        for first in range(0, count, BATCH):
            partners |= env["res.partner"].create(
                [
                    {
                        "name": c["name"].title(),
                        "is_company": True,
                        "customer_rank": 1,
                        "email": f"compta{first + i}@customer.example.com",
                        "company_registry": c["registry"],
                        "vat": c["vat"],
                        "street": f"{first + i} rue du Commerce",
                        "zip": c["place"][5],
                        "city": c["place"][4],
                        "country_id": france.id,
                    }
                    for i, c in enumerate(customers[first : first + BATCH])
                ]
            )
            env.cr.commit()
        log(f"{len(partners)} customers")
        with_contact = [
            p for p, c in zip(partners, customers, strict=True) if c["contact"]
        ]
        for first in range(0, len(with_contact), BATCH):
            env["res.partner"].create(
                [
                    {
                        "name": f"Comptabilité {p.name}",
                        "parent_id": p.id,
                        "type": "invoice",
                        "email": f"factures{p.id}@customer.example.com",
                    }
                    for p in with_contact[first : first + BATCH]
                ]
            )
        env.cr.commit()
        log(f"{len(with_contact)} invoice contacts")
        product = env.ref("credit_dunning.product_late_interest")
        invoiced = [
            p for p, c in zip(partners, customers, strict=True) if c["invoiced"]
        ]
        vals = []
        for partner in invoiced:
            for _ in range(rng.randint(1, 3)):
                day = today - timedelta(days=rng.randint(0, 365))
                vals.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": day,
                        "date": day,
                        "invoice_payment_term_id": False,
                        "invoice_date_due": day + timedelta(days=30),
                        "invoice_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "product_id": product.id,
                                    "name": "Services",
                                    "quantity": rng.randint(1, 5),
                                    "price_unit": round(rng.uniform(50, 2000), 2),
                                    "tax_ids": [(5, 0, 0)],
                                },
                            )
                        ],
                    }
                )
        for first in range(0, len(vals), BATCH):
            moves = env["account.move"].create(vals[first : first + BATCH])
            moves.action_post()
            env.cr.commit()
            env.invalidate_all()
            log(f"{first + len(moves)} invoices posted")
        env.cr.commit()
    log("done")


# ----------------------------------------------------------------------
# The measurement (--measure, in a fresh process)
# ----------------------------------------------------------------------
def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def state(env):
    """What an import may change: the proceedings, their notices, the
    chatter, the tasks, the customers."""
    env.cr.execute(
        """
        SELECT (SELECT count(*) FROM credit_insolvency_proceeding),
               (SELECT max(write_date) FROM credit_insolvency_proceeding),
               (SELECT count(*) FROM credit_insolvency_notice),
               (SELECT count(*) FROM mail_message),
               (SELECT count(*) FROM mail_activity),
               (SELECT count(*) FROM res_partner WHERE credit_hold),
               (SELECT max(write_date) FROM res_partner)
        """
    )
    keys = (
        "proceedings",
        "proceedings_written",
        "notices",
        "messages",
        "activities",
        "customers_on_hold",
        "partners_written",
    )
    return {
        key: str(value) if isinstance(value, datetime.datetime) else value
        for key, value in zip(keys, env.cr.fetchone(), strict=True)
    }


def one_import(env, user, content, figures, profile_dir=None, name=None):
    """The user's two requests: the wizard created with the file, then
    Import; each committed."""
    from behaviour import profiled  # noqa: PLC0415

    env.invalidate_all()
    payload = base64.b64encode(content)  # what the browser sends
    rss_before = peak_rss_mb()
    queries_before = env.cr.sql_log_count
    with profiled(profile_dir, name):
        start = time.perf_counter()
        wizard = (
            env["credit.insolvency.import"]
            .with_user(user)
            .create({"file": payload, "filename": FILENAME})
        )
        env.flush_all()
        env.cr.commit()
        created = time.perf_counter()
        action = wizard.action_import()
        env.flush_all()
        imported = time.perf_counter()
        # the end of the request: what waits for the commit (the emails Odoo
        # sends at once) runs in it
        env.cr.commit()
        end = time.perf_counter()
    return {
        "seconds": round(end - start, 3),
        "create_seconds": round(created - start, 3),
        "action_import_seconds": round(end - created, 3),
        "commit_seconds": round(end - imported, 3),
        "queries": env.cr.sql_log_count - queries_before,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_growth_mb": round(peak_rss_mb() - rss_before, 1),
        "figures": {
            **{k: v for k, v in figures[-1].items() if k != "errors"},
            "errors": len(figures[-1]["errors"]),
        },
        "errors_sample": [
            [line, str(error)] for line, error in figures[-1]["errors"][:5]
        ],
        "message": action["params"]["message"],
        "notification": action["params"]["type"],
    }


def measure(db, addons, logfile, csv_path, profile_dir=None):
    content = Path(csv_path).read_bytes()
    with odoo_env(db, addons, logfile) as env:
        from odoo.tools import config  # noqa: PLC0415

        from odoo.addons.credit_dunning.insolvency import bodacc  # noqa: PLC0415

        # warm the registry caches outside the measurement
        env["res.partner"].search([], limit=1)
        user = env["res.users"].search([("login", "=", MANAGER_LOGIN)])
        assert user.has_group("credit_dunning.group_credit_control_manager")
        Proceeding = type(env["credit.insolvency.proceeding"])
        original = Proceeding._import_notices
        figures = []

        def recorded(self, rows, company):
            result = original(self, rows, company)
            figures.append(result)
            return result

        results = {
            "file_mb": round(len(content) / 2**20, 1),
            "customers": env["res.partner"].search_count(
                [("is_company", "=", True), ("customer_rank", ">", 0)]
            ),
            "invoices": env["account.move"].search_count(
                [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
            ),
            "filestore": config.filestore(db),
        }
        with patch.object(Proceeding, "_import_notices", recorded):
            before = state(env)
            results["first"] = one_import(
                env, user, content, figures, profile_dir, "first_import"
            )
            after_first = state(env)
            results["second"] = one_import(env, user, content, figures)
            after_second = state(env)
        results["state_before"] = before
        results["state_after_first"] = after_first
        results["state_after_second"] = after_second
        results["second"]["unchanged"] = after_second == after_first
        env.cr.execute("SELECT state, count(*) FROM mail_mail GROUP BY state")
        results["emails"] = dict(env.cr.fetchall())
        results["stages"] = {
            f"{kind}/{stage}": count
            for kind, stage, count in env["credit.insolvency.proceeding"]._read_group(
                [], ["kind", "stage"], ["__count"]
            )
        }
        # the file read alone, out of the clock: what parsing costs
        start = time.perf_counter()
        count = sum(1 for _row in bodacc.read_records(content, FILENAME))
        results["parse_only_seconds"] = round(time.perf_counter() - start, 3)
        results["parse_only_records"] = count
    print(json.dumps(results))


# ----------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--notices", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--csv", help="write the generated export there too")
    parser.add_argument(
        "--profile", metavar="DIR", help="profile the first import into DIR"
    )
    parser.add_argument("--build", nargs=3, metavar=("DB", "ADDONS", "LOGFILE"))
    parser.add_argument(
        "--measure", nargs=4, metavar=("DB", "ADDONS", "LOGFILE", "CSV")
    )
    args = parser.parse_args()
    if args.build:
        build(*args.build, args.customers, args.seed)
        return
    if args.measure:
        measure(*args.measure, profile_dir=args.profile)
        return
    check_odoo()
    shell_lib("ensure_postgres")
    from run import code_fingerprint, db_exists, psql, up_to_date  # noqa: PLC0415

    work_dir = tempfile.mkdtemp(prefix="credit_dunning_bench_")
    addons = addons_path(work_dir)
    logfile = str(Path(work_dir, "odoo.log"))
    suffix = "" if args.seed == 42 else f"_s{args.seed}"
    template = f"credit_dunning_bench_insolvency_{args.customers}{suffix}"
    if args.rebuild or not db_exists(template):
        if db_exists(template):
            psql(f"ALTER DATABASE {template} WITH is_template = FALSE")
            subprocess.run(["dropdb", template], check=True)
        print(f"Building the template database {template} (once)...", flush=True)
        start = time.time()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-d",
                template,
                "-i",
                "credit_dunning",
                f"--addons-path={addons}",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
                f"--logfile={logfile}",
            ],
            check=True,
        )
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                template,
                addons,
                logfile,
                "--customers",
                str(args.customers),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
        subprocess.run(["vacuumdb", "--analyze", "--quiet", template], check=True)
        psql(f"ALTER DATABASE {template} WITH is_template = TRUE")
        psql(f"COMMENT ON DATABASE {template} IS '{code_fingerprint()}'")
        print(f"Template {template} built in {time.time() - start:.0f}s", flush=True)
    else:
        up_to_date(template, addons, logfile)

    print(
        f"Generating the export: {args.notices} notices, {args.customers} customers...",
        flush=True,
    )
    start = time.time()
    customers = customer_identities(args.customers, args.seed)
    export = Export(customers, args.notices, args.seed, datetime.date.today())
    content = export.csv_bytes()
    csv_path = Path(work_dir, FILENAME)
    csv_path.write_bytes(content)
    if args.csv:
        Path(args.csv).write_bytes(content)
    expected = export.expected
    print(
        f"  {len(content) / 2**20:.1f} MiB in {time.time() - start:.1f}s: "
        f"{expected['collective']} collective-proceedings notices, "
        f"{expected['customer_notices']} naming a customer "
        f"({expected['customers_in_proceedings']} customers in proceedings)",
        flush=True,
    )

    work = f"{template}_work"
    subprocess.run(["dropdb", "--if-exists", work], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", template, work], check=True)
    filestore = None
    try:
        print("Importing, twice, as a credit manager...", flush=True)
        profile = []
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            profile = ["--profile", str(Path(args.profile).resolve())]
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                work,
                addons,
                logfile,
                str(csv_path),
                *profile,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results = json.loads(out.strip().splitlines()[-1])
        filestore = results.pop("filestore")
    finally:
        if args.profile:
            print(f"Kept the database {work} (--profile): dropdb {work} when done.")
        else:
            subprocess.run(
                ["dropdb", "--if-exists", work], check=True, capture_output=True
            )
            if filestore and Path(filestore).name == work:
                shutil.rmtree(filestore, ignore_errors=True)
        csv_path.unlink(missing_ok=True)

    first, second = results["first"], results["second"]
    results.update(
        {
            "date": datetime.date.today().isoformat(),
            "commit": subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
            ).stdout.strip(),
            "notices": args.notices,
            "seed": args.seed,
            "expected": expected,
            "target_seconds": TARGET_SECONDS,
            "profiled": bool(args.profile),
        }
    )
    checks = {
        "first_as_expected": all(
            first["figures"][key] == expected[key]
            for key in ("read", "matched", "opened", "updated", "known", "errors")
        ),
        "second_all_known": second["figures"]["known"] == second["figures"]["matched"]
        and second["figures"]["opened"] == second["figures"]["updated"] == 0,
        "second_unchanged": second["unchanged"],
        "proceedings_opened": results["state_after_first"]["proceedings"]
        - results["state_before"]["proceedings"]
        == expected["opened"],
    }
    results["checks"] = checks
    results["pass"] = first["seconds"] < TARGET_SECONDS and all(checks.values())

    print(
        f"{results['customers']} customers, {results['invoices']} posted invoices, "
        f"export of {expected['read']} notices ({results['file_mb']} MiB)"
    )
    for label, r in (("first import", first), ("second import", second)):
        f = r["figures"]
        print(
            f"  {label}: {r['seconds']:.3f} s (wizard {r['create_seconds']:.3f} s + "
            f"import {r['action_import_seconds']:.3f} s, of which the commit "
            f"{r['commit_seconds']:.3f} s), {r['queries']} queries, "
            f"peak RSS {r['peak_rss_mb']:.0f} MiB (+{r['rss_growth_mb']:.0f}); "
            f"read {f['read']}, matched {f['matched']}, opened {f['opened']}, "
            f"updated {f['updated']}, known {f['known']}, errors {f['errors']}"
        )
    print(
        "  expected: "
        + ", ".join(
            f"{key} {expected[key]}"
            for key in ("read", "matched", "opened", "updated", "known", "errors")
        )
    )
    print(f"  reading the file alone: {results['parse_only_seconds']:.3f} s")
    print(f"  proceedings by kind/stage: {results['stages']}")
    print(f"  emails by state after both imports: {results['emails']}")
    print(f"  checks: {checks}")
    verdict = "PASS" if results["pass"] else "FAIL"
    print(
        f"{verdict}: first import {first['seconds']:.1f} s against "
        f"{TARGET_SECONDS} s" + (" (profiled)" if args.profile else "")
    )
    # a profiled run is slower: its figures go beside the profile
    out_dir = Path(args.profile) if args.profile else HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"insolvency_{args.customers}.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )
    shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
