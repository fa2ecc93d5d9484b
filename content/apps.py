from django.apps import AppConfig


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"

    def ready(self):
        from content import services
        from content.setup import connect_signals

        connect_signals()
        services.connect_signals()  # the cached home page is cleared when editors publish or save
        from content import legal

        legal.connect()  # legal pages become accounts.LegalDocument versions; menus/settings cache
        from content import resources

        resources.connect_file_protection()  # resource files live in a private collection
