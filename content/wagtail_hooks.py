"""Editor-side SEO help: a live character count with a warning on the search title (60) and
description (160) fields, which carry ``data-max-chars``; and, after saving a page, the
page's ``seo_warnings()`` as warning messages."""

from django.contrib import messages
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks

_SEO_COUNTER_JS = """
(function () {
  var over = %(over)s, left = %(left)s;
  function counter(input) {
    var box = input.parentNode.querySelector('[data-seo-counter]');
    if (!box) {
      box = document.createElement('p');
      box.setAttribute('data-seo-counter', '');
      box.setAttribute('aria-live', 'polite');
      box.style.cssText = 'margin:.35rem 0 0;font-size:.85rem;font-weight:600;';
      input.insertAdjacentElement('afterend', box);
    }
    return box;
  }
  function update(input) {
    var max = parseInt(input.getAttribute('data-max-chars'), 10);
    if (!max) return;
    var n = (input.value || '').length, box = counter(input);
    if (n > max) {
      box.textContent = over.replace('%%(n)s', n).replace('%%(max)s', max);
      box.style.color = '#b42318';
      input.setAttribute('aria-invalid', 'true');
    } else {
      box.textContent = left.replace('%%(n)s', n).replace('%%(max)s', max);
      box.style.color = '#3f4b57';
      input.removeAttribute('aria-invalid');
    }
  }
  function all() { document.querySelectorAll('[data-max-chars]').forEach(update); }
  document.addEventListener('input', function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-max-chars')) update(e.target);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
  document.addEventListener('w-tabs:changed', all);
})();
"""


@hooks.register("insert_editor_js")
def seo_character_counter():
    import json

    script = _SEO_COUNTER_JS % {
        "over": json.dumps(_("⚠ %(n)s de %(max)s caracteres: los buscadores cortarán el texto.")),
        "left": json.dumps(_("%(n)s de %(max)s caracteres")),
    }
    # Our own constant script; the translated texts are JSON-encoded and "</" cannot end it.
    return mark_safe("<script>" + script.replace("</", "<\\/") + "</script>")  # noqa: S308


def _warn_seo(request, page):
    specific = page.specific if hasattr(page, "specific") else page
    warnings = getattr(specific, "seo_warnings", None)
    if callable(warnings):
        for text in warnings():
            messages.warning(request, text)


@hooks.register("after_edit_page")
def seo_warnings_after_edit(request, page):
    _warn_seo(request, page)


@hooks.register("after_create_page")
def seo_warnings_after_create(request, page):
    _warn_seo(request, page)
