"""The core's words for what is allowed, marked here so the pages can show them translated.

`trellis.core` is free of Django, so its messages are plain English; the forms pass each one
through gettext, and this list puts them in the catalogue. A test checks that every message
the core can give for a check-in, a journal entry, a goal or a timeline event is here.
"""

from django.utils.translation import gettext_noop

CORE_MESSAGES = [
    gettext_noop("a whole number from 0 to 10"),
    gettext_noop("a number of hours from 0 to 24"),
    gettext_noop("yes or no (true or false)"),
    gettext_noop("how much was used, when there was use (for example '2 drinks')"),
    gettext_noop("empty when there was no use"),
    gettext_noop("a date (YYYY-MM-DD)"),
    gettext_noop("today or an earlier date, not a date in the future"),
    gettext_noop("a date and time"),
    gettext_noop("a date and time that is not in the future"),
    gettext_noop("some words about what happened, or at least one trigger"),
    gettext_noop("text of at most 4000 characters"),
    gettext_noop("text of at most 200 characters"),
    gettext_noop("a date without a check-in yet (today's check-in is saved; change it instead)"),
    gettext_noop("specific: say what you will do (at least 8 characters)"),
    gettext_noop("measurable: what you will count or check"),
    gettext_noop("measurable: the target that means done (for example '3 times a week')"),
    gettext_noop("attainable: how sure you are you can do it, 0 to 10"),
    gettext_noop("relevant: why this goal matters to you"),
    gettext_noop("time-bound: a date to reach it by"),
    gettext_noop("time-bound: today or a later date"),
    gettext_noop("a date on or before the long-term goal's date"),
    gettext_noop("today or an earlier date"),
    gettext_noop("a return to use first: a count is already running"),
    gettext_noop("a start date first: no count is running"),
    gettext_noop("a date on or after the current count's start"),
]
