app_name = "clinical"

urlpatterns: list = []
