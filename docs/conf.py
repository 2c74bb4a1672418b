"""Sphinx configuration of the imbgan documentation.

Build from the repository root (warnings are errors, as in CI)::

    pip install -e ".[docs]"
    python -m sphinx -W --keep-going -b html docs docs/_build/html

The examples in ``examples/`` are executed by sphinx-gallery during the build, so they are kept
short (tiny epoch counts on the 8 x 8 digits) and need no download.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import imbgan

DOCS_DIR = Path(__file__).resolve().parent

# -- Project ---------------------------------------------------------------------------------------

project = "imbgan"
author = "the imbgan developers"
copyright = "the imbgan developers"  # noqa: A001 (Sphinx's name)
release = imbgan.__version__
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
# Build outputs, and the scripts that draw the figures in _static (they are not pages).
exclude_patterns = [
    "_build",
    "scripts",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "**/.ipynb_checkpoints",
    "Thumbs.db",
    ".DS_Store",
]
default_role = "literal"
pygments_style = "sphinx"

# -- autodoc / autosummary / numpydoc --------------------------------------------------------------

autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "groupwise"
autodoc_inherit_docstrings = True
# The class template (``_templates/autosummary/class.rst``) lists the members itself.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- sphinx-gallery --------------------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": str(DOCS_DIR.parent / "examples"),
    "gallery_dirs": str(DOCS_DIR / "auto_examples"),
    # Every example runs at build time; a failing example fails the build.
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "backreferences_dir": str(DOCS_DIR / "generated" / "backreferences"),
    "doc_module": ("imbgan",),
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    # No sg_execution_times.rst files in the source tree.
    "write_computation_times": False,
    "plot_gallery": "True",
}

# -- HTML ------------------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"imbgan {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {"index": [], "install": []}
# Figures drawn by docs/scripts live in docs/_static; only list the folder when it exists, so
# that a checkout without it still builds warning-free.
html_static_path = ["_static"] if (DOCS_DIR / "_static").is_dir() else []
html_show_sourcelink = True


# -- Every public name must be in the API reference ------------------------------------------------

#: Modules whose ``__all__`` the API reference must cover.
PUBLIC_MODULES = (
    "imbgan",
    "imbgan.metrics",
    "imbgan.datasets",
    "imbgan.model_selection",
    "imbgan.plotting",
)
#: Public names that are not documented as objects of their own.
NOT_DOCUMENTED = {"__version__"}


def _public_names():
    names = {}
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            if name not in NOT_DOCUMENTED:
                names.setdefault(name, module_name)
    return names


def check_api_reference(app):
    """Warn (an error under ``-W``) for each public name missing from ``api.rst``."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    text = (Path(app.srcdir) / "api.rst").read_text(encoding="utf-8")
    # Only autosummary entries count: an indented name on its own line.
    listed = set(re.findall(r"^[ \t]+~?([\w.]+)[ \t]*$", text, flags=re.MULTILINE))
    listed |= {entry.rsplit(".", 1)[-1] for entry in listed}
    for name, module_name in sorted(_public_names().items()):
        if name not in listed:
            logger.warning(
                "%s.%s is public (in __all__) but missing from docs/api.rst; add it to an "
                "autosummary block there.",
                module_name,
                name,
            )


#: Methods a public class inherits from scikit-learn whose docstrings cross-reference
#: scikit-learn's own user guide and glossary, which do not resolve in these docs (no network
#: for intersphinx): ``NearestRowClassifier`` gets ``score`` from ``ClassifierMixin`` and, with
#: it, the metadata-routing setter. They behave as in scikit-learn.
SKLEARN_INHERITED = {"score", "set_score_request"}


def skip_sklearn_inherited(app, what, name, obj, skip, options):
    """Leave out the inherited scikit-learn methods of ``SKLEARN_INHERITED``."""
    return True if name in SKLEARN_INHERITED else None


def setup(app):
    app.connect("builder-inited", check_api_reference)
    app.connect("autodoc-skip-member", skip_sklearn_inherited)
