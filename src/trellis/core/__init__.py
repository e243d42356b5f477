"""The domain core: pure Python, no Django, no I/O, no clock (callers pass `today`/`now`)."""
