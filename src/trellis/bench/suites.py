"""The benchmark groups. Each module imported here registers its figures."""

from trellis.bench import assessment_bench, audit_bench, monitoring_bench  # noqa: F401
