from django.shortcuts import render


def directory(request):
    return render(request, "enterprises/directory.html", {})


def detail(request, pk):
    return render(request, "enterprises/detail.html", {})
