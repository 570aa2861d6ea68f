"""Everything a family receives: welcome letters, contact cards, private links, in their language.

Family-facing text lives in its own gettext domain, ``family`` (catalogues
``translations/<locale>/LC_MESSAGES/family.po``), marked with ``_f`` / ``_lf`` instead of
``_`` / ``_l``, so staff texts and family texts are extracted, translated and tested apart.
"""
