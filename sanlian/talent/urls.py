from django.urls import include, path

from . import ambassador_urls, certificate_urls, officer_urls, views

app_name = "talent"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/<int:year>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/move/", views.application_move, name="application-move"),
    path("applications/<int:pk>/materials/", views.material_upload, name="material-upload"),
    path("applications/<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("applications/<int:pk>/delete/", views.application_delete, name="application-delete"),
    path("applications/<int:pk>/assign/", views.review_assign, name="review-assign"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("ties/", views.ties, name="ties"),
    path("certificates/", include(certificate_urls)),
    path("ambassadors/", include(ambassador_urls)),
    path("", include(officer_urls)),
]
