from django.urls import path

from .parts import PARTS
from .views import record

app_name = "coaching"

urlpatterns = [
    path("", record.people, name="people"),
    path("<int:person_id>/", record.person_detail, name="person"),
]
# Each part of the record adds its own pages under /people/ (the list is coaching.parts).
for part in PARTS:
    views = part.views_module()
    if views is not None:
        urlpatterns += views.urlpatterns
