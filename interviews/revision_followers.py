"""What follows a transcript's text when it changes, registered by the apps built on it.

`interviews` knows nothing of codings. An app whose records point into a revision's
text registers, from its `registrations` module:

- a *follower* `fn(*, actor, old, new, mapping) -> None`, called inside the
  transaction that stores a new revision over an existing one (or rewrites a
  revision's text in place, where `old` is `new`), to move its records from `old`
  onto `new` through `mapping` (an `interviews.anchoring.TextMap`);
- a *preview* `fn(*, old, mapping) -> str | None`, called before such a revision is
  stored, saying in one sentence what would happen to its records (None: nothing).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .anchoring import TextMap, text_map

if TYPE_CHECKING:
    from .models import TranscriptRevision


class RevisionFollower(Protocol):
    def __call__(
        self, *, actor, old: "TranscriptRevision", new: "TranscriptRevision", mapping: TextMap
    ) -> None: ...


RevisionPreview = Callable[..., str | None]

_followers: list[RevisionFollower] = []
_previews: list[RevisionPreview] = []


def register_revision_follower(fn: RevisionFollower) -> RevisionFollower:
    """Call `fn(*, actor, old, new, mapping)` whenever a revision's text is replaced."""
    if fn not in _followers:
        _followers.append(fn)
    return fn


def register_revision_preview(fn: RevisionPreview) -> RevisionPreview:
    """Ask `fn(*, old, mapping)` what a new revision over `old` would do to its records."""
    if fn not in _previews:
        _previews.append(fn)
    return fn


def revision_followers_run(
    *, actor, old: "TranscriptRevision", new: "TranscriptRevision", mapping: TextMap
) -> None:
    """Let every registered follower move its records from `old` onto `new`."""
    for follower in _followers:
        follower(actor=actor, old=old, new=new, mapping=mapping)


def revision_preview(*, old: "TranscriptRevision | None", new_text: str) -> list[str]:
    """What storing `new_text` over `old` would do, one sentence per app that would act."""
    if old is None or not _previews:
        return []
    mapping = text_map(old.text, new_text)
    sentences = (preview(old=old, mapping=mapping) for preview in _previews)
    return [sentence for sentence in sentences if sentence]
