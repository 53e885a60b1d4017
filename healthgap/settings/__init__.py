"""Settings by environment: ``base`` (shared), ``dev`` (the default: a developer's machine and
``make run``), ``test`` (pytest) and ``production`` (a deployment; choose it with
``DJANGO_SETTINGS_MODULE=healthgap.settings.production``)."""
