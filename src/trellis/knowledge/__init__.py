"""Versioned clinical content as data. Every entry names its published source."""
