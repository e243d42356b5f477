"""Trellis: customized addiction-recovery care."""

__version__ = "0.1.0"

from trellis import compiled  # the compiled copies, before any module of theirs is imported

compiled.install()
