from django.urls import URLPattern

from .views import (
    accreditation,
    assessing,
    directory_file,
    directory_keep,
    events,
    feeds,
    home,
    news,
    resources,
)

app_name = "network"

# Each part of the network adds its own pages under /network/ (signed in).
urlpatterns: list[URLPattern] = []
for part in (
    home,
    directory_keep,
    directory_file,
    feeds,
    accreditation,
    assessing,
    events,
    resources,
    news,
):
    urlpatterns += part.urlpatterns
