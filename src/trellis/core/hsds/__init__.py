"""Open Referral HSDS: read a directory (HSDS 3.0 JSON or CSV, or HSDS 1.1 CSV), check every
record against the HSDS 3.0 schemas in knowledge/hsds, and write it back as HSDS 3.0."""

from trellis.core.hsds.model import (
    Accessibility,
    Address,
    AddressType,
    Attribute,
    CostOption,
    Directory,
    Frequency,
    Language,
    Location,
    LocationType,
    Organization,
    Phone,
    Problem,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from trellis.core.hsds.read import read
from trellis.core.hsds.write import write_csv, write_json

__all__ = [
    "Accessibility",
    "Address",
    "AddressType",
    "Attribute",
    "CostOption",
    "Directory",
    "Frequency",
    "Language",
    "Location",
    "LocationType",
    "Organization",
    "Phone",
    "Problem",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "TaxonomyTerm",
    "read",
    "write_csv",
    "write_json",
]
