"""Reading the BODACC's "annonces commerciales" open-data export.

The public portal (bodacc-datadila.opendatasoft.com) exports the dataset as
CSV (``;``-separated, one record a line, multi-valued fields joined by
``,``) or as JSON (a list of records, or the API's ``{"results": [...]}``).
Only the collective-proceedings notices matter here; of those, only the
notices of a customer (matched on its SIREN) are read further: the
``jugement`` JSON text is parsed for those only, which keeps a year of
notices (about 60,000 records) fast to import.

Pure functions, no Odoo: the import wizard and the daily fetch use them.
"""

import csv
import datetime
import io
import json
import re
import unicodedata

COLLECTIVE_FAMILY = "collective"
COLLECTIVE_LABEL = "procedures collectives"
REQUIRED_FIELDS = ("id", "dateparution", "registre")

FRENCH_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}


class BodaccError(ValueError):
    """``code`` says what is wrong (the callers word it in the user's
    language), ``detail`` the value or the parser's message."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = str(detail or "")


class BodaccFileError(BodaccError):
    """The file is not a BODACC export at all (the whole import stops)."""


class BodaccRecordError(BodaccError):
    """One notice cannot be read (reported with its line, the others go on)."""


def plain(text):
    """Lower case, no accents, single spaces: for comparing French labels."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("’", "'").split())


def siren_of(value):
    """The SIREN (9 digits) in a registry number, a SIRET or a French VAT
    number ("FR" + 2-character key + SIREN); None when there is none."""
    if not value:
        return None
    text = str(value).strip().upper().replace(" ", "").replace(".", "")
    if text.startswith("FR") and len(text) == 13 and text[4:].isdigit():
        return text[4:]
    digits = re.sub(r"\D", "", text)
    if len(digits) in (9, 14) and digits == re.sub(r"[\s.\-]", "", text):
        return digits[:9]
    return None


