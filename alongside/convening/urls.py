from django.urls import URLPattern

from .views import experiments, groups, home, recommendations, themes

app_name = "convening"

# Each part of convening adds its own pages under /convening/.
urlpatterns: list[URLPattern] = []
for part in (home, themes, groups, experiments, recommendations):
    urlpatterns += part.urlpatterns
