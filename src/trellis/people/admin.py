"""Administrators manage programs here; people's records are deliberately not in the admin site."""

from django.contrib import admin

from trellis.people.models import Program

admin.site.register(Program)
