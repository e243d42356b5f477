"""HSDS 1.1 CSV tables as HSDS 3.0 records, along the 3.0 changelog (openreferral/specification,
docs/hsds/changelog.md); the 3.0 schemas then judge the result like any other record.

- Ids: a UUID is kept; any other id becomes `legacy_id(table, id)`, a UUID derived from the
  table and the id, so links still meet and a re-import yields the same ids. A row without an
  id (allowed by many 1.1 exports for phones, addresses and hours) gets one from its content.
- physical_addresses and postal_addresses become addresses with that address_type;
  the deprecated address_3 and address_4 join address_2.
- regular_schedules become schedules: freq WEEKLY and byday from weekday (1 = Monday …
  7 = Sunday, as ISO 8601 numbers them, or the day's name), times padded to HH:MM. A weekday
  row without times is taken as closed that day and left out: 3.0 lists open hours only.
- services.fees becomes fees_description, with payments_accepted after it
  ("Payments accepted: cash, medicare"); eligibility rows become eligibility_description.
  Nothing is sorted into categories: the source's words are kept.
- taxonomy becomes taxonomy terms (vocabulary is their taxonomy; 3.0 requires a description
  and 1.1 has none, so the name is repeated there); services_taxonomy and the deprecated
  services.taxonomy_ids become attributes of the service.
- accessibility_for_disabilities becomes accessibility, its code the description.
- A location is physical: 3.0 requires a location_type and 1.1 has no such field.
- A phone's language codes ("en, es") become languages of the phone.
Not read: holiday_schedules (3.0 has no holidays), contacts, programs, funding,
required_documents, metadata, meta_table_descriptions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trellis.core.hsds import schema
from trellis.core.hsds.assemble import Raw, field_names
from trellis.core.hsds.model import Problem
from trellis.core.hsds.tabular import Table, cells, number

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://openreferral.org/hsds/1.1")

# The 1.1 tables read, in the order read, and the file each conventionally lives in.
FILES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "services_at_location.csv",
    "phone": "phones.csv",
    "physical_address": "physical_addresses.csv",
    "postal_address": "postal_addresses.csv",
    "regular_schedule": "regular_schedules.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "accessibility_for_disabilities": "accessibility_for_disabilities.csv",
    "taxonomy": "taxonomy.csv",
    "service_taxonomy": "services_taxonomy.csv",
    "eligibility": "eligibility.csv",
    "payment_accepted": "payments_accepted.csv",
}
STEMS = {file.removesuffix(".csv"): table for table, file in FILES.items()}

# Each table's 3.0 kind and {3.0 field: 1.1 column}; links are mapped apart (LINKS).
COLUMNS: dict[str, tuple[str, dict[str, str]]] = {
    "organization": ("organization", {"website": "url"}),
    "service": ("service", {"fees_description": "fees"}),
    "location": ("location", {}),
    "service_at_location": ("service_at_location", {}),
    "phone": ("phone", {}),
    "physical_address": ("address", {}),
    "postal_address": ("address", {}),
    "service_area": ("service_area", {"name": "service_area"}),
    "language": ("language", {"name": "language"}),
    "accessibility_for_disabilities": ("accessibility", {"description": "accessibility"}),
    "taxonomy": ("taxonomy_term", {"taxonomy": "vocabulary"}),
    "service_taxonomy": ("attribute", {"value": "taxonomy_detail"}),
}
# Link columns and the 1.1 table each one names.
LINKS = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "parent_id": "taxonomy",
}
# Tables whose rows nothing links to, so a row without an id may get one from its content.
CONTENT_IDS = frozenset(
    {"phone", "physical_address", "postal_address", "regular_schedule", "service_area"}
    | {"language", "accessibility_for_disabilities", "service_taxonomy"}
)
NUMBERS = frozenset({"latitude", "longitude", "extension"})
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {
    **{str(n): day for n, day in enumerate(DAYS, start=1)},
    **dict(zip(DAY_NAMES, DAYS, strict=True)),
    **{name[:3]: day for name, day in zip(DAY_NAMES, DAYS, strict=True)},
    **{day.lower(): day for day in DAYS},
}


def legacy_id(table: str, value: str) -> str:
    """The 3.0 id of the 1.1 record `value` of `table`: itself if a UUID, else derived from it."""
    if schema.UUID.fullmatch(value):
        return value
    return str(uuid.uuid5(NAMESPACE, f"{table}:{value}"))


def table_named(name: str) -> str | None:
    """The 1.1 table a datapackage resource or a file stem names, if it is one read here."""
    return name if name in FILES else STEMS.get(name)


@dataclass(frozen=True, slots=True)
class Row:
    file: str
    line: int
    values: dict[str, str]  # the non-empty cells by column

    @property
    def where(self) -> str:
        return self.values.get("id") or f"line {self.line}"


def records(
    tables: Mapping[str, Sequence[Table]], problems: list[Problem], shown: dict[str, str]
) -> Iterator[Raw]:
    """The 3.0 records of the 1.1 `tables` (by 1.1 table name); `shown` learns the 1.1 ids."""
    mapping = Mapping11(tables, problems, shown)
    for table in FILES:
        if table in NOTES:
            continue  # folded into their services
        for row in _rows(tables.get(table, ()), problems):
            yield from mapping.map(table, row)
        if table == "service":
            mapping.report_unclaimed_notes()


# Tables whose rows become part of their service's text: {table: its value column}.
NOTES = {"eligibility": "eligibility", "payment_accepted": "payment"}


class Mapping11:
    """The mapping's state: eligibility and payments by service, the 1.1 ids met, problems."""

    def __init__(
        self, tables: Mapping[str, Sequence[Table]], problems: list[Problem], shown: dict[str, str]
    ) -> None:
        self.problems = problems
        self.shown = shown
        self.services: set[str] = set()  # the 1.1 ids of the services mapped
        self.notes = {table: list(_rows(tables.get(table, ()), problems)) for table in NOTES}
        self.by_service = {
            table: _by_service(rows, NOTES[table]) for table, rows in self.notes.items()
        }

    def id(self, table: str, value: str) -> str:
        new = legacy_id(table, value)
        if new != value:
            self.shown[new] = value
        return new

    def own_id(self, table: str, row: Row) -> str | None:
        if "id" in row.values:
            return self.id(table, row.values["id"])
        if table not in CONTENT_IDS:
            return None  # the schema check reports the missing id
        content = "\x1f".join(f"{k}={v}" for k, v in sorted(row.values.items()))
        return str(uuid.uuid5(NAMESPACE, f"{table}:row:{content}"))

    def map(self, table: str, row: Row) -> Iterator[Raw]:
        if table == "regular_schedule":
            yield from self._schedule(row)
            return
        kind, record = self._record(table, row)
        if table == "service":
            yield from self._service(record, row)
        elif table == "phone":
            yield from self._phone_languages(record, row)
        elif table == "location":
            record["location_type"] = "physical"
        elif table.endswith("_address"):
            _address(table, record, row)
        elif table == "taxonomy" and "name" in record:
            record["description"] = record["name"]
        elif table == "service_taxonomy":
            service = self._link(row, "service_id", "service")
            record |= _applied(service, self._link(row, "taxonomy_id", "taxonomy"))
        yield Raw(kind, record, row.file, row.where)

    def _record(self, table: str, row: Row) -> tuple[str, dict[str, Any]]:
        kind, renamed = COLUMNS[table]
        fields = field_names(kind)  # a 1.1 value 3.0 would not keep is not judged by 3.0 either
        record: dict[str, Any] = {}
        for column, value in row.values.items():
            if column in LINKS:
                if column in fields:
                    record[column] = self.id(LINKS[column], value)
                continue
            field = next((f for f, c in renamed.items() if c == column), column)
            if field in fields and field != "id":
                record[field] = number(value) if field in NUMBERS else value
        record_id = self.own_id(table, row)
        if record_id is not None:
            record["id"] = record_id
        return kind, record

    def _link(self, row: Row, column: str, table: str) -> str | None:
        value = row.values.get(column)
        return self.id(table, value) if value else None

    def _service(self, record: dict[str, Any], row: Row) -> Iterator[Raw]:
        source_id = row.values.get("id", "")
        self.services.add(source_id)
        eligibility = self.by_service["eligibility"].get(source_id)
        if eligibility:
            record["eligibility_description"] = ", ".join(eligibility)
        payments = self.by_service["payment_accepted"].get(source_id)
        if payments:
            text = "Payments accepted: " + ", ".join(payments)
            record["fees_description"] = "\n".join(
                filter(None, (record.get("fees_description"), text))
            )
        for term in _split(row.values.get("taxonomy_ids", "")) if "id" in record else ():
            attribute_id = str(uuid.uuid5(NAMESPACE, f"taxonomy_ids:{record['id']}:{term}"))
            attribute = {"id": attribute_id, **_applied(record["id"], self.id("taxonomy", term))}
            yield Raw("attribute", attribute, row.file, row.where)

    def _phone_languages(self, record: dict[str, Any], row: Row) -> Iterator[Raw]:
        for code in _split(row.values.get("language", "")):
            language_id = str(uuid.uuid5(NAMESPACE, f"phone_language:{record['id']}:{code}"))
            language = {"id": language_id, "phone_id": record["id"], "code": code}
            yield Raw("language", language, row.file, row.where)

    def _schedule(self, row: Row) -> Iterator[Raw]:
        values = row.values
        if "opens_at" not in values and "closes_at" not in values:
            return  # closed that day
        day = WEEKDAYS.get(values.get("weekday", "").strip().lower())
        if day is None:
            reason = "must be a day of the week: 1 (Monday) to 7 (Sunday), or its name"
            self.problems.append(Problem(row.file, row.where, "weekday", reason))
            return
        record: dict[str, Any] = {"id": self.own_id("regular_schedule", row)}  # never None
        for column in ("service_id", "location_id", "service_at_location_id"):
            if column in values:
                record[column] = self.id(LINKS[column], values[column])
        record |= {"freq": "WEEKLY", "byday": day}
        record |= {k: _padded(values[k]) for k in ("opens_at", "closes_at") if k in values}
        yield Raw("schedule", record, row.file, row.where)

    def report_unclaimed_notes(self) -> None:
        """Report the eligibility and payment rows whose service is not in services.csv."""
        for rows in self.notes.values():
            for row in rows:
                service = row.values.get("service_id")
                if service in self.services:
                    continue
                reason = (
                    f"refers to service {service}, which is not in the directory"
                    if service
                    else "is missing; the row must name its service"
                )
                self.problems.append(Problem(row.file, row.where, "service_id", reason))


