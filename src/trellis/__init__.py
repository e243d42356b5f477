"""Trellis: customized addiction-recovery care."""

__version__ = "0.1.0"
