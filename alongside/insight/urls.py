from django.urls import URLPattern

from .views import analyses, datasets, good, home, pulses, wellbeing

app_name = "insight"

# Each part of area insight adds its own pages under /insight/.
urlpatterns: list[URLPattern] = []
for part in (home, datasets, analyses, good, pulses, wellbeing):
    urlpatterns += part.urlpatterns