def _by_service(rows: Sequence[Row], column: str) -> dict[str, list[str]]:
    """The values of an eligibility or payment table by the 1.1 id of their service."""
    found: dict[str, list[str]] = {}
    for row in rows:
        service, value = row.values.get("service_id"), row.values.get(column)
        if service and value:
            found.setdefault(service, []).append(value)
    return found


def _rows(tables: Sequence[Table], problems: list[Problem]) -> Iterator[Row]:
    for table in tables:
        header = table.header
        for line, row in cells(table, problems):
            yield Row(table.file, line, {h: v for h, v in zip(header, row, strict=True) if v})


def _address(table: str, record: dict[str, Any], row: Row) -> None:
    record["address_type"] = table.removesuffix("_address")
    lines = [row.values.get(k) for k in ("address_2", "address_3", "address_4")]
    if any(lines):
        record["address_2"] = ", ".join(line for line in lines if line)


def _applied(service_id: str | None, term_id: str | None) -> dict[str, str]:
    """The links of an attribute that applies taxonomy term `term_id` to service `service_id`."""
    links = {"link_entity": "service", "link_id": service_id, "taxonomy_term_id": term_id}
    return {k: v for k, v in links.items() if v is not None}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _padded(value: str) -> str:
    """A 1.1 time such as 9:00 as HSDS 3.0 writes it (09:00); anything else as it is."""
    hours, colon, rest = value.strip().partition(":")
    return f"0{hours}{colon}{rest}" if colon and len(hours) == 1 and hours.isdigit() else value
