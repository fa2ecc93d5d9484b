"""JSON API of the accounts app (mobile): serializers, views, urls."""
