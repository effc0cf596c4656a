"""sitemap.xml: only what an anonymous visitor may see (never teacher-exclusive objects)."""

from django.contrib.sitemaps import Sitemap

from .models import LearningObject, LearningPath


class PathSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return LearningPath.objects.visible_to(None).order_by("hruid", "language")

    def lastmod(self, item):
        return item.updated_at


class ObjectSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return LearningObject.objects.visible_to(None).latest_versions().order_by("hruid", "language")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"paths": PathSitemap, "objects": ObjectSitemap}
