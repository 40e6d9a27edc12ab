"""The chain map (产业链图谱), its nodes, the graph's edges and the gap analysis, mounted at /chain/ in the
"chain" namespace."""

from django.urls import path

from . import map_views as views

urlpatterns = [
    path("", views.chain_map, name="map"),
    path("nodes/<str:code>/", views.node_detail, name="node"),
    path("edges/", views.edges, name="edges"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/targets.xlsx", views.gaps_export, name="gaps-export"),
]
