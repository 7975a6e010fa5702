// One XML text escaper for every XML document Upcall writes (error bodies, PostResponse, listings).
// Threats §B10: echoed request data (keys, condition text, host ids) may hold `& < > " '` and control
// characters. XML 1.0 forbids C0 controls other than TAB/LF/CR even as numeric references (`&#x1;`
// is not well-formed), so they cannot be escaped, only replaced: we replace them, the non-characters
// U+FFFE/U+FFFF and unpaired surrogates with U+FFFD. CR is legal but parsers normalise it to LF, so it
// is written as `&#13;` to survive a round trip.

const illegalXmlChar =
  // eslint-disable-next-line no-control-regex -- matching the C0 controls XML 1.0 forbids is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const markupChar = /[&<>"'\r]/g;

const markupEntity: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Escapes `text` for use as XML element content or an attribute value (XML 1.0). */
export function encodeXmlText(text: string): string {
  return text.replace(illegalXmlChar, '\uFFFD').replace(markupChar, (ch) => markupEntity[ch] ?? ch);
}
