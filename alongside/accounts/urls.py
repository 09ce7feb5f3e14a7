from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("welcome/", views.welcome, name="welcome"),
    path("organisation/", views.organisation, name="organisation"),
    path(
        "organisation/<int:organisation_id>/share-barriers/",
        views.organisation_share_barriers,
        name="share_barriers",
    ),
    path(
        "organisation/<int:organisation_id>/share-coaching-figures/",
        views.organisation_share_coaching_figures,
        name="share_coaching_figures",
    ),
]