def sirens_of_registre(value):
    """The SIRENs a notice's ``registre`` field names: the export joins the
    formatted and the plain number ("123 456 789,123456789"); the API gives
    a list."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    found = []
    for item in items:
        digits = re.sub(r"\D", "", str(item or ""))
        if len(digits) in (9, 14) and digits[:9] not in found:
            found.append(digits[:9])
    return found


def parse_date(value):
    """A date of the export: 2026-11-20 (also with a time), 20/11/2026 or
    "20 novembre 2026"; BodaccRecordError otherwise."""
    text = str(value or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", text):
        year, month, day = map(int, match.groups())
    elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = map(int, match.groups())
    elif match := re.fullmatch(r"(\d{1,2})(?:er)? ([a-z]+) (\d{4})", plain(text)):
        day, month_name, year = match.groups()
        if month_name not in FRENCH_MONTHS:
            raise BodaccRecordError("date", text)
        day, month, year = int(day), FRENCH_MONTHS[month_name], int(year)
    else:
        if text:
            raise BodaccRecordError("date", text)
        raise BodaccRecordError("no_date")
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise BodaccRecordError("date", text) from error


def is_collective(record):
    """A notice of the collective proceedings family."""
    family = plain(record.get("familleavis"))
    label = plain(record.get("familleavis_lib"))
    return family == COLLECTIVE_FAMILY or label == COLLECTIVE_LABEL


def classify(nature):
    """(event, kind) of a judgment's ``nature``:

    - event: "opening", "conversion" (to liquidation), "plan", "closure" or
      "other";
    - kind: "safeguard", "receivership", "liquidation" or None.
    """
    text = plain(nature)
    kind = None
    if "sauvegarde" in text:
        kind = "safeguard"
    if "redressement" in text:
        kind = "receivership"
    if "liquidation" in text:
        kind = "liquidation"
    if "clotur" in text:
        return "closure", kind
    if "conversion" in text or ("prononcant" in text and "liquidation" in text):
        return "conversion", "liquidation"
    if ("ouverture" in text or "ouvrant" in text) and kind:
        return "opening", kind
    if "plan" in text and any(
        word in text for word in ("arretant", "arrete", "adopt", "homolog")
    ):
        return "plan", kind
    return "other", kind


def judgment_of(record):
    """{nature, date, details} of a notice's ``jugement`` (a JSON text in
    the export, an object from the API). BodaccRecordError when unreadable."""
    value = record.get("jugement")
    if isinstance(value, str):
        if not value.strip():
            raise BodaccRecordError("no_judgment")
        try:
            value = json.loads(value)
        except ValueError as error:
            raise BodaccRecordError("judgment_json") from error
    if not isinstance(value, dict) or not (value.get("nature") or "").strip():
        raise BodaccRecordError("no_nature")
    return {
        "nature": value["nature"].strip(),
        "date": parse_date(value.get("date")) if value.get("date") else None,
        "details": (value.get("complementJugement") or "").strip(),
    }


def _rows_from_csv(content):
    """The CSV export read as it is decoded: a year of notices is 60 MB, not
    copied again as text."""
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(stream, delimiter=";")
        fields = [name.strip() for name in reader.fieldnames or ()]
        missing = [name for name in REQUIRED_FIELDS if name not in fields]
        if missing:
            raise BodaccFileError("no_column", ", ".join(missing))
        reader.fieldnames = fields
        # line 1 is the header
        yield from enumerate(reader, start=2)
    except UnicodeDecodeError as error:
        raise BodaccFileError("not_utf8") from error
    except csv.Error as error:
        raise BodaccFileError("csv", error) from error


def _rows_from_json(data):
    if isinstance(data, dict):
        data = data.get("results", data.get("records"))
    if not isinstance(data, list):
        raise BodaccFileError("no_list")
    first = next((item for item in data if isinstance(item, dict)), None)
    if first is not None:
        first = (
            first.get("fields", first)
            if isinstance(first.get("fields"), dict)
            else first
        )
        missing = [name for name in REQUIRED_FIELDS if name not in first]
        if missing:
            raise BodaccFileError("no_column", ", ".join(missing))
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict) and isinstance(item.get("fields"), dict):
            item = item["fields"]  # the older API's shape
        if not isinstance(item, dict):
            yield number, None
            continue
        yield number, item


def read_records(content, filename=""):
    """Iterate (line or record number, record dict or None) over a BODACC
    export given as bytes. CSV or JSON, told by the name or the content.
    BodaccFileError when the file is no export at all (for a CSV, raised by
    the iteration: the caller writes nothing then)."""
    head = content[:4096].decode("utf-8-sig", errors="replace").lstrip()
    if not head:
        raise BodaccFileError("empty")
    if filename.lower().endswith(".json") or head[:1] in "[{":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise BodaccFileError("not_utf8") from error
        except ValueError as error:
            raise BodaccFileError("json", error) from error
        return _rows_from_json(data)
    if filename and not filename.lower().endswith((".csv", ".txt")):
        raise BodaccFileError("format")
    return _rows_from_csv(content)


def notice_of(record):
    """What a collective-proceedings notice says, for a matched customer:
    {id, published, court, trader, type, url, nature, judgment_date,
    details, event, kind}. BodaccRecordError when it cannot be read."""
    notice_id = str(record.get("id") or "").strip()
    if not notice_id:
        raise BodaccRecordError("no_id")
    published = parse_date(record.get("dateparution"))
    judgment = judgment_of(record)
    event, kind = classify(judgment["nature"])
    url = str(record.get("url_complete") or "").strip()
    return {
        "id": notice_id,
        "published": published,
        "court": str(record.get("tribunal") or "").strip(),
        "trader": str(record.get("commercant") or "").strip(),
        "type": str(record.get("typeavis_lib") or "").strip(),
        "url": url if url.startswith(("https://", "http://")) else "",
        "nature": judgment["nature"],
        "judgment_date": judgment["date"] or published,
        "details": judgment["details"],
        "event": event,
        "kind": kind,
    }
