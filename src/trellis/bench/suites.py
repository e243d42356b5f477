"""The benchmark groups. Each module imported here registers its figures."""

from trellis.bench import (  # noqa: F401
    allocation_bench,
    assessment_bench,
    audit_bench,
    directory_bench,
    load_bench,
    monitoring_bench,
)
