from django.urls import URLPattern

from .views import pulse_answer

app_name = "pulse"

# The system-health pulse answered through a private link, with no account: /pulse/<token>/.
urlpatterns: list[URLPattern] = list(pulse_answer.urlpatterns)
