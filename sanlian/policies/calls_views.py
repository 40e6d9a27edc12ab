"""Placeholder until the declarations pages land."""

from django.shortcuts import redirect


def call_list(request):
    return redirect("policies:library")
