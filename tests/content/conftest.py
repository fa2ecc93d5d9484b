"""Shared fixtures of the content tests. (Each part keeps its own in a module it imports:
``editorial_fixtures.py``, ``resource_fixtures.py``.)"""

# home, blog and SEO: `site_tree` (a home page as the default site's root, with a blog index)
# and `make_post`
from tests.content.home_blog_fixtures import make_post, site_tree  # noqa: E402, F401

# resources, legal pages and forms: `resource_tree`, `rl_in_care`, `rl_nutritionist`
from tests.content.resource_fixtures import resource_tree, rl_in_care, rl_nutritionist  # noqa: E402, F401
