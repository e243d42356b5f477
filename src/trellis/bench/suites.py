"""The benchmark groups. Each module imported here registers its figures."""

from trellis.bench import audit_bench  # noqa: F401
