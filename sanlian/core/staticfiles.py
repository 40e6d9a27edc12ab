"""Static files as production serves them: content-hashed names (cached for a year) and compressed copies.

`collectstatic` writes every file under a name carrying a hash of its content (echarts.min.3f2a….js), with
gzip and Brotli copies, and a manifest. WhiteNoise serves the hashed names with `Cache-Control: max-age=
315360000, immutable`, compressed as the browser accepts: a person's browser asks for them once, and a
release changes the names, so no one keeps an old script. The plain names (and WhiteNoise's finders,
which serve the source files as they are) stay for development and the tests, where nothing is collected.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The hashed name once `collectstatic` has written the manifest; the plain name before it (or in tests)."""

    manifest_strict = False

    def stored_name(self, name):
        if getattr(settings, "TESTING", False) or not self.hashed_files:
            return name  # nothing collected (development, tests, a bench run without collectstatic)
        try:
            return super().stored_name(name)
        except ValueError:  # a file added since the last collectstatic: served by the finders as it is
            return name
