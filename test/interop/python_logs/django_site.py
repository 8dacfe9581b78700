"""The smallest Django project runserver accepts: settings and one URL, in one module."""
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "grok-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
urlpatterns = [path("", lambda request: HttpResponse("hello django\n"))]
