from django.apps import AppConfig


class SocialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "social"

    def ready(self):
        from social import circle_autoshare, consumers  # noqa: F401  (registers ws handlers)

        circle_autoshare.connect()
