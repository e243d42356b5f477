"""The community resource directory, kept in the Open Referral HSDS 3.0 shape.

Each record keeps its HSDS id and the whole HSDS record as imported (`record`), so an export
loses nothing; the columns beside it are what search filters on. `Listing` is the search
table: one row per service, location and community category, indexed on (category,
latitude) so a distance + category search reads only the rows in its latitude band.
Directory entries are public information, not protected data.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordField(models.JSONField):
    """JSON kept as its text and read whole: on PostgreSQL a `text` column holding the JSON
    that Python wrote, neither `jsonb` nor `json`. Each of those parses every value it takes,
    for operators nothing here uses: `jsonb` into its binary form (a third of the time COPY took
    for a million services: 5.9 s against 4.1 s with `record` and `parts` as `json`), `json` to
    check it (measured at a million services, runs in turn: PostgreSQL's CPU for the import
    15.5-15.8 s with every directory JSON column as `text`, against 17.5-18.9 s with `record`
    and `parts` as `json` and the short lists as `jsonb`; the import 34.2-35.1 s against
    35.4-38.2). Only Python writes these columns, from dicts and lists, through this
    field or the import's COPY: the text is JSON by construction. An SQL query that needs JSON
    operators casts (`record::json`). Nothing may compare these columns in SQL."""

    def db_type(self, connection: Any) -> str:
        return "text" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        # The text itself on every database, as SQLite is always sent it (not PostgreSQL's
        # Jsonb); read back, the text is parsed as JSONField parses SQLite's.
        if not prepared:
            value = self.get_prep_value(value)
        return json.dumps(value, cls=self.encoder)


class HsdsIdField(models.CharField):
    """An HSDS record's id: compared byte by byte on PostgreSQL (the "C" collation) rather than
    by the database's language rules, which no id needs and which cost every insert into the
    unique index a locale comparison (measured: a million sorted ids into the index, 2.4 s with
    the database's C.UTF-8 against 1.4 s). Ids then sort as Python and SQLite sort them."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


def _unique_hsds_id() -> models.UniqueConstraint:
    """Each record's HSDS id, once. A constraint rather than `unique=True`, which on PostgreSQL
    also builds a second index for LIKE on the id that nothing here asks and every large
    import rebuilt."""
    return models.UniqueConstraint(fields=["hsds_id"], name="%(app_label)s_%(class)s_hsds_id")


class Curated(models.Model):
    """What every directory record has: its HSDS id, the record, and its curation state."""

    hsds_id = HsdsIdField(max_length=250)
    record = RecordField()  # the HSDS 3.0 record as imported or last edited
    # The HSDS records it owns (phones, schedules, languages …), by kind: {"phones": [...]}.
    parts = RecordField(default=dict)
    digest = models.CharField(
        max_length=64
    )  # SHA-256 of `record`: an unchanged re-import is skipped
    verified_at = models.DateTimeField(null=True, blank=True)
    # Indexed only where set (Meta): a curator's verifications are few, and an index of every
    # row's NULL cost each large import a full build (a million services: 0.3 s a table).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    closed_at = models.DateTimeField(null=True, blank=True)  # marked closed by a curator
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        constraints = [_unique_hsds_id()]
        indexes = [
            models.Index(
                fields=["verified_by"],
                condition=models.Q(verified_by__isnull=False),
                name="%(class)s_verified_by",
            )
        ]


class Organization(Curated):
    name = models.CharField(_("name"), max_length=300)

    class Meta(Curated.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(Curated):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name or self.address or self.hsds_id


class Service(Curated):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=300)
    status = models.CharField(max_length=30, default="active")
    categories = RecordField(default=list)  # com.* codes from the taxonomy mapping
    languages = RecordField(default=list)  # lower-case language codes or names
    url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=8, blank=True)  # "female" / "male" only when restricted
    veterans_only = models.BooleanField(default=False)
    free = models.BooleanField(default=False)
    sliding_scale = models.BooleanField(default=False)
    insurance = models.BooleanField(default=False)
    faith_based = models.BooleanField(default=False)
    peer_led = models.BooleanField(default=False)
    schedules = RecordField(default=list)  # HSDS schedules of the service itself

    class Meta(Curated.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def open_to_referrals(self) -> bool:
        return self.closed_at is None and self.status == "active"


class ServiceAtLocation(models.Model):
    """Where a service is delivered. `derived` marks a pairing Trellis made for an HSDS 1.1
    source that lists no service_at_location (the service at its organisation's locations):
    searchable, but not exported as if the source had said it."""

    hsds_id = HsdsIdField(max_length=250)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services")
    record = RecordField(default=dict)
    parts = RecordField(default=dict)
    digest = models.CharField(max_length=64, default="")
    derived = models.BooleanField(default=False)
    schedules = RecordField(default=list)  # the location's and this pairing's schedules
    accessible = models.BooleanField(default=False)  # the location lists accessibility

    class Meta:
        constraints = [_unique_hsds_id()]

    def __str__(self) -> str:
        return self.hsds_id


class Term(models.Model):
    """A taxonomy term as the source gave it (AIRS/211, Open Eligibility, its own)."""

    hsds_id = HsdsIdField(max_length=250)
    record = RecordField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [_unique_hsds_id()]

    def __str__(self) -> str:
        return str(self.record.get("name") or self.hsds_id)


class Listing(models.Model):
    """One searchable row: a service at a located place, under one community category."""

    at = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="listings")
    category = models.CharField(max_length=40)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["category", "latitude", "longitude"], name="listing_cat_lat"),
            models.Index(fields=["latitude", "longitude"], name="listing_lat"),
        ]

    def __str__(self) -> str:
        return f"{self.category} at {self.latitude:.3f},{self.longitude:.3f}"


class Edit(models.Model):
    """One curator's change to one field of a directory record: who changed what, and when."""

    record_type = models.CharField(max_length=30)
    hsds_id = models.CharField(max_length=250)
    field = models.CharField(max_length=60)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.hsds_id}: {self.field}"


class Event(models.Model):
    """A peer-led event or activity on the community calendar (com.peer_events)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    peer_led = models.BooleanField(_("peer-led"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title
