"""The community-resource directory as frozen values in Open Referral HSDS 3.0 terms.

Field names are the HSDS 3.0 field names; ids are the records' HSDS ids; links between records
are ids (`service.organization_id`), as in the HSDS tabular form. Text stays as the source wrote
it: cost, eligibility and accessibility are kept as text and amounts, never sorted into
categories here. A value the source leaves empty is None. Only the fields the directory shows or
searches on are kept; `write.py` writes them back as HSDS 3.0 and `read.py` reads them again
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class ServiceStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class LocationType(StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class AddressType(StrEnum):
    PHYSICAL = "physical"
    POSTAL = "postal"
    VIRTUAL = "virtual"


class Frequency(StrEnum):
    """RFC 5545 FREQ values HSDS 3.0 allows."""

    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    description: str
    alternate_name: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    organization_id: str
    name: str
    status: ServiceStatus
    alternate_name: str | None = None
    description: str | None = None
    url: str | None = None
    email: str | None = None
    interpretation_services: str | None = None
    application_process: str | None = None
    fees_description: str | None = None  # HSDS 1.1 `fees` and payments accepted land here
    eligibility_description: str | None = None  # HSDS 1.1 eligibility rows land here
    minimum_age: float | None = None
    maximum_age: float | None = None
    alert: str | None = None
    assured_date: date | None = None
    last_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    location_type: LocationType
    organization_id: str | None = None
    name: str | None = None
    alternate_name: str | None = None
    description: str | None = None
    transportation: str | None = None
    latitude: float | None = None  # WGS84 decimal degrees, checked to lie in -90..90
    longitude: float | None = None  # checked to lie in -180..180
    url: str | None = None  # the place itself when location_type is virtual


@dataclass(frozen=True, slots=True)
class ServiceAtLocation:
    id: str
    service_id: str
    location_id: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    id: str
    location_id: str
    address_type: AddressType
    address_1: str
    city: str
    state_province: str
    postal_code: str
    country: str
    attention: str | None = None
    address_2: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Phone:
    """A number for a service, location, organization or service at a location (at least one)."""

    id: str
    number: str
    service_id: str | None = None
    location_id: str | None = None
    organization_id: str | None = None
    service_at_location_id: str | None = None
    extension: float | None = None
    type: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """One RFC 5545 recurrence with opening hours, for a service, location or both together.

    `timezone` is the UTC offset in hours HSDS 3.0 gives (None: the times say their own offset
    or are local). An HSDS 1.1 weekday row becomes freq WEEKLY with one byday (MO … SU).
    """

    id: str
    service_id: str | None = None
    location_id: str | None = None
    service_at_location_id: str | None = None
    freq: Frequency | None = None
    interval: float | None = None
    byday: str | None = None
    bymonthday: str | None = None
    byweekno: str | None = None
    byyearday: str | None = None
    wkst: str | None = None
    dtstart: date | None = None
    until: date | None = None
    count: float | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    timezone: float | None = None
    description: str | None = None
    notes: str | None = None
    attending_type: str | None = None
    schedule_link: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceArea:
    id: str
    service_id: str
    name: str | None = None
    description: str | None = None
    extent: str | None = None
    extent_type: str | None = None
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Language:
    """A language spoken at a service, location or on a phone line (at least one)."""

    id: str
    service_id: str | None = None
    location_id: str | None = None
    phone_id: str | None = None
    name: str | None = None
    code: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CostOption:
    id: str
    service_id: str
    option: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_description: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Accessibility:
    id: str
    location_id: str
    description: str | None = None
    details: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class TaxonomyTerm:
    """A term of a vocabulary; `taxonomy` names the vocabulary (e.g. AIRS), if the source says."""

    id: str
    name: str
    description: str
    code: str | None = None
    taxonomy: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Attribute:
    """Applies a taxonomy term to the record `link_id` in table `link_entity` (e.g. service)."""

    id: str
    link_id: str
    link_entity: str
    taxonomy_term_id: str
    link_type: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Directory:
    """Every record read, each kind sorted by id, every link resolving inside the directory."""

    organizations: tuple[Organization, ...] = ()
    services: tuple[Service, ...] = ()
    locations: tuple[Location, ...] = ()
    service_at_locations: tuple[ServiceAtLocation, ...] = ()
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()
    languages: tuple[Language, ...] = ()
    cost_options: tuple[CostOption, ...] = ()
    accessibility: tuple[Accessibility, ...] = ()
    taxonomy_terms: tuple[TaxonomyTerm, ...] = ()
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the source not taken as written, in plain words.

    `file` is relative to the folder read; `record_id` is the id as the source spells it (or
    `line N` of a CSV row without one, or a JSON pointer such as `/contents/0` for an object
    without one), None when the whole file is unusable; `field` names the field, when one is
    to blame. Unless `reason` says otherwise, the record was left out of the directory.
    """

    file: str
    record_id: str | None
    field: str | None
    reason: str


# Each HSDS kind read, the Directory field that holds it and its value type, in the order a
# record's links are checked (a record only links to kinds before it; attributes to any).
RECORDS: dict[str, tuple[str, type]] = {
    "organization": ("organizations", Organization),
    "service": ("services", Service),
    "location": ("locations", Location),
    "service_at_location": ("service_at_locations", ServiceAtLocation),
    "phone": ("phones", Phone),
    "language": ("languages", Language),
    "schedule": ("schedules", Schedule),
    "address": ("addresses", Address),
    "accessibility": ("accessibility", Accessibility),
    "service_area": ("service_areas", ServiceArea),
    "cost_option": ("cost_options", CostOption),
    "taxonomy_term": ("taxonomy_terms", TaxonomyTerm),
    "attribute": ("attributes", Attribute),
}
