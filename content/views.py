"""Public entry points of the site: "/" shows the editors' home page to visitors (signed-in
people go to their dashboard), and the rest of the CMS pages are served by Wagtail."""

from __future__ import annotations

from django.shortcuts import redirect, render
from wagtail.models import Site


def landing(request):
    """Signed in: the dashboard. Visitors: the published home page of this site, or the
    built-in welcome page while editors have not published one yet."""
    if request.user.is_authenticated:
        return redirect("home")
    site = Site.find_for_request(request)
    # the home page in the visitor's language when editors translated it
    root = site.root_page.localized.specific if site is not None else None
    from content.models import HomePage

    if isinstance(root, HomePage) and root.live:
        return root.serve(request)
    return render(request, "accounts/landing.html")
