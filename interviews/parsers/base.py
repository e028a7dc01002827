"""What the import stages hand each other: a source file, the blocks a parser
finds in it, and the refusal that names the file and the reason."""

from dataclasses import dataclass, field

from dyads.uploads import UploadRejected


class UnreadableFile(UploadRejected):
    """The file cannot be imported; the message names the file and says why."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__({"file": f"{file_name}: {reason}"})


@dataclass(frozen=True)
class Source:
    """An uploaded file that passed the reader's checks: its display name, format and bytes."""

    name: str
    format: str
    content: bytes = field(repr=False)
    # A text format's decoded content, once the reader has decoded it.
    text: str | None = field(default=None, repr=False)

    def refuse(self, reason: str) -> UnreadableFile:
        return UnreadableFile(self.name, reason)


@dataclass(frozen=True)
class Block:
    """A paragraph, a table row or a subtitle cue, as the parser found it.

    `speaker` is set when the format names it outside the text (a WebVTT
    voice); `t_start`/`t_end` (milliseconds) when the format times it.
    """

    text: str
    speaker: str | None = None
    t_start: int | None = None
    t_end: int | None = None


@dataclass(frozen=True)
class ParsedDocument:
    format: str
    blocks: list[Block]

    @property
    def timed(self) -> bool:
        """Cues with their own times (subtitles) rather than paragraphs of running text."""
        return any(block.t_start is not None for block in self.blocks)
