from django.urls import URLPattern

from .views import contributions, exercises, reports, themes

app_name = "listening"

# Each part of listening adds its own pages under /listening/.
urlpatterns: list[URLPattern] = []
for part in (exercises, contributions, themes, reports):
    urlpatterns += part.urlpatterns
