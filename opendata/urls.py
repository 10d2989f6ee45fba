app_name = "opendata"

urlpatterns = []
