// Positions in a text, between the browser's UTF-16 code units and the code
// points Duet stores (DESIGN.md: a coding's start and end count code points).
// This is the one place where that conversion happens: an emoji such as 🌑 is
// one code point but two UTF-16 units, so the two counts part at every
// character outside the Basic Multilingual Plane.

const HIGH_FIRST = 0xd800;
const HIGH_LAST = 0xdbff;
const LOW_FIRST = 0xdc00;
const LOW_LAST = 0xdfff;

// How many of the sorted numbers are below `value` (binary search).
function countBelow(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class TextOffsets {
  // Scans the text once; each conversion is then a binary search over its
  // astral characters (none at all in most transcripts).
  constructor(text) {
    this.lowSurrogates = []; // UTF-16 index of each astral character's second unit
    this.astral = []; // code point index of each astral character
    let codePoint = 0;
    for (let unit = 0; unit < text.length; unit += 1, codePoint += 1) {
      const first = text.charCodeAt(unit);
      const second = text.charCodeAt(unit + 1);
      if (first >= HIGH_FIRST && first <= HIGH_LAST && second >= LOW_FIRST && second <= LOW_LAST) {
        this.astral.push(codePoint);
        this.lowSurrogates.push(unit + 1);
        unit += 1;
      }
    }
    this.length = codePoint; // the text's length in code points
  }

  // A UTF-16 position (as a DOM Range gives it) as a code point position. A
  // position between the two halves of a pair counts as after the character.
  toCodePoints(utf16) {
    return utf16 - countBelow(this.lowSurrogates, utf16);
  }

  // A code point position (as the server stores it) as a UTF-16 position.
  toUtf16(codePoints) {
    return codePoints + countBelow(this.astral, codePoints);
  }
}
