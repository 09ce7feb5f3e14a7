from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.people, name="people"),
    path("<int:person_id>/", views.person_detail, name="person"),
]
