from django.urls import path

from .views import (
    barriers,
    budgets,
    checkins,
    circle,
    conversations,
    export,
    goals,
    record,
    relationships,
    safety,
)

app_name = "coaching"

urlpatterns = [
    path("", record.people, name="people"),
    path("<int:person_id>/", record.person_detail, name="person"),
]
# Each part of the record adds its own pages under /people/.
for part in (
    relationships,
    conversations,
    goals,
    checkins,
    budgets,
    safety,
    circle,
    barriers,
    export,
):
    urlpatterns += part.urlpatterns
