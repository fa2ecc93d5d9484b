from django.urls import include, path
from django.views.generic import TemplateView
from wagtail.contrib.sitemaps.views import sitemap

from content import feeds

app_name = "content"


def blog_rss(request):
    return feeds.BlogFeed()(request)  # one instance per request: the feed keeps the request


urlpatterns: list = [
    path("blog/rss/", blog_rss, name="blog_rss"),
    path("sitemap.xml", sitemap, {"template_name": "content/sitemap.xml", "content_type": "application/xml"},
         name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="content/robots.txt", content_type="text/plain"),
         name="robots"),
    path("", include("content.urls_resources")),
    path("", include("content.urls_search")),
]
