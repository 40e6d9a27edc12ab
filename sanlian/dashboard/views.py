from django.shortcuts import render


def cockpit(request):
    return render(request, "dashboard/cockpit.html", {})
