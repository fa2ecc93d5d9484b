"""RSS of the blog (``/blog/rss/``): the 20 newest published posts of the site."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from content.selectors import blog_index_for, blog_post_list
from content.templatetags.content_tags import blog_category_label

FEED_SIZE = 20


class BlogFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        site = Site.find_for_request(request)
        return {"site": site, "index": blog_index_for(site=site)}

    def title(self, obj):
        from content.models import SiteSettings

        name = "NutriMX"
        if obj["site"] is not None:
            name = SiteSettings.for_site(obj["site"]).site_name or name
        return _("%(site)s: blog de nutrición") % {"site": name}

    def link(self, obj):
        index = obj["index"]
        return (index.get_full_url(self.request) or "/") if index is not None else "/"

    def feed_url(self, obj):
        site = obj["site"]
        if site is not None:
            return site.root_url + self.request.path
        return self.request.build_absolute_uri(self.request.path)

    def description(self, obj):
        index = obj["index"]
        if index is not None and index.search_description:
            return index.search_description
        return _("Artículos de nutrición, recetas y salud escritos por profesionales en México.")

    def items(self, obj):
        index = obj["index"]
        if index is None:
            return []
        return list(blog_post_list(index=index)[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt or item.search_description

    def item_link(self, item):
        return item.get_full_url(self.request)  # the Wagtail site's address, not django.contrib.sites

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(8, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [blog_category_label(item.category), *(t.name for t in item.tags.all())]
