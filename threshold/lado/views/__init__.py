"""LADO pages, one module per part of the work; each module lists its own ``urlpatterns``."""
