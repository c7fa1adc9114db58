app_name = "accidents"
urlpatterns: list = []
